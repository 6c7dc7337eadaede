"""extractors.page_metadata against trafilatura's own metadata pass, on the labelled pages.

page_metadata repeats trafilatura's steps without the parts wirewatch does not use (htmldate,
categories, tags, licence); a trafilatura upgrade that changed those steps shows up here.
"""

from __future__ import annotations

import pytest
import trafilatura
from lxml import html as lxml_html

from extractors.page_metadata import PageMetadata, page_metadata
from flows.evaluate.extraction import load_labelled

PAGES = load_labelled()


def _tree(html: bytes) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(html)


@pytest.mark.parametrize("page", PAGES, ids=[p.page_id for p in PAGES])
def test_fields_agree_with_trafilatura(page) -> None:
    tree = _tree(page.html)
    ours = page_metadata(tree, page.url)
    theirs = trafilatura.bare_extraction(_tree(page.html), url=page.url, with_metadata=True,
                                         fast=True, include_comments=False)
    assert ours == PageMetadata(title=theirs.title, author=theirs.author,
                                description=theirs.description, sitename=theirs.sitename)


def test_tree_is_left_as_it_was() -> None:
    page = next(p for p in PAGES if p.author is not None)
    tree = _tree(page.html)
    before = lxml_html.tostring(tree)
    page_metadata(tree, page.url)
    assert lxml_html.tostring(tree) == before


def test_author_search_falls_back_to_the_byline_and_site_to_the_host() -> None:
    html = (b"<html><head><title>Border talks resume</title></head><body><article>"
            b"<h1>Border talks resume</h1><p class='byline'>By Ana Torres Vidal</p>"
            b"<p>" + b"Officials met again on Tuesday. " * 20 + b"</p></article></body></html>")
    found = page_metadata(_tree(html), "https://news.example.org/a/1")
    assert found.title == "Border talks resume"
    assert found.author == "Ana Torres Vidal"
    assert found.sitename == "news.example.org"
    assert found.description is None
