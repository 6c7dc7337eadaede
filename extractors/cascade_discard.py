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
from collections.abc import Callable, Sequence

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
    return _source_first(element.keys(), first, element.get(first), second, element.get(second))


# Every attribute either test reads: an element with none of them matches neither (the
# patterns are checked at import not to match the empty string an absent attribute gives).
READ_ATTRIBUTES = frozenset({"data-lp-replacement-content", "role", "data-component", "id",
                             "class", "style", "aria-hidden"})


def _source_first(keys: Sequence[object], first: str, value_first: str | None, second: str,
                  value_second: str | None) -> str:
    """The string value of `@first|@second` for an element whose attribute names, in source
    order, are `keys` and whose values of the two are given: the one that comes first."""
    if value_first is None:
        return value_second or ""
    if value_second is None:
        return value_first
    return value_first if keys.index(first) < keys.index(second) else value_second


def overall_discard() -> list[Selector]:
    """One callable standing in for both OVERALL_DISCARD_XPATH expressions in
    `prune_unwanted_nodes`: one walk over the elements, the first expression's matches then the
    second's, each in document order, which is what that function reads from the two.

    The walk skips elements without any attribute the tests read, and runs the two long class
    patterns once per distinct class value of the tree (a page repeats its classes: "nav-item"
    forty times); docs/extraction.md, "Sixth pass"."""
    block, anything = OVERALL_DISCARD_XPATH
    cookie, block_id, block_class = _patterns(block.path, BLOCK_EXPRESSION)
    hidden, any_id, any_class = _patterns(anything.path, ANY_EXPRESSION)
    for pattern in (cookie, block_id, block_class, hidden, any_id, any_class):
        if pattern.search("") is not None:
            raise ImportError(f"discard pattern matches the empty string: {pattern.pattern!r}")

    def select(tree: _Element) -> list[_Element]:
        blocks, others = [], []
        class_hits: dict[str, tuple[bool, bool]] = {}  # class -> (block test, any test)
        for element in tree.iterdescendants(Element):
            keys = element.keys()
            if not keys or READ_ATTRIBUTES.isdisjoint(keys):
                continue
            get = element.get
            ident, klass, style = get("id"), get("class"), get("style")
            if klass is None:
                block_hit = any_hit = False
                id_or_class = ident or ""
            else:
                hits = class_hits.get(klass)
                if hits is None:
                    hits = class_hits[klass] = (block_class.search(klass) is not None,
                                                any_class.search(klass) is not None)
                block_hit, any_hit = hits
                id_or_class = (klass if ident is None
                               else _source_first(keys, "id", ident, "class", klass))
            if element.tag in BLOCK_TAGS and (
                    block_hit
                    or get("data-lp-replacement-content") is not None
                    or "nav" in (get("role") or "").replace("N", "n")
                    or "MostPopularStories" in (get("data-component") or "")
                    or cookie.search(id_or_class) or block_id.search(ident or "")):
                blocks.append(element)
            if (any_hit or klass == "comments-title" or id_or_class.startswith("reply-")
                    or hidden.search(ident or "" if style is None
                                     else _source_first(keys, "id", ident, "style", style))
                    or (style is not None and ("display:none" in style
                                               or "display: none" in style))
                    or any_id.search(ident or "") or get("aria-hidden") == "true"):
                others.append(element)
        return blocks + others
    return [select]
