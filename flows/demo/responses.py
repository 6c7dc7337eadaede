"""What each demo outlet answers to a path: bodies, types and HTTP validators.

Kept apart from the socket code in `server` so the routing is plain, testable logic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from flows.demo.catalog import PHASE_CLOCK, Page
from flows.demo.model import DemoOutlet
from flows.demo.render_feeds import feed_items, feed_last_modified, render_feed
from flows.demo.render_pages import (
    PageContext,
    render_article,
    render_front_page,
    render_not_found,
)

FEED_TYPES = MappingProxyType({"rss": "application/rss+xml", "atom": "application/atom+xml"})


@dataclass(frozen=True)
class Reply:
    """A response before transport concerns (compression, conditional requests)."""

    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None

    @property
    def etag(self) -> str:
        # Weak: the same validator stands for the plain and the gzip-encoded body.
        return 'W/"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


def _robots(outlet: DemoOutlet, base_url: str) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}" for prefix in outlet.robots_disallow]
    lines += ["Disallow: /buscar", "Disallow: /search", "Allow: /", ""]
    lines += [f"Sitemap: {base_url}/sitemap.xml", ""]
    return "\n".join(lines)


def _html(outlet: DemoOutlet, status: int, text: str, modified: datetime | None) -> Reply:
    body = text.encode(outlet.encoding, errors="xmlcharrefreplace")
    return Reply(status, f"text/html; charset={outlet.encoding}", body, modified)


def outlet_reply(
    outlet: DemoOutlet, pages: Sequence[Page], path: str, ctx: tuple[str, int]
) -> Reply:
    """The answer of `outlet` to `path` (no query string) in phase ctx[1] at base URL ctx[0]."""
    base_url, phase = ctx
    if path == "/robots.txt":
        text = _robots(outlet, base_url)
        return Reply(200, "text/plain; charset=utf-8", text.encode(), PHASE_CLOCK[1])
    for feed in outlet.feeds:
        if path == feed.path:
            xml = render_feed(outlet, feed, pages, ctx)
            modified = feed_last_modified(feed_items(feed, pages, phase), phase)
            media = FEED_TYPES[feed.format]
            return Reply(200, f"{media}; charset=utf-8", xml.encode("utf-8"), modified)
    visible = sorted(
        (page for page in pages if page.visible_at(phase)),
        key=lambda page: page.published,
        reverse=True,
    )
    context = PageContext(base_url=base_url, phase=phase, siblings=visible)
    if path == "/":
        return _html(outlet, 200, render_front_page(outlet, context), PHASE_CLOCK[phase])
    for page in visible:
        if page.path == path and page.http_status == 200:
            modified = max(page.published, PHASE_CLOCK[page.changed_at(phase)])
            return _html(outlet, 200, render_article(page, context), modified)
    return _html(outlet, 404, render_not_found(outlet, base_url), None)
