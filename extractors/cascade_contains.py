"""trafilatura 2.3.1's teaser and caption discard XPaths evaluated in Python.

The main extractor prunes each candidate body with DISCARD_IMAGE_ELEMENTS (captions) and,
outside recall focus, TEASER_DISCARD_XPATH. Both select the block elements whose `id` or
`class` contains a word (`contains(translate(@id, 'T', 't'), 'teaser')`, `contains(@class,
'caption')`): libxml2 copies each attribute's value for every test, which costs two to three
times a walk over the same six tags reading the two attributes (docs/extraction.md, "Sixth
pass"). The walks select the same elements in the same (document) order; the library's
expression text is checked against the one implemented here at import, so another release
fails there instead of drifting (tests/test_cascade_parts.py compares the selections on every
page set).

XPath details kept: `.//*` is the descendants only; an absent attribute is the empty string,
which contains neither word; `translate(…, 'T', 't')` lower-cases the letter T only.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml.etree import XPath, _Element
from trafilatura.xpaths import DISCARD_IMAGE_ELEMENTS, TEASER_DISCARD_XPATH

from extractors.cascade_discard import library_patterns

BLOCK_TAGS = ("div", "item", "list", "p", "section", "span")
TEASER_EXPRESSION = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
    "contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), "
    "'teaser')]")
CAPTION_EXPRESSION = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
    "contains(@id, 'caption') or contains(@class, 'caption')]")

Selector = Callable[[_Element], list[_Element]]


def _checked(expressions: list[XPath], template: str) -> None:
    """ImportError unless the library has one expression and it is `template` (whitespace
    aside): `library_patterns`' check, for an expression without regular expressions."""
    (expression,) = expressions
    library_patterns(expression.path, template)


def elements_naming(word: str, tags: tuple[str, ...], attributes: tuple[str, ...] = ("id", "class"),
                    *, lower_t: bool = False) -> Selector:
    """The descendants with one of `tags` whose value of one of `attributes` contains `word`
    (with `T` lower-cased first where `lower_t`), in document order: XPath's
    `contains(@a, 'word') or contains(@b, 'word')` on `.//*[self::…]`."""
    def select(tree: _Element) -> list[_Element]:
        found = []
        for element in tree.iterdescendants(*tags):
            for name in attributes:
                value = element.get(name)
                if value is not None and word in (value.replace("T", "t") if lower_t else value):
                    found.append(element)
                    break
        return found
    return select


def teaser_discard() -> list[Selector]:
    """A stand-in for TEASER_DISCARD_XPATH (one expression)."""
    _checked(TEASER_DISCARD_XPATH, TEASER_EXPRESSION)
    return [elements_naming("teaser", BLOCK_TAGS, lower_t=True)]


def caption_discard() -> list[Selector]:
    """A stand-in for DISCARD_IMAGE_ELEMENTS (one expression)."""
    _checked(DISCARD_IMAGE_ELEMENTS, CAPTION_EXPRESSION)
    return [elements_naming("caption", BLOCK_TAGS)]
