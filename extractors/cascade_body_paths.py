"""trafilatura 2.3.1's BODY_XPATH, as the main extractor reads it, evaluated in Python.

`main_extractor._extract` takes only the first element each of the five expressions selects
(`next(...)`), in document order. A walk over the elements that stops at the first match
gives that element without evaluating the expression over the whole tree and without lxml's
callback into Python for each `re:test` (extractors/cascade_discard.py). Each stand-in returns
a list holding that first element, or nothing; tests/test_cascade_parts.py checks it against
the library's expression on every page set. The regular expressions are read from the
library's expressions, and the rest of each is checked against the text implemented here.

First match in document order: for `.//*[…][1]` (the first match among its siblings, in each
parent) the first of all matches in document order is also the first among its siblings; for
`(A)[1]|(B)[1]` it is the first element that matches A or B.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.etree import _Element
from trafilatura.xpaths import BODY_XPATH

from extractors.cascade_discard import library_patterns

CONTAINERS = ("article", "div", "main", "section")
TEMPLATES = (
    ".//*[self::article or self::div or self::main or self::section][ @class='post' or "
    "@class='entry' or @itemprop='articleBody' or @id='articleContent' or re:test(@id, {}) or "
    "re:test(@class, {}) ][1]",
    "(.//article)[1]",
    "(.//*[self::article or self::div or self::main or self::section][ @role='article' or "
    "@id='article' or @id='story' or @class='postarea' or @class='art-postcontent' or "
    "@class='text' or @class='cell' or @class='story' or re:test(@id, {}) or "
    "re:test(@class, {}, 'i') or re:test(@class, {}) ])[1]",
    "(.//*[self::article or self::div or self::main or self::section][ @id='content' or "
    "@class='content' or re:test(@id, {}) or re:test(@class, {}) or "
    "contains(translate(@id, 'CM','cm'), 'main-content') or "
    "contains(translate(@class, 'CM','cm'), 'main-content') or "
    "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]",
    "(.//*[self::article or self::div or self::section][ starts-with(@class, 'main') or "
    "starts-with(@id, 'main') or starts-with(@role, 'main')])[1]|(.//main)[1]",
)

Test = Callable[[_Element], bool]
Selector = Callable[[_Element], list[_Element]]


def _first(tags: tuple[str, ...], test: Test) -> Selector:
    def select(tree: _Element) -> list[_Element]:
        for element in tree.iterdescendants(*tags):
            if test(element):
                return [element]
        return []
    return select


def _article_body(by_id: re.Pattern[str], by_class: re.Pattern[str]) -> Test:
    def test(element: _Element) -> bool:
        get = element.get
        element_class, element_id = get("class"), get("id")
        return bool(element_class in ("post", "entry") or get("itemprop") == "articleBody"
                    or element_id == "articleContent" or by_id.search(element_id or "")
                    or by_class.search(element_class or ""))
    return test


def _story(by_id: re.Pattern[str], full_text: re.Pattern[str], by_class: re.Pattern[str]) -> Test:
    def test(element: _Element) -> bool:
        get = element.get
        element_class, element_id = get("class"), get("id")
        return bool(get("role") == "article" or element_id in ("article", "story")
                    or element_class in ("postarea", "art-postcontent", "text", "cell", "story")
                    or by_id.search(element_id or "") or full_text.search(element_class or "")
                    or by_class.search(element_class or ""))
    return test


def _content(by_id: re.Pattern[str], by_class: re.Pattern[str]) -> Test:
    def test(element: _Element) -> bool:
        get = element.get
        element_id, element_class = get("id") or "", get("class") or ""
        return bool(get("id") == "content" or get("class") == "content"
                    or by_id.search(element_id) or by_class.search(element_class)
                    or "main-content" in element_id.replace("C", "c").replace("M", "m")
                    or "main-content" in element_class.replace("C", "c").replace("M", "m")
                    or "page-content" in element_class.replace("C", "c").replace("P", "p"))
    return test


def _main(element: _Element) -> bool:
    if element.tag == "main":
        return True
    get = element.get
    return ((get("class") or "").startswith("main") or (get("id") or "").startswith("main")
            or (get("role") or "").startswith("main"))


def body_paths() -> list[Selector]:
    """Stand-ins for BODY_XPATH's five expressions, in its order, for `next(...)`."""
    found = [library_patterns(expression.path, template)
             for expression, template in zip(BODY_XPATH, TEMPLATES, strict=True)]
    article_body = [re.compile(pattern) for pattern in found[0]]
    story_id, full_text, story_class = found[2]
    content = [re.compile(pattern) for pattern in found[3]]
    return [_first(CONTAINERS, _article_body(*article_body)),
            _first(("article",), lambda _element: True),
            _first(CONTAINERS, _story(re.compile(story_id), re.compile(full_text, re.IGNORECASE),
                                      re.compile(story_class))),
            _first(CONTAINERS, _content(*content)),
            _first(("article", "div", "section", "main"), _main)]
