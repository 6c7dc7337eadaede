"""The cheaper page-facts, date and teaser code gives what the plain definitions give.

Each shortcut in extractors/dates.py, extractors/teasers.py and extractors/article.py is
checked against the definition it replaces, on the labelled fixture pages and, when present,
on the shared corpus pages and every eighth WCXB development page (docs/extraction.md, CPU).
"""

from __future__ import annotations

import gzip
import re
import string
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dateutil import parser as dateparser
from lxml import etree
from lxml import html as lxml_html

from extractors import article, dates, teasers

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "pages"
CORPUS_PAGES = SHARED / "corpus" / "pages"
WCXB_PAGES = SHARED / "extraction" / "wcxb-dev-articles" / "html"

# The definitions the shortcuts replace, as they were written before.
PLAIN_MONTH_DAY_YEAR = re.compile(
    rf"\b({dates._MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){dates._TIME}", re.I)
PLAIN_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})\s+(?:de\s+)?({dates._MONTH_ALT})\.?\s+(?:de\s+|del\s+)?(\d{{4}})"
    rf"{dates._TIME}", re.I)
PLAIN_NUMERIC_DMY = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b" + dates._TIME)
PATTERNS = ((PLAIN_MONTH_DAY_YEAR, dates.MONTH_DAY_YEAR),
            (PLAIN_DAY_MONTH_YEAR, dates.DAY_MONTH_YEAR), (PLAIN_NUMERIC_DMY, dates.NUMERIC_DMY))
PLAIN_ITEMPROP_DATES = '//*[@itemprop="datePublished" or @itemprop="dateModified"]'
PLAIN_READABLE_TEXT = etree.XPath(
    "descendant::text()[not(parent::script or parent::style or parent::noscript"
    " or parent::template)]")


def plain_teaser_kind(paragraph: str) -> str | None:
    """teaser_kind as defined: fold the whole paragraph, then compare prefixes."""
    if not paragraph or len(paragraph.split()) > teasers.MAX_TEASER_WORDS:
        return None
    folded = teasers.fold(paragraph).lstrip(teasers.LEADING_NOISE)
    for prefix, needs_separator in teasers.TEASER_PREFIXES:
        if not folded.startswith(prefix):
            continue
        rest = folded[len(prefix):].strip()
        if not rest.strip(teasers.SEPARATORS + " ."):
            return "label"
        if not needs_separator or rest[0] in teasers.SEPARATORS:
            return "inline"
    return None


def page_files() -> list[Path]:
    files = sorted(FIXTURE_PAGES.glob("*.html"))
    if CORPUS_PAGES.is_dir():
        files += sorted(CORPUS_PAGES.rglob("*.html"))
    if WCXB_PAGES.is_dir():
        files += sorted(WCXB_PAGES.glob("*.html.gz"))[::8]
    return files


def parsed_pages() -> Iterator[tuple[Path, lxml_html.HtmlElement]]:
    for path in page_files():
        raw = path.read_bytes()
        decoded = article._decode(gzip.decompress(raw) if path.suffix == ".gz" else raw, None)
        tree = article._parse(decoded) if isinstance(decoded, str) else None
        if tree is not None:
            yield path, tree


@pytest.fixture(scope="module")
def pages() -> list[tuple[Path, lxml_html.HtmlElement]]:
    return list(parsed_pages())


def readable_text(tree: lxml_html.HtmlElement) -> str:
    """The window visible_date searches (the node strings are checked equal below)."""
    body = tree.find("body")
    nodes = dates._READABLE_TEXT(body if body is not None else tree)
    return " ".join(" ".join(nodes).split())[:20_000]


def test_month_initials_match_what_the_alternation_can_start_with() -> None:
    """The lookahead admits exactly the characters a month name can begin with under
    case-insensitive matching (Unicode case folding: "ſ" matches "s")."""
    initials = re.compile(f"[{dates.MONTH_INITIALS}]", re.I)
    alternation = re.compile(f"(?:{'|'.join(sorted({m[0] for m in dates.MONTHS}))})", re.I)
    admitted = [chr(c) for c in range(0x30000) if initials.match(chr(c))]
    started = [chr(c) for c in range(0x30000) if alternation.match(chr(c))]
    assert admitted == started
    assert "ſ" in admitted and "S" in admitted and "b" not in admitted


def test_written_date_patterns_find_the_same_matches(
        pages: list[tuple[Path, lxml_html.HtmlElement]]) -> None:
    texts = [readable_text(tree) for _, tree in pages[::2]]
    texts += ["Sept. 3, 2024 at 5:07 p.m.", "ſeptember 3, 2024", "Xmay 3, 2024", "MAYO 7 2023",
              "15 de octubre de 2024, 12:47", "a15 de octubre de 2024", "x 3/4/2024",
              "123/4/2024 and 7.5.2021", "٣ May 2024", "_5 May 2024", "05 may 2024",
              # enough of each pattern even where shared/ is absent (the fixtures alone)
              "Publicado el 07/05/2024 a las 10:00", "Updated 12.11.2023", "March 14, 2025",
              "el 3 de mayo de 2024", "Posted on 21 February 2025"]
    for plain_pattern, fast_pattern in PATTERNS:
        found = 0
        for text in texts:
            plain, fast = plain_pattern.search(text), fast_pattern.search(text)
            assert (plain and (plain.span(), plain.groups())) == (
                fast and (fast.span(), fast.groups())), (fast_pattern.pattern, text[:200])
            found += plain is not None
        assert found >= 3  # the pages and the added lines have such dates to compare


def test_readable_text_nodes_are_the_same_strings(
        pages: list[tuple[Path, lxml_html.HtmlElement]]) -> None:
    for path, tree in pages[::2]:
        assert list(dates._READABLE_TEXT(tree)) == list(PLAIN_READABLE_TEXT(tree)), path


def test_itemprop_dates_are_the_same_elements(
        pages: list[tuple[Path, lxml_html.HtmlElement]]) -> None:
    with_itemprop = 0
    for path, tree in pages:
        plain = tree.xpath(PLAIN_ITEMPROP_DATES)
        assert list(dates._ITEMPROP_DATES(tree)) == plain, path
        with_itemprop += bool(plain)
    tree = lxml_html.fromstring(
        '<html><body><span itemprop="datePublished" content="2024-01-02">x</span>'
        '<time itemprop="dateModified" datetime="2024-01-03">y</time>'
        '<b itemprop="datepublished">z</b></body></html>')
    assert [e.tag for e in dates._ITEMPROP_DATES(tree)] == ["span", "time"]
    assert with_itemprop or not WCXB_PAGES.is_dir()


def test_teaser_kind_agrees_with_folding_the_whole_paragraph(
        pages: list[tuple[Path, lxml_html.HtmlElement]]) -> None:
    lines = ["LEE TAMBIÉN:", "» Lea también: otra nota", "Más información", "Related",
             "Related: a story", "—— ·· »» [(¡ Te recomendamos: algo", "ＲＥＡＤ ＭＯＲＥ: x",
             " " * 50 + "read more", "Ｍás información sobre el caso se dará mañana"]
    for _, tree in pages[::3]:  # paragraphs as pages show them, teaser links included
        lines += [element.text_content() for element in tree.iter("p", "li", "strong")]
    teaser_count = 0
    for line in lines:
        stripped = line.strip()
        assert teasers.teaser_kind(stripped) == plain_teaser_kind(stripped), stripped
        teaser_count += plain_teaser_kind(stripped) is not None
    assert teaser_count >= 5


def test_ascii_head_folding_is_lower_casing() -> None:
    samples = [string.printable, "READ MORE", "Lea Tambien", "", "\x00\x1f\x7f"]
    for sample in samples:
        assert teasers._fold_head(sample) == teasers.fold(sample)
    assert teasers._fold_head("LEE TAMBIÉN") == teasers.fold("LEE TAMBIÉN") == "lee tambien"


def test_whitespace_only_pages_are_empty_documents() -> None:
    for body in (b"", b" \n\t ", "\u3000\u2003 ", "\x1c\x1d"):
        result = article.extract_article(body, "https://example.org/a")
        assert result.status == "failed"
        assert result.reason == "empty document"


def plain_parse_date_text(text: str) -> datetime | None:
    """parse_date_text as first written: dateutil for every string."""
    cleaned = text.strip()
    if not re.search(r"\d{4}", cleaned):
        return None
    try:
        parsed = dateparser.parse(cleaned, fuzzy=False, tzinfos=dates.TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    if not parsed:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None \
        else parsed.replace(tzinfo=UTC)


def page_date_strings(tree: lxml_html.HtmlElement) -> Iterator[str]:
    """Every string the date readers hand to parse_date_text, and then some."""
    for meta in tree.iter("meta"):
        yield meta.get("content") or ""
    for element in tree.iter("time"):
        yield element.get("datetime") or ""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        yield from re.findall(r'"(\d{4}-[^"]{2,40})"', script.text_content() or "")


def test_iso_dates_read_in_c_are_dateutils(
        pages: list[tuple[Path, lxml_html.HtmlElement]]) -> None:
    """Same instant and same stated offset as dateutil, or None for both."""
    texts = {text for _, tree in pages for text in page_date_strings(tree)}
    texts |= {"2024-05-06T10:00:00Z", "2024-05-06T10:00:00-00:00", "2024-05-06T10:00:00.1Z",
              "2024-05-06", "2024-05-06T10:00", "2024-05-06T24:00:00Z", "2024-02-30",
              "0000-01-01", "2024-05-06T10:00:60+02:00", " 2024-05-06T10:00:00+05:45\n",
              "2024-05-06T10:00:00.1234567Z", "2024-05-06T10:00:00+0200", "2024-5-6",
              # enough strict ones even where shared/ is absent (the fixtures alone)
              "2023-11-30T23:59:59+01:00", "2025-01-01T00:00:00Z",
              "2022-07-15T08:30:00.000Z", "2021-03-09T17:45:00-06:00"}
    fast = 0
    for text in texts:
        ours, plain = dates.parse_date_text(text), plain_parse_date_text(text)
        assert (ours, ours and ours.utcoffset()) == (plain, plain and plain.utcoffset()), text
        fast += bool(dates.STRICT_ISO_8601.match(text.strip()))
    assert fast >= 20  # the pages do have such dates


@pytest.mark.parametrize("sample", ["", "plain", "ñ and €", "bell\x07", "ñ\x1f", "\ufffd",
                                    "a\x00b", "tab\tnew\nline\rreturn", "\udc80 lone", "\x7f\x80"])
def test_control_count_is_the_regular_expressions(sample: str) -> None:
    assert article._control_count(sample) == len(article.CONTROL_CHARACTERS.findall(sample))


def test_control_count_on_the_pages() -> None:
    counted = 0
    for path in page_files():
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        for sample in (text[:20_000], text[-20_000:]):
            assert article._control_count(sample) == len(
                article.CONTROL_CHARACTERS.findall(sample)), path
            counted += 1
    assert counted > 10
