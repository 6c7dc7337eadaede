"""Turning fetched pages into article rows: extraction and enrichment across all cores."""

from __future__ import annotations

import gc
import os
import select
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache, partial
from typing import cast

from extractors.agencies import AgencyCatalogue
from extractors.article import extract_article
from extractors.batch import ProcessStream
from extractors.credits import detect_credits
from extractors.fingerprints import Fingerprint, fingerprint_article
from extractors.hashing import content_hash
from extractors.language import MIN_WORDS_FOR_DETECTION, _identifier, detect_language
from extractors.records import Credit, ExtractedArticle, FeedItem
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from extractors.titles import strip_outlet_name

# Below this many pages a pool costs more to start than it saves.
MIN_PARALLEL = 8
# Warm workers: the extractor and the taggers' data load once per worker, not per page.
PRELOAD = ("extractors.article", "extractors.tagging", "extractors.fingerprints")


@dataclass(frozen=True, slots=True)
class PageJob:
    article_id: str
    url: str
    body: bytes
    charset: str | None
    feed_item: FeedItem | None
    now: datetime
    outlet_name: str | None = None  # the configured name, taken off the headline


@dataclass(frozen=True, slots=True)
class PageOutcome:
    article_id: str
    article: ExtractedArticle
    content_hash: str | None
    tags: ArticleTags | None
    credits: tuple[Credit, ...]
    fingerprint: Fingerprint | None


def process_page(job: PageJob, tagger: TaggerConfig, owner_pid: int | None = None,
                 agencies: AgencyCatalogue | None = None) -> PageOutcome:
    """Extract one page and, when it has text, tag it, find credits and fingerprint it.

    `agencies`: which agencies credits may name (the built-in list when None).

    `owner_pid`: the cycle process, when this runs in a pool worker (see leave_with_owner).
    """
    if owner_pid is not None and owner_pid != os.getpid():
        leave_with_owner(owner_pid)
        settle_worker(tagger, agencies)
    try:
        article = extract_article(job.body, job.url, feed_item=job.feed_item,
                                  charset=job.charset, now=job.now)
    except Exception as exc:
        article = ExtractedArticle(url=job.url, status="failed",
                                   reason=f"extractor crashed: {type(exc).__name__}: {exc}")
    # The one place the headline is final: "Headline | Outlet" loses the outlet's name.
    article = replace(article, title=strip_outlet_name(article.title,
                                                       (job.outlet_name, article.site_name)))
    if article.status != "extracted" or not article.text:
        return PageOutcome(job.article_id, article, None, None, (), None)
    return PageOutcome(
        job.article_id,
        article,
        content_hash(article.text),
        tag_article(article.text, article.title, article.language, tagger),
        tuple(detect_credits(article.text, article.title, article.language, agencies)),
        compact_fingerprint(fingerprint_article(article.text, article.title, article.language)),
    )


def compact_fingerprint(fingerprint: Fingerprint) -> Fingerprint:
    """The same fingerprint with each paragraph's shingles packed as 32-bit unsigned ints.

    A tuple of Python ints costs about 40 bytes per shingle: 31 KB of the 55 KB a farm page's
    outcome holds in the cycle process from its extraction to the end of the load (5,000
    pages: 155 MB). Packed, 4 bytes, and cheaper to pickle out of the worker. Story assignment
    only iterates them (extractors.boilerplate.without_boilerplate), which gives the same
    ints; the shingles are CRC-32 values, and any wider value leaves the tuples as they were.
    """
    try:
        packed = tuple(array("I", shingles) for shingles in fingerprint.paragraph_shingles)
    except (OverflowError, TypeError):
        return fingerprint
    # An array of ints reads as the tuple it was made from (iteration, len, ==, bool).
    return replace(fingerprint, paragraph_shingles=cast("tuple[tuple[int, ...], ...]", packed))


def page_stream(tagger: TaggerConfig, expected: int, workers: int | None = None,
                agencies: AgencyCatalogue | None = None,
                on_chunk_done: Callable[[int], None] | None = None,
                ) -> ProcessStream[PageJob, PageOutcome]:
    """A stream that extracts pages as they are added (while the rest are still fetched).

    Use as a context manager: `add` each job, then `results()` in the order added. A sent
    job is kept without its body; `on_chunk_done(n)` is called (from a pool thread) when a
    chunk of n pages is extracted.
    """
    if expected:
        load_models()
    stream: ProcessStream[PageJob, PageOutcome] = ProcessStream(
        partial(process_page, tagger=tagger, owner_pid=os.getpid(), agencies=agencies),
        lost=_lost, expected=expected, workers=workers, min_parallel=MIN_PARALLEL,
        preload=PRELOAD, slim=without_body, on_chunk_done=on_chunk_done)
    if stream.parallel:
        forget_models()
    return stream


def load_models() -> None:
    """Load the language model here, so that a broken environment fails the stage.

    py3langid unpacks its model through a temporary file. On a full disk that raises OSError
    inside extract_article, which records every page as failed for good ("extraction error")
    although nothing is wrong with the pages. Raised here, the error stops the cycle instead
    and the pages stay pending for the next one.
    """
    detect_language(" ".join(["warm"] * MIN_WORDS_FOR_DETECTION))


def forget_models() -> None:
    """Drop the language model load_models loaded, when workers do the extraction.

    The check needs the model loaded once; keeping it would leave about 75 MB in the cycle
    process, which detects no language itself when a pool extracts (each worker loads its
    own), through the load and the entity stage, where the cycle's peak now is.
    """
    _identifier.cache_clear()


@lru_cache(maxsize=1)
def leave_with_owner(owner_pid: int) -> None:
    """In a pool worker: exit as soon as the cycle process that owns the pool dies.

    A cycle killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and an idle
    worker waits for work forever, keeping the fork server (and its memory) alive with it.
    Started on the worker's first page (cached: once per process).
    """
    try:
        handle = os.pidfd_open(owner_pid)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):
        return  # no pidfd on this platform: orphans are possible, as before

    def wait_for_exit() -> None:
        select.select([handle], [], [])
        os._exit(0)

    threading.Thread(target=wait_for_exit, name="leave-with-owner", daemon=True).start()


@lru_cache(maxsize=1)
def settle_worker(tagger: TaggerConfig, agencies: AgencyCatalogue | None) -> None:
    """In a pool worker, once: load every table enrichment reads, then freeze the heap.

    The gazetteer (with its generated place layers), the taxonomy and the agency patterns
    are a few hundred thousand long-lived objects. Without `gc.freeze` every full collection
    walks all of them again, and extracting and tagging a page allocates enough (a token
    tuple per word) to trigger collections all the time: that walk was about a third of
    tagging's CPU (docs/extraction.md). Frozen objects are never collected, which costs
    nothing here since the tables live as long as the worker. Output is unchanged: the
    collector only frees unreachable cycles.
    """
    tag_article("Warm-up text.", "Warm-up", "en", tagger)
    detect_credits("Warm-up text.", None, None, agencies)
    fingerprint_article("Warm-up text for the worker.", None, "en")
    gc.collect()  # what is garbage now is freed, not kept for good
    gc.freeze()


def without_body(job: PageJob) -> PageJob:
    """What the stream keeps of a job it has sent: enough to report the page lost."""
    return replace(job, body=b"")


def _lost(job: PageJob, reason: str) -> PageOutcome:
    article = ExtractedArticle(url=job.url, status="failed", reason=f"transient: {reason}",
                               retryable=True)
    return PageOutcome(job.article_id, article, None, None, (), None)
