"""The <head>, <meta>, <link> and <script> elements of a page, found in one walk.

The page facts (dates, declared language, canonical address) and the metadata fields each
looked for these elements with a walk of their own: two `tree.iter("meta")`, three XPaths from
the document root (`//script[...]`, `//link[...]`, `//meta[...]`) and `find_head_parts`'s walk,
six passes over every node of the page. `page_elements` makes one; each reader then filters
the few elements it gets exactly as its XPath or walk did (tests/test_page_elements.py checks
each against the original query on every test and public page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from extractors.page_head import JSON_LD_TYPES, HeadParts

JSON_LD_TYPE = "application/ld+json"  # the type the date readers take, exactly


@dataclass(frozen=True, slots=True)
class PageElements:
    """In document order: every <meta>, every <link>, the scripts of type `JSON_LD_TYPE`,
    and what `page_head.find_head_parts` would find."""

    metas: list[etree._Element]
    links: list[etree._Element]
    jsonld_scripts: list[HtmlElement]
    head_parts: HeadParts


def page_elements(tree: etree._Element) -> PageElements | None:
    """The elements of `tree`, or None when `tree` is not a document's <html> root.

    The readers' XPaths start at the document (`//`), their walks at `tree`, and
    `find_head_parts` below it: the same elements only when `tree` is the root <html>. A
    fragment that lxml returned as a lone element is left to the original queries.
    """
    if tree.tag != "html" or tree.getparent() is not None:
        return None
    metas: list[etree._Element] = []
    links: list[etree._Element] = []
    scripts: list[HtmlElement] = []
    heads: list[etree._Element] = []
    head_scripts: list[etree._Element] = []
    for elem in tree.iter("meta", "link", "script", "head"):
        tag = elem.tag
        if tag == "meta":
            metas.append(elem)
        elif tag == "link":
            links.append(elem)
        elif tag == "head":
            heads.append(elem)
        else:
            kind = elem.get("type")
            if kind in JSON_LD_TYPES:
                head_scripts.append(elem)
                if kind == JSON_LD_TYPE:
                    scripts.append(cast(HtmlElement, elem))  # parsed as HTML
    head_metas = (list(heads[0].iterchildren("meta")) if len(heads) == 1
                  else [] if not heads else None)
    return PageElements(metas=metas, links=links, jsonld_scripts=scripts,
                        head_parts=HeadParts(metas=head_metas, json_scripts=head_scripts))
