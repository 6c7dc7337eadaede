"""Resolve host names and decide, once per host and fetcher, which addresses may be used.

The decision is made on the resolved addresses *before* any connection, and the approved
addresses are pinned for the connection layer (see pinning.py), so what was checked is
what is connected to.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flows.errors import BlockedTarget, NetworkError
from flows.transport.netpolicy import Decision, is_target_allowed, parse_address
from flows.transport.policy import FetchPolicy

Resolver = Callable[[str], Sequence[str]]


def system_resolver(host: str) -> list[str]:
    """The operating system's addresses for `host`, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Lookup:
    """The outcome of resolving and judging one host."""

    addresses: tuple[str, ...]
    decision: Decision | None  # None when resolution failed
    failure: str | None = None


@dataclass
class HostApprovals:
    """Per-fetcher memo of host decisions; `pins` feeds the connection layer."""

    policy: FetchPolicy
    resolver: Resolver
    pins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _lookups: dict[str, asyncio.Task[Lookup]] = field(default_factory=dict)

    async def approve(self, host: str, url: str) -> tuple[str, ...]:
        """The addresses `url` may connect to; raises BlockedTarget or NetworkError(dns)."""
        task = self._lookups.get(host)
        if task is None:
            task = asyncio.ensure_future(self._look_up(host))
            self._lookups[host] = task
        lookup = await asyncio.shield(task)
        if lookup.decision is None:
            raise NetworkError("dns", f"cannot resolve {host}: {lookup.failure}", url=url)
        if not lookup.decision.allowed:
            raise BlockedTarget("blocked_address", lookup.decision.reason, url=url)
        return lookup.addresses

    async def _look_up(self, host: str) -> Lookup:
        try:
            addresses = await self._resolve(host)
        except (OSError, TimeoutError, UnicodeError) as exc:
            return Lookup((), None, failure=f"{type(exc).__name__}: {exc}")
        decision = is_target_allowed(host, addresses, self.policy)
        if decision.allowed:
            self.pins[host] = addresses
        return Lookup(addresses, decision)

    async def _resolve(self, host: str) -> tuple[str, ...]:
        if parse_address(host) is not None:
            return (host.strip("[]"),)  # a literal address needs no lookup
        async with asyncio.timeout(self.policy.connect_timeout_s):
            found = await asyncio.to_thread(self.resolver, host)
        return tuple(str(address) for address in found)
