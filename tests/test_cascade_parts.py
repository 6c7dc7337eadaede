"""extractors/cascade_parts.py against the trafilatura functions and XPaths it replaces: the
same elements from every walk, and the same result body, text and leftover tree from
`extract_content`, on written pages, the labelled fixture pages and the sample of shared
corpus and WCXB pages test_body_cascade uses (skipped when ../shared is absent)."""

from __future__ import annotations

from copy import copy

import pytest
from lxml import etree
from lxml.html import HtmlElement
from test_body_cascade import WRITTEN, fixture_pages, parsed, shared_pages
from trafilatura import core, external, htmlprocessing, main_extractor
from trafilatura.settings import BASIC_CLEAN_XPATH
from trafilatura.xpaths import (
    BODY_XPATH,
    DISCARD_IMAGE_ELEMENTS,
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    TEASER_DISCARD_XPATH,
)

from extractors import cascade_basic_clean, cascade_link_density, cascade_parts
from extractors.body_cascade import extractor_options
from extractors.cascade_basic_clean import library_baseline as baseline
from extractors.cascade_body_paths import body_paths
from extractors.cascade_contains import caption_discard, teaser_discard
from extractors.cascade_discard import overall_discard

# Every attribute case the walks must get right: absent, empty, matching, not matching,
# the first of a union (@id|@class) matching or not, on the tags the XPaths select.
ATTRIBUTE_CASES = ("<div class=''>x</div><div id='comment-1'>x</div><section class='sidebar'>x"
                   "</section><div id='main' class='share-bar'>x</div><div class='share-x' "
                   "id='keep'>x</div><span style='display:none'>x</span><p id='hidden-x'>x</p>"
                   "<div class='cookie-note'>x</div><div id='x' class='cookie'>x</div>"
                   "<div class='post-comments'><ol class='comment-list'><li>x</li></ol></div>"
                   "<aside class='infinite-scroll'><h1>x</h1></aside>"
                   "<div id='infinite-scroll'>x</div><div class='teaser'>x</div>"
                   "<div class='photo-caption'>x</div><article class='article-body'>x</article>"
                   "<div class='cookie' id='x'>x</div><p class='reply-x' id='a'>x</p>"
                   "<p id='reply-x' class='a'>x</p><b style='x' id='hidden'>x</b>"
                   "<b id='x' style='hidden'>x</b><i class='comments-title'>x</i>"
                   "<span role='Navigation'>x</span><div data-lp-replacement-content=''>x</div>"
                   "<u aria-hidden='true'>x</u><div style='display: none'>x</div>"
                   "<list class='menu'><item>x</item></list><!-- a comment --><div "
                   "data-component='MostPopularStories'>x</div><div class='story'>x</div>"
                   "<div id='content'>x</div><ul id='comments'><li>x</li></ul><ul class='x'>x</ul>"
                   "<section class='mvp-post-add-box'><h1>x</h1></section>"
                   "<section class='Main-Content'>x</section><div class='page-footer'>x</div>"
                   "<div class='a' id='site-footer'>x</div><div id='site-footer' class='a'>x"
                   "</div><p class='CookieBanner'>x</p><p id='onetrust-pc'>x</p><svg>x</svg>"
                   "<template>x</template><footer>x</footer><div id='Teaser-1'>x</div>"
                   "<p class='TEASER'>x</p><span class='a' id='big-Teaser'>x</span>"
                   "<b class='teaser'>x</b><section id='figcaption'>x</section>"
                   "<p class='Caption'>x</p><i class='caption'>x</i><div class=''>x</div>"
                   "<aside class='elementor-share-buttons x'>x</aside>")


def pages() -> list[tuple[str, HtmlElement, str]]:
    written = [(name, parsed(html), f"https://news.example/{name}")
               for name, html in {**WRITTEN, "attributes": f"<html><body>{ATTRIBUTE_CASES}"
                                  "</body></html>"}.items()]
    fixtures = [(path.stem, parsed(path.read_bytes()), f"https://fixture.example/{path.stem}")
                for path in fixture_pages()]
    shared = [(name, parsed(html), url) for name, html, url in shared_pages()]
    return written + fixtures + shared


PAGES = pages()


CONVERTED: dict[str, HtmlElement] = {}


def converted(name: str, tree: HtmlElement, url: str) -> HtmlElement:
    """A copy of the tree the main extractor receives (cleaned, tags converted)."""
    if name not in CONVERTED:
        options = extractor_options(url, fast=True, include_tables=True)
        CONVERTED[name] = core._prepare_tree(copy(tree), options, url)[0]
    return copy(CONVERTED[name])


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_the_raw_prune_walks_select_the_library_elements(page: tuple[str, HtmlElement, str]
                                                         ) -> None:
    _name, tree, _url = page
    library = RAW_TREE_PRUNE_XPATH + REMOVE_COMMENTS_AND_LISTS_XPATH
    walks = cascade_parts.RAW_TREE_PRUNE + cascade_parts.REMOVE_COMMENTS_AND_LISTS
    for expression, walk in zip(library, walks, strict=True):
        assert walk(tree) == expression(tree), expression.path


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_the_teaser_and_caption_walks_select_the_library_elements(
        page: tuple[str, HtmlElement, str]) -> None:
    _name, tree, url = page
    walks = teaser_discard() + caption_discard()
    for tree_state in (tree, converted(_name, tree, url)):
        for expression, walk in zip(TEASER_DISCARD_XPATH + DISCARD_IMAGE_ELEMENTS, walks,
                                    strict=True):
            assert walk(tree_state) == expression(tree_state), expression.path


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_the_discard_walk_selects_the_library_elements(page: tuple[str, HtmlElement, str]) -> None:
    """What prune_unwanted_nodes reads from OVERALL_DISCARD_XPATH: each expression's
    matches in turn, in document order."""
    _name, tree, url = page
    (select,) = overall_discard()
    for tree_state in (tree, converted(_name, tree, url)):
        assert select(tree_state) == [element for expression in OVERALL_DISCARD_XPATH
                                      for element in expression(tree_state)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_the_body_walks_find_the_library_elements(page: tuple[str, HtmlElement, str]) -> None:
    """What _extract reads from each BODY_XPATH expression: its first element, if any."""
    _name, tree, url = page
    for tree_state in (tree, converted(_name, tree, url)):
        for library, walk in zip(BODY_XPATH, body_paths(), strict=True):
            assert walk(tree_state) == library(tree_state)[:1], library.path


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_the_basic_clean_walk_selects_the_library_elements(page: tuple[str, HtmlElement, str]
                                                          ) -> None:
    _name, tree, _url = page
    select = cascade_basic_clean.basic_clean_selector()
    body = tree.find(".//body")
    for tree_state in (tree, body if body is not None else tree):
        assert select(tree_state) == BASIC_CLEAN_XPATH(tree_state)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_page_text_baseline_and_justext_equal_the_library_functions(
        page: tuple[str, HtmlElement, str]) -> None:
    """html2txt, baseline and justext_rescue on the walk: the same results, input untouched."""
    _name, tree, url = page
    before = etree.tostring(tree)
    assert cascade_basic_clean.html2txt(tree) == baseline.html2txt(tree)
    mine, library = cascade_basic_clean.baseline(tree), baseline.baseline(tree)
    assert (etree.tostring(mine[0]), *mine[1:]) == (etree.tostring(library[0]), *library[1:])
    assert etree.tostring(tree) == before
    options = extractor_options(url, fast=False, include_tables=True)
    mine_j = cascade_basic_clean.justext_rescue(copy(tree), options)
    library_j = external.justext_rescue(copy(tree), options)
    assert mine_j[1] == library_j[1]
    assert etree.tostring(mine_j[0]) == etree.tostring(library_j[0])


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
def test_link_density_pruning_deletes_what_the_library_deletes(
        page: tuple[str, HtmlElement, str]) -> None:
    """Each tag the main extractor prunes by link density, both precision settings, on the
    extractor's input tree: the same tree left behind."""
    name, tree, url = page
    for tagname, backtracking in (("div", True), ("list", False), ("p", False), ("head", False),
                                  ("quote", False)):
        for favor_precision in (False, True):
            mine, library = converted(name, tree, url), converted(name, tree, url)
            cascade_link_density.delete_by_link_density(mine, tagname, backtracking,
                                                        favor_precision)
            htmlprocessing.delete_by_link_density(library, tagname, backtracking,
                                                  favor_precision)
            assert etree.tostring(mine) == etree.tostring(library), (tagname, favor_precision)


def test_elements_with_links_are_the_ancestors_of_each_link() -> None:
    tree = parsed("<html><body><div id='a'><p>x <a href='/1'>one</a></p><p>none</p></div>"
                  "<div id='b'><ul><li><a href='/2'>two</a></li></ul></div><div id='c'>"
                  "text</div></body></html>")
    converted_tree = converted("links", tree, "https://news.example/links")
    linked = cascade_link_density.elements_with_links(converted_tree)
    expected = {element for element in converted_tree.iter()
                if element.findall(".//ref")}
    assert linked == expected and len(expected) >= 4


def test_the_attribute_cases_match_something() -> None:
    """The written attribute page reaches the XPaths (else the comparison above is empty)."""
    tree = parsed(f"<html><body>{ATTRIBUTE_CASES}</body></html>")
    assert cascade_parts.RAW_TREE_PRUNE[1](tree)  # the share-button bar
    assert [len(walk(tree)) for walk in teaser_discard() + caption_discard()] == [3, 2]
    assert all(walk(tree) for walk in cascade_parts.REMOVE_COMMENTS_AND_LISTS)
    assert cascade_parts.RAW_TREE_PRUNE[0](tree)
    assert len(overall_discard()[0](tree)) >= 12
    assert all(walk(tree) for walk in body_paths())
    assert len(cascade_basic_clean.basic_clean_selector()(tree)) >= 7


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
@pytest.mark.parametrize("fast", [True, False])
def test_extract_content_equals_the_library_function(page: tuple[str, HtmlElement, str],
                                                     fast: bool) -> None:
    _name, tree, url = page
    options = extractor_options(url, fast=fast, include_tables=True)
    mine, library = converted(_name, tree, url), converted(_name, tree, url)
    body, text = cascade_parts.extract_content(mine, options)
    library_body, library_text = main_extractor.extract_content(library, options)
    assert text == library_text
    assert etree.tostring(body) == etree.tostring(library_body)
    assert etree.tostring(mine) == etree.tostring(library)  # the same leftovers


def test_the_library_module_keeps_its_own_xpaths() -> None:
    assert main_extractor.OVERALL_DISCARD_XPATH is OVERALL_DISCARD_XPATH
    assert cascade_parts.extract_content is not main_extractor.extract_content
    assert baseline.BASIC_CLEAN_XPATH is BASIC_CLEAN_XPATH
    assert cascade_basic_clean.html2txt is not baseline.html2txt
