"""The demo site's vocabulary: outlets, feeds, written articles and re-publications of them.

Content modules declare these records; `catalog` resolves them into served pages. Times in
content are written as the outlet's local wall-clock time ("2026-01-12 09:15"), as a newsroom
would, and the catalog attaches the outlet's UTC offset.
"""

from __future__ import annotations

from dataclasses import dataclass

SECURITY = "us_mexico_security"  # the topic the demo's labelled pages are checked against


@dataclass(frozen=True)
class FeedSpec:
    """One feed of an outlet. `only_sections` limits it to articles of those sections."""

    path: str
    format: str  # rss | atom
    title: str
    broken: bool = False  # served as malformed XML
    only_sections: tuple[str, ...] = ()
    max_items: int = 50


@dataclass(frozen=True)
class DemoOutlet:
    """A sample outlet and how its pages look; served on its own port, like its own host."""

    id: str
    name: str
    language: str
    country: str
    kind: str  # outlet | wire
    utc_offset_hours: int
    tz_label: str  # how the outlet names its zone in visible dates ("CST", "hora del centro")
    path_pattern: str  # str.format fields: section, year, month, day, slug
    date_style: str  # key of flows.demo.dates.VISIBLE_DATE_STYLES
    metadata: str  # jsonld | meta | none: where the page states its publication time
    feeds: tuple[FeedSpec, ...]
    teaser_labels: tuple[str, ...]  # inline "read this too" labels this outlet puts in bodies
    call_to_action: str  # an inline promotion paragraph placed late in the body
    nav: tuple[str, ...]
    encoding: str = "utf-8"
    feed_link_query: str = ""  # tracking parameters the outlet appends to feed links
    robots_disallow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A story written for one outlet (an original, a wire original or a translation)."""

    key: str
    outlet: str
    story: str
    section: str
    slug: str
    headline: str
    dek: str
    author: str | None
    local_time: str  # "YYYY-MM-DD HH:MM" in the outlet's zone
    paragraphs: tuple[str, ...]
    phase: int = 1
    topic: str | None = None
    credits: tuple[tuple[str, str], ...] = ()  # (agency id, exact evidence text in the body)
    translation_of: str | None = None  # key of the article this one translates
    image_caption: str = ""
    image_credit: str = ""
    http_status: int = 200  # 404: listed in the feed but the page is gone
    revised_headline: tuple[int, str] | None = None  # (phase, headline) when the title changes
    path: str | None = None  # overrides the outlet's path pattern


@dataclass(frozen=True)
class AgencyText:
    """Wire copy that is not served anywhere in the demo but is republished by outlets."""

    key: str
    agency: str
    story: str
    language: str
    paragraphs: tuple[str, ...]
    topic: str | None = None


@dataclass(frozen=True)
class Republication:
    """An outlet's edit of wire copy: new headline, perhaps a new lead, a trimmed ending.

    The body is: `lead` (if any, replacing the source's first paragraph), the source
    paragraphs `keep_from:keep_to`, then `extra` paragraphs, then `closing_credit`.
    `credits` must each appear verbatim in that body; the catalog checks it.
    """

    key: str
    source: str
    outlet: str
    section: str
    slug: str
    headline: str
    dek: str
    author: str | None
    local_time: str
    credits: tuple[tuple[str, str], ...]
    lead: str | None = None
    keep_from: int = 0
    keep_to: int | None = None
    extra: tuple[str, ...] = ()
    closing_credit: str | None = None
    phase: int = 1
    image_caption: str = ""
    image_credit: str = ""
