"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for tests and benchmarks.

Routes live in a table (path -> handler). A key ending in "/" matches every path below
it, so "/status/" serves /status/404, /status/503 and so on. Add routes per server:

    with running_fault_server({"/feed.xml": my_handler}) as server:
        server.url("/feed.xml")

or extend DEFAULT_ROUTES in a new table. Each request is counted and timed *by the
server* (`hits`, `starts`), so tests can assert "never requested" or "requested once"
and check the spacing between request starts as the server saw them.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

import pytest

from flows.transport import (
    ConnectAttempt,
    Fetcher,
    FetchPolicy,
    FetchRequest,
    FetchResult,
    Resolver,
)

ARTICLE_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Border patrol report</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Border patrol report</h1>
<p>Officials on both sides of the border met on Tuesday to discuss security.</p>
<p>The talks covered cargo inspections, migration and the exchange of intelligence.</p>
</article><footer>(c) Example News</footer></body></html>
"""

NO_ARTICLE_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Section front</title></head>
<body><nav><a href="/">Home</a> <a href="/a">A</a> <a href="/b">B</a></nav>
<footer>Subscribe | Contact | Privacy</footer></body></html>
"""

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
PDF_BODY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BODY = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
ETAG = '"article-v1"'
LAST_MODIFIED = "Tue, 07 Jan 2025 10:00:00 GMT"
BOMB_DECODED_BYTES = 64 * 1024 * 1024  # what the small gzip body inflates to
SLOW_BODY_BYTES = 120  # the one-byte-per-second route gives up after this many
ENDLESS_LIMIT_BYTES = 512 * 1024 * 1024  # the endless route stops here at the latest

RouteHandler = Callable[["FaultHandler"], None]


class FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes: Mapping[str, RouteHandler]) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.routes = dict(routes)
        self.lock = threading.Lock()
        self.hit_counts: dict[str, int] = defaultdict(int)
        self.start_times: dict[str, list[float]] = defaultdict(list)
        self.stopping = threading.Event()
        # Built before the first request: compressing 64 MiB on demand took long enough on a
        # loaded machine for the client to time out first (a transient failure, retried next
        # cycle) instead of meeting the size cap (terminal).
        self.bomb = _make_bomb(BOMB_DECODED_BYTES) if "/gzip-bomb" in self.routes else b""


class FaultHandler(BaseHTTPRequestHandler):
    """Dispatches to the route table; handlers write the whole response themselves."""

    server: FaultHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm the second waits
    # for the client's delayed ACK (~40 ms per response), which would distort benchmarks.
    disable_nagle_algorithm = True

    @property
    def path_only(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def do_GET(self) -> None:
        path = self.path_only
        with self.server.lock:
            self.server.hit_counts[path] += 1
            self.server.start_times[path].append(time.monotonic())
        handler = _find_route(self.server.routes, path)
        if handler is None:
            send(self, 404, b"not found", "text/plain")
            return
        try:
            handler(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up, as it should have

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log lines."""


def _find_route(routes: Mapping[str, RouteHandler], path: str) -> RouteHandler | None:
    if path in routes:
        return routes[path]
    prefixes = [key for key in routes if key.endswith("/") and path.startswith(key)]
    return routes[max(prefixes, key=len)] if prefixes else None


def send(
    handler: FaultHandler,
    status: int,
    body: bytes = b"",
    content_type: str | None = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> None:
    """A complete response with Content-Length."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def redirect(handler: FaultHandler, location: str, status: int = 302) -> None:
    send(handler, status, b"", None, {"Location": location})


# --- routes ---------------------------------------------------------------------------


def article(handler: FaultHandler) -> None:
    send(handler, 200, ARTICLE_HTML)


def no_article(handler: FaultHandler) -> None:
    send(handler, 200, NO_ARTICLE_HTML)


def robots(handler: FaultHandler) -> None:
    send(handler, 200, ROBOTS_TXT, "text/plain")


def status(handler: FaultHandler) -> None:
    """/status/<code>, optionally ?retry_after=<seconds> or ?retry_date=<seconds ahead>."""
    code = int(handler.path_only.rsplit("/", 1)[-1])
    headers = {}
    if "retry_after" in handler.query:
        headers["Retry-After"] = handler.query["retry_after"]
    if "retry_date" in handler.query:
        when = time.time() + float(handler.query["retry_date"])
        headers["Retry-After"] = formatdate(when, usegmt=True)
    send(handler, code, f"status {code}".encode(), "text/plain", headers)


def reset_mid_body(handler: FaultHandler) -> None:
    """Promise 100 kB, send 1 kB, then abort the connection with a TCP RST."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(ARTICLE_HTML[:200])
    handler.wfile.flush()
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def truncated(handler: FaultHandler) -> None:
    """Promise 1000 bytes, send 10, close cleanly: an incomplete message."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b"<html><bod")
    handler.wfile.flush()
    handler.close_connection = True


def one_byte_per_second(handler: FaultHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(SLOW_BODY_BYTES))
    handler.end_headers()
    for _ in range(SLOW_BODY_BYTES):
        if handler.server.stopping.wait(1.0):
            break
        handler.wfile.write(b"x")
        handler.wfile.flush()
    handler.close_connection = True


def endless(handler: FaultHandler) -> None:
    """A body with no length that never ends (until the client leaves or a hard limit)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"more " * 13100 + b"</p>\n"
    sent = 0
    while sent < ENDLESS_LIMIT_BYTES and not handler.server.stopping.is_set():
        handler.wfile.write(chunk)
        sent += len(chunk)
    handler.close_connection = True


def gzip_bomb(handler: FaultHandler) -> None:
    """About 64 kB on the wire, 64 MiB once inflated."""
    send(handler, 200, handler.server.bomb, "text/html", {"Content-Encoding": "gzip"})


@functools.lru_cache(maxsize=1)
def _make_bomb(decoded_bytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(decoded_bytes // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


def gzipped_article(handler: FaultHandler) -> None:
    send(handler, 200, gzip.compress(ARTICLE_HTML), "text/html", {"Content-Encoding": "gzip"})


def deflated_article(handler: FaultHandler) -> None:
    send(handler, 200, zlib.compress(ARTICLE_HTML), "text/html", {"Content-Encoding": "deflate"})


def redirect_loop_a(handler: FaultHandler) -> None:
    redirect(handler, "/loop/b")


def redirect_loop_b(handler: FaultHandler) -> None:
    redirect(handler, "/loop/a")


def redirect_chain(handler: FaultHandler) -> None:
    """/chain/<n> redirects n times before the article."""
    remaining = int(handler.path_only.rsplit("/", 1)[-1])
    if remaining <= 0:
        article(handler)
    else:
        redirect(handler, f"/chain/{remaining - 1}", 301)


PRIVATE_TARGETS = MappingProxyType(
    {
        "ten": "http://10.0.0.1/",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "home-router": "http://192.168.1.1/",
        "file": "file:///etc/passwd",
        "ftp": "ftp://127.0.0.1/pub/",
    }
)


def redirect_to_private(handler: FaultHandler) -> None:
    """/to/<name>: a redirect to one of PRIVATE_TARGETS."""
    redirect(handler, PRIVATE_TARGETS[handler.path_only.rsplit("/", 1)[-1]])


def redirect_to_localhost(handler: FaultHandler) -> None:
    """A redirect to this same server under the name "localhost"."""
    port = handler.server.server_address[1]
    redirect(handler, f"http://localhost:{port}/article")


def pdf(handler: FaultHandler) -> None:
    send(handler, 200, PDF_BODY, "application/pdf")


def pdf_labelled_html(handler: FaultHandler) -> None:
    send(handler, 200, PDF_BODY, "text/html")


def png(handler: FaultHandler) -> None:
    send(handler, 200, PNG_BODY, "image/png")


def validators(handler: FaultHandler) -> None:
    """ETag/Last-Modified; answers 304 when either validator matches."""
    headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if handler.headers.get("If-None-Match") == ETAG or (
        handler.headers.get("If-Modified-Since") == LAST_MODIFIED
    ):
        send(handler, 304, b"", None, headers)
    else:
        send(handler, 200, ARTICLE_HTML, "text/html; charset=utf-8", headers)


def cookie_gate(handler: FaultHandler) -> None:
    """Without the consent cookie, bounce through /consent; with it, the article."""
    if "consent=yes" in (handler.headers.get("Cookie") or ""):
        article(handler)
    else:
        redirect(handler, "/consent")


def consent(handler: FaultHandler) -> None:
    send(handler, 302, b"", None, {"Location": "/gate", "Set-Cookie": "consent=yes; Path=/"})


def echo_headers(handler: FaultHandler) -> None:
    """The request headers as text, to check what the client sends."""
    lines = "".join(f"{name}: {value}\n" for name, value in handler.headers.items())
    send(handler, 200, f"<html><body><pre>{lines}</pre></body></html>".encode())


DEFAULT_ROUTES: Mapping[str, RouteHandler] = MappingProxyType(
    {
        "/robots.txt": robots,
        "/article": article,
        "/private/": article,
        "/no-article": no_article,
        "/status/": status,
        "/reset": reset_mid_body,
        "/truncated": truncated,
        "/slow": one_byte_per_second,
        "/endless": endless,
        "/gzip-bomb": gzip_bomb,
        "/gzip": gzipped_article,
        "/deflate": deflated_article,
        "/loop/a": redirect_loop_a,
        "/loop/b": redirect_loop_b,
        "/chain/": redirect_chain,
        "/to/": redirect_to_private,
        "/to-localhost": redirect_to_localhost,
        "/pdf": pdf,
        "/pdf-as-html": pdf_labelled_html,
        "/png": png,
        "/validators": validators,
        "/gate": cookie_gate,
        "/consent": consent,
        "/echo": echo_headers,
    }
)


class FaultServer:
    """A running fault server: URLs, request counts and request start times."""

    def __init__(self, httpd: FaultHTTPServer) -> None:
        self._httpd = httpd

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def add_route(self, path: str, handler: RouteHandler) -> None:
        self._httpd.routes[path] = handler

    def hits(self, path: str) -> int:
        """How many requests arrived for `path` (query strings ignored)."""
        with self._httpd.lock:
            return self._httpd.hit_counts.get(path, 0)

    def total_hits(self) -> int:
        with self._httpd.lock:
            return sum(self._httpd.hit_counts.values())

    def starts(self, path: str | None = None) -> list[float]:
        """Monotonic times at which requests (for `path`, or all) arrived, sorted."""
        with self._httpd.lock:
            if path is not None:
                return sorted(self._httpd.start_times.get(path, []))
            return sorted(t for times in self._httpd.start_times.values() for t in times)


@contextmanager
def running_fault_server(routes: Mapping[str, RouteHandler] | None = None) -> Iterator[FaultServer]:
    """Serve DEFAULT_ROUTES (overridden/extended by `routes`) on 127.0.0.1, a free port."""
    httpd = FaultHTTPServer({**DEFAULT_ROUTES, **(routes or {})})
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield FaultServer(httpd)
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    """A fault server with the default routes, for one test."""
    with running_fault_server() as server:
        yield server


# --- client-side conveniences for tests that fetch from this server -------------------

#: Loopback is refused by default; tests allow it explicitly, with short timeouts.
LOOPBACK = ("127.0.0.0/8",)


def local_policy(**overrides: object) -> FetchPolicy:
    """A FetchPolicy for tests: loopback allowed, no spacing, short timeouts, 1 MB cap."""
    settings: dict[str, object] = {
        "allowed_networks": LOOPBACK,
        "connect_timeout_s": 2.0,
        "read_timeout_s": 2.0,
        "total_timeout_s": 2.0,
        "max_bytes": 1_000_000,
        "per_host_delay_s": 0.0,
        "per_host_concurrency": 4,
        "max_retry_wait_s": 2.0,
    }
    settings.update(overrides)
    return FetchPolicy(**settings)  # type: ignore[arg-type]


def fetch_one(
    policy: FetchPolicy, request: FetchRequest | str, resolver: Resolver | None = None
) -> tuple[FetchResult, tuple[ConnectAttempt, ...]]:
    """Fetch one request with a fresh Fetcher; also return the connections it attempted."""
    results, connections = fetch_many(policy, [request], resolver)
    return results[0], connections


def fetch_many(
    policy: FetchPolicy,
    requests: Sequence[FetchRequest | str],
    resolver: Resolver | None = None,
) -> tuple[list[FetchResult], tuple[ConnectAttempt, ...]]:
    """Fetch a batch with one Fetcher; also return the connections it attempted."""
    batch = [FetchRequest(r) if isinstance(r, str) else r for r in requests]

    async def run() -> tuple[list[FetchResult], tuple[ConnectAttempt, ...]]:
        async with Fetcher(policy, resolver=resolver) as fetcher:
            return await fetcher.fetch_all(batch), fetcher.connections

    return asyncio.run(run())
