"""The Fetcher: the one place wirewatch talks HTTP.

A fetch is a chain of hops. Before each hop the URL is vetted (scheme, resolved
addresses, robots.txt for pages); the hop itself runs inside the host scheduler's slot;
redirects are followed by hand so that every Location is vetted the same way.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar
from types import TracebackType

import certifi
import httpx

from flows.errors import BlockedTarget, FetchError, InvalidTarget, RedirectError
from flows.transport.addresses import HostApprovals, Resolver, system_resolver
from flows.transport.exchange import Hop, Target, exchange
from flows.transport.netpolicy import check_scheme
from flows.transport.pinning import ConnectAttempt, pinned_transport
from flows.transport.policy import FetchPolicy, FetchRequest, FetchResult
from flows.transport.robots import RobotsCache, RobotsRules, rules_from_response
from flows.transport.scheduling import HostScheduler, Pacing

ResultCallback = Callable[[FetchResult], None]
Admission = Callable[[], Awaitable[None]]


@dataclass
class _Trail:
    """Where one fetch has been so far."""

    url: str
    redirects: list[str] = field(default_factory=list)
    seen: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


class Fetcher:
    """Async context manager owning the HTTP clients for a batch of fetches.

    One httpx.AsyncClient per host, all sharing one cookie jar, one TLS context and the
    address pins. A single client's pool, sized to the batch's total concurrency, closed an
    idle connection to one host to open one to the next: on 2,000 pages from 40 hosts that was
    a new TCP (and, on the web, TLS) connection for almost every page. A pool per host holds
    its `per_host_concurrency` connections open for the whole batch.

    `resolver` maps a host name to its addresses (default: the system resolver, run in a
    thread); tests use it to make a public-looking name resolve to 127.0.0.1.
    """

    def __init__(self, policy: FetchPolicy, *, resolver: Resolver | None = None) -> None:
        self.policy = policy
        self._approvals = HostApprovals(policy, resolver or system_resolver)
        self._scheduler = HostScheduler(
            Pacing(
                per_host_concurrency=policy.per_host_concurrency,
                per_host_delay_s=policy.per_host_delay_s,
                total_concurrency=policy.total_concurrency,
                max_retry_wait_s=policy.max_retry_wait_s,
            )
        )
        self._robots = RobotsCache(self._load_robots)
        self._connections: list[ConnectAttempt] = []
        self._clients: dict[str, httpx.AsyncClient] | None = None
        self._cookies = CookieJar()
        self._tls: ssl.SSLContext | None = None

    @property
    def connections(self) -> tuple[ConnectAttempt, ...]:
        """Every TCP connection attempt made so far (host, address, port)."""
        return tuple(self._connections)

    @property
    def robots_origins(self) -> tuple[str, ...]:
        """Origins whose robots.txt this fetcher has loaded (or is loading)."""
        return self._robots.origins_loaded

    async def __aenter__(self) -> Fetcher:
        self._tls = ssl.create_default_context(cafile=certifi.where())
        self._clients = {}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        clients, self._clients = self._clients or {}, None
        for client in clients.values():
            await client.aclose()

    def _client_for(self, host: str) -> httpx.AsyncClient:
        if self._clients is None or self._tls is None:
            raise RuntimeError("use Fetcher inside 'async with Fetcher(policy) as fetcher:'")
        client = self._clients.get(host)
        if client is None:
            size = self.policy.per_host_concurrency  # the scheduler never exceeds it per host
            limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
            timeout = httpx.Timeout(
                connect=self.policy.connect_timeout_s,
                read=self.policy.read_timeout_s,
                write=self.policy.read_timeout_s,
                pool=self.policy.total_timeout_s,
            )
            client = httpx.AsyncClient(
                transport=pinned_transport(self._approvals.pins, self._connections, limits,
                                           self._tls),
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,
                cookies=self._cookies,
            )
            self._clients[host] = client
        return client

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """Fetch one URL. Network, HTTP and policy problems are reported in `error`."""
        started = time.monotonic()
        trail = _Trail(url=request.url)
        try:
            hop = await self._follow(request, trail)
        except FetchError as error:
            return _failed(request, trail, error, time.monotonic() - started)
        return _succeeded(request, trail, hop, time.monotonic() - started)

    async def fetch_all(
        self, requests: Sequence[FetchRequest], on_result: ResultCallback | None = None,
        *, keep_bodies: bool = True, admit: Admission | None = None,
    ) -> list[FetchResult]:
        """Fetch every request concurrently (within the politeness limits), in order.

        `on_result` is called as each result arrives (for progress bars); an exception
        from it is a bug in the caller and stops the batch. `keep_bodies=False`: the
        returned results have no body, for a caller that takes each body in `on_result`
        (a batch's bodies are then not all held until its last page has arrived).
        `admit` is awaited before each request: a caller that consumes results slower than
        they arrive holds the batch back there, without stalling the event loop (and with
        it the timeouts of the requests in flight).
        """

        async def one(request: FetchRequest) -> FetchResult:
            if admit is not None:
                await admit()
            result = await self.fetch(request)
            if on_result is not None:
                on_result(result)
            return result if keep_bodies or result.body is None else replace(result, body=None)

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(request)) for request in requests]
        return [task.result() for task in tasks]

    async def _follow(self, request: FetchRequest, trail: _Trail) -> Hop:
        while True:
            target = await self._vet(trail.url, request.kind)
            hop = await self._exchange(target, request)
            if hop.location is None:
                return hop
            self._advance(trail, target.url, hop.location)

    async def _vet(self, url: str, kind: str) -> Target:
        parsed = _parse_url(url)
        if not parsed.scheme:
            raise InvalidTarget("invalid_url", "not an absolute URL", url=url)
        scheme = check_scheme(parsed.scheme)
        if not scheme.allowed:
            raise BlockedTarget("blocked_scheme", scheme.reason, url=url)
        if not parsed.raw_host:
            raise InvalidTarget("invalid_url", "URL has no host", url=url)
        host = parsed.raw_host.decode("ascii").lower()
        addresses = await self._approvals.approve(host, url)
        if kind == "page" and self.policy.respect_robots:
            await self._obey_robots(parsed, host)
        return Target(url=str(parsed), host=host, addresses=addresses, parsed=parsed)

    async def _obey_robots(self, url: httpx.URL, host: str) -> None:
        rules = await self._robots.rules_for(_origin(url))
        rules.check(str(url), self.policy.robots_token)
        crawl_delay = rules.crawl_delay(self.policy.robots_token)
        if crawl_delay:
            self._scheduler.slow_down(host, min(crawl_delay, self.policy.max_crawl_delay_s))

    async def _exchange(self, target: Target, request: FetchRequest) -> Hop:
        client = self._client_for(target.host)
        async with self._scheduler.slot(target.host, target.url):
            try:
                hop = await exchange(client, target, request, self.policy)
            except FetchError as error:
                self._scheduler.hold(target.host, error.retry_after_s)
                raise
            self._scheduler.hold(target.host, hop.retry_after_s)
            return hop

    def _advance(self, trail: _Trail, current: str, location: str) -> None:
        """Move the trail to the redirect's target, refusing loops and long chains."""
        try:
            next_url = str(httpx.URL(current).join(location).copy_with(fragment=None))
        except (httpx.InvalidURL, ValueError) as exc:
            raise RedirectError(
                "redirect_invalid", f"unusable Location {location!r}", url=current
            ) from exc
        # A revisit is a loop only if nothing changed: a site may set a cookie and send
        # us back to the page we came from, which then answers normally.
        jar = self._cookie_state()
        trail.seen[current] = jar
        if trail.seen.get(next_url) == jar:
            raise RedirectError(
                "redirect_loop", f"redirect loop back to {next_url}", url=current
            )
        if len(trail.redirects) >= self.policy.max_redirects:
            raise RedirectError(
                "redirect_limit",
                f"more than {self.policy.max_redirects} redirects",
                url=current,
            )
        trail.redirects.append(next_url)
        trail.url = next_url

    def _cookie_state(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted((c.domain, c.path, c.name, c.value or "") for c in self._cookies))

    async def _load_robots(self, origin: str) -> RobotsRules:
        result = await self.fetch(FetchRequest(url=f"{origin}/robots.txt", kind="robots"))
        return rules_from_response(result.status, result.body, result.error)

def fetch_all_sync(
    policy: FetchPolicy,
    requests: Sequence[FetchRequest],
    on_result: ResultCallback | None = None,
    *,
    resolver: Resolver | None = None,
    keep_bodies: bool = True,
    admit: Admission | None = None,
) -> list[FetchResult]:
    """`Fetcher.fetch_all` for synchronous callers such as Prefect tasks."""

    async def run() -> list[FetchResult]:
        async with Fetcher(policy, resolver=resolver) as fetcher:
            return await fetcher.fetch_all(requests, on_result, keep_bodies=keep_bodies,
                                           admit=admit)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run())
    # Called from code already running an event loop: asyncio.run would refuse, so the
    # batch gets its own loop in a worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
        # copy_with parses the whole URL again (httpx does it in Python, a quarter of a
        # millisecond): only worth it when there is a fragment (even an empty one) to drop.
        return parsed.copy_with(fragment=None) if "#" in url else parsed
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidTarget("invalid_url", f"not a usable URL: {url!r}", url=url) from exc


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.raw_host.decode('ascii')}{port}"


def _succeeded(request: FetchRequest, trail: _Trail, hop: Hop, elapsed: float) -> FetchResult:
    return FetchResult(
        request=request,
        final_url=hop.url,
        status=hop.status,
        body=hop.body,
        content_type=hop.content_type,
        charset=hop.charset,
        etag=hop.etag,
        last_modified=hop.last_modified,
        not_modified=hop.status == 304,
        retry_after_s=hop.retry_after_s,
        redirects=tuple(trail.redirects),
        elapsed_s=elapsed,
        error=None,
    )


def _failed(
    request: FetchRequest, trail: _Trail, error: FetchError, elapsed: float
) -> FetchResult:
    return FetchResult(
        request=request,
        final_url=trail.url,
        status=error.status,
        body=None,
        content_type=None,
        charset=None,
        etag=None,
        last_modified=None,
        not_modified=False,
        retry_after_s=error.retry_after_s,
        redirects=tuple(trail.redirects),
        elapsed_s=elapsed,
        error=error,
    )
