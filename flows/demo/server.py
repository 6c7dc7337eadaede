"""The demo site: every sample outlet served by a real HTTP server on 127.0.0.1.

Each outlet listens on its own port, so it is its own origin (its own robots.txt, its own
per-host limits), as real outlets are. A small portal on `base_url` lists them.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit

from flows.demo.catalog import FINAL_PHASE, PHASES, Page, build_pages
from flows.demo.model import DemoOutlet
from flows.demo.outlets_data import DEMO_OUTLETS
from flows.demo.responses import Reply, outlet_reply

Responder = Callable[[str], Reply]


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Assigned right after construction: answers a path, and records what was served.
    responder: Responder
    record: Callable[[str, int], None]


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    server_version = "wirewatch-demo/1"
    # Headers and body leave in one segment: unbuffered writes plus Nagle's algorithm and
    # delayed ACKs would add ~40 ms to every keep-alive request.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the request log is kept in memory for tests and the demo summary."""

    def _respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        try:
            reply = self.server.responder(path)
        except Exception as exc:  # a content bug must show as a 500, not a dropped connection
            reply = Reply(500, "text/plain; charset=utf-8", f"demo error: {exc!r}\n".encode())
        # bound to a textual IPv4 address, never the bytes form the stub allows
        host, port = cast("tuple[str, int]", self.server.server_address[:2])
        self.server.record(f"http://{host}:{port}{self.path}", self._status_for(reply))
        if self._not_modified(reply):
            self.send_response(304)
            self._validators(reply)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Vary", "Accept-Encoding")
        if reply.status == 200:
            self._validators(reply)
        if _accepts_gzip(self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _status_for(self, reply: Reply) -> int:
        return 304 if self._not_modified(reply) else reply.status

    def _validators(self, reply: Reply) -> None:
        self.send_header("ETag", reply.etag)
        if reply.last_modified:
            self.send_header(
                "Last-Modified", format_datetime(reply.last_modified.astimezone(UTC), usegmt=True)
            )
        self.send_header("Cache-Control", "max-age=60")

    def _not_modified(self, reply: Reply) -> bool:
        if reply.status != 200:
            return False
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # RFC 9110: when present, If-Modified-Since is ignored
            return _etag_matches(if_none_match, reply.etag)
        since = _parse_http_date(self.headers.get("If-Modified-Since"))
        return bool(since and reply.last_modified and reply.last_modified <= since)


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [tag.strip() for tag in header.split(",")]
    weak_value = etag.removeprefix("W/")
    return "*" in candidates or any(tag.removeprefix("W/") == weak_value for tag in candidates)


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unparseable date is ignored, as RFC 9110 requires
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _accepts_gzip(header: str) -> bool:
    """True when Accept-Encoding lists gzip (or *) without q=0."""
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        name, _, value = params.strip().partition("=")
        if name.strip().lower() != "q":
            return True
        try:
            return float(value) > 0
        except ValueError:
            return False  # an unreadable weight: the safe choice is no compression
    return False


class DemoSite:
    """The sample outlets on 127.0.0.1, from `with DemoSite() as site:` until the block ends.

    `phase` (1..3) decides which articles exist: later phases add copies, a translation and
    a changed headline, so repeated cycles see new and changed items.
    """

    def __init__(self, phase: int = FINAL_PHASE, host: str = "127.0.0.1", port: int = 0) -> None:
        self._check_phase(phase)
        self._phase = phase
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._log: list[tuple[str, int]] = []
        self._pages: tuple[Page, ...] = build_pages()
        self._servers: dict[str, _DemoHTTPServer] = {}
        self._threads: list[threading.Thread] = []

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> DemoSite:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Bind the portal and one server per outlet; ports follow `port` when it is not 0."""
        if self._servers:
            return
        try:
            self._serve("", self._port, self._portal_reply)
            for offset, outlet in enumerate(DEMO_OUTLETS, start=1):
                port = self._port + offset if self._port else 0
                self._serve(outlet.id, port, self._outlet_responder(outlet))
        except OSError:
            self.stop()
            raise

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def _serve(self, name: str, port: int, responder: Responder) -> None:
        server = _DemoHTTPServer((self._host, port), _Handler)
        server.responder = responder
        server.record = self._record
        self._servers[name] = server
        # A short poll interval keeps stop() quick: shutdown() waits for the next poll.
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"demo-{name or 'portal'}",
            daemon=True,
        )
        thread.start()
        self._threads.append(thread)

    # -- state -----------------------------------------------------------------------------

    @property
    def phase(self) -> int:
        with self._lock:
            return self._phase

    def set_phase(self, phase: int) -> None:
        """Reveal (or hide) the articles of later phases; feeds' validators change with them."""
        self._check_phase(phase)
        with self._lock:
            self._phase = phase

    @staticmethod
    def _check_phase(phase: int) -> None:
        if phase not in PHASES:
            raise ValueError(f"demo phase must be one of {PHASES}, got {phase!r}")

    @property
    def request_log(self) -> list[tuple[str, int]]:
        """(full URL, status) of every request answered so far, oldest first."""
        with self._lock:
            return list(self._log)

    def _record(self, url: str, status: int) -> None:
        with self._lock:
            self._log.append((url, status))

    # -- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The portal, which links every outlet."""
        return self._origin("")

    def outlet_url(self, outlet_id: str) -> str:
        """An outlet's origin (no trailing slash)."""
        return self._origin(outlet_id)

    def url_for(self, outlet_id: str, path: str) -> str:
        return self._origin(outlet_id) + path

    def feed_urls(self, outlet_id: str) -> list[str]:
        outlet = next(o for o in DEMO_OUTLETS if o.id == outlet_id)
        return [self.url_for(outlet_id, feed.path) for feed in outlet.feeds]

    def _origin(self, name: str) -> str:
        if name not in self._servers:
            raise RuntimeError("the demo site is not started (use it as a context manager)")
        host, port = cast("tuple[str, int]", self._servers[name].server_address[:2])
        return f"http://{host}:{port}"

    def outlets_toml(self) -> str:
        """The outlets configuration for the demo, pointing at the served feeds."""
        blocks = ["# The wirewatch demo outlets, served on this machine.\n"]
        for outlet in DEMO_OUTLETS:
            feeds = ", ".join(json.dumps(url) for url in self.feed_urls(outlet.id))
            blocks.append(
                "[[outlets]]\n"
                f"id = {json.dumps(outlet.id)}\n"
                f"name = {json.dumps(outlet.name, ensure_ascii=False)}\n"
                f"homepage = {json.dumps(self.outlet_url(outlet.id) + '/')}\n"
                f"language = {json.dumps(outlet.language)}\n"
                f"country = {json.dumps(outlet.country)}\n"
                f"kind = {json.dumps(outlet.kind)}\n"
                f"feeds = [{feeds}]\n"
                'tags = ["demo"]\n'
            )
        return "\n".join(blocks)

    # -- responses -------------------------------------------------------------------------

    def _outlet_responder(self, outlet: DemoOutlet) -> Responder:
        pages = tuple(page for page in self._pages if page.outlet.id == outlet.id)

        def respond(path: str) -> Reply:
            return outlet_reply(outlet, pages, path, (self.outlet_url(outlet.id), self.phase))

        return respond

    def _portal_reply(self, path: str) -> Reply:
        if path == "/robots.txt":
            return Reply(200, "text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n")
        if path == "/outlets.toml":
            return Reply(200, "text/plain; charset=utf-8", self.outlets_toml().encode())
        if path != "/":
            return Reply(404, "text/plain; charset=utf-8", b"not found\n")
        links = "".join(
            f'<li><a href="{self.outlet_url(o.id)}/">{o.name}</a> ({o.language}, {o.kind})</li>'
            for o in DEMO_OUTLETS
        )
        html = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>wirewatch demo outlets</title></head><body><h1>wirewatch demo outlets</h1>"
            f"<p>Phase {self.phase}. Sample outlets; stories are illustrative.</p>"
            f'<ul>{links}</ul><p><a href="/outlets.toml">outlets.toml</a></p></body></html>'
        )
        return Reply(200, "text/html; charset=utf-8", html.encode("utf-8"))
