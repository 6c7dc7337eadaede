"""Declared sources: a page's cross-site rel=canonical, and which wire outlet owns its host.

A same-site rel=canonical is merged at load time (flows/loading.py); a cross-site one is the
publisher saying where the text comes from, and is kept as `canonical_link` provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import duckdb


def site(url: str | None) -> str:
    """A URL's site: its host without port and `www.` (the same-site rule of loading)."""
    if not url:
        return ""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def declared_source(canonical_url: str | None, page_canonical_url: str | None) -> str | None:
    """The page's rel=canonical when it points at another site, else None."""
    if not page_canonical_url or not site(page_canonical_url):
        return None
    if site(page_canonical_url) == site(canonical_url):
        return None
    return page_canonical_url


@dataclass(frozen=True, slots=True)
class WireHosts:
    """Sites of the configured wire outlets (`kind = "wire"`), to name a declared source's
    agency."""

    by_site: dict[str, str]
    outlets: frozenset[str] = frozenset()

    def agency_for(self, url: str | None) -> str | None:
        return self.by_site.get(site(url))


def wire_hosts(con: duckdb.DuckDBPyConnection) -> WireHosts:
    """The configured wire outlets' sites (homepage and feed hosts) -> outlet id."""
    rows = con.execute(
        """SELECT o.outlet_id, o.homepage FROM outlets o WHERE o.kind = 'wire'
           UNION ALL
           SELECT f.outlet_id, f.feed_url FROM feeds f
           SEMI JOIN outlets o ON o.outlet_id = f.outlet_id AND o.kind = 'wire'"""
    ).fetchall()
    by_site: dict[str, str] = {}
    for outlet_id, url in sorted(rows, key=lambda r: (r[0], r[1] or "")):
        if site(url):
            by_site.setdefault(site(url), outlet_id)
    return WireHosts(by_site, frozenset(outlet for outlet, _ in rows))
