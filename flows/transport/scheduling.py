"""When a request to a host may start: per-host concurrency, spacing and Retry-After.

Every HTTP exchange (pages, feeds, robots.txt, each redirect hop) passes through
`HostScheduler.slot(host)`, so politeness holds however the requests were submitted.
Order of acquisition matters: the host's own semaphore first, the global one last and
only once the host's turn has come, so a slow host cannot occupy global slots while
it waits out its spacing.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from flows.errors import ConfigError, Deferred


@dataclass(frozen=True)
class Pacing:
    """The scheduler's settings (taken from FetchPolicy)."""

    per_host_concurrency: int
    per_host_delay_s: float
    total_concurrency: int
    max_retry_wait_s: float

    def __post_init__(self) -> None:
        # A nan or infinite spacing would make every turn unclaimable (nan compares false
        # with everything): the claim loop below would never start a request.
        for name in ("per_host_delay_s", "max_retry_wait_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ConfigError(f"{name} must be a finite number >= 0, got {value!r}")


@dataclass
class _HostState:
    semaphore: asyncio.Semaphore
    delay_s: float  # spacing between starts: the policy's, or robots.txt's Crawl-delay
    next_start: float = 0.0  # earliest start allowed by spacing
    hold_until: float = 0.0  # earliest start allowed by the host's Retry-After


@dataclass
class HostScheduler:
    """Grants request starts; one instance per Fetcher (not shared between event loops)."""

    pacing: Pacing
    clock: Callable[[], float] = time.monotonic
    _hosts: dict[str, _HostState] = field(default_factory=dict)
    _global: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def slot(self, host: str, url: str) -> AsyncIterator[None]:
        """Hold a start for `host`; raises Deferred when the host asked for a long pause."""
        state = self._state(host)
        async with state.semaphore:
            global_slots = self._global_semaphore()
            await self._claim_turn(state, global_slots, url)
            try:
                yield
            finally:
                global_slots.release()

    def slow_down(self, host: str, delay_s: float) -> None:
        """Space `host`'s requests at least `delay_s` apart (never closer than the policy)."""
        if not math.isfinite(delay_s):
            return  # a robots.txt "Crawl-delay: nan" must not freeze the host
        state = self._state(host)
        state.delay_s = max(state.delay_s, delay_s)

    def hold(self, host: str, seconds: float | None) -> None:
        """No request to `host` starts for `seconds` (a Retry-After from it)."""
        if seconds is None or seconds <= 0:
            return
        state = self._state(host)
        state.hold_until = max(state.hold_until, self.clock() + seconds)

    async def _claim_turn(
        self, state: _HostState, global_slots: asyncio.Semaphore, url: str
    ) -> None:
        """Wait until spacing and Retry-After allow a start, then take a global slot.

        The check and the claim happen with no await in between, and are repeated after
        every wait, so concurrent requests to one host never start closer than the delay.
        """
        while True:
            self._wait_or_defer(state, url)
            wait = max(state.next_start, state.hold_until) - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await global_slots.acquire()
            now = self.clock()
            if now >= state.next_start and now >= state.hold_until:
                state.next_start = now + state.delay_s
                return
            global_slots.release()  # another request claimed the turn meanwhile
            # Always give the event loop a turn here: whatever the clock says, this loop
            # must never spin without yielding (it would ignore cancellation and signals).
            await asyncio.sleep(0)

    def _wait_or_defer(self, state: _HostState, url: str) -> None:
        held_for = state.hold_until - self.clock()
        if held_for > self.pacing.max_retry_wait_s:
            raise Deferred(
                "deferred",
                f"host asked for {held_for:.1f} s before the next request (Retry-After)",
                url=url,
                retry_after_s=held_for,
            )

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = _HostState(
                asyncio.Semaphore(self.pacing.per_host_concurrency), self.pacing.per_host_delay_s
            )
            self._hosts[host] = state
        return state

    def _global_semaphore(self) -> asyncio.Semaphore:
        if self._global is None:
            self._global = asyncio.Semaphore(self.pacing.total_concurrency)
        return self._global
