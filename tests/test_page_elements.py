"""extractors/page_elements.py finds what each reader's own query found.

Checked on hand-made edge cases, the fixture and labelled pages and, when present, every shared
corpus and WCXB development page, on the trees extract_article builds.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html
from page_sets import missing, pages

from extractors import article, html_tree
from extractors.page_elements import page_elements
from extractors.page_head import find_head_parts

JSON_LD_XPATH = '//script[@type="application/ld+json"]'
RELS = ("canonical", "Canonical", "CANONICAL alternate", "\tcanonical\n", "canonical\xa0",
        "noncanonical", "canonical-x", "", "alternate  CaNoNiCaL")


def _trees(kind: str) -> list[lxml_html.HtmlElement]:
    trees = []
    for _, html in pages(kind):
        decoded = article._decode(html, None)
        tree = html_tree.load_html(decoded) if isinstance(decoded, str) else None
        if tree is not None:
            trees.append(tree)
    return trees


def _same_as_the_queries(tree: lxml_html.HtmlElement) -> None:
    elements = page_elements(tree)
    assert elements is not None
    assert elements.metas == list(tree.iter("meta"))
    assert elements.jsonld_scripts == tree.xpath(JSON_LD_XPATH)
    assert elements.head_parts == find_head_parts(tree)
    assert article._canonical_hrefs_of(elements) == article._canonical_hrefs(tree)


def test_edge_cases() -> None:
    links = "".join(f'<link rel="{rel}" href="/{i}">' for i, rel in enumerate(RELS))
    html = (f'<html><head>{links}<link rel="canonical"><meta property="og:url" content="/o">'
            '<meta property="og:url"><script type="application/ld+json">{}</script>'
            '<script type="application/settings+json">{}</script></head><body>'
            '<link href="/b" rel="canonical"><script type="application/ld+json">[]</script>'
            '<meta property="og:url" content=""></body></html>')
    tree = html_tree.load_html(html)
    assert tree is not None
    _same_as_the_queries(tree)
    elements = page_elements(tree)
    assert elements is not None
    assert article._canonical_hrefs_of(elements) == ["/0", "/1", "/2", "/3", "/8", "/b",
                                                      "/o", ""]
    two_heads = html_tree.load_html("<html><head></head><body><head><meta name=a>"
                                    "</head></body></html>")
    assert two_heads is not None
    _same_as_the_queries(two_heads)


def test_a_fragment_is_left_to_the_queries() -> None:
    fragment = html_tree.load_html("<div><link rel=canonical href=/x><p>text</p></div>"
                                   "<div>more</div>")
    assert fragment is not None and fragment.getparent() is not None
    assert page_elements(fragment) is None


@pytest.mark.parametrize("kind", ["fixtures", "corpus", "wcxb"])
def test_every_page(kind: str) -> None:
    if (folder := missing(kind)) is not None:
        pytest.skip(f"{folder} not present")
    trees = _trees(kind)
    assert trees
    for tree in trees:
        _same_as_the_queries(tree)
