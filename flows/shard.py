"""Which outlets a worker polls: shard `k/n` takes the outlets whose stable hash falls in k.

Workers on several machines split the outlets among themselves without talking to each
other: each runs the ingest deployment with its own shard, `1/3`, `2/3`, `3/3`. An outlet's
shard is `sha256(outlet_id) mod n`, so

- every outlet is in exactly one of the n shards (no feed is polled twice in one interval,
  and an outlet's feeds stay together, with their politeness budget, on one worker);
- the choice depends only on the outlet id and n: the same on every machine, in every
  process and release (Python's own `hash()` is salted per process, so it will not do);
- changing n moves outlets between shards, and the moved ones simply continue where their
  feed state in the shared warehouse left off.

Shards are written `k/n` with k counted from 1, like "page 2 of 3". `all` (or an empty
string) is the whole list, one worker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from extractors.errors import ConfigError

ALL = "all"
MAX_SHARDS = 1024

_T = TypeVar("_T")


class ShardError(ConfigError, ValueError):
    """A shard that cannot be used as given; terminal: fix the deployment's parameter."""


@dataclass(frozen=True, slots=True)
class Shard:
    index: int  # 1..count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, outlet_id: str) -> bool:
        return shard_of(outlet_id, self.count) == self.index


def parse_shard(text: str | None) -> Shard | None:
    """`k/n` -> Shard(k, n); `all`, "" or None -> None (every outlet)."""
    text = (text or "").strip().lower()
    if text in ("", ALL):
        return None
    index, slash, count = text.partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise ShardError(f"shard {text!r} is not of the form k/n (for example 2/3) or 'all'")
    shard = Shard(int(index), int(count))
    if not 1 <= shard.count <= MAX_SHARDS:
        raise ShardError(f"shard {text!r}: n must be between 1 and {MAX_SHARDS}")
    if not 1 <= shard.index <= shard.count:
        raise ShardError(f"shard {text!r}: k counts from 1 to n ({shard.count})")
    return shard


def shard_of(outlet_id: str, count: int) -> int:
    """The shard (1..count) an outlet belongs to when there are `count` shards."""
    digest = hashlib.sha256(outlet_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select(items: Iterable[_T], shard: Shard | None, outlet_id_of) -> list[_T]:
    """The items whose outlet belongs to `shard` (all of them when shard is None)."""
    if shard is None:
        return list(items)
    return [item for item in items if shard.holds(outlet_id_of(item))]


def partition(outlet_ids: Sequence[str], count: int) -> dict[int, list[str]]:
    """Every shard's outlets (for reports and the docs' balance figures)."""
    shards: dict[int, list[str]] = {k: [] for k in range(1, count + 1)}
    for outlet_id in outlet_ids:
        shards[shard_of(outlet_id, count)].append(outlet_id)
    return shards


def sql_condition(shard: Shard | None, column: str = "outlet_id") -> tuple[str, list]:
    """The same selection as SQL for DuckDB (its sha256 is hex: the first 16 digits are the
    first 8 bytes), with its parameters; TRUE for all outlets."""
    if shard is None:
        return "TRUE", []
    return (f"(('0x' || left(sha256({column}), 16))::UBIGINT % ?) + 1 = ?",
            [shard.count, shard.index])
