"""One HTTP exchange (a single hop): send, check the answer, stream the body under a cap.

Everything that can go wrong is raised as a FetchError with `raise ... from`, mapped by
exception *type* in `map_transport_error`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from flows.errors import (
    BlockedTarget,
    FetchError,
    HTTPStatusError,
    InvalidTarget,
    NetworkError,
    ResponseTooLarge,
    UnacceptableContent,
)
from flows.transport.decoding import BoundedDecoder
from flows.transport.headers import (
    content_type_acceptable,
    parse_content_type,
    parse_retry_after,
    request_headers,
    sniff_media_type,
)
from flows.transport.netpolicy import parse_address
from flows.transport.pinning import UnpinnedHost
from flows.transport.policy import FetchPolicy, FetchRequest

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SNIFF_BYTES = 16


@dataclass(frozen=True)
class Target:
    """A URL that passed the scheme, address and robots checks."""

    url: str
    host: str  # ASCII (IDNA) host, lower-case: the key for pins and politeness
    addresses: tuple[str, ...]  # the approved addresses the connection may use
    # `url` already parsed: handed to httpx, it is not parsed once more for every request
    # (httpx parses URLs in Python; a warm cycle of 10,000 feeds spends seconds on it).
    parsed: httpx.URL | None = None


@dataclass(frozen=True)
class Hop:
    """The usable outcome of one exchange: a body, a 304, or a redirect to follow."""

    url: str
    status: int
    location: str | None
    body: bytes | None
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    retry_after_s: float | None


async def exchange(
    client: httpx.AsyncClient, target: Target, request: FetchRequest, policy: FetchPolicy
) -> Hop:
    """GET `target.url` once, within `policy.total_timeout_s` for the whole exchange."""
    headers = request_headers(
        request.kind, policy.user_agent_header, request.etag, request.last_modified
    )
    try:
        async with (
            asyncio.timeout(policy.total_timeout_s),
            client.stream("GET", target.parsed or target.url, headers=headers) as response,
        ):
            _verify_peer(response, target)
            return await _read_response(response, target, request, policy)
    except TimeoutError as exc:
        raise NetworkError(
            "timeout",
            f"no complete response within {policy.total_timeout_s:g} s",
            url=target.url,
        ) from exc
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, target.url) from exc


async def _read_response(
    response: httpx.Response, target: Target, request: FetchRequest, policy: FetchPolicy
) -> Hop:
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status in REDIRECT_STATUSES and response.headers.get("location"):
        return _hop(response, target, location=response.headers["location"], body=None)
    if status == 304:
        # A 304 has no body, but the connection returns to the pool only once the response
        # is read to its end; closed unread, the next poll of this host opens a new one.
        await response.aread()
        return _hop(response, target, location=None, body=None)
    if not 200 <= status <= 299:
        raise HTTPStatusError(
            "http_status",
            f"HTTP {status} {response.reason_phrase}".rstrip(),
            url=target.url,
            status=status,
            retry_after_s=retry_after,
        )
    media_type, _ = parse_content_type(response.headers.get("content-type"))
    if not content_type_acceptable(request.kind, media_type):
        raise UnacceptableContent(
            "content_type",
            f"{media_type} is not usable for a {request.kind}",
            url=target.url,
            status=status,
        )
    body = await _read_body(response, target, request, policy)
    return _hop(response, target, location=None, body=body)


async def _read_body(
    response: httpx.Response, target: Target, request: FetchRequest, policy: FetchPolicy
) -> bytes:
    max_bytes = policy.robots_max_bytes if request.kind == "robots" else policy.max_bytes
    if request.kind != "robots":  # robots.txt is truncated instead (see below)
        _refuse_declared_oversize(response, max_bytes, target.url)
    decoder = BoundedDecoder(response.headers.get("content-encoding"), max_bytes, target.url)
    body = bytearray()
    sniffed = False
    try:
        async for raw in response.aiter_raw():
            body += decoder.feed(raw)
            if not sniffed and len(body) >= _SNIFF_BYTES:
                _refuse_binary(body, request, target.url, response.status_code)
                sniffed = True
        body += decoder.finish()
        if not sniffed:  # a body shorter than the sniffing window
            _refuse_binary(body, request, target.url, response.status_code)
    except ResponseTooLarge:
        # RFC 9309: parse at least the first 500 KiB of robots.txt and ignore the rest.
        if request.kind != "robots":
            raise
    return bytes(body)


def _refuse_declared_oversize(response: httpx.Response, max_bytes: int, url: str) -> None:
    """Fail before reading when an unencoded body announces it is over the cap."""
    if response.headers.get("content-encoding"):
        return
    try:
        declared = int(response.headers.get("content-length", ""))
    except ValueError:
        return
    if declared > max_bytes:
        raise ResponseTooLarge(
            "too_large", f"Content-Length {declared} exceeds {max_bytes} bytes", url=url
        )


def _refuse_binary(body: bytearray, request: FetchRequest, url: str, status: int) -> None:
    if request.kind == "robots":
        return
    binary_type = sniff_media_type(bytes(body[:_SNIFF_BYTES + 8]))
    if binary_type is not None:
        raise UnacceptableContent(
            "content_type",
            f"body is {binary_type}, not usable for a {request.kind}",
            url=url,
            status=status,
        )


def _verify_peer(response: httpx.Response, target: Target) -> None:
    """The socket's peer must be one of the approved addresses (defence in depth)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer:
        return
    connected = parse_address(str(peer[0]))
    approved = {parse_address(address) for address in target.addresses}
    if connected not in approved:
        raise BlockedTarget(
            "blocked_address",
            f"connected to {peer[0]}, which was not approved for {target.host}",
            url=target.url,
        )


def _hop(
    response: httpx.Response, target: Target, *, location: str | None, body: bytes | None
) -> Hop:
    media_type, charset = parse_content_type(response.headers.get("content-type"))
    return Hop(
        url=target.url,
        status=response.status_code,
        location=location,
        body=body,
        content_type=media_type,
        charset=charset,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        retry_after_s=parse_retry_after(response.headers.get("retry-after")),
    )


def map_transport_error(exc: httpx.HTTPError, url: str) -> FetchError:
    """An httpx exception as a FetchError, chosen by the exception's type."""
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError("timeout", f"timed out ({type(exc).__name__})", url=url)
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, UnpinnedHost):
            return BlockedTarget("blocked_address", "connection to an unapproved host", url=url)
        return NetworkError("connect", "could not connect", url=url)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return NetworkError("reset", "connection lost during the exchange", url=url)
    if isinstance(exc, httpx.RemoteProtocolError):
        return NetworkError("protocol", "malformed or incomplete HTTP response", url=url)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return BlockedTarget("blocked_scheme", "unsupported URL scheme", url=url)
    if isinstance(exc, httpx.LocalProtocolError):
        return InvalidTarget("invalid_url", "request cannot be expressed in HTTP", url=url)
    return NetworkError("transport", f"transport failure ({type(exc).__name__})", url=url)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, kind):
            return True
        current = current.__cause__ or current.__context__
    return False
