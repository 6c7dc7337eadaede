"""Faster, exact equivalents of trafilatura 2.3.1's pruning XPaths, and its main extractor
running on them.

trafilatura's discard and body XPaths test id and class names with EXSLT regular
expressions (`re:test(@id, '…')`). lxml runs each `re:test` as a call back into Python, made
for every candidate element, also where the element has no such attribute; the others test
`contains(@class, '…')`, for which libxml2 copies every candidate's attribute. Each runs here
as a Python walk over the candidate tags, reading the attributes directly and running the
library's own regular expressions (each module checks the rest of the library's expression
text at import): OVERALL_DISCARD_XPATH, every candidate body's pruning
(extractors/cascade_discard.py); BODY_XPATH, the choice of that body
(extractors/cascade_body_paths.py); the teaser and caption discards
(extractors/cascade_contains.py); the raw-tree prune and the comment sections
(extractors/cascade_raw_prune.py). The link-density pruning asks only elements that hold a
link (extractors/cascade_link_density.py). tests/test_cascade_parts.py compares every
selection with the library's on every page set.

`extract_content` is trafilatura's own function (its code object, not a copy of its source)
bound to a namespace where its discard and body XPaths are these stand-ins: the library's
module stays untouched, so `trafilatura.extract` itself runs exactly as shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any, cast

from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import main_extractor
from trafilatura.settings import Extractor

from extractors.cascade_body_paths import body_paths
from extractors.cascade_contains import caption_discard, teaser_discard
from extractors.cascade_discard import overall_discard
from extractors.cascade_link_density import delete_by_link_density
from extractors.cascade_raw_prune import raw_tree_prune, remove_comments_and_lists

# the raw-tree prune and the comment sections, as walks
RAW_TREE_PRUNE = raw_tree_prune()
REMOVE_COMMENTS_AND_LISTS = remove_comments_and_lists()


def rebound(function: Callable[..., Any], namespace: dict[str, Any]) -> Callable[..., Any]:
    """`function`'s own code running with `namespace` as its module globals."""
    assert isinstance(function, FunctionType)
    bound = FunctionType(function.__code__, namespace, function.__name__,
                         function.__defaults__, function.__closure__)
    bound.__kwdefaults__ = function.__kwdefaults__
    return bound


def _main_extractor_namespace() -> dict[str, Any]:
    """trafilatura.main_extractor's globals with the walks for its XPaths, and the functions
    on the way from `extract_content` to them bound to this namespace (so they call each
    other)."""
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
    """`trafilatura.main_extractor.extract_content` on the walks: the same result
    body and text, and the same changes to `cleaned_tree`."""
    return _EXTRACT_CONTENT(cleaned_tree, options)
