"""trafilatura 2.3.1's raw-tree prune XPaths and its comment-section XPath, evaluated in Python.

Before anything else the cascade removes infinite-scroll containers and Elementor share bars
(RAW_TREE_PRUNE_XPATH's two expressions) and comment sections (REMOVE_COMMENTS_AND_LISTS_XPATH)
from the raw page. lxml makes each `re:test` of these expressions a call back into Python for
every candidate element, and libxml2 copies every candidate's class for `contains(@class, …)`
(extractors/cascade_parts.py). These walks select the same elements in document order; the
regular expressions are read from the library's expressions and the rest of each is checked
against the text implemented here (extractors/cascade_discard.py), and
tests/test_cascade_parts.py compares the selections on every page set.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.etree import _Element
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from extractors.cascade_contains import elements_naming
from extractors.cascade_discard import library_patterns

SCROLL_TEMPLATE = (
    ".//*[self::div or self::section or self::aside][ re:test(@id, {}) or re:test(@class, {})]"
    "[ not(.//h1) or re:test(@id, {}) or re:test(@class, {})]")
COMMENTS_TEMPLATE = (
    ".//*[self::div or self::list or self::section or self::details or self::ol or self::ul]["
    " re:test(@id, {}) or re:test(@class, {})][ not(self::ol or self::ul) or re:test(@id, {}) "
    "or re:test(@class, {})]")
SHARE_BUTTONS_EXPRESSION = (
    ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]")
SCROLL_TAGS = ("div", "section", "aside")
COMMENT_TAGS = ("div", "list", "section", "details", "ol", "ul")

Selector = Callable[[_Element], list[_Element]]
Patterns = tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]


def _compiled(path: str, template: str) -> Patterns:
    first_id, first_class, second_id, second_class = (
        re.compile(pattern) for pattern in library_patterns(path, template))
    return first_id, first_class, second_id, second_class


def _scroll_selector(patterns: Patterns) -> Selector:
    """Infinite-scroll containers, unless one holds the page's h1 (then it is the article),
    which the theme's own "mvp-post-add" containers never are."""
    scroll_id, scroll_class, theme_id, theme_class = patterns

    def select(tree: _Element) -> list[_Element]:
        selected = []
        for element in tree.iterdescendants(*SCROLL_TAGS):
            element_id, element_class = element.get("id") or "", element.get("class") or ""
            if ((scroll_id.search(element_id) or scroll_class.search(element_class))
                    and (next(element.iterdescendants("h1"), None) is None
                         or theme_id.search(element_id) or theme_class.search(element_class))):
                selected.append(element)
        return selected
    return select


def _comments_selector(patterns: Patterns) -> Selector:
    """Comment sections; an ol or ul list only where its own names say comments."""
    any_id, any_class, list_id, list_class = patterns

    def select(tree: _Element) -> list[_Element]:
        selected = []
        for element in tree.iterdescendants(*COMMENT_TAGS):
            element_id, element_class = element.get("id") or "", element.get("class") or ""
            if ((any_id.search(element_id) or any_class.search(element_class))
                    and (element.tag not in ("ol", "ul") or list_id.search(element_id)
                         or list_class.search(element_class))):
                selected.append(element)
        return selected
    return select


def raw_tree_prune() -> list[Selector]:
    """Stand-ins for RAW_TREE_PRUNE_XPATH's two expressions, in its order."""
    scroll, share_buttons = RAW_TREE_PRUNE_XPATH  # ValueError on import if there are more
    library_patterns(share_buttons.path, SHARE_BUTTONS_EXPRESSION)  # ImportError if it differs
    # Elementor's share-button bars: no regular expression, but libxml2 copies the class of
    # every div, section and aside for the test, three times the walk's cost.
    return [_scroll_selector(_compiled(scroll.path, SCROLL_TEMPLATE)),
            elements_naming("elementor-share-buttons", SCROLL_TAGS, ("class",))]


def remove_comments_and_lists() -> list[Selector]:
    """A stand-in for REMOVE_COMMENTS_AND_LISTS_XPATH (one expression)."""
    (expression,) = REMOVE_COMMENTS_AND_LISTS_XPATH
    return [_comments_selector(_compiled(expression.path, COMMENTS_TEMPLATE))]
