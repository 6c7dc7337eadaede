"""Title, author, description and site name of a page: trafilatura's rules, only the fields used.

`trafilatura.bare_extraction(with_metadata=True)` also runs htmldate over the whole page and
looks for categories, tags and a licence. wirewatch reads dates itself (extractors/dates.py,
with their sources) and stores none of the rest, and those parts cost more than the article
extraction in fast mode (measured in docs/benchmarks.md: about 5.5 of 11.8 ms per 93 KB page).
So the same steps as `trafilatura.metadata.extract_metadata` run here, in its order, without
them. trafilatura is pinned; tests/test_page_metadata.py checks the fields agree with it.

Three of those steps run through cheaper code with the same answers (docs/extraction.md, CPU):
the byline search (extractors/author_search.py, 12 ms a page in trafilatura), and the meta
tags and JSON-LD, found in one walk instead of three (extractors/page_head.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata

from extractors.author_search import find_author
from extractors.page_head import HeadParts, HeadView, find_head_parts, read_json_ld

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    description: str | None = None
    sitename: str | None = None


def page_metadata(tree: HtmlElement, url: str | None = None,
                  parts: HeadParts | None = None) -> PageMetadata:
    """The four fields, read without modifying `tree` (author search works on a copy).

    `url`: the page's canonical address, whose host names the site when the page does not.
    `parts`: `find_head_parts(tree)` when already found (extractors/page_elements.py).
    """
    parts = find_head_parts(tree) if parts is None else parts
    # examine_meta only asks the tree for its head's meta tags: the view answers from `parts`
    found = trafilatura_metadata.examine_meta(cast(HtmlElement, HeadView(tree, parts)))
    if found.author and " " not in found.author:
        found.author = None  # a single word is a handle or a section name, as trafilatura rules
    try:
        found = read_json_ld(parts, found)
    except Exception as exc:  # malformed JSON-LD must not cost the page
        LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    title = found.title or trafilatura_metadata.extract_title(tree)
    author = found.author or find_author(tree)
    return PageMetadata(title=title, author=author, description=found.description,
                        sitename=site_name(found.sitename or
                                           trafilatura_metadata.extract_sitename(tree), url))


def site_name(name: str | None, url: str | None) -> str | None:
    """trafilatura's finishing of a site name: `@handle` unwrapped, capitalised; else the host."""
    if not name:
        host = trafilatura_metadata.META_URL.match(url or "")
        return host[1] if host else None
    name = name.lstrip("@")  # a Twitter handle given as the site name
    if name and "." not in name and not name[0].isupper():
        name = name.title()
    return name or None
