"""robots.txt: what a fetch of it means, and one load per origin per fetcher.

Decisions (documented in docs/fetching.md):
- 2xx: the rules apply (the first `robots_max_bytes` are parsed; the rest is ignored).
- 401/403: everything is disallowed; the site refuses robots.
- any other 4xx (404, 410, ...): there are no rules; everything is allowed.
- a transient failure (5xx, 429, timeout, reset, DNS): the site is unreachable for now;
  nothing is fetched from it in this run and the refusal is transient (retry next cycle).
- any other terminal failure (redirect loop, blocked redirect, undecodable body): treated
  like "no robots.txt found", i.e. allowed, as RFC 9309 does for unreachable files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from urllib.robotparser import RobotFileParser

from flows.errors import FetchError, RobotsRefused, RobotsUnavailable

# Statuses with which a site tells robots to keep out entirely.
_REFUSING_STATUSES = frozenset({401, 403})


class RobotsVerdict(Enum):
    RULES = "rules"
    ALLOW_ALL = "allow_all"
    DISALLOW_ALL = "disallow_all"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class RobotsRules:
    """What robots.txt says for one origin, and why (`detail`)."""

    verdict: RobotsVerdict
    detail: str
    parser: RobotFileParser | None = field(default=None, compare=False)

    def check(self, url: str, token: str) -> None:
        """Raise RobotsRefused/RobotsUnavailable when `url` may not be fetched."""
        if self.verdict is RobotsVerdict.ALLOW_ALL:
            return
        if self.verdict is RobotsVerdict.UNAVAILABLE:
            raise RobotsUnavailable(
                "robots_unavailable", f"robots.txt unavailable: {self.detail}", url=url
            )
        if self.verdict is RobotsVerdict.DISALLOW_ALL:
            raise RobotsRefused("robots", f"robots.txt refuses all: {self.detail}", url=url)
        assert self.parser is not None
        if not self.parser.can_fetch(token, url):
            raise RobotsRefused("robots", f"robots.txt disallows this path for {token}", url=url)

    def crawl_delay(self, token: str) -> float | None:
        """The Crawl-delay for `token`, when the rules give one."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


def parse_robots(body: bytes) -> RobotFileParser:
    """A parser loaded with a robots.txt body (undecodable bytes replaced, BOM dropped)."""
    parser = RobotFileParser()
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    parser.parse(text.splitlines())
    return parser


def rules_from_response(
    status: int | None, body: bytes | None, error: FetchError | None
) -> RobotsRules:
    """Turn the outcome of fetching /robots.txt into rules (see the module docstring)."""
    if error is None:
        return RobotsRules(RobotsVerdict.RULES, f"status {status}", parse_robots(body or b""))
    if error.code == "http_status" and error.status in _REFUSING_STATUSES:
        return RobotsRules(RobotsVerdict.DISALLOW_ALL, f"status {error.status}")
    if error.transient:
        return RobotsRules(RobotsVerdict.UNAVAILABLE, error.reason)
    return RobotsRules(RobotsVerdict.ALLOW_ALL, f"no usable robots.txt ({error.reason})")


@dataclass
class RobotsCache:
    """Loads each origin's robots.txt once; concurrent askers share one load."""

    load: Callable[[str], Awaitable[RobotsRules]]
    _loads: dict[str, asyncio.Task[RobotsRules]] = field(default_factory=dict)

    async def rules_for(self, origin: str) -> RobotsRules:
        task = self._loads.get(origin)
        if task is None:
            task = asyncio.ensure_future(self.load(origin))
            self._loads[origin] = task
        # shield: one asker being cancelled must not cancel the load the others await.
        return await asyncio.shield(task)

    @property
    def origins_loaded(self) -> tuple[str, ...]:
        return tuple(self._loads)
