"""Dates: parsing to aware UTC datetimes, plausibility, and where a page states them."""

from __future__ import annotations

import calendar
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from dateutil import parser as dateparser
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from extractors.records import DatedValue

JsonObject = dict[str, Any]  # one object of a page's JSON-LD, as json.loads returns it

ZONED_SOURCES = frozenset({"jsonld", "meta"})  # machine-readable times written with an offset
EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)  # before news sites published online
FUTURE_TOLERANCE = timedelta(days=1)  # time-zone slips, embargoed copy published early

JSONLD_PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
JSONLD_MODIFIED_KEYS = ("dateModified",)
ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
    "webpage", "report", "socialmediaposting",
})
# <meta> names/properties, in order of trust.
META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "datepublished",
    "publish-date", "publishdate", "pubdate", "publication_date", "sailthru.date",
    "parsely-pub-date", "dc.date.issued", "dcterms.issued", "dc.date", "date",
    "og:published_time", "cxenseparse:recs:publishtime", "published", "publish_date",
    "article.published",
)
META_MODIFIED = (
    "article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time",
    "last-modified", "dcterms.modified", "dc.date.modified",
)
# Zone abbreviations seen on U.S., Mexican and Spanish pages (dateutil knows none by itself).
ZONE_OFFSETS_HOURS = {
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "CET": 1, "CEST": 2, "WET": 0, "WEST": 1, "BST": 1,
    "GMT": 0, "UTC": 0, "Z": 0,
}
TZINFOS = {name: hours * 3600 for name, hours in ZONE_OFFSETS_HOURS.items()}
MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?:[,\s]+(?:a\s+las\s+|at\s+|-\s*)?(\d{1,2}):(\d{2})\s*(a\.?\s?m\.?|p\.?\s?m\.?)?)?"
# A day: one or two digits at a word start. Written as a digit first and the word start
# checked after it ("\d(?<!\w\d)", the same as "\b\d"): a pattern that opens with a
# character class lets the regular expression engine skip to the next digit instead of
# trying the pattern at every position (a third of the time, the same matches).
_DAY = r"(\d(?<!\w\d)\d?)"
# "15 de octubre de 2024, 12:47" / "15 October 2024"
DAY_MONTH_YEAR = re.compile(
    rf"{_DAY}\s+(?:de\s+)?({_MONTH_ALT})\.?\s+(?:de\s+|del\s+)?(\d{{4}}){_TIME}", re.I)
# The letters month names begin with. Python's regular expressions try every alternative
# of a case-insensitive alternation at every word start; the lookahead on these letters
# (which matches exactly the characters the alternation's first letters match, "ſ"
# included, tests/test_page_facts_shortcuts.py) rejects most word starts at once: the search costs
# a third of what it did, with the same matches.
MONTH_INITIALS = "".join(sorted({name[0] for name in MONTHS}))
# "October 15, 2024 12:47 PM"
MONTH_DAY_YEAR = re.compile(
    rf"\b(?=[{MONTH_INITIALS}])({_MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){_TIME}", re.I)
# "15/10/2024 12:47", "17.05.2021" (day first: the convention of the Spanish-language and
# most European outlets; "2/24/2026" can only be month first and is read so)
NUMERIC_DMY = re.compile(_DAY + r"([/.])(\d{1,2})\2(\d{4})\b" + _TIME)
ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}")
# The form JSON-LD and meta tags almost always use ("2024-10-15T12:47:00-05:00"): read by
# datetime.fromisoformat in C, a fiftieth of dateutil's cost, to the same instant and offset
# (tests/test_page_facts_shortcuts.py compares both on every date string of the test pages).
STRICT_ISO_8601 = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?\Z")
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def to_utc(value: datetime) -> datetime:
    """Aware UTC datetime; naive values are taken as UTC (no reliable outlet zone exists)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's *_parsed tuples are already UTC."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_date_text(text: str | None) -> datetime | None:
    """Parse an ISO-8601 or RFC-822-like timestamp; None when it is not a date.

    The result is aware and keeps the zone the text states (UTC when it states none), so the
    publisher's calendar day survives until `choose` records the offset and converts to UTC."""
    if not text or not isinstance(text, str):
        return None
    cleaned = text.strip()
    if not re.search(r"\d{4}", cleaned):
        return None  # a bare time or "yesterday" cannot be placed on the calendar
    if STRICT_ISO_8601.match(cleaned):
        try:
            parsed = datetime.fromisoformat(cleaned)
        except ValueError:
            pass  # out of range ("2024-13-45"): dateutil below gives its own answer
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    try:
        parsed = dateparser.parse(cleaned, fuzzy=False, tzinfos=TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    if not parsed:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None \
        else parsed.replace(tzinfo=UTC)


def implausibility(value: datetime, now: datetime) -> str | None:
    """Why `value` cannot be a publication time, or None when it can."""
    if value < EARLIEST_PLAUSIBLE:
        return f"{value.isoformat()} is before {EARLIEST_PLAUSIBLE.year}"
    if value > now + FUTURE_TOLERANCE:
        return f"{value.isoformat()} is more than a day in the future"
    return None


def plausible(value: datetime | None, now: datetime) -> datetime | None:
    return value if value is not None and implausibility(value, now) is None else None


@dataclass(frozen=True, slots=True)
class JsonLdDates:
    """Dates from a page's JSON-LD. `written_published` is a datePublished written for
    readers ("Jun 24, 2025") instead of in ISO 8601 as schema.org requires: a template's
    text, not the CMS's record (site builders fill it with the last re-publication), so it
    ranks below the page's visible date."""

    published: datetime | None
    modified: datetime | None
    written_published: datetime | None


def jsonld_date_candidates(tree: lxml_html.HtmlElement,
                           scripts: list[lxml_html.HtmlElement] | None = None) -> JsonLdDates:
    """The page's JSON-LD dates, article-typed objects first. `scripts`: its
    <script type="application/ld+json"> elements when already found (page_elements)."""
    objects = list(_jsonld_objects(tree, scripts))
    objects.sort(key=lambda obj: not _is_article(obj))
    return JsonLdDates(published=_first_key(objects, JSONLD_PUBLISHED_KEYS, iso=True),
                       modified=_first_key(objects, JSONLD_MODIFIED_KEYS, iso=None),
                       written_published=_first_key(objects, JSONLD_PUBLISHED_KEYS, iso=False))


def jsonld_dates(tree: lxml_html.HtmlElement) -> tuple[datetime | None, datetime | None]:
    """(published, modified) from the page's JSON-LD, article-typed objects first; a
    published date not written in ISO 8601 is left out (see JsonLdDates)."""
    found = jsonld_date_candidates(tree)
    return found.published, found.modified


def _first_key(objects: list[JsonObject], keys: tuple[str, ...], *, iso: bool | None
               ) -> datetime | None:
    """The first date under `keys`; `iso` True/False keeps only ISO 8601/other forms."""
    for obj in objects:
        for key in keys:
            value = obj.get(key)
            if not isinstance(value, str) or (
                    iso is not None and bool(ISO_8601.match(value.strip())) != iso):
                continue
            parsed = parse_date_text(value)
            if parsed:
                return parsed
    return None


def _is_article(obj: JsonObject) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in kinds)


def _jsonld_objects(tree: lxml_html.HtmlElement,
                    scripts: list[lxml_html.HtmlElement] | None) -> Iterator[JsonObject]:
    if scripts is None:
        scripts = cast(list[lxml_html.HtmlElement],
                       tree.xpath('//script[@type="application/ld+json"]'))
    for script in scripts:
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue  # broken JSON-LD is common; other sources remain
        yield from _walk(data, depth=0)


def _walk(data: object, depth: int) -> Iterator[JsonObject]:
    if depth > 6:  # nested graphs deeper than this are not article metadata
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)


def meta_dates(tree: lxml_html.HtmlElement, metas: list[etree._Element] | None = None
               ) -> tuple[datetime | None, datetime | None]:
    """(published, modified) from <meta> tags and itemprop microdata. `metas`: every <meta>
    of `tree` in document order when already found (page_elements)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta") if metas is None else metas:
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv") or "").strip().lower()
        content = meta.get("content")
        if key and content and key not in found:
            found[key] = content
    for element in cast(list[lxml_html.HtmlElement], _ITEMPROP_DATES(tree)):  # elements
        key = (element.get("itemprop") or "").lower()
        value = element.get("datetime") or element.get("content")
        if value and key not in found:
            found[key] = value
    return _first_meta(found, META_PUBLISHED), _first_meta(found, META_MODIFIED)


# The elements with itemprop="datePublished" or "dateModified", in document order. Reached
# through the attribute axis: testing the attribute on every element
# ('//*[@itemprop="datePublished" or ...]', the same elements) costs about three times as much.
_ITEMPROP_DATES = etree.XPath(
    '//@itemprop[.="datePublished" or .="dateModified"]/..')


def _first_meta(found: dict[str, str], keys: tuple[str, ...]) -> datetime | None:
    for key in keys:
        parsed = parse_date_text(found.get(key))
        if parsed:
            return parsed
    return None


def visible_date(tree: lxml_html.HtmlElement) -> datetime | None:
    """The first date a reader sees: a <time> element, else a written-out date in the body."""
    for element in tree.iter("time"):
        parsed = parse_date_text(element.get("datetime") or element.text_content())
        if parsed:
            return parsed
    body = tree.find("body")
    # Whitespace collapsed first: indentation alone can fill the characters searched.
    nodes = cast(list[str], _READABLE_TEXT(body if body is not None else tree))  # text() nodes
    text = " ".join(" ".join(nodes).split())
    return written_date(text[:20_000])


# Text nodes a reader sees: script and style contents (often tens of kilobytes of JSON and
# CSS before the byline) would otherwise fill the 20,000 characters searched for a date.
# Plain strings (smart_strings=False): lxml's default result strings each keep a link to
# their parent element, built per text node, which cost more than the XPath itself.
_READABLE_TEXT = etree.XPath(
    "descendant::text()[not(parent::script or parent::style or parent::noscript"
    " or parent::template)]", smart_strings=False)


def htmldate_date(tree: lxml_html.HtmlElement, now: datetime) -> datetime | None:
    """htmldate's publication date (original date, quick search only, to the day), for pages
    that state no JSON-LD or meta date. Its extensive search is left off: it finds a date on
    almost every page, including those that state none (docs/extraction.md)."""
    try:
        found = find_date(tree, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d", max_date=now.strftime("%Y-%m-%d"))
    except (ValueError, TypeError):
        return None
    return datetime.fromisoformat(found).replace(tzinfo=UTC) if found else None


def written_date(text: str) -> datetime | None:
    """A date written for readers, in English or Spanish, e.g. '15 de octubre de 2024, 12:47'."""
    candidates = []
    for pattern, order in ((DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy"),
                           (NUMERIC_DMY, "dmy_numeric")):
        match = pattern.search(text)
        if match:
            built = _build(match, order)
            if built:
                candidates.append((match.start(), built))
    return min(candidates)[1] if candidates else None


def _build(match: re.Match[str], order: str) -> datetime | None:
    groups = match.groups()
    if order == "dmy":
        day, month, year = int(groups[0]), MONTHS[groups[1].lower()], int(groups[2])
    elif order == "mdy":
        month, day, year = MONTHS[groups[0].lower()], int(groups[1]), int(groups[2])
    else:
        day, month, year = int(groups[0]), int(groups[2]), int(groups[3])
        if month > 12 >= day:  # no month 13 or later: written month first
            day, month = month, day
        groups = groups[1:]
    hour, minute = _clock(groups[3], groups[4], groups[5])
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _clock(hour: str | None, minute: str | None, meridiem: str | None) -> tuple[int, int]:
    if hour is None or minute is None:
        return 0, 0
    h, m = int(hour), int(minute)
    if meridiem:
        pm = meridiem.lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
    if h > 23 or m > 59:
        return 0, 0
    return h, m


def url_date(url: str) -> datetime | None:
    match = URL_DATE.search(url)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None


def choose(candidates: list[tuple[str, datetime | None]], now: datetime) -> DatedValue | None:
    """The first plausible candidate in priority order, as a DatedValue naming its source,
    in UTC, with the offset the page wrote for sources that state one (ZONED_SOURCES)."""
    for source, value in candidates:
        checked = plausible(value, now)
        if checked is not None:
            return DatedValue(value=to_utc(checked), source=source,
                              utc_offset_minutes=_offset_minutes(checked, source))
    return None


def with_url_day(chosen: DatedValue | None, url: str) -> DatedValue | None:
    """`chosen` with the day of a /YYYY/MM/DD/ address when the page wrote its time in UTC
    and the address names the day before or after. Blog engines write the machine time in
    UTC (WordPress's SEO plugins always do) and the address in the site's own calendar, so
    an evening post in the Americas reads as the next day in UTC; the address is then the
    only statement of the publisher's day. The instant is not changed."""
    if chosen is None or chosen.utc_offset_minutes != 0:
        return chosen
    in_url = url_date(url)
    if in_url is None or abs((in_url.date() - chosen.value.date()).days) != 1:
        return chosen
    return replace(chosen, url_day=in_url.date())


def _offset_minutes(value: datetime, source: str) -> int | None:
    # A feed's date arrives already converted to UTC; htmldate and URL dates are days, and
    # written dates carry no zone: none of those states the publisher's offset.
    offset = value.utcoffset() if source in ZONED_SOURCES else None
    return None if offset is None else int(offset.total_seconds() // 60)
