"""Faster, exact equivalents of trafilatura 2.3.1's pruning XPaths, and its main extractor
running on them.

trafilatura's discard and body XPaths test id and class names with EXSLT regular
expressions (`re:test(@id, '…')`). lxml runs each `re:test` as a call back into Python, made
for every candidate element, also where the element has no such attribute, and it hands the
attribute over as a "smart" string holding a reference to a new proxy of its element. On
news pages most elements carry neither id nor class, so most of those calls test "" and
most of the proxies are thrown away at once. Two changes keep every result element for
element (tests/test_cascade_parts.py compares them on every page set):

- each `re:test(ATTRS, 'PATTERN')` becomes `((ATTRS) and re:test(ATTRS, 'PATTERN'))`: XPath's
  `and` stops at an empty node-set, and an absent attribute reaches `re:test` as "", on which
  the pattern is checked (at import) not to match: the guard changes no answer;
- the expressions are compiled with `smart_strings=False`: the attribute reaches the regular
  expression as a plain string (the results are elements, never strings, so nothing else
  changes).

The two heaviest, OVERALL_DISCARD_XPATH (every candidate body's pruning) and BODY_XPATH (the
choice of that body), run as Python walks instead (extractors/cascade_discard.py,
extractors/cascade_body_paths.py), as do the teaser and caption discards
(extractors/cascade_contains.py), and the link-density pruning asks only elements that hold
a link (extractors/cascade_link_density.py).

`extract_content` is trafilatura's own function (its code object, not a copy of its source)
bound to a namespace where its discard and body XPaths are these stand-ins: the library's
module stays untouched, so `trafilatura.extract` itself runs exactly as shipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any, cast

from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura import main_extractor
from trafilatura.settings import Extractor
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REGEXP_NS

from extractors.cascade_body_paths import body_paths
from extractors.cascade_contains import caption_discard, teaser_discard
from extractors.cascade_discard import overall_discard
from extractors.cascade_link_density import delete_by_link_density
from extractors.cascade_raw_prune import raw_tree_prune, remove_comments_and_lists

# `re:test(` an attribute or a union of attributes, a quoted pattern, optional quoted flags.
RE_TEST_CALL = re.compile(
    r"re:test\((?P<attrs>@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'(?P<pattern>[^']*)'"
    r"(?:\s*,\s*'(?P<flags>[^']*)')?\s*\)")


def guarded_path(path: str) -> str:
    """The XPath text with every `re:test` on attributes guarded by their presence.

    Raises ValueError for a pattern that matches the empty string: there the guard would
    change the answer for elements without the attribute."""
    def guard(call: re.Match[str]) -> str:
        flags = re.IGNORECASE if "i" in (call["flags"] or "") else 0
        if re.search(call["pattern"], "", flags) is not None:
            raise ValueError(f"re:test pattern matches the empty string: {call['pattern']!r}")
        return f"(({call['attrs']}) and {call[0]})"
    return RE_TEST_CALL.sub(guard, path)


def guarded(expressions: Sequence[XPath]) -> list[XPath]:
    """The same expressions, guarded and without smart strings (module docstring)."""
    return [XPath(guarded_path(expression.path), namespaces={"re": REGEXP_NS},
                  smart_strings=False) for expression in expressions]


# the raw-tree prune: walks where the library's XPaths call regular expressions
RAW_TREE_PRUNE = raw_tree_prune(guarded(RAW_TREE_PRUNE_XPATH[1:]))
REMOVE_COMMENTS_AND_LISTS = remove_comments_and_lists()


def rebound(function: Callable[..., Any], namespace: dict[str, Any]) -> Callable[..., Any]:
    """`function`'s own code running with `namespace` as its module globals."""
    assert isinstance(function, FunctionType)
    bound = FunctionType(function.__code__, namespace, function.__name__,
                         function.__defaults__, function.__closure__)
    bound.__kwdefaults__ = function.__kwdefaults__
    return bound


def _main_extractor_namespace() -> dict[str, Any]:
    """trafilatura.main_extractor's globals with the guarded XPaths, and the functions on the
    way from `extract_content` to them bound to this namespace (so they call each other)."""
    namespace = dict(vars(main_extractor))
    namespace.update(OVERALL_DISCARD_XPATH=overall_discard(),
                     TEASER_DISCARD_XPATH=teaser_discard(),
                     DISCARD_IMAGE_ELEMENTS=caption_discard(),
                     BODY_XPATH=body_paths(),
                     delete_by_link_density=delete_by_link_density)
    for name in ("extract_content", "_extract", "prune_unwanted_sections"):
        namespace[name] = rebound(getattr(main_extractor, name), namespace)
    return namespace


_EXTRACT_CONTENT = cast(Callable[[HtmlElement, Extractor], tuple[_Element, str]],
                        _main_extractor_namespace()["extract_content"])


def extract_content(cleaned_tree: HtmlElement, options: Extractor) -> tuple[_Element, str]:
    """`trafilatura.main_extractor.extract_content` on the guarded XPaths: the same result
    body and text, and the same changes to `cleaned_tree`."""
    return _EXTRACT_CONTENT(cleaned_tree, options)
