"""A generated outlet farm on loopback: many outlets, each with a feed and realistic pages.

Every outlet is its own host (127.0.0.<n>, one listening socket each), so per-host politeness
applies per outlet as it would on the internet. Pages are built once, deterministically from a
seed, and served from memory: an article body of 400–1,200 words wrapped in the furniture of a
real news page (navigation, a "most read" rail, inline scripts and styles, JSON-LD, footer),
30–150 KB in all. Feeds answer conditional requests (ETag) with 304, as well-run ones do.

    python -m bench.farm --outlets 100 --items 50       # serve until Ctrl-C, print the URLs

or in code:

    with OutletFarm(FarmSpec(outlets=100, items_per_feed=50)) as farm:
        farm.outlets_toml()
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit

SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tor", "vel", "ne", "dri", "po", "sun", "ga",
             "ber", "li", "mon", "ta", "zu", "fe", "ro", "qui", "an", "des", "ol", "pra")
ENTITIES = ("Mexico", "United States", "Texas", "Sinaloa", "Ciudad Juarez", "Washington",
            "Tijuana", "Arizona", "Monterrey", "El Paso", "Chihuahua", "Sonora")


@dataclass(frozen=True)
class FarmSpec:
    outlets: int = 100
    items_per_feed: int = 50
    seed: int = 7
    latency_s: float = 0.0  # added to every response
    min_page_bytes: int = 30_000
    max_page_bytes: int = 150_000


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    published: datetime
    body: bytes


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(ENTITIES))
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, vocab: list[str]) -> list[str]:
    target = rng.randint(400, 1200)
    paragraphs, words = [], 0
    while words < target:
        text = " ".join(_sentence(rng, vocab) for _ in range(rng.randint(2, 5)))
        paragraphs.append(text)
        words += len(text.split())
    return paragraphs


def _furniture(rng: random.Random, vocab: list[str], outlet: int) -> tuple[str, str, str]:
    """Header, rails and footer with the element count of a real front end (~1,500 nodes)."""
    def link_list(count: int, prefix: str, css: str) -> str:
        return "".join(
            f'<li class="{css}"><div class="{css}__item"><a class="{css}__link" '
            f'href="/{prefix}/{rng.randrange(10**6)}"><span>{w.title()}</span></a></div></li>'
            for w in (rng.choice(vocab) for _ in range(count)))

    def teasers(count: int) -> str:
        return "".join(
            f'<div class="teaser"><a href="/story/{rng.randrange(10**6)}"><figure>'
            f'<img src="/img/{rng.randrange(10**6)}.jpg" alt="{rng.choice(vocab)}" '
            f'width="300" height="200"></figure><h3>{_sentence(rng, vocab)}</h3></a>'
            f'<p class="dek">{_sentence(rng, vocab)}</p><span class="time">2 h</span></div>'
            for _ in range(count))

    share = "".join(f'<button class="share share--{n}" aria-label="{n}">{n}</button>'
                    for n in ("x", "facebook", "whatsapp", "telegram", "email", "copy"))
    header = (f'<header class="site-header"><div class="brand">Outlet {outlet}</div>'
              f'<nav class="menu"><ul>{link_list(120, "section", "menu")}</ul></nav>'
              f'<div class="ticker"><ul>{link_list(20, "live", "ticker")}</ul></div>'
              f'<div class="share-bar">{share}</div></header>')
    aside = (f'<aside class="rail"><h2>Most read</h2><ol>{link_list(15, "story", "rank")}'
             f'</ol><h2>Related</h2>{teasers(24)}<div class="ad" id="ad-rail-1"></div>'
             f'<div class="newsletter"><form><input type="email"><button>Sign up</button>'
             f'</form></div></aside>')
    footer = (f'<section class="more">{teasers(18)}</section><footer class="site-footer">'
              f'<ul>{link_list(80, "about", "footer")}</ul><p>(c) Outlet {outlet}</p>'
              f'</footer>')
    return header, aside, footer


def _script_blob(rng: random.Random, size: int) -> str:
    """Inline application state, as news sites ship it: bulky, not text."""
    chunk = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(512))
    repeats = max(size // (len(chunk) + 16), 0)
    entries = ",".join(f'"k{i}":"{chunk}"' for i in range(repeats))
    return f"<script>window.__STATE__={{{entries}}};</script>"


def build_page(spec: FarmSpec, outlet: int, item: int, vocab: list[str], now: datetime) -> Page:
    rng = random.Random(f"{spec.seed}-{outlet}-{item}")
    title = _sentence(rng, vocab).rstrip(".")
    published = now - timedelta(minutes=17 * item + outlet)
    paragraphs = "".join(f"<p>{p}</p>" for p in _paragraphs(rng, vocab))
    header, aside, footer = _furniture(rng, vocab, outlet)
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": title, "datePublished": published.isoformat(),
                         "author": {"@type": "Person", "name": f"Reporter {item % 17}"}})
    head = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="description" content="{title}">'
            f'<script type="application/ld+json">{jsonld}</script>'
            f"<style>{'.c{margin:0;padding:0}' * 40}</style></head><body>")
    article = (f'<main><article><h1>{title}</h1><p class="byline">By Reporter {item % 17}</p>'
               f"{paragraphs}</article>{aside}</main>")
    bare = head + header + article + footer + "</body></html>"
    target = rng.randint(spec.min_page_bytes, spec.max_page_bytes)
    blob = _script_blob(rng, target - len(bare.encode()))
    html = head + header + article + footer + blob + "</body></html>"
    return Page(f"/news/{item}", title, published, html.encode())


def build_feed(base_url: str, outlet: int, pages: list[Page]) -> bytes:
    items = "".join(
        f"<item><title>{p.title}</title><link>{base_url}{p.path}</link>"
        f"<guid>{base_url}{p.path}</guid><pubDate>{format_datetime(p.published)}</pubDate>"
        f"<description>{p.title}</description></item>" for p in pages)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Outlet {outlet}</title><link>{base_url}/</link>{items}"
            f"</channel></rss>").encode()


class _FarmServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], routes: dict[str, tuple[str, bytes]],
                 latency_s: float, counter: _Counter) -> None:
        super().__init__(address, _Handler)
        self.routes = routes
        self.latency_s = latency_s
        self.counter = counter


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_kind: dict[str, int] = {}

    def add(self, kind: str) -> None:
        with self.lock:
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return dict(self.by_kind)


class _Handler(BaseHTTPRequestHandler):
    server: _FarmServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 256 * 1024

    def do_GET(self) -> None:
        if self.server.latency_s:
            time.sleep(self.server.latency_s)
        path = urlsplit(self.path).path
        found = self.server.routes.get(path)
        if found is None:
            self.server.counter.add("404")
            self._send(404, "text/plain", b"not found")
            return
        content_type, body = found
        etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
        kind = "feed" if path == "/feed.xml" else "robots" if path == "/robots.txt" else "page"
        if self.headers.get("If-None-Match") == etag:
            self.server.counter.add(f"{kind}_304")
            self._send(304, None, b"", etag)
            return
        self.server.counter.add(kind)
        self._send(200, content_type, body, etag)

    def _send(self, status: int, content_type: str | None, body: bytes,
              etag: str | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: a benchmark serves thousands of requests."""


class OutletFarm:
    """`spec.outlets` outlets on 127.0.0.2 … 127.0.0.<n+1>, started by `with`."""

    def __init__(self, spec: FarmSpec) -> None:
        self.spec = spec
        self.counter = _Counter()
        self._servers: list[_FarmServer] = []
        self._threads: list[threading.Thread] = []
        self.pages: dict[int, list[Page]] = {}

    def __enter__(self) -> OutletFarm:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        vocab = _vocabulary(random.Random(self.spec.seed))
        now = datetime.now(UTC).replace(microsecond=0)
        for n in range(self.spec.outlets):
            address = self._address(n)
            pages = [build_page(self.spec, n, i, vocab, now)
                     for i in range(self.spec.items_per_feed)]
            server = _FarmServer((address, 0), {}, self.spec.latency_s, self.counter)
            base = f"http://{address}:{server.server_address[1]}"
            server.routes.update({p.path: ("text/html; charset=utf-8", p.body) for p in pages})
            server.routes["/feed.xml"] = ("application/rss+xml", build_feed(base, n, pages))
            server.routes["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
            self.pages[n] = pages
            self._servers.append(server)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    @staticmethod
    def _address(n: int) -> str:
        return f"127.0.{(n + 2) // 256}.{(n + 2) % 256}"

    def base_url(self, n: int) -> str:
        # bound to a textual IPv4 address, never the bytes form the stub allows
        host, port = cast("tuple[str, int]", self._servers[n].server_address[:2])
        return f"http://{host}:{port}"

    def page_urls(self) -> list[str]:
        return [self.base_url(n) + p.path for n, pages in self.pages.items() for p in pages]

    def page_bytes(self) -> list[int]:
        return [len(p.body) for pages in self.pages.values() for p in pages]

    def outlets_toml(self) -> str:
        return "\n".join(
            f'[[outlets]]\nid = "farm{n}"\nname = "Farm outlet {n}"\n'
            f'homepage = "{self.base_url(n)}/"\nlanguage = "en"\ncountry = "US"\n'
            f'kind = "outlet"\nfeeds = ["{self.base_url(n)}/feed.xml"]\n'
            for n in range(len(self._servers)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    spec = FarmSpec(outlets=args.outlets, items_per_feed=args.items,
                    latency_s=args.latency_ms / 1000)
    with OutletFarm(spec) as farm:
        sizes = farm.page_bytes()
        print(f"{len(sizes)} pages, {sum(sizes) / len(sizes) / 1000:.0f} KB on average; "
              f"outlets config follows. Ctrl-C stops.\n")
        print(farm.outlets_toml())
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
