"""Which benchmark pages state no date at all: the labelled set for "no date is given where
the page states none".

WCXB's null `publish_date` does not mean a page states no date (its annotators left many
dated pages without one), so the set is derived from the HTML itself. A page states no date
when none of these holds:

1. a JSON-LD value under a key naming a date (`datePublished`, `dateCreated`,
   `uploadDate`, `dateModified`) holds a year, or any script data has a key naming a date
   or a time (`createdAt`, `updated_at`, `publishDate`) with an ISO date;
2. a `<meta>` whose name, property or itemprop names a date or a time (`date`, `time`,
   `published`, `modified`, `updated`) has content with a year;
3. an element carries a `datetime` attribute, or any `itemprop` naming a date;
4. the address has a year-month(-day) path (`/2024/10/`, `/2024-10-15`);
5. the visible text (scripts, styles, templates left out) has a calendar date: a month
   name of English, Spanish, French, German, Portuguese, Italian or Dutch next to a year,
   a numeric day-month-year or year-month-day (`15/10/2024`, `17.05.2021`,
   `2024-10-15`), or a Chinese/Japanese `2024年10月15日`.

A year on its own ("© 2025", "the 2026 models") is not a date. The check is strict on
purpose: a page it calls dateless has nothing from which a publication day could be read.
"""

from __future__ import annotations

import re

from lxml import etree
from trafilatura.utils import load_html

from extractors.charset import declared_html_charset, decode_body

_YEAR = r"(?:199\d|20[0-4]\d)"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
    "septembre|octobre|novembre|décembre|januar|februar|märz|maerz|juni|juli|oktober|"
    "dezember|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "januari|februari|maart|mei|augustus"
)
TEXT_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}\b"  # October 15, 2024
    rf"|\b\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+|del\s+)?"
    rf"{_YEAR}\b"  # 15 de octubre de 2024, 15. Oktober 2024
    rf"|\b(?:{_MONTHS})\.?\s+(?:de\s+)?{_YEAR}\b"  # October 2024
    rf"|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]{_YEAR}\b"  # 15/10/2024, 17.05.2021
    rf"|\b{_YEAR}[/.-]\d{{1,2}}[/.-]\d{{1,2}}\b"  # 2024-10-15
    rf"|{_YEAR}\s*年\s*\d{{1,2}}\s*月",  # 2024年10月
    re.IGNORECASE,
)
URL_DATE = re.compile(rf"/{_YEAR}[/-]\d{{1,2}}(?:[/-]|$)")
JSONLD_DATE = re.compile(
    rf'"(?:datePublished|dateCreated|uploadDate|dateModified)"\s*:\s*"[^"]*{_YEAR}')
# Dates in a script's data ("createdAt":"2023-07-28T02:14:58Z", also JSON escaped inside a
# string): the page's own record of a date, which htmldate reads, even if never shown.
DATA_DATE = re.compile(
    rf'(?i)[a-z_]*(?:date|time|created|updated|publish|modified)[a-z_]*\\?"\s*:\s*\\?"'
    rf"{_YEAR}-\d{{2}}-\d{{2}}")
META_DATE_KEY = re.compile(r"date|time|published|modified|updated", re.IGNORECASE)
YEAR = re.compile(_YEAR)
HIDDEN = ("script", "style", "noscript", "template")


def date_evidence(html: bytes, url: str) -> str | None:
    """The first kind of date the page states (see the module docstring), None when none."""
    if URL_DATE.search(url):
        return "url"
    source = decode_body(html, [declared_html_charset(html)]).text
    if JSONLD_DATE.search(source):
        return "jsonld"
    if DATA_DATE.search(source):
        return "script_data"
    try:
        tree = load_html(source)
    except (ValueError, TypeError, etree.ParserError):
        tree = None
    if tree is None:
        return "unparsable"  # cannot be shown to be dateless
    for meta in tree.iter("meta"):
        key = " ".join(filter(None, (meta.get("name"), meta.get("property"),
                                     meta.get("itemprop"))))
        if META_DATE_KEY.search(key) and YEAR.search(meta.get("content") or ""):
            return "meta"
    if tree.xpath("//*[@datetime] | //*[contains(translate(@itemprop, 'D', 'd'), 'date')]"):
        return "markup"
    for element in list(tree.iter(*HIDDEN)):
        element.drop_tree()
    text = " ".join(" ".join(tree.itertext()).split())  # "Published" + "Feb 2" kept apart
    if TEXT_DATE.search(text):
        return "visible_text"
    return None
