"""The article body of a parsed page: trafilatura's fast path, its full path only where needed.

trafilatura's default ("full") path compares its own extraction with readability's and
jusText's; `fast=True` skips that comparison. On the 792 WCXB development article pages
(docs/extraction.md) the full path raises word F1 from 0.916 to 0.938 and costs 37 % more
CPU. Almost all of the gain is on a few pages where the fast result is a fragment of the
article: short against the page's visible text. So the fast path runs first, and the full path only
when the fast text is shorter than `FALLBACK_SHARE` of the page's visible text.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from extractors.body_cascade import BodyCascade
from extractors.html_tree import has_c0_control
from extractors.nfc import is_nfc

# Measured on the WCXB development pages (docs/extraction.md): a fast result shorter than 0.3
# of the page's visible text is usually a fragment (or a page laid out without <p>); above
# it the full path rarely helps. 0.3 recovers all of the full path's F1 there.
FALLBACK_SHARE = 0.3
# A fast result this long is an article, not a fragment: the full path is not tried even on
# pages with much furniture around it (same F1 on the WCXB pages, 15 % fewer full runs).
FALLBACK_MAX_CHARS = 5_000
# A fast result this long in one line is a run-together page, not an article's paragraphs
# (trafilatura separates paragraphs): the full path is tried (docs/extraction.md).
ONE_BLOCK_MIN_CHARS = 1_000
# Tables are part of many articles (results, figures, schedules); leaving them out lost words.
INCLUDE_TABLES = True
# C0 controls other than tab, newline and carriage return: trafilatura raises inside
# bare_extraction on some of them (\x07, \x08), which lost the whole page.
C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Scripts written without spaces between words: Han, kana, Thai, Lao, Khmer, Myanmar.
SPACELESS_CHARACTER = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff]")
INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg"})
CHARACTERS_PER_WORD = 2  # about two characters per word in Chinese and Japanese news text


def clean_markup(text: str, raw: bytes | None = None) -> str:
    """The page text without stray control characters, in Unicode NFC.

    `raw`: the bytes `text` was decoded from, when known. Looking for control bytes there
    takes a tenth of the time of a regular expression over the text (0.2 against 1.5 ms on
    a 300 KB page), and the text is only searched when the bytes have one."""
    if raw is None or has_c0_control(raw):
        text = C0_CONTROLS.sub("", text)
    if not is_nfc(text):
        text = unicodedata.normalize("NFC", text)
    return text


def count_words(text: str) -> int:
    """Words of `text`: whitespace-separated tokens, and for scripts written without spaces
    (Chinese, Japanese, Thai…) their characters over CHARACTERS_PER_WORD."""
    spaceless = len(SPACELESS_CHARACTER.findall(text))
    if not spaceless:
        return len(text.split())
    spaced = len(SPACELESS_CHARACTER.sub(" ", text).split())
    return spaced + spaceless // CHARACTERS_PER_WORD


def extract_body(tree: HtmlElement, url: str) -> str:
    """The article text ("" when none): fast path, then the full path if it looks cut.

    Both are trafilatura's (`bare_extraction` with fast=True, then fast=False); the full path
    reuses the work the fast one already did (extractors/body_cascade.py)."""
    cascade = BodyCascade(tree, url, include_tables=INCLUDE_TABLES)
    text = cascade.fast_text()
    if _one_block(text) or (len(text) < FALLBACK_MAX_CHARS
                            and len(text) < FALLBACK_SHARE * visible_chars(tree)):
        full = cascade.full_text()
        if full:
            return full
    return text


def _one_block(text: str) -> bool:
    """A long fast result without a single line break: the page's menus or a caption run
    together with what follows, not paragraphs (docs/extraction.md, `without` snippets)."""
    return len(text) >= ONE_BLOCK_MIN_CHARS and "\n" not in text


def visible_chars(tree: HtmlElement) -> int:
    """Characters of text a reader could see in the body, whitespace collapsed (scripts and
    styles left out): one XPath string in C, under half a millisecond on a 100 KB page."""
    body = tree.find("body")
    root = body if body is not None else tree
    total = int(root.xpath("string-length(normalize-space(.))"))
    for element in root.iter(*INVISIBLE):
        total -= len(" ".join(element.text_content().split()))
    return max(total, 0)


# Class names that mark a standfirst shown apart from the body (English and Spanish outlets).
STANDFIRST_CLASS = re.compile(
    r"summary|standfirst|dek|subtitle|subhead|lede|lead|excerpt|intro|teaser|deck|bajada"
    r"|sumario|entradilla|copete|resumen|description", re.IGNORECASE)


def without_leading_repeats(body: str, tree: HtmlElement, title: str | None,
                            description: str | None) -> str:
    """Drop opening lines that repeat the headline, or the description where the page shows
    it as a standfirst. Many outlets use the first paragraph itself as their meta
    description; that line is body text and stays (docs/extraction.md)."""
    lines = body.split("\n")
    heading, standfirst = _loose(title or ""), _loose(description or "")
    while lines:
        first = _loose(lines[0])
        repeated = first == heading or (
            first == standfirst and _shown_as_standfirst(tree, standfirst))
        if first and not repeated:
            break
        lines.pop(0)
    return "\n".join(lines)


def _shown_as_standfirst(tree: HtmlElement, loose_text: str) -> bool:
    """True when an element with this text, or its parent, has a standfirst class name."""
    for element in tree.iter("p", "h2", "h3", "div", "span"):
        if _loose(element.text_content()) != loose_text:
            continue
        parent = element.getparent()
        classes = element.get("class", "") + " " + (
            parent.get("class", "") if parent is not None else "")
        if STANDFIRST_CLASS.search(classes):
            return True
    return False


def _loose(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .")
