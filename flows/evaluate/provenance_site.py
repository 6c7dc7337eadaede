"""The provenance suite's outlets: each a real HTTP server on its own loopback address.

Every outlet is its own site (127.0.0.21, .22, …), so a rel=canonical from one outlet to
another is cross-site, as between real outlets. Pages exist from the start (a wire's page is
online before its feed lists it); each outlet's feed lists only the articles released up to
the current stage, newest first.
"""

from __future__ import annotations

import json
import threading
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).parent / "data" / "provenance"
# Publication times are hours after this moment (a fixed past day: dates never in the future).
EPOCH = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SuiteOutlet:
    outlet_id: str
    name: str
    language: str
    country: str
    kind: str
    address: str


@dataclass(frozen=True, slots=True)
class SuiteArticle:
    key: str
    outlet_id: str
    stage: int
    hours: float
    language: str
    event: str
    copy_group: str
    credited: str
    title: str
    paragraphs: tuple[str, ...]
    canonical: str | None = None  # key of a suite article its rel=canonical names
    canonical_url: str | None = None  # or a page outside the suite (never fetched)

    @property
    def published(self) -> datetime:
        return EPOCH + timedelta(hours=self.hours)


def load_suite(data_dir: Path = DATA_DIR) -> tuple[list[SuiteOutlet], list[SuiteArticle]]:
    """The suite's outlets and labelled articles."""
    outlets = tomllib.loads((data_dir / "outlets.toml").read_text("utf-8"))["outlet"]
    articles = tomllib.loads((data_dir / "articles.toml").read_text("utf-8"))["article"]
    return (
        [SuiteOutlet(o["id"], o["name"], o["language"], o["country"], o["kind"], o["address"])
         for o in outlets],
        [SuiteArticle(a["key"], a["outlet"], a["stage"], a["hours"], a["language"], a["event"],
                      a["copy_group"], a["credited"], a["title"], tuple(a["paragraphs"]),
                      a.get("canonical"), a.get("canonical_url")) for a in articles],
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: StagedSite
    outlet_id: str


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        status, kind, body = self.server.site.respond(self.server.outlet_id,
                                                      urlsplit(self.path).path)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class StagedSite:
    """`with StagedSite(outlets, articles) as site:`; `site.stage = n` releases stage n."""

    def __init__(self, outlets: list[SuiteOutlet], articles: list[SuiteArticle]) -> None:
        self.outlets = {o.outlet_id: o for o in outlets}
        self.articles = {a.key: a for a in articles}
        self.stage = 0
        self._lock = threading.Lock()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        for outlet in outlets:
            server = _Server((outlet.address, 0), _Handler)
            server.site, server.outlet_id = self, outlet.outlet_id
            self._servers[outlet.outlet_id] = server

    def origin(self, outlet_id: str) -> str:
        # bound to a textual IPv4 address, never the bytes form the stub allows
        host, port = cast("tuple[str, int]", self._servers[outlet_id].server_address[:2])
        return f"http://{host}:{port}"

    def url_for(self, key: str) -> str:
        return f"{self.origin(self.articles[key].outlet_id)}/news/{key}.html"

    def feed_url(self, outlet_id: str) -> str:
        return f"{self.origin(outlet_id)}/feed.xml"

    def outlets_toml(self) -> str:
        blocks = []
        for o in self.outlets.values():
            blocks.append(
                "[[outlets]]\n"
                f"id = {json.dumps(o.outlet_id)}\n"
                f"name = {json.dumps(o.name, ensure_ascii=False)}\n"
                f"homepage = {json.dumps(self.origin(o.outlet_id) + '/')}\n"
                f"language = {json.dumps(o.language)}\n"
                f"country = {json.dumps(o.country)}\n"
                f"kind = {json.dumps(o.kind)}\n"
                f"feeds = [{json.dumps(self.feed_url(o.outlet_id))}]\n")
        return "\n".join(blocks)

    def respond(self, outlet_id: str, path: str) -> tuple[int, str, bytes]:
        if path == "/feed.xml":
            return 200, "application/rss+xml; charset=utf-8", self._feed(outlet_id).encode()
        key = path.removeprefix("/news/").removesuffix(".html")
        article = self.articles.get(key)
        if path.startswith("/news/") and article and article.outlet_id == outlet_id:
            return 200, "text/html; charset=utf-8", self._page(article).encode()
        return 404, "text/plain; charset=utf-8", b"not found\n"

    def _feed(self, outlet_id: str) -> str:
        outlet = self.outlets[outlet_id]
        with self._lock:
            stage = self.stage
        listed = sorted((a for a in self.articles.values()
                         if a.outlet_id == outlet_id and a.stage <= stage),
                        key=lambda a: a.published, reverse=True)
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{self.url_for(a.key)}</link>"
            f"<guid isPermaLink=\"true\">{self.url_for(a.key)}</guid>"
            f"<pubDate>{format_datetime(a.published)}</pubDate>"
            f"<description>{escape(a.paragraphs[0])}</description></item>"
            for a in listed)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>{escape(outlet.name)}</title><link>{self.origin(outlet_id)}/</link>"
                f"<description>{escape(outlet.name)}</description>"
                f"<language>{outlet.language}</language>{items}</channel></rss>")

    def _page(self, a: SuiteArticle) -> str:
        outlet = self.outlets[a.outlet_id]
        canonical = a.canonical_url or self.url_for(a.canonical or a.key)
        body = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
        when = a.published.isoformat()
        return (
            f'<!doctype html><html lang="{a.language}"><head><meta charset="utf-8">'
            f"<title>{escape(a.title)}</title>"
            f'<meta property="og:title" content="{escape(a.title)}">'
            f'<meta property="og:site_name" content="{escape(outlet.name)}">'
            f'<meta property="article:published_time" content="{when}">'
            f'<link rel="canonical" href="{canonical}"></head><body>'
            f'<header><a href="/">{escape(outlet.name)}</a></header>'
            f"<main><article><h1>{escape(a.title)}</h1>"
            f'<time datetime="{when}">{when}</time>{body}</article></main>'
            f"<footer><p>{escape(outlet.name)}</p></footer></body></html>")

    def release(self, stage: int) -> None:
        with self._lock:
            self.stage = stage

    def __enter__(self) -> StagedSite:
        for server in self._servers.values():
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
