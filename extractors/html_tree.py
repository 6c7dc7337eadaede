"""A page's text to the tree trafilatura would build from it, for less CPU.

`trafilatura.utils.load_html` parses with `trafilatura.utils.HTML_PARSER`, an
`lxml.html.HTMLParser`. Such a parser gives every element its Python class through
`HtmlElementClassLookup.lookup`, a Python method called each time lxml creates an element
proxy: over a million calls on 396 public article pages, in everything that walks the tree
afterwards (trafilatura's extraction, htmldate, wirewatch's own reading). `html_parser()` has
the same options and a lookup done in C (`ElementDefaultClassLookup`): every element is an
`HtmlElement`.
The one difference is that form controls (<form>, <input>, <select>, <textarea>, <label>) are
plain `HtmlElement`s, without lxml's form helpers (`.inputs`, `.value`, `.fields`…), which
neither wirewatch nor trafilatura, htmldate, jusText or the readability fork use.

trafilatura's own parser and module globals are left alone: bare trafilatura in the same process
keeps its parser (the extract bench compares against it). `load_html` follows the library's
function step by step for text input; tests/test_html_tree.py checks that the trees serialise
identically to `trafilatura.utils.load_html`'s on every test and public page.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html


@lru_cache(maxsize=1)
def html_parser() -> HTMLParser:
    """`trafilatura.utils.HTML_PARSER`'s options with a class lookup done in C.

    One per process, cached rather than a module global: lxml parsers keep no state between
    documents that alters a result, and building one per page would cost more than it saves.
    """
    # lxml's type stubs lack the default_doctype option that trafilatura's parser sets
    parser = HTMLParser(collect_ids=False, default_doctype=False,  # type: ignore[call-arg]
                        encoding="utf-8", remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
        entity=HtmlEntity))
    return parser


def load_html(text: str) -> HtmlElement | None:
    """`trafilatura.utils.load_html(text)` for a decoded page, parsed with `html_parser()`.

    Same steps: the dubious-HTML check on the first 50 characters, trafilatura's repairs, the
    byte fallback when lxml refuses a string (an encoding declaration) or finds no element,
    and the rejection of a dubious page with fewer than two top-level elements.
    """
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree: HtmlElement | None = None
    fallback_parse = False
    try:
        tree = fromstring(text, parser=html_parser())
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _from_bytes(text)
        fallback_parse = True
    except Exception:  # as trafilatura: any parser failure, then the byte pass
        tree = None
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    """trafilatura's `fromstring_bytes`: the text as UTF-8 bytes, None when lxml refuses it."""
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=html_parser())
    except Exception:  # as trafilatura's fromstring_bytes: None on any failure
        return None
