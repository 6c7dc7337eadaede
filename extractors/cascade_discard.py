"""trafilatura 2.3.1's OVERALL_DISCARD_XPATH evaluated in Python, element for element.

The main extractor prunes each candidate body with two XPath expressions that test a dozen
attributes of every element, five of them with EXSLT regular expressions: lxml calls back into
Python for each such test. One walk over the elements, reading their attributes and running
the same regular expressions directly, selects the same elements in the same (document) order
at a fraction of the cost (docs/extraction.md, CPU). The regular expressions are taken from the
library's expressions themselves, and the rest of each expression is checked against the text
this module implements, so another release fails at import instead of drifting
(tests/test_cascade_parts.py compares the selections on every page set).

XPath details kept: `.//*` is the descendants only, never the context element;
`@id|@class` as a string is the value of whichever of the two comes first in the element's
source; an absent attribute is the empty string.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.etree import Element, _Element
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

# A `re:test` call's opening up to its pattern, and the pattern.
RE_TEST = re.compile(r"(re:test\(@[\w|@-]+,\s*)'([^']*)'")
BLOCK_TAGS = frozenset({"div", "item", "list", "p", "section", "span"})

# The library's two expressions with their regular expressions cut out (as RE_TEST finds them).
BLOCK_EXPRESSION = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
    "@data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
    "contains(@data-component, 'MostPopularStories') or re:test(@id|@class, {}) or "
    "re:test(@id, {}) or re:test(@class, {})]")
ANY_EXPRESSION = (
    ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or "
    "re:test(@id|@style, {}) or contains(@style, 'display:none') or "
    "contains(@style, 'display: none') or re:test(@id, {}) or re:test(@class, {}) or "
    "@aria-hidden='true']")

Selector = Callable[[_Element], list[_Element]]


def library_patterns(path: str, template: str) -> list[str]:
    """The regular expressions of a library expression whose rest is `template` (each
    pattern replaced by "{}"); ImportError where the rest differs."""
    rest = RE_TEST.sub(lambda call: f"{call[1]}{{}}", path)
    if "".join(rest.split()) != "".join(template.split()):  # whitespace aside
        raise ImportError(f"trafilatura's XPath is not the one this module implements "
                          f"(trafilatura is pinned, docs/dependencies.md): {path!r}")
    return [pattern for _opening, pattern in RE_TEST.findall(path)]


def _patterns(path: str, template: str) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in library_patterns(path, template)]


def _first_of(element: _Element, first: str, second: str) -> str:
    """The string value of `@first|@second`: the one that comes first in the source."""
    value_first, value_second = element.get(first), element.get(second)
    if value_first is None:
        return value_second or ""
    if value_second is None:
        return value_first
    for name in element.attrib:  # both present: source order decides
        if name in (first, second):
            return value_first if name == first else value_second
    return value_first


def _discarded_block(element: _Element, cookie: re.Pattern[str], by_id: re.Pattern[str],
                     by_class: re.Pattern[str]) -> bool:
    """OVERALL_DISCARD_XPATH[0]'s test, the tag aside: navigation, sharing, ads, cookies…"""
    get = element.get
    return bool(get("data-lp-replacement-content") is not None
                or "nav" in (get("role") or "").replace("N", "n")
                or "MostPopularStories" in (get("data-component") or "")
                or cookie.search(_first_of(element, "id", "class"))
                or by_id.search(get("id") or "")
                or by_class.search(get("class") or ""))


def _discarded_any(element: _Element, hidden: re.Pattern[str], by_id: re.Pattern[str],
                   by_class: re.Pattern[str]) -> bool:
    """OVERALL_DISCARD_XPATH[1]'s test: hidden elements, comment replies and forms."""
    get = element.get
    style = get("style") or ""
    return bool(get("class") == "comments-title"
                or _first_of(element, "id", "class").startswith("reply-")
                or hidden.search(_first_of(element, "id", "style"))
                or "display:none" in style or "display: none" in style
                or by_id.search(get("id") or "")
                or by_class.search(get("class") or "")
                or get("aria-hidden") == "true")


def overall_discard() -> list[Selector]:
    """One callable standing in for both OVERALL_DISCARD_XPATH expressions in
    `prune_unwanted_nodes`: one walk over the elements, the first expression's matches then the
    second's, each in document order, which is what that function reads from the two."""
    block, anything = OVERALL_DISCARD_XPATH
    block_patterns = _patterns(block.path, BLOCK_EXPRESSION)
    any_patterns = _patterns(anything.path, ANY_EXPRESSION)

    def select(tree: _Element) -> list[_Element]:
        blocks, others = [], []
        for element in tree.iterdescendants(Element):
            if element.tag in BLOCK_TAGS and _discarded_block(element, *block_patterns):
                blocks.append(element)
            if _discarded_any(element, *any_patterns):
                others.append(element)
        return blocks + others
    return [select]
