"""Connect only to addresses the policy approved: the defence against DNS rebinding.

The fetcher resolves a host, judges the addresses, and records the approved ones here
("pins"). httpcore then asks this backend to open a TCP connection to the *host name*; we
connect to a pinned address instead of resolving again, so a name that answers a public
address to our check and 127.0.0.1 to the connection never reaches 127.0.0.1. TLS still
verifies the certificate against the host name: only the TCP layer is redirected.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import certifi
import httpcore
import httpx

from extractors.errors import WirewatchError


class UnpinnedHost(httpcore.ConnectError, WirewatchError):
    """A connection was requested to a host whose addresses were never approved.

    An httpcore error, so that httpx carries it out of the connection pool; the exchange
    maps it to a BlockedTarget (flows/transport/exchange.py)."""


@dataclass(frozen=True)
class ConnectAttempt:
    """One TCP connection attempt, as made (for diagnostics and tests)."""

    host: str
    address: str
    port: int


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to the addresses pinned for each host."""

    def __init__(self, pins: Mapping[str, tuple[str, ...]], log: list[ConnectAttempt]) -> None:
        self._pins = pins
        self._log = log
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._pins.get(host.lower())
        if not addresses:
            raise UnpinnedHost(f"no approved address for {host}")
        last_error: Exception | None = None
        for address in addresses:
            self._log.append(ConnectAttempt(host.lower(), address, port))
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc  # try the host's next approved address
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnpinnedHost("unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport(
    pins: Mapping[str, tuple[str, ...]],
    log: list[ConnectAttempt],
    limits: httpx.Limits,
    tls: ssl.SSLContext | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connection pool uses PinnedBackend.

    httpx 0.28 has no public parameter for the network backend, so the pool is replaced
    after construction with one configured the same way; tests prove the pinning holds.
    No proxy is used: a proxy would make its own connections and bypass the pins.
    """
    # Loading the CA bundle costs about 20 ms: one context serves every host's pool (given
    # as `verify`, httpx would otherwise load its own only for the pool replaced below).
    context = tls or ssl.create_default_context(cafile=certifi.where())
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=PinnedBackend(pins, log),
    )
    return transport
