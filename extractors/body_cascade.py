"""trafilatura's extraction cascade with its fast and full paths sharing their common work.

`trafilatura.bare_extraction(tree, fast=True)` and `(fast=False)` run the same cascade
(`trafilatura.core.trafilatura_sequence`, 2.3.1): copy the tree, prune it, clean and convert
it, run the main extractor, then stage 2 (comparison with readability and jusText, full path
only), stage 3 (baseline rescue) and stage 4 (recall escalation, with a jusText candidate on
the full path only). Run one after the other, the full path redoes everything the fast path
did. `BodyCascade` gives the text of each, value for value, while doing the common work once:

- the copy, the raw-tree pruning, `tree_cleaning` and `convert_tags`: the same in both paths;
- the main extractor (`extract_content`): its only use of `fast` is in the recovery of wild
  text, which keeps teaser-class blocks in fast mode (trafilatura/main_extractor.py,
  `recover_wild_text`: `keep_teasers=options.fast`). So its result is shared unless the page
  has an element whose id or class says "teaser"; then the full path runs it again on a fresh
  converted copy of the cleaned tree (the function cannot be split without copying its code);
- stage 3's baseline, stage 4's page-text length and the recall retry's main extraction (in
  recall focus the teaser rule is off, so `fast` changes nothing there): computed once, for
  whichever path needs them first.

Only wirewatch's settings are covered: comments off, balanced focus, no target language,
no deduplication, no user prune XPath, default config. trafilatura is pinned (==2.3.1,
docs/dependencies.md): these are its internal functions, and tests/test_body_cascade.py checks
the texts against `bare_extraction` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass

from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura import core
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import convert_tags
from trafilatura.settings import DEFAULT_CONFIG, Extractor
from trafilatura.xml import delete_element, xmltotxt

from extractors.cascade_basic_clean import baseline, html2txt, justext_rescue
from extractors.cascade_parts import RAW_TREE_PRUNE, REMOVE_COMMENTS_AND_LISTS, extract_content

LOGGER = logging.getLogger(__name__)

# Any element whose id or class holds "teaser" (either case of the first letter), before tag
# conversion: a superset of what trafilatura's TEASER_DISCARD_XPATH can match after it
# (convert_tags renames tags and clears attributes, never adds an id or class).
TEASER_MARKED = XPath(".//*[contains(translate(@id, 'T', 't'), 'teaser')"
                      " or contains(translate(@class, 'T', 't'), 'teaser')]")

Extraction = tuple[_Element, str]  # a result body and its flat text, as trafilatura passes them


@dataclass(slots=True)
class _Prepared:
    """The cascade's inputs after its shared preparation (`trafilatura_sequence`'s prefix)."""

    tree: HtmlElement  # the pruned raw tree: readability, baseline and recall retry read it
    cleaned_backup: HtmlElement  # cleaned, not converted: jusText's input in stage 2
    url: str | None
    converted: HtmlElement | None  # cleaned and converted: the main extractor consumes it


@dataclass(slots=True)
class _RecallStart:
    """The recall retry up to its main extraction, the same in both paths."""

    body: _Element
    text: str
    cleaned_backup: HtmlElement


def extractor_options(url: str, *, fast: bool, include_tables: bool) -> Extractor:
    """The options `bare_extraction` builds for wirewatch's call (comments and metadata off)."""
    return Extractor(config=DEFAULT_CONFIG, output_format="python", fast=fast, precision=False,
                     recall=False, comments=False, formatting=None, links=False, images=False,
                     tables=include_tables, dedup=False, lang=None, url=url,
                     with_metadata=False, only_with_metadata=False, author_blacklist=None,
                     url_blacklist=None, date_params=None)


class BodyCascade:
    """One page's body text by trafilatura's fast path and, on demand, its full path.

    `fast_text()` equals `bare_extraction(tree, url=url, fast=True, ...).text` and
    `full_text()` the same with `fast=False` ("" where trafilatura gives no document). Each
    runs once, in either order (a second call returns the first result: the full path's
    jusText cleans the shared trees in place); the tree passed in is not modified."""

    def __init__(self, tree: HtmlElement, url: str, *, include_tables: bool) -> None:
        self._source = tree
        self._url = url
        self._include_tables = include_tables
        self._fast = extractor_options(url, fast=True, include_tables=include_tables)
        self._prepared: _Prepared | None = None
        self._preparation_error: Exception | None = None
        self._content: Extraction | None = None
        self._content_error: Exception | None = None
        self._baseline: tuple[_Element, str, int] | None = None
        self._page_text_length: int | None = None
        self._recall: _RecallStart | Exception | None = None
        self._texts: dict[bool, str] = {}  # by `fast`

    def fast_text(self) -> str:
        """The fast path's text: main extractor, baseline rescue, recall escalation."""
        if True not in self._texts:
            self._texts[True] = self._run_fast()
        return self._texts[True]

    def full_text(self) -> str:
        """The full path's text: the fast path's stages plus the comparison with readability
        and jusText, and the jusText candidate in the recall escalation."""
        if False not in self._texts:
            self._texts[False] = self._run_full()
        return self._texts[False]

    def _run_fast(self) -> str:
        try:
            body, text = self._fast_content()
            body, text = self._rescue(body, text, self._fast)
        except (TypeError, ValueError):  # bare_extraction's "discarding data": no document
            return ""
        return _output_text(body, text, self._fast)

    def _run_full(self) -> str:
        options = extractor_options(self._url, fast=False, include_tables=self._include_tables)
        try:
            prepared = self._prepare()
            body, text = self._full_content(prepared, options)
            body, text = compare_extraction(prepared.cleaned_backup, copy(prepared.tree), body,
                                            text, options)
            body, text = self._rescue(body, text, options)
        except (TypeError, ValueError):
            return ""
        return _output_text(body, text, options)

    def _prepare(self) -> _Prepared:
        """`trafilatura_sequence` up to the main extractor, once; a failure is kept and
        raised again, as the second path would have met it too."""
        if self._preparation_error is not None:
            raise self._preparation_error
        if self._prepared is None:
            try:
                self._prepared = _prepare(self._source, self._fast)
            except (TypeError, ValueError) as exc:
                self._preparation_error = exc
                raise
        return self._prepared

    def _fast_content(self) -> Extraction:
        if self._content_error is not None:
            raise self._content_error
        if self._content is None:
            prepared = self._prepare()
            converted, prepared.converted = prepared.converted, None
            if converted is None:  # only after an unexpected error in a first attempt
                raise RuntimeError("the main extractor already consumed this page's tree")
            try:
                self._content = extract_content(converted, self._fast)
            except (TypeError, ValueError) as exc:
                self._content_error = exc
                raise
        return self._content

    def _full_content(self, prepared: _Prepared, options: Extractor) -> Extraction:
        """The main extractor's result under full options: the fast one where they cannot
        differ (no teaser-marked element, and it ran without error), else a fresh run."""
        if self._content_error is None and not TEASER_MARKED(prepared.cleaned_backup):
            return self._fast_content()
        converted = convert_tags(copy(prepared.cleaned_backup), options, prepared.url)
        return extract_content(converted, options)

    def _rescue(self, body: _Element, text: str, options: Extractor) -> Extraction:
        """Stages 3 and 4 of `trafilatura_sequence` (balanced focus, comments off)."""
        if len(text) < options.min_extracted_size and self._baseline_result()[2] > len(text):
            body, text = self._baseline_result()[:2]
        if (0 < len(text) < core.ESCALATION_MAX_LENGTH
                and len(text) < core.ESCALATION_PAGE_SHARE * self._page_length()):
            body, text = self._escalate(body, text, options)
        return body, text

    def _escalate(self, body: _Element, text: str, options: Extractor) -> Extraction:
        """Stage 4: a retry in recall focus and, on the full path, a jusText candidate;
        the longer one is kept if clearly longer (trafilatura's ratios)."""
        recall_options = copy(options)  # a copy, as trafilatura makes: focus must not leak
        recall_options.focus = "recall"
        retried: Extraction = (body, "")
        try:
            retried = self._recall_retry(recall_options)
        except Exception as exc:  # trafilatura logs and ignores a failed retry
            LOGGER.debug("recall retry failed: %s", exc)
        candidate: Extraction = (body, "")
        if not options.fast:
            try:
                candidate = justext_rescue(copy(self._prepare().tree), options)
            except Exception as exc:  # likewise
                LOGGER.debug("jusText candidate failed: %s", exc)
        length, retried_length, candidate_length = len(text), len(retried[1]), len(candidate[1])
        if (candidate_length > retried_length
                and candidate_length > core.ESCALATION_JUSTEXT_RATIO * length):
            return candidate
        if (retried_length >= options.min_extracted_size
                and retried_length > core.ESCALATION_ACCEPT_RATIO * length):
            return retried
        return body, text

    def _recall_retry(self, recall_options: Extractor) -> Extraction:
        """`trafilatura.core._recall_retry`, its main extraction shared by both paths."""
        start = self._recall_start(recall_options)
        if recall_options.fast:
            return start.body, start.text
        prepared = self._prepare()
        return compare_extraction(start.cleaned_backup, copy(prepared.tree), start.body,
                                  start.text, recall_options)

    def _recall_start(self, recall_options: Extractor) -> _RecallStart:
        if isinstance(self._recall, Exception):
            raise self._recall
        if self._recall is None:
            prepared = self._prepare()
            try:
                cleaned, backup = core._prepare_tree(prepared.tree, recall_options, prepared.url)
                body, text = extract_content(cleaned, recall_options)
            except Exception as exc:
                self._recall = exc
                raise
            self._recall = _RecallStart(body=body, text=text, cleaned_backup=backup)
        return self._recall

    def _baseline_result(self) -> tuple[_Element, str, int]:
        if self._baseline is None:
            self._baseline = baseline(self._prepare().tree)  # baseline copies its input
        return self._baseline

    def _page_length(self) -> int:
        if self._page_text_length is None:
            self._page_text_length = len(html2txt(self._prepare().tree))  # copies its input
        return self._page_text_length


def _prepare(source: HtmlElement, options: Extractor) -> _Prepared:
    """What `bare_extraction` and `trafilatura_sequence` do before the main extractor."""
    tree = copy(source)  # bare_extraction copies a tree passed in; the pruning mutates it
    is_forum = core._forum_thread_page(tree)
    _prune(tree, RAW_TREE_PRUNE)
    if not is_forum:  # comments off: comment sections go, except on forums (posts are content)
        _prune(tree, REMOVE_COMMENTS_AND_LISTS)
    url = options.url or None
    converted, backup = core._prepare_tree(tree, options, url)
    return _Prepared(tree=tree, cleaned_backup=backup, url=url, converted=converted)


def _prune(tree: HtmlElement, selectors: Sequence[Callable[[_Element], list[_Element]]]) -> None:
    """`htmlprocessing.prune_unwanted_nodes(tree, selectors)` (no backup): each selector's
    elements deleted, their tails kept, before the next selector runs."""
    for select in selectors:
        for subtree in select(tree):
            delete_element(subtree)


def _output_text(body: _Element, text: str, options: Extractor) -> str:
    """bare_extraction's size check and text rendering (comments are off, so empty)."""
    if len(text) < options.min_output_size and options.min_output_comm_size > 0:
        return ""
    return xmltotxt(body, options.formatting)
