"""trafilatura's byline search (`trafilatura.metadata.extract_author`), same answer, less CPU.

trafilatura copies the whole tree, deletes comment blocks, sidebars, dates, figures and the like
from the copy (`AUTHOR_DISCARD_XPATHS`), then tries three XPath rule sets (`AUTHOR_XPATHS`) in
order and takes the first element whose text is 3 to 119 characters long. Those XPaths test
`class` and `id` with EXSLT `re:test`, which calls back into Python once per element and test:
about 12 ms a page on the public article pages, more than the rest of the metadata together.

Here one pass over the elements in Python picks every element that could match any rule,
discard or author (a superset: substrings shared by all alternatives of each regular
expression, see `_candidates`); the rules' exact conditions then run on those few elements with
the same regular expressions, compiled once (`re:test` is `re.search` on the attribute's value,
"" when the attribute is missing). Nothing is copied or deleted: a candidate inside a discarded
element is skipped, and the text of a candidate that contains discarded elements is rebuilt as
trafilatura's deletion leaves it (each deleted element's tail joins the text before it, with no
space between). tests/test_author_search.py keeps trafilatura's own call as the reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast

from lxml import etree
from trafilatura.json_metadata import normalize_authors
from trafilatura.utils import trim

# Which elements can match any rule, discard or author: a superset, tested cheaply in one pass.
# Each needle is a substring shared by all alternatives of the `class` or `id` test it stands
# for; the rarer attributes count by their mere presence, and <time>, <figure>, <author> by name.
_CLASS_NEEDLES = re.compile(
    "uthor|byl|yline|BBL|username|screenname|writer|channel-name|zuozhe|bianji|xiaobian"
    "|submitted-by|posted-by|journalist-name|omment|sidebar|is-hidden|quote|embedly-instagram"
    "|article-s|print|category|meta-date|meta-reviewer"
)  # no ^title$|^date$ here: an anchor stops `re` skipping ahead, doubling the search's cost
_ID_NEEDLES = re.compile("uthor|zuozhe|bianji|xiaobian|omment|ProductReviews")
_OTHER_ATTRIBUTES = frozenset({"itemprop", "data-component", "rel", "data-testid"})
_READ_ATTRIBUTES = _OTHER_ATTRIBUTES | {"class", "id"}
_NAMED_TAGS = frozenset({"time", "figure", "author"})
_DISCARD_CLASS_VALUES = frozenset({"comments", "title", "date"})  # exact @class values


def _candidates(tree: etree._Element) -> list[etree._Element]:
    """In document order, every element of `tree` (itself included) a rule could select.

    A Python loop: one libxml2 XPath with the same tests as `contains()` costs four times as
    much (each test copies the attribute's value), the EXSLT version ten times.
    """
    found = []
    get = etree._Element.get
    # rel='me' in the first author rule tests a child element <rel>, so its parent is a candidate
    rel_parents = {rel.getparent() for rel in tree.iter("rel")}
    # A page repeats its class values ("nav-item" forty times): each is searched once.
    class_hits: dict[str, bool] = {}
    for elem in tree.iter(etree.Element):
        keys = elem.keys()
        if keys and not _READ_ATTRIBUTES.isdisjoint(keys):
            css, ident = get(elem, "class"), get(elem, "id")
            class_hit: bool | None = False
            if css:
                class_hit = class_hits.get(css)
                if class_hit is None:
                    class_hit = class_hits[css] = (css in _DISCARD_CLASS_VALUES
                                                   or _CLASS_NEEDLES.search(css) is not None)
            if (class_hit or (ident and _ID_NEEDLES.search(ident))
                    or not _OTHER_ATTRIBUTES.isdisjoint(keys)):
                found.append(elem)
                continue
        if elem.tag in _NAMED_TAGS or (rel_parents and elem in rel_parents):
            found.append(elem)
    return found


# AUTHOR_DISCARD_XPATHS[0] (the second one is every <time> and <figure>).
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)

# AUTHOR_XPATHS, in trafilatura's order.
_SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_SPECIFIC_CLASS = re.compile("author-?name|AuthorName|authorName")
_GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_GENERIC_CLASS_VALUES = frozenset({"byline", "username", "byl", "BBL"})
_GENERIC_ID = re.compile("author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_ANY_ID = re.compile("[Aa]uthor")
_ANY_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")

MAX_AUTHOR_CHARS = 119  # trafilatura: 2 < len(text) < 120


class _Pruned:
    """The tree as trafilatura's pruned copy would be, answered from the original."""

    def __init__(self, root: etree._Element, candidates: list[etree._Element]) -> None:
        self.root = root
        # The root is never deleted (it has no parent to leave).
        self.dropped = {e for e in candidates if e is not root and _is_discarded(e)}
        self._holders: set[etree._Element] | None = None

    def removed(self, elem: etree._Element) -> bool:
        """Whether `elem` is gone from the pruned copy: it or an ancestor was deleted."""
        if elem in self.dropped:
            return True
        if elem is self.root:
            return False
        for ancestor in elem.iterancestors():
            if ancestor in self.dropped:
                return True
            if ancestor is self.root:
                break
        return False

    def text_pieces(self, elem: etree._Element) -> list[str]:
        """`list(elem.itertext())` on the pruned copy."""
        holders = self._deletion_holders()
        if elem not in holders:
            return list(_itertext(elem))
        return list(self._walk(elem, holders))

    def _deletion_holders(self) -> set[etree._Element]:
        """Every element with a deleted element somewhere below it."""
        if self._holders is None:
            self._holders = set()
            for elem in self.dropped:
                for ancestor in elem.iterancestors():
                    if ancestor in self._holders:
                        break  # its ancestors are in already
                    self._holders.add(ancestor)
        return self._holders

    def _walk(self, elem: etree._Element, holders: set[etree._Element]) -> Iterator[str]:
        # Iterative itertext (no recursion limit on deep pages). `slot` is the text node the
        # next deleted sibling's tail would be appended to: the parent's text before any kept
        # child, else the last kept sibling's tail (trafilatura.xml.delete_element).
        slot = elem.text
        stack: list[tuple[Iterator[etree._Element], etree._Element]] = []
        children: Iterator[etree._Element] = iter(elem)
        while True:
            child = next(children, None)
            if child is None:
                if slot is not None:
                    yield slot
                if not stack:
                    return
                children, finished = stack.pop()
                slot = finished.tail
                continue
            if child in self.dropped:
                if child.tail:
                    slot = (slot or "") + child.tail
                continue
            if slot is not None:
                yield slot
            if child in holders:
                stack.append((children, child))
                children, slot = iter(child), child.text
                continue
            if isinstance(child.tag, str):  # comments and PIs give no text, only their tail
                yield from _itertext(child)
            slot = child.tail


def _itertext(elem: etree._Element) -> Iterator[str]:
    return cast("Iterator[str]", elem.itertext())  # text of a parsed HTML tree is str


def _attr(elem: etree._Element, name: str) -> str:
    return elem.get(name) or ""


def _is_discarded(elem: etree._Element) -> bool:
    if elem.tag in ("time", "figure"):
        return True
    if elem.tag not in _DISCARD_TAGS:
        return False
    elem_id, elem_class = _attr(elem, "id"), _attr(elem, "class")
    return (elem_id == "comments" or elem_class in _DISCARD_CLASS_VALUES
            or _DISCARD_ID.search(elem_id) is not None
            or _DISCARD_CLASS.search(elem_class) is not None
            or "Figure" in _attr(elem, "data-component"))


def _specific(elem: etree._Element, pruned: _Pruned) -> bool:
    if elem.tag == "author":  # the "|//author" union
        return True
    if elem.tag not in _SPECIFIC_TAGS:
        return False
    return (elem.get("rel") == "author" or elem.get("id") == "author"
            or elem.get("class") == "author" or elem.get("itemprop") == "author name"
            or elem.get("data-testid") in ("AuthorCard", "AuthorURL")
            or _SPECIFIC_CLASS.search(_attr(elem, "class")) is not None
            # rel='me' in the XPath compares a CHILD element <rel>'s text, not an attribute
            or any(child.tag == "rel" and "".join(pruned.text_pieces(child)) == "me"
                   for child in elem))


def _generic(elem: etree._Element, pruned: _Pruned) -> bool:
    if elem.tag not in _GENERIC_TAGS:
        return False
    return (_attr(elem, "class") in _GENERIC_CLASS_VALUES
            or "author" in _attr(elem, "itemprop")
            or _GENERIC_ID.search(_attr(elem, "id")) is not None
            or _GENERIC_CLASS.search(_attr(elem, "class")) is not None)


def _last_resort(elem: etree._Element, pruned: _Pruned) -> bool:
    return ("Byline" in _attr(elem, "data-component") or "author" in _attr(elem, "itemprop")
            or _ANY_ID.search(_attr(elem, "id")) is not None
            or _ANY_CLASS.search(_attr(elem, "class")) is not None)


_RULES: tuple[Callable[[etree._Element, _Pruned], bool], ...] = (_specific, _generic,
                                                                 _last_resort)


def find_author(tree: etree._Element) -> str | None:
    """The author string `trafilatura.metadata.extract_author(tree)` gives; `tree` unchanged."""
    candidates = _candidates(tree)
    if not candidates:
        return None
    pruned = _Pruned(tree, candidates)
    for rule in _RULES:
        for elem in candidates:
            if not rule(elem, pruned) or pruned.removed(elem):
                continue
            text = trim(" ".join(pruned.text_pieces(elem)))
            if text and 2 < len(text) <= MAX_AUTHOR_CHARS:
                return normalize_authors(None, text)
    return None
