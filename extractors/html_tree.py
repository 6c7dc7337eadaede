"""A page's text to the tree trafilatura would build from it, for less CPU.

`trafilatura.utils.load_html` parses with `trafilatura.utils.HTML_PARSER`, an
`lxml.html.HTMLParser`. Such a parser gives every element its Python class through
`HtmlElementClassLookup.lookup`, a Python method called each time lxml creates an element
proxy: over a million calls on 396 public article pages, in everything that walks the tree
afterwards (trafilatura's extraction, htmldate, wirewatch's own reading). `html_parser()` has
the same options and a lookup done in C (`ElementDefaultClassLookup`): every element is an
`HtmlElement`. The one difference: form controls (<form>, <input>, <select>, <textarea>,
<label>) are plain `HtmlElement`s, without lxml's form helpers (`.inputs`, `.value`,
`.fields`…), which neither wirewatch nor trafilatura, htmldate, jusText or the readability
fork use.

trafilatura's own parser and module globals are left alone: bare trafilatura in the same process
keeps its parser (the extract bench compares against it). `load_html` follows the library's
function step by step for text input (`repair_faulty_html` with a cheaper first step);
tests/test_html_tree.py checks that the trees serialise identically to
`trafilatura.utils.load_html`'s on every test and public page.
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
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html

# The C0 controls in trafilatura's INVALID_XML_CHARS, as bytes: in UTF-8 they are these single
# bytes and no other character's encoding contains them.
C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def has_c0_control(raw: bytes) -> bool:
    """Whether UTF-8 `raw` holds a C0 control other than tab, newline and carriage return,
    tested in C (a tenth of a regular expression over the decoded text)."""
    return len(raw.translate(None, C0_BYTES)) != len(raw)


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


def repair_faulty_html(text: str, beginning: str) -> str:
    """`trafilatura.utils.repair_faulty_html`, the same steps and result.

    Its first step deletes the characters XML forbids with a regular expression over the whole
    page, about 40 % of the parse's cost, and almost no page has one. Looking for them in the
    UTF-8 bytes (`bytes.translate` drops the control bytes in C, ten times as fast) and for the
    two non-characters with `in` decides that first; the expression runs only where one is.
    """
    if has_invalid_xml_chars(text):
        text = INVALID_XML_CHARS.sub("", text)
    if "doctype" in beginning:  # libxml2/lxml issue: https://bugs.launchpad.net/lxml/+bug/1955915
        firstline, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:  # a self-closing <html/> in the first lines
        if "<html" in line and line.endswith("/>"):
            text = FAULTY_HTML.sub(r"\1>", text, count=1)
            break
    return text


def has_invalid_xml_chars(text: str) -> bool:
    """Whether `INVALID_XML_CHARS` matches anywhere in `text`."""
    raw = text.encode("utf-8", "surrogatepass")
    return (has_c0_control(raw)
            or "\ufffe" in text or "\uffff" in text)


def _from_bytes(text: str) -> HtmlElement | None:
    """trafilatura's `fromstring_bytes`: the text as UTF-8 bytes, None when lxml refuses it."""
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=html_parser())
    except Exception:  # as trafilatura's fromstring_bytes: None on any failure
        return None
