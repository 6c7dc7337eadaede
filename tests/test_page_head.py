"""extractors.page_head answers as trafilatura's examine_meta and extract_meta_json do.

Each shortcut is checked against the library call it replaces: on hand-made edge cases, on
the fixture and labelled pages, and on every shared corpus and WCXB development page when
those folders are present.
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html
from page_sets import missing, pages
from trafilatura import metadata as trafilatura_metadata
from trafilatura.json_metadata import normalize_json as trafilatura_normalize_json
from trafilatura.settings import Document
from trafilatura.utils import load_html

from extractors.page_head import (
    HeadView,
    find_head_parts,
    minify_json,
    normalize_json,
    read_json_ld,
)

JSON_LD_PATH = './/script[@type="application/ld+json" or @type="application/settings+json"]'


def _fields(document: Document) -> dict[str, Any]:
    # body and commentsbody are fresh lxml elements in every Document: not metadata
    return {name: getattr(document, name, None) for name in Document.__slots__
            if name not in ("body", "commentsbody")}


def _json_ld_outcome(read: Any, source: Any) -> tuple[dict[str, Any], type | None]:
    document = Document()
    try:
        read(source, document)
    except Exception as exc:  # the reference raises on some scripts: the same must happen
        return _fields(document), type(exc)
    return _fields(document), None


def _examine_through_view(tree: etree._Element) -> Document:
    view = HeadView(tree, find_head_parts(tree))
    return trafilatura_metadata.examine_meta(view)  # type: ignore[arg-type]


def _assert_same_as_trafilatura(tree: etree._Element) -> None:
    parts = find_head_parts(tree)
    assert _fields(_examine_through_view(tree)) == _fields(trafilatura_metadata.examine_meta(tree))
    assert (_json_ld_outcome(read_json_ld, parts)
            == _json_ld_outcome(trafilatura_metadata.extract_meta_json, tree))
    for script in tree.xpath(JSON_LD_PATH):
        if script.text:
            minified = trafilatura_metadata.JSON_MINIFY.sub(r"\1", script.text)
            assert minify_json(script.text) == minified
            assert normalize_json(minified) == trafilatura_normalize_json(minified)


@pytest.mark.parametrize("text", [
    '{ "a" : "b c" ,\n "d":[1, 2 ] }',
    '{"a": "quote \\" inside", "b" : "back\\\\slash" }',
    '{"a": "unterminated  string',
    '"a" "b" " c',
    '{"a": "line\\\n break", "b": 1 }',  # a backslash before a newline ends no literal
    '{"a":\u00a0"non-breaking\u2003space" ,\u3000"b": 1}',
    '',
    '   ',
])
def test_minify_equals_trafilaturas_substitution(text: str) -> None:
    assert minify_json(text) == trafilatura_metadata.JSON_MINIFY.sub(r"\1", text)


@pytest.mark.parametrize("text", [
    '{"name":"Jos\\u00e9 \\ud83d\\ude00 P\\u00e9rez"}',
    '{"name":"a\\nb\\tc &amp; <b>bold</b>"}',
    '{"name":"lone \\udc00 surrogate"}',
    '{"name":"no escapes at all"}',
])
def test_normalize_json_equals_trafilaturas(text: str) -> None:
    assert normalize_json(text) == trafilatura_normalize_json(text)


def _page(head: str, body: str = "<p>text</p>") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_meta_tags_and_json_ld_of_a_page() -> None:
    tree = _page(
        "<meta property='og:title' content='OG title'><meta property='og:site_name' "
        "content='The Site'><meta name='author' content='Ana Torres'><meta name='description'"
        " content='A description'><meta property='article:author' content='https://x.org/a'>"
        "<meta content='no name at all'><meta name='keywords'>"
        "<script type='application/ld+json'>{\"@context\": \"https://schema.org\", "
        "\"@type\": \"NewsArticle\", \"headline\": \"JSON title\", \"author\": "
        "{\"@type\": \"Person\", \"name\": \"Juan P\\u00e9rez\"}}</script>",
        "<script type='application/ld+json'>{\"@context\": \"https://schema.org\", "
        "\"@type\": \"Organization\", \"name\": \"Body Org\"}</script>")
    _assert_same_as_trafilatura(tree)
    found = _examine_through_view(tree)
    assert (found.title, found.author, found.sitename) == ("OG title", "Ana Torres", "The Site")
    from_json = read_json_ld(find_head_parts(tree), Document())
    assert (from_json.title, from_json.author, from_json.sitename) == (
        "JSON title", "Juan Pérez", "Body Org")  # the script in <body> is read too


def test_a_script_that_breaks_the_reading_stops_it_in_the_same_place() -> None:
    context = '\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\"'
    tree = _page(f"<script type='application/ld+json'>{{{context}, \"headline\": \"First\"}}"
                 "</script><script type='application/ld+json'>[1, 2]</script>"
                 f"<script type='application/ld+json'>{{{context}, \"author\": {{\"@type\": "
                 "\"Person\", \"name\": \"Never Read\"}}</script>")
    fields, error = _json_ld_outcome(read_json_ld, find_head_parts(tree))
    assert error is AttributeError
    assert fields["title"] == "First" and fields["author"] is None
    _assert_same_as_trafilatura(tree)


def test_pages_with_no_head_or_two_heads() -> None:
    fragment = lxml_html.fragment_fromstring("<div><meta name='author' content='A B'></div>")
    assert find_head_parts(fragment).metas == []
    _assert_same_as_trafilatura(fragment)
    tree = _page("<meta name='description' content='first head'>")
    second = etree.SubElement(tree.find("body"), "head")
    etree.SubElement(second, "meta", name="author", content="Ana Torres")
    assert find_head_parts(tree).metas is None  # left to the tree itself
    _assert_same_as_trafilatura(tree)


@pytest.mark.parametrize("kind", ["fixtures", "corpus", "wcxb"])
def test_every_page(kind: str) -> None:
    if (folder := missing(kind)) is not None:
        pytest.skip(f"{folder} not present")
    compared = 0
    for name, html in pages(kind):
        tree = load_html(html)
        if tree is None:
            continue
        compared += 1
        try:
            _assert_same_as_trafilatura(tree)
        except AssertionError as exc:
            raise AssertionError(f"{name} differs from trafilatura") from exc
    assert compared > 0
