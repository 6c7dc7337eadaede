"""trafilatura 2.3.1's BASIC_CLEAN_XPATH evaluated in Python, element for element.

`basic_cleaning` removes asides, footers, scripts, styles and cookie banners before the
page's plain text is measured (`html2txt`: is the extracted text a small share of the page?)
and before the baseline and jusText candidates are built. Its XPath ends in two EXSLT
`re:test` calls that lxml makes as calls back into Python for every element of the body,
4.7 ms per page on the corpus and WCXB pages; one walk reading the attributes directly
selects the same elements in the same (document) order (tests/test_cascade_parts.py).
The pattern is taken from the library's expression, whose rest is checked at import against
the text this module implements.

`html2txt`, `baseline` and `justext_rescue` are the library's own functions (their code
objects) bound to a namespace where `basic_cleaning` uses this walk; the library's modules
stay untouched.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any, cast

from lxml.etree import Element, _Element
from lxml.html import HtmlElement
from trafilatura import external as library_external
from trafilatura.settings import BASIC_CLEAN_XPATH, Extractor

from extractors.cascade_discard import _first_of, library_patterns
from extractors.cascade_parts import rebound

# the module: the package's own `trafilatura.baseline` attribute is the function of that name
library_baseline = importlib.import_module("trafilatura.baseline")
TEMPLATE = (
    ".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script|"
    ".//style|.//svg|.//template|.//*[re:test(@class, {}, 'i') or re:test(@id, {}, 'i')]")
REMOVED_TAGS = frozenset({"aside", "fencedframe", "footer", "script", "style", "svg",
                          "template"})


def basic_clean_selector() -> Callable[[_Element], list[_Element]]:
    """A callable giving what `BASIC_CLEAN_XPATH(tree)` gives."""
    by_class, by_id = (re.compile(pattern, re.IGNORECASE)
                       for pattern in library_patterns(BASIC_CLEAN_XPATH.path, TEMPLATE))
    if by_class.search("") or by_id.search(""):
        raise ImportError("a basic-cleaning pattern matches the empty string")

    def select(tree: _Element) -> list[_Element]:
        found = []
        # Each class value is searched once per tree (a page repeats them); an element without
        # attributes matches by its tag only (the patterns do not match an absent attribute).
        class_hits: dict[str, bool] = {}
        for element in tree.iterdescendants(Element):
            tag = element.tag
            if tag in REMOVED_TAGS:
                found.append(element)
                continue
            if not element.keys():
                continue
            klass = element.get("class")
            class_hit = False
            if klass is not None:
                hit = class_hits.get(klass)
                if hit is None:
                    hit = class_hits[klass] = by_class.search(klass) is not None
                class_hit = hit
            if (class_hit or (tag == "div" and "footer" in _first_of(element, "class", "id"))
                    or by_id.search(element.get("id") or "")):
                found.append(element)
        return found
    return select


def _namespaces() -> tuple[dict[str, Any], dict[str, Any]]:
    """trafilatura.baseline's and trafilatura.external's globals with `basic_cleaning` on the
    walk, and the functions that reach it bound to them."""
    baseline_ns = dict(vars(library_baseline))
    baseline_ns["BASIC_CLEAN_XPATH"] = basic_clean_selector()
    for name in ("basic_cleaning", "html2txt", "baseline"):
        baseline_ns[name] = rebound(getattr(library_baseline, name), baseline_ns)
    external_ns = dict(vars(library_external))
    external_ns["basic_cleaning"] = baseline_ns["basic_cleaning"]
    external_ns["justext_rescue"] = rebound(library_external.justext_rescue, external_ns)
    return baseline_ns, external_ns


_BASELINE_NS, _EXTERNAL_NS = _namespaces()
html2txt = cast(Callable[..., str], _BASELINE_NS["html2txt"])
baseline = cast(Callable[[HtmlElement], tuple[_Element, str, int]], _BASELINE_NS["baseline"])
justext_rescue = cast(Callable[[HtmlElement, Extractor], tuple[_Element, str]],
                      _EXTERNAL_NS["justext_rescue"])
