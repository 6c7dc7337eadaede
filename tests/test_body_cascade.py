"""extractors/body_cascade.py gives trafilatura's own texts, value for value: the fast path
equals `bare_extraction(fast=True)` and the full path `bare_extraction(fast=False)`, on
written pages that reach each shared stage, the labelled fixture pages, and a fixed sample of
the shared corpus and WCXB development pages (skipped when ../shared is absent).
`python -m bench body_cascade --check` runs the same comparison on every page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from extractors import body_text
from extractors.article import _decode, _parse
from extractors.body_cascade import TEASER_MARKED, BodyCascade

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WCXB = SHARED / "extraction" / "wcxb-dev-articles"
CORPUS = SHARED / "corpus"
# Every 40th WCXB page, and pages found (bench body_cascade) to reach a shared stage on the
# full path: the main extractor rerun for teaser-marked pages (0251, 4340), the baseline
# rescue (0044), the recall retry shared by both paths (0010, 4072).
WCXB_SAMPLE = sorted({f"{n:04d}" for n in (10, 44, 251, 4072, 4340)})
WCXB_EVERY = 40
CORPUS_SAMPLE = ("inews/fundus__iNews_2025_01_28.html", "bbc/fundus__BBC_2024_07_25.html",
                 "msn/readability__msn.html")

PARAGRAPH = ("The council approved the budget on Tuesday after a long debate about the cost "
             "of repairing the bridge, which has been closed to trucks since the spring floods. ")


def library_text(tree: HtmlElement, url: str, *, fast: bool) -> str:
    document = trafilatura.bare_extraction(tree, url=url, include_comments=False,
                                           with_metadata=False, include_tables=True, fast=fast)
    return (getattr(document, "text", None) or "") if document is not None else ""


def parsed(html: str | bytes) -> HtmlElement:
    decoded = _decode(html, None)
    assert isinstance(decoded, str)
    tree = _parse(decoded)
    assert tree is not None
    return tree


def assert_same_as_library(tree: HtmlElement, url: str) -> tuple[str, str]:
    cascade = BodyCascade(tree, url, include_tables=True)
    fast, full = cascade.fast_text(), cascade.full_text()
    assert fast == library_text(tree, url, fast=True)
    assert full == library_text(tree, url, fast=False)
    return fast, full


WRITTEN = {
    "article": f"<html><body><nav><a href='/'>Home</a></nav><article><h1>Budget</h1>"
               f"{''.join(f'<p>{PARAGRAPH * 2}</p>' for _ in range(6))}</article></body></html>",
    # short main text, a teaser-class block, much furniture: recovery of wild text, where the
    # fast and full paths differ (teasers kept in fast mode only)
    "teaser": "<html><body><div class='menu'>" + "<a href='/x'>Section link</a> " * 40
              + "</div><div class='story'><p>Short lead.</p></div>"
              f"<div class='teaser-box'><p>{PARAGRAPH}</p></div>"
              f"<div class='Teaser'><span>{PARAGRAPH}</span></div>"
              f"<div><p>{PARAGRAPH * 3}</p></div></body></html>",
    # little text in paragraphs, most of it in plain divs: baseline rescue, recall escalation
    "divs": "<html><body><header>" + "<a href='/s'>Sport</a> " * 30 + "</header><main>"
            + "".join(f"<div class='row'><div>{PARAGRAPH}</div></div>" for _ in range(8))
            + "</main><footer>" + "<a href='/c'>Contact</a> " * 30 + "</footer></body></html>",
    # a thread forum: comment containers are posts and are not pruned
    "forum": "<html><head><script type='application/ld+json'>{\"@type\": "
             "\"DiscussionForumPosting\"}</script></head><body><div class='comments'>"
             + "".join(f"<div class='comment'><p>{PARAGRAPH}</p></div>" for _ in range(4))
             + "</div></body></html>",
    # one short paragraph in an article, most text in sections without <p>: the fast result
    # covers little of the page, so both paths escalate to the recall retry (shared)
    "escalation": f"<html><body><article><p>{PARAGRAPH * 2}</p></article>"
                  + "".join(f"<section><span>{PARAGRAPH}</span><br><span>{PARAGRAPH}</span>"
                            "</section>" for _ in range(10)) + "</body></html>",
    "empty": "<html><body><div><img src='a.png'></div></body></html>",
}


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_pages_give_the_library_texts(name: str) -> None:
    fast, full = assert_same_as_library(parsed(WRITTEN[name]), f"https://news.example/{name}")
    if name == "article":
        assert "council approved the budget" in fast and fast == full
    if name == "empty":
        assert fast == full == ""
    if name == "escalation":  # the full path's extra stages found the sections
        assert len(fast) < 400 < 3000 < len(full)


def test_the_teaser_page_takes_the_rerun_and_its_paths_differ() -> None:
    """The written teaser page reaches the branch where the main extractor runs again
    (otherwise the test above would not cover it) and gives different texts per path."""
    tree = parsed(WRITTEN["teaser"])
    cascade = BodyCascade(tree, "https://news.example/teaser", include_tables=True)
    fast = cascade.fast_text()
    assert TEASER_MARKED(tree)
    assert fast != cascade.full_text()


def fixture_pages() -> list[Path]:
    return sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))


@pytest.mark.parametrize("path", fixture_pages(), ids=lambda p: p.stem)
def test_fixture_pages_give_the_library_texts(path: Path) -> None:
    assert_same_as_library(parsed(path.read_bytes()), f"https://fixture.example/{path.stem}")


def shared_pages() -> list[tuple[str, bytes, str]]:
    pages: list[tuple[str, bytes, str]] = []
    if (WCXB / "html").is_dir():
        every = sorted(p.name.removesuffix(".html.gz") for p in (WCXB / "html").glob("*.gz"))
        for file_id in sorted(set(every[::WCXB_EVERY]) | set(WCXB_SAMPLE)):
            truth = json.loads((WCXB / "ground-truth" / f"{file_id}.json").read_text("utf-8"))
            html = gzip.decompress((WCXB / "html" / f"{file_id}.html.gz").read_bytes())
            pages.append((f"wcxb-{file_id}", html, truth["url"]))
    for name in CORPUS_SAMPLE:
        if (CORPUS / "pages" / name).is_file():
            pages.append((name, (CORPUS / "pages" / name).read_bytes(), "https://corpus.example/a"))
    return pages


@pytest.mark.skipif(not (WCXB / "html").is_dir() and not (CORPUS / "pages").is_dir(),
                    reason="../shared/extraction and ../shared/corpus are absent")
@pytest.mark.parametrize("page", shared_pages(), ids=lambda page: page[0])
def test_shared_pages_give_the_library_texts(page: tuple[str, bytes, str]) -> None:
    _name, html, url = page
    assert_same_as_library(parsed(html), url)


def test_the_tree_passed_in_is_not_modified() -> None:
    tree = parsed(WRITTEN["divs"])
    before = etree.tostring(tree)
    cascade = BodyCascade(tree, "https://news.example/divs", include_tables=True)
    cascade.fast_text()
    cascade.full_text()
    assert etree.tostring(tree) == before


@pytest.mark.parametrize("name", ["teaser", "escalation"])
def test_the_paths_do_not_depend_on_their_order(name: str) -> None:
    tree, url = parsed(WRITTEN[name]), f"https://news.example/{name}"
    first = BodyCascade(tree, url, include_tables=True)
    fast, full = first.fast_text(), first.full_text()
    reversed_order = BodyCascade(tree, url, include_tables=True)
    assert reversed_order.full_text() == full
    assert reversed_order.fast_text() == fast
    assert (first.fast_text(), first.full_text()) == (fast, full)  # a second call: same texts


def two_calls(tree: HtmlElement, url: str) -> str:
    """extract_body as it was: the full path run from scratch where the rule fired."""
    text = library_text(tree, url, fast=True)
    if body_text._one_block(text) or (len(text) < body_text.FALLBACK_MAX_CHARS and len(text)
                                      < body_text.FALLBACK_SHARE * body_text.visible_chars(tree)):
        return library_text(tree, url, fast=False) or text
    return text


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_extract_body_equals_the_two_library_calls(name: str) -> None:
    tree, url = parsed(WRITTEN[name]), f"https://news.example/{name}"
    assert body_text.extract_body(tree, url) == two_calls(tree, url)


def test_trafilatura_is_the_release_the_cascade_mirrors() -> None:
    """body_cascade re-runs trafilatura 2.3.1's cascade from its internal functions; another
    release may order or gate the stages differently (docs/dependencies.md)."""
    assert trafilatura.__version__ == "2.3.1"
