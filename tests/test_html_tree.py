"""extractors/html_tree.py builds the tree trafilatura's own `load_html` builds.

Checked on the labelled fixture pages and, when present, on every shared corpus page and every
WCXB development page: the trees serialise identically, and `extract_article` gives the same
record whichever of the two trees it reads (docs/extraction.md, CPU).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import INVALID_XML_CHARS, repair_faulty_html
from trafilatura.utils import load_html as trafilatura_load_html

from extractors import article, html_tree

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "pages"
CORPUS_PAGES = SHARED / "corpus" / "pages"
WCXB_PAGES = SHARED / "extraction" / "wcxb-dev-articles" / "html"
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)

# Inputs that take each of trafilatura's branches: a fragment, a dubious page of one element,
# an encoding declaration (lxml refuses such a string: the byte pass), the self-closing <html/>
# and doctype repairs, an invalid XML character, an empty body, text without markup.
EDGE_CASES = (
    "<p>one paragraph</p>",
    "<div><p>a</p></div><div><p>b</p></div>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    "<!DOCTYPE html/>\n<html/>\n<body><p>repaired</p></body>",
    "<html><body><p>bell\x07 and \x0bvertical</p><form><input name=q></form></body></html>",
    "<html><head><title>t</title></head><body></body></html>",
    "plain words, no markup at all",
    "   <html><!-- comment --><body><?pi x?><p>after</p></body></html>",
    "<html><body><p>años\ufffe, \uffff and \x1f\x00 in non-ASCII text: ñ €</p></body></html>",
    "<html><body><p>a lone surrogate \udc80 and ñ</p><p>two</p></body></html>",
)


def page_files() -> list[Path]:
    files = sorted(FIXTURE_PAGES.glob("*.html"))
    if CORPUS_PAGES.is_dir():
        files += sorted(CORPUS_PAGES.rglob("*.html"))
    if WCXB_PAGES.is_dir():
        files += sorted(WCXB_PAGES.glob("*.html.gz"))
    return files


def decoded_pages() -> Iterator[tuple[Path, bytes, str]]:
    for path in page_files():
        raw = path.read_bytes()
        body = gzip.decompress(raw) if path.suffix == ".gz" else raw
        text = article._decode(body, None)
        if isinstance(text, str):
            yield path, body, text


def serialised(tree: lxml_html.HtmlElement | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree, encoding="utf-8")


def test_trees_serialise_as_trafilaturas_on_every_page() -> None:
    compared = 0
    for path, _, text in decoded_pages():
        assert serialised(html_tree.load_html(text)) == serialised(
            trafilatura_load_html(text)), path
        compared += 1
    assert compared >= len(list(FIXTURE_PAGES.glob("*.html")))


@pytest.mark.parametrize("text", EDGE_CASES)
def test_trees_serialise_as_trafilaturas_on_edge_cases(text: str) -> None:
    assert serialised(html_tree.load_html(text)) == serialised(trafilatura_load_html(text))


@pytest.mark.parametrize("text", [*EDGE_CASES, "ñ\x0c", "\x08", "\ufffe", "x\uffff", "€ plain",
                                  "\udc80", "", "\t\n\r ascii"])
def test_invalid_xml_characters_found_as_trafilaturas_expression_finds_them(text: str) -> None:
    assert html_tree.has_invalid_xml_chars(text) == bool(INVALID_XML_CHARS.search(text))
    beginning = text[:50].lower()
    assert html_tree.repair_faulty_html(text, beginning) == repair_faulty_html(text, beginning)


def test_every_element_is_a_plain_html_element() -> None:
    tree = html_tree.load_html(EDGE_CASES[4])
    assert tree is not None
    kinds = {type(element) for element in tree.iter()}
    assert kinds == {lxml_html.HtmlElement}  # the <form> and <input> too: no Python lookup
    # trafilatura's parser is untouched: bare trafilatura keeps lxml's form classes
    theirs = trafilatura_load_html(EDGE_CASES[4])
    assert theirs is not None
    assert type(theirs.find(".//form")) is lxml_html.FormElement


def test_extract_article_is_the_same_on_either_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The record from our tree equals the record from trafilatura's tree (fixtures, every
    8th corpus page and every 32nd WCXB page: the extraction itself is the costly part)."""
    files = sorted(FIXTURE_PAGES.glob("*.html"))
    files += [p for p in page_files() if CORPUS_PAGES in p.parents][::8]
    files += [p for p in page_files() if p.suffix == ".gz"][::32]
    bodies = [(p, gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes())
              for p in files]
    ours = [article.extract_article(body, f"https://x.example/{p.stem}", now=NOW)
            for p, body in bodies]
    monkeypatch.setattr(article, "load_html", trafilatura_load_html)
    theirs = [article.extract_article(body, f"https://x.example/{p.stem}", now=NOW)
              for p, body in bodies]
    assert ours == theirs
    assert sum(record.status == "extracted" for record in ours) >= 5
