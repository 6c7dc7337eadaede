"""One fetched page to an ExtractedArticle: body text, metadata, dates with sources, language.

Never raises on bad input: undecodable bytes, binary files, empty or article-less pages give
status "failed" with the reason, or the feed's summary (method "feed_summary") when there is
one, so every feed item ends in a recorded state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import cast

from lxml import etree
from lxml import html as lxml_html

from extractors import dates
from extractors.body_text import (
    clean_markup,
    count_words,
    extract_body,
    without_leading_repeats,
)
from extractors.charset import declared_html_charset, decode_body
from extractors.html_tree import has_c0_control, load_html
from extractors.language import detect_language, primary_subtag
from extractors.page_elements import PageElements, page_elements
from extractors.page_metadata import page_metadata
from extractors.records import DatedValue, ExtractedArticle, FeedItem
from extractors.teasers import remove_teasers
from extractors.urls import InvalidURL, canonicalize_url

MIN_USABLE_WORDS = 40  # fewer words than this is a teaser, a paywall stub or a gallery caption
BINARY_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"RIFF", "a RIFF media file"),
)
MAX_CONTROL_RATIO = 0.05
# C0 controls other than tab, newline and carriage return (html_tree.C0_BYTES), and the replacement
# character.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the page itself states, read from its markup before extraction."""

    declared_language: str | None
    canonical_url: str | None
    published: DatedValue | None
    updated: DatedValue | None


def extract_article(
    html: bytes | str,
    url: str,
    *,
    feed_item: FeedItem | None = None,
    charset: str | None = None,
    now: datetime | None = None,
) -> ExtractedArticle:
    """Extract one page; see the module docstring and docs/extraction.md for the rules."""
    moment = now or datetime.now(UTC)
    try:
        article = _extract(html, url, charset, feed_item, moment)
    except Exception as exc:  # any library failure on hostile input becomes a reason
        article = ExtractedArticle(
            url=url, status="failed", reason=f"extraction error: {type(exc).__name__}: {exc}"
        )
    if article.status == "failed":
        return _feed_fallback(article, feed_item, moment)
    return article


def _extract(
    html: bytes | str, url: str, charset: str | None, feed_item: FeedItem | None, now: datetime
) -> ExtractedArticle:
    text = _decode(html, charset)
    if isinstance(text, ExtractedArticle):
        return replace(text, url=url)
    tree = _parse(text)
    if tree is None:
        return ExtractedArticle(url=url, status="failed", reason="not HTML: no element found")
    elements = page_elements(tree)
    facts = _page_facts(tree, url, feed_item, now, elements)
    metadata = page_metadata(tree, facts.canonical_url or url,
                             elements.head_parts if elements else None)
    body = extract_body(tree, url)
    title = _first(metadata.title, feed_item.title if feed_item else None)
    description = _first(metadata.description)
    cleaned = remove_teasers(without_leading_repeats(body, tree, title, description))
    words = count_words(cleaned.text)
    language = detect_language(cleaned.text, facts.declared_language)
    article = ExtractedArticle(
        url=url,
        status="extracted",
        method="trafilatura",
        title=title,
        author=_first(
            _plausible_author(metadata.author), feed_item.author if feed_item else None
        ),
        text=cleaned.text or None,
        description=description,
        site_name=_first(metadata.sitename),
        page_canonical_url=facts.canonical_url,
        language=language.language,
        declared_language=facts.declared_language,
        word_count=words,
        published=facts.published,
        updated=facts.updated,
        removed_teasers=cleaned.removed,
    )
    if words < MIN_USABLE_WORDS:
        reason = (
            "no article text found"
            if words == 0
            else (f"too little article text ({words} words, fewer than {MIN_USABLE_WORDS})")
        )
        return replace(article, status="failed", reason=reason)
    return article


def _decode(html: bytes | str, charset: str | None) -> str | ExtractedArticle:
    if isinstance(html, str):
        text = html
    elif not isinstance(html, bytes | bytearray):
        return ExtractedArticle(
            url="", status="failed", reason=f"unsupported input type {type(html).__name__}"
        )
    else:
        for magic, kind in BINARY_MAGIC:
            if bytes(html[:8]).startswith(magic):
                return ExtractedArticle(url="", status="failed", reason=f"not HTML: {kind}")
        text = decode_body(bytes(html), [charset, declared_html_charset(bytes(html))]).text
    if not text or text.isspace():  # not text.strip(): that copies the whole page
        return ExtractedArticle(url="", status="failed", reason="empty document")
    sample = text[:20_000]
    if _control_count(sample) > MAX_CONTROL_RATIO * len(sample):
        return ExtractedArticle(url="", status="failed", reason="not HTML: binary or undecodable")
    return clean_markup(text, bytes(html) if isinstance(html, bytes | bytearray) else None)


def _control_count(sample: str) -> int:
    """How many CONTROL_CHARACTERS `sample` holds. Almost every page has none, which the
    UTF-8 bytes tell in C (the C0 controls are single bytes no other character's encoding
    contains) faster than the regular expression, which then runs only where one is."""
    raw = sample.encode("utf-8", "surrogatepass")
    if not has_c0_control(raw) and "\ufffd" not in sample:
        return 0
    return len(CONTROL_CHARACTERS.findall(sample))


def _parse(text: str) -> lxml_html.HtmlElement | None:
    """The tree exactly as trafilatura builds it from text (comments and processing
    instructions dropped, its repairs applied): HTML comments left in the tree change what
    its extraction keeps, and cost F1 on public pages (docs/extraction.md). Built by
    extractors/html_tree.py, whose parser creates element proxies without a Python call."""
    try:
        tree = load_html(text)
    except (etree.ParserError, ValueError, TypeError):
        return None
    if tree is None or not len(tree) or not isinstance(tree, lxml_html.HtmlElement):
        return None
    return tree


def _page_facts(
    tree: lxml_html.HtmlElement, url: str, feed_item: FeedItem | None, now: datetime,
    elements: PageElements | None = None,
) -> PageFacts:
    """`elements`: the page's elements from `page_elements(tree)`, found once for the facts
    and the metadata; None reads them from the tree (the same answers, more walks)."""
    metas = elements.metas if elements else None
    jsonld = dates.jsonld_date_candidates(tree, elements.jsonld_scripts if elements else None)
    meta_published, meta_modified = dates.meta_dates(tree, metas)
    feed_published = feed_item.published if feed_item else None
    feed_updated = feed_item.updated if feed_item else None
    # Priority: what the publisher states for machines (JSON-LD, then meta tags), then
    # what the feed said, then htmldate's reading of the markup, then what a reader sees,
    # then the date in the URL path. The last three are read only when needed.
    published = dates.with_url_day(dates.choose(
        [("jsonld", jsonld.published), ("meta", meta_published), ("feed", feed_published)], now
    ), url) or _markup_date(tree, url, now, jsonld.written_published)
    return PageFacts(
        declared_language=_declared_language(tree, metas)
        or (feed_item.language if feed_item else None),
        canonical_url=_canonical(tree, url, elements),
        published=published,
        updated=dates.choose(
            [("jsonld", jsonld.modified), ("meta", meta_modified), ("feed", feed_updated)], now
        ),
    )


def _markup_date(tree: lxml_html.HtmlElement, url: str, now: datetime,
                 jsonld_written: datetime | None = None) -> DatedValue | None:
    """htmldate's day, with the time of a visible date on the same day when the page shows
    one; else the visible date; else a JSON-LD date written for readers; else the URL's."""
    markup = dates.plausible(dates.htmldate_date(tree, now), now)
    visible = dates.plausible(dates.visible_date(tree), now)
    if markup is not None and (visible is None or visible.date() != markup.date()):
        return DatedValue(value=markup, source="htmldate")
    return dates.choose([("visible_text", visible), ("jsonld", jsonld_written),
                         ("url", dates.url_date(url))], now)


def _declared_language(tree: lxml_html.HtmlElement,
                       metas: list[etree._Element] | None = None) -> str | None:
    claimed = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iter("meta") if metas is None else metas:
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key in ("og:locale", "content-language", "language", "dc.language"):
            claimed.append(meta.get("content"))
    for value in claimed:
        code = primary_subtag(value)
        if code:
            return code
    return None


def _canonical(tree: lxml_html.HtmlElement, url: str,
               elements: PageElements | None = None) -> str | None:
    hrefs = _canonical_hrefs(tree) if elements is None else _canonical_hrefs_of(elements)
    for href in hrefs:
        try:
            return canonicalize_url(href, base=url)
        except InvalidURL:
            continue  # a broken canonical tag is ignored; the next candidate may be fine
    return None


def _canonical_hrefs(tree: lxml_html.HtmlElement) -> list[str]:
    """Canonical link targets, then og:url values, in document order."""
    hrefs = tree.xpath(
        '//link[@rel and @href][contains(concat(" ", normalize-space('
        'translate(@rel, "CANONICAL", "canonical")), " "), " canonical ")]/@href'
    )
    return cast(list[str], hrefs + tree.xpath('//meta[@property="og:url"]/@content'))


# XPath's translate(@rel, "CANONICAL", "canonical") and the whitespace normalize-space splits on.
_CANONICAL_LOWER = str.maketrans("CANONIL", "canonil")
_XPATH_SPACE = re.compile("[ \t\n\r]+")


def _canonical_hrefs_of(elements: PageElements) -> list[str]:
    """`_canonical_hrefs` on the elements already found: the same strings, no walk."""
    hrefs = []
    for link in elements.links:
        rel, href = link.get("rel"), link.get("href")
        if rel is not None and href is not None and "canonical" in _XPATH_SPACE.split(
                rel.translate(_CANONICAL_LOWER)):
            hrefs.append(href)
    for meta in elements.metas:
        content = meta.get("content")
        if content is not None and meta.get("property") == "og:url":
            hrefs.append(content)
    return hrefs


def _feed_fallback(
    failed: ExtractedArticle, feed_item: FeedItem | None, now: datetime
) -> ExtractedArticle:
    summary = (feed_item.summary or "").strip() if feed_item else ""
    if not summary:
        suffix = "; the feed item has no summary" if feed_item else ""
        return replace(failed, reason=f"{failed.reason}{suffix}")
    assert feed_item is not None
    cleaned = remove_teasers(summary)
    language = detect_language(cleaned.text, failed.declared_language or feed_item.language)
    return replace(
        failed,
        status="extracted",
        method="feed_summary",
        reason=f"page unusable ({failed.reason}); kept the feed summary",
        title=failed.title or feed_item.title,
        author=failed.author or feed_item.author,
        text=cleaned.text,
        word_count=count_words(cleaned.text),
        language=language.language,
        declared_language=failed.declared_language or feed_item.language,
        published=failed.published or dates.choose([("feed", feed_item.published)], now),
        updated=failed.updated or dates.choose([("feed", feed_item.updated)], now),
        removed_teasers=failed.removed_teasers + cleaned.removed,
    )


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return " ".join(value.split())
    return None


# Weekdays make a "name" a date line that trafilatura took for a byline ("Monday; January").
# Month names are not used: Julio, Abril and Mayo are names too.
_WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ]
)


def _plausible_author(name: str | None) -> str | None:
    """None for bylines that are really dates or times (weekday names or digits)."""
    if not name:
        return None
    words = {w.strip(".,;:").casefold() for w in name.split()}
    if words & _WEEKDAYS or any(ch.isdigit() for ch in name):
        return None
    return name
