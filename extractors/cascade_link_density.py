"""trafilatura 2.3.1's `delete_by_link_density`, asking only elements that hold a link.

The main extractor prunes each candidate body six times by link density (`div`, `list` and
`p`, twice). For every such element `link_density_test` first looks for `<ref>` descendants
(`findall(".//ref")`, a scan of the element's whole subtree) and returns (False, False),
"keep", where there is none: most elements, and the nested `div`s of a page are scanned again
for each level. One pass up from each `<ref>` finds every element that has one below it; the
others get the library's answer for an element without links, keep, with no scan. Deleting
elements only removes links, never adds one, so an element without a link when the pass
runs has none when it is tested. The loop is the library's (2.3.1), otherwise unchanged;
tests/test_cascade_parts.py compares `extract_content` on it with the library's on every
page set.
"""

from __future__ import annotations

from lxml.html import HtmlElement
from trafilatura.htmlprocessing import link_density_test
from trafilatura.utils import trim
from trafilatura.xml import delete_element


def elements_with_links(tree: HtmlElement) -> set[HtmlElement]:
    """Every element with a `<ref>` descendant (the ancestors of each `<ref>`)."""
    linked: set[HtmlElement] = set()
    for ref in tree.iter("ref"):
        for ancestor in ref.iterancestors():
            if ancestor in linked:
                break  # and so are all of its ancestors
            linked.add(ancestor)
    return linked


def delete_by_link_density(subtree: HtmlElement, tagname: str, backtracking: bool = False,
                           favor_precision: bool = False) -> HtmlElement:
    """`trafilatura.htmlprocessing.delete_by_link_density`, the same deletions."""
    linked = elements_with_links(subtree)
    deletions = []
    len_threshold = 200 if favor_precision else 100
    depth_threshold = 1 if favor_precision else 3
    for elem in subtree.iter(tagname):
        if elem not in linked:
            continue  # link_density_test: no <ref> below, (False, False): kept
        result, short_with_links = link_density_test(elem, favor_precision)
        if result or (
            backtracking
            and short_with_links
            and len(elem) >= depth_threshold
            and len(trim(elem.text_content())) < len_threshold
        ):
            parent = elem.getparent()
            if tagname == "p" and parent is not None and parent.tag in ("item", "td", "th"):
                continue  # the library keeps a list item's paragraph (its GH #788)
            deletions.append(elem)
    for elem in dict.fromkeys(deletions):
        delete_element(elem)
    return subtree
