"""A small farm cycle's warehouse tables, to show a change leaves the cycle's results alone.

    python -m bench.cycle_tables dump OUT.pkl [--pages 300]
    python -m bench.cycle_tables compare BEFORE.pkl AFTER.pkl [BEFORE_AGAIN.pkl]

`dump` runs one cold cycle (the ingest tasks' plain functions, then the entity stage) against
a farm with a fixed clock and fixed ports, so that page URLs, article ids and dates are the
same in every run, and pickles every table's rows. Run it on the code before a change (twice,
e.g. from a `git archive` copy) and after. `compare` reports each table as same or different;
given a second dump of the old code, it first leaves out the columns that differ between the
two old runs (fetch times, run ids, durations).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench.farm as farm_module
from bench.farm import FarmSpec, OutletFarm

FIXED_NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
FIXED_PORT = 28517
Dump = dict[str, Any]


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> _FixedClock:
        return cls.fromtimestamp(FIXED_NOW.timestamp(), UTC)


def _fixed_farm() -> None:
    """Pages dated from one fixed instant, each outlet on the same port in every run."""
    farm_module.datetime = _FixedClock  # type: ignore[misc]
    bind = farm_module._FarmServer.__init__

    def on_fixed_port(self: Any, address: tuple[str, int], *args: Any, **kwargs: Any) -> None:
        bind(self, (address[0], FIXED_PORT), *args, **kwargs)

    farm_module._FarmServer.__init__ = on_fixed_port  # type: ignore[method-assign]


def dump(out: Path, pages: int) -> None:
    import duckdb

    from bench.cycle_bench import _direct_cycle, overrides_for
    from flows import ingest
    from flows.settings import load_settings

    _fixed_farm()
    spec = FarmSpec(outlets=max(1, pages // 10), items_per_feed=10)
    with tempfile.TemporaryDirectory() as tmp, OutletFarm(spec) as farm:
        work = Path(tmp)
        (work / "outlets.toml").write_text(farm.outlets_toml(), encoding="utf-8")
        settings = load_settings(overrides=overrides_for(work, "tables", work / "outlets.toml", 2))
        counts, _ = _direct_cycle(settings)
        ingest.entities_task.fn(settings, None)
        con = duckdb.connect(str(settings.db_path), read_only=True)
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall()]
        tables: Dump = {"counts": counts}
        for name in sorted(names):
            cursor = con.execute(f'SELECT * FROM "{name}"')
            columns = [d[0] for d in cursor.description]
            tables[name] = (columns, sorted(tuple(repr(v) for v in r) for r in cursor.fetchall()))
        con.close()
    out.write_bytes(pickle.dumps(tables))
    print(counts)


def _tables(dumped: Dump) -> list[str]:
    return [name for name in dumped if name != "counts"]


def volatile(first: Dump, second: Dump) -> set[tuple[str, str]]:
    """Columns whose values differ between two runs of the same code."""
    found = set()
    for name in _tables(first):
        columns, rows = first[name]
        other = second[name][1]
        for i, column in enumerate(columns):
            if sorted(r[i] for r in rows) != sorted(r[i] for r in other):
                found.add((name, column))
    return found


def compare(before: Dump, after: Dump, ignored: set[tuple[str, str]]) -> bool:
    same = before["counts"] == after["counts"]
    print(f"counts: {'same' if same else 'DIFFERENT'}")
    for name in _tables(before):
        columns, rows = before[name]
        keep = [i for i, c in enumerate(columns) if (name, c) not in ignored]
        old = sorted(tuple(r[i] for i in keep) for r in rows)
        new = sorted(tuple(r[i] for i in keep) for r in after.get(name, ([], []))[1])
        print(f"{name}: {len(old)} rows, {'same' if old == new else 'DIFFERENT'}")
        same = same and old == new
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description="Dump or compare a farm cycle's tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    dumping = sub.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--pages", type=int, default=300)
    comparing = sub.add_parser("compare")
    comparing.add_argument("dumps", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.pages)
        return
    loaded = [pickle.loads(p.read_bytes()) for p in args.dumps]
    ignored = volatile(loaded[0], loaded[2]) if len(loaded) > 2 else set()
    print(f"left out (differ between two runs of the old code): {sorted(ignored)}")
    identical = compare(loaded[0], loaded[1], ignored)
    print("IDENTICAL" if identical else "DIFFERENT")
    sys.exit(0 if identical else 1)


if __name__ == "__main__":
    main()
