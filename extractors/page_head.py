"""The meta tags and JSON-LD that trafilatura's metadata pass reads, found in one walk.

`trafilatura.metadata.examine_meta` asks the tree for `.//head/meta[...]` twice (once for
OpenGraph) and `extract_meta_json` for `.//script[@type=...]`: three walks over every node,
about 0.55 ms a page on the public article pages. `find_head_parts` walks once, in libxml2,
for <head> and <script> elements; `HeadView` answers examine_meta's two questions from that
walk (any other question goes to the tree itself), and `read_json_ld` is extract_meta_json with
the scripts already found and a cheaper minifier. Same values: tests/test_page_head.py checks
each part against trafilatura's own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

from lxml import etree
from trafilatura.json_metadata import (
    JSON_UNICODE_REPLACE,
    extract_json,
    extract_json_parse_error,
)
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, trim

# The exact paths trafilatura 2.3.1's examine_meta and extract_opengraph pass to the tree.
META_CONTENT_PATH = ".//head/meta[@content]"
OPENGRAPH_PATH = './/head/meta[starts-with(@property, "og:")]'
JSON_LD_TYPES = frozenset({"application/ld+json", "application/settings+json"})

# trafilatura's JSON_MINIFY.sub(r"\1", text) keeps string literals and drops whitespace outside
# them; in Python 3.11 a group reference in the replacement calls back into Python once per
# match (every space of the script). Keeping the same pieces with findall stays in C: the
# literal first, as in the original, then runs of other characters, then a quote that opens no
# complete literal (the original leaves it in place and carries on after it).
_JSON_KEPT = re.compile(r'"(?:\\.|[^"\\])*"|[^\s"]+|"')
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class HeadParts:
    # .//head/meta in document order; None when the page has several <head> elements (the
    # two paths could then order them differently: the view leaves such pages to the tree)
    metas: list[etree._Element] | None
    json_scripts: list[etree._Element]  # .//script of a JSON-LD type, in document order


def find_head_parts(tree: etree._Element) -> HeadParts:
    """One walk over `tree`'s descendants for the <meta> children of <head> and JSON-LD."""
    heads, scripts = [], []
    for elem in tree.iterdescendants("head", "script"):
        if elem.tag == "head":
            heads.append(elem)
        elif elem.get("type") in JSON_LD_TYPES:
            scripts.append(elem)
    metas = list(heads[0].iterchildren("meta")) if len(heads) == 1 else [] if not heads else None
    return HeadParts(metas=metas, json_scripts=scripts)


class HeadView:
    """Stands in for the tree in `examine_meta(tree)`: its two head queries come from `parts`.

    Any other path (a future trafilatura's) is passed to the tree, so the answer stays right.
    """

    def __init__(self, tree: etree._Element, parts: HeadParts) -> None:
        self._tree = tree
        self._metas = parts.metas

    def xpath(self, path: str, **kwargs: Any) -> Any:
        if path == OPENGRAPH_PATH and not kwargs and self._metas is not None:
            return [m for m in self._metas if (m.get("property") or "").startswith("og:")]
        return self._tree.xpath(path, **kwargs)

    def iterfind(self, path: str, namespaces: Any = None) -> Iterator[etree._Element]:
        if path == META_CONTENT_PATH and namespaces is None and self._metas is not None:
            return iter([m for m in self._metas if m.get("content") is not None])
        return self._tree.iterfind(path, namespaces)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tree, name)


def minify_json(text: str) -> str:
    """`trafilatura.metadata.JSON_MINIFY.sub(r"\\1", text)`."""
    return "".join(_JSON_KEPT.findall(text))


def normalize_json(string: str) -> str:
    """`trafilatura.json_metadata.normalize_json`, surrogates dropped by a regex, not per char."""
    if "\\" in string:
        string = string.replace("\\n", "").replace("\\r", "").replace("\\t", "")
        string = JSON_UNICODE_REPLACE.sub(lambda match: chr(int(match[1], 16)), string)
        string = _SURROGATES.sub("", string)
        string = unescape(string)
    return trim(HTML_STRIP_TAGS.sub("", string))


def read_json_ld(parts: HeadParts, metadata: Document) -> Document:
    """`trafilatura.metadata.extract_meta_json`, on the scripts `find_head_parts` found.

    Raises what it raises (page_metadata catches): a script that breaks trafilatura's JSON
    reading ends the reading there, as it does in the library.
    """
    for elem in parts.json_scripts:
        if not elem.text:
            continue
        element_text = normalize_json(minify_json(elem.text))
        try:
            schema = json.loads(element_text, strict=False)
            metadata = extract_json(schema, metadata)
        except json.JSONDecodeError:
            metadata = extract_json_parse_error(element_text, metadata)
    return metadata
