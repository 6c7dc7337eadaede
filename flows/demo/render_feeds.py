"""RSS 2.0 and Atom feeds of the demo outlets, and the one deliberately broken feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from flows.demo.catalog import PHASE_CLOCK, Page
from flows.demo.model import DemoOutlet, FeedSpec

# US zone abbreviations that RFC 822 itself defines; other outlets write numeric offsets.
RFC822_ZONE_NAMES = frozenset({"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"})


def feed_items(feed: FeedSpec, pages: Sequence[Page], phase: int) -> list[Page]:
    """The pages a feed lists in `phase`, newest first."""
    chosen = [
        page
        for page in pages
        if page.visible_at(phase) and (not feed.only_sections or page.section in feed.only_sections)
    ]
    chosen.sort(key=lambda page: page.published, reverse=True)
    return chosen[: feed.max_items]


def feed_last_modified(items: Sequence[Page], phase: int) -> datetime:
    """When the feed last changed: the clock of the latest phase that changed one of its items."""
    latest = max((page.changed_at(phase) for page in items), default=1)
    return PHASE_CLOCK[latest]


def _rfc822(moment: datetime, outlet: DemoOutlet) -> str:
    if outlet.utc_offset_hours == 0:
        return format_datetime(moment.astimezone(UTC), usegmt=True)
    text = format_datetime(moment)
    if outlet.tz_label in RFC822_ZONE_NAMES:
        return text[:-5] + outlet.tz_label
    return text


def _item_link(page: Page, base_url: str) -> str:
    link = base_url + page.path
    return f"{link}?{page.outlet.feed_link_query}" if page.outlet.feed_link_query else link


def _rss_guid(page: Page, base_url: str) -> str:
    # Some CMSs use the permalink as GUID, others an opaque id; both occur in the wild.
    if page.outlet.id in ("borderledger", "continentalwire"):
        return f'<guid isPermaLink="true">{escape(base_url + page.path)}</guid>'
    return f'<guid isPermaLink="false">{page.outlet.id}-{page.key}</guid>'


def render_rss(
    outlet: DemoOutlet, feed: FeedSpec, items: Sequence[Page], ctx: tuple[str, int]
) -> str:
    base_url, phase = ctx
    updated = feed_last_modified(items, phase)
    entries = []
    for page in items:
        author = f"<dc:creator>{escape(page.author)}</dc:creator>" if page.author else ""
        entries.append(
            "<item>"
            f"<title>{escape(page.headline_at(phase))}</title>"
            f"<link>{escape(_item_link(page, base_url))}</link>"
            f"{_rss_guid(page, base_url)}"
            f"<pubDate>{_rfc822(page.published, outlet)}</pubDate>"
            f"{author}<category>{escape(page.section)}</category>"
            f"<description>{escape(page.dek)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>'
        f"<title>{escape(feed.title)}</title><link>{escape(base_url)}/</link>"
        f"<description>{escape(outlet.name)}</description>"
        f"<language>{outlet.language}-{outlet.country.lower()}</language>"
        f"<lastBuildDate>{format_datetime(updated, usegmt=True)}</lastBuildDate>"
        f'<atom:link href={quoteattr(base_url + feed.path)} rel="self" '
        'type="application/rss+xml"/>\n' + "\n".join(entries) + "\n</channel>\n</rss>\n"
    )


def render_atom(
    outlet: DemoOutlet, feed: FeedSpec, items: Sequence[Page], ctx: tuple[str, int]
) -> str:
    base_url, phase = ctx
    updated = feed_last_modified(items, phase)
    entries = []
    for page in items:
        changed = (
            PHASE_CLOCK[page.changed_at(phase)] if page.changed_at(phase) > page.phase else None
        )
        entry_updated = (changed or page.published).isoformat()
        author = f"<author><name>{escape(page.author)}</name></author>" if page.author else ""
        entries.append(
            "<entry>"
            f"<title>{escape(page.headline_at(phase))}</title>"
            f"<id>tag:{outlet.id}.demo,2026:{page.key}</id>"
            f'<link rel="alternate" type="text/html" href={quoteattr(_item_link(page, base_url))}/>'
            f"<published>{page.published.isoformat()}</published>"
            f"<updated>{entry_updated}</updated>{author}"
            f"<category term={quoteattr(page.section)}/>"
            f'<summary type="text">{escape(page.dek)}</summary>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">\n'
        f"<title>{escape(feed.title)}</title><id>tag:{outlet.id}.demo,2026:{feed.path}</id>"
        f"<updated>{updated.isoformat()}</updated>"
        f'<link rel="self" href={quoteattr(base_url + feed.path)}/>'
        f'<link rel="alternate" href={quoteattr(base_url + "/")}/>\n'
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def break_feed(xml: str, feed: FeedSpec) -> str:
    """The feed as a faulty CMS template emits it: a raw `&` and the document cut short."""
    raw_title = xml.replace(escape(feed.title), feed.title, 1)
    return raw_title[: len(raw_title) * 3 // 5]


def render_feed(
    outlet: DemoOutlet, feed: FeedSpec, pages: Sequence[Page], ctx: tuple[str, int]
) -> str:
    """The feed's XML for the phase in `ctx` (base_url, phase)."""
    items = feed_items(feed, pages, ctx[1])
    renderer = render_atom if feed.format == "atom" else render_rss
    xml = renderer(outlet, feed, items, ctx)
    return break_feed(xml, feed) if feed.broken else xml
