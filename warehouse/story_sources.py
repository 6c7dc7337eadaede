"""Declared sources: a page's cross-site rel=canonical, and which wire outlet owns its host.

A same-site rel=canonical is merged at load time (flows/loading.py); a cross-site one is the
publisher saying where the text comes from, and is kept as `canonical_link` provenance. Its
agency is the one owning the target's host (extractors.agencies.agency_for_host), with the
warehouse's configured wire outlets added to the built-in agencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import duckdb

from extractors.agencies import (
    AgencyCatalogue,
    WireOutlet,
    agency_for_host,
    catalogue_with_wire_outlets,
)


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
    """The agencies a declared source's host may belong to: the built-in agencies' sites
    and the configured wire outlets' (`kind = "wire"`) homepages."""

    catalogue: AgencyCatalogue
    outlets: frozenset[str] = frozenset()

    def agency_for(self, url: str | None) -> str | None:
        return agency_for_host(url or "", self.catalogue)


def wire_hosts(con: duckdb.DuckDBPyConnection) -> WireHosts:
    """The agency catalogue with the warehouse's configured wire outlets."""
    rows = con.execute(
        """SELECT outlet_id, any_value(name), any_value(homepage) FROM outlets
           WHERE kind = 'wire' GROUP BY outlet_id ORDER BY outlet_id""").fetchall()
    catalogue = catalogue_with_wire_outlets(
        WireOutlet(outlet_id, name, homepage or "") for outlet_id, name, homepage in rows)
    return WireHosts(catalogue, frozenset(r[0] for r in rows))
