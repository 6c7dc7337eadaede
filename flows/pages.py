"""Turning fetched pages into article rows: extraction and enrichment across all cores."""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from extractors.article import extract_article
from extractors.credits import detect_credits
from extractors.fingerprints import Fingerprint, fingerprint_article
from extractors.hashing import content_hash
from extractors.language import MIN_WORDS_FOR_DETECTION, detect_language
from extractors.records import Credit, ExtractedArticle, FeedItem
from extractors.tagging import ArticleTags, TaggerConfig, tag_article

# Below this many pages a pool costs more to start than it saves.
MIN_PARALLEL = 8
CHUNK = 4


@dataclass(frozen=True, slots=True)
class PageJob:
    article_id: str
    url: str
    body: bytes
    charset: str | None
    feed_item: FeedItem | None
    now: datetime


@dataclass(frozen=True, slots=True)
class PageOutcome:
    article_id: str
    article: ExtractedArticle
    content_hash: str | None
    tags: ArticleTags | None
    credits: tuple[Credit, ...]
    fingerprint: Fingerprint | None


def process_page(job: PageJob, tagger: TaggerConfig) -> PageOutcome:
    """Extract one page and, when it has text, tag it, find credits and fingerprint it."""
    try:
        article = extract_article(job.body, job.url, feed_item=job.feed_item,
                                  charset=job.charset, now=job.now)
    except Exception as exc:
        article = ExtractedArticle(url=job.url, status="failed",
                                   reason=f"extractor crashed: {type(exc).__name__}: {exc}")
    if article.status != "extracted" or not article.text:
        return PageOutcome(job.article_id, article, None, None, (), None)
    return PageOutcome(
        job.article_id,
        article,
        content_hash(article.text),
        tag_article(article.text, article.title, article.language, tagger),
        tuple(detect_credits(article.text, article.title, article.language)),
        fingerprint_article(article.text, article.title, article.language),
    )


def _process_chunk(args: tuple[Sequence[PageJob], TaggerConfig]) -> list[PageOutcome]:
    jobs, tagger = args
    return [process_page(job, tagger) for job in jobs]


def load_models() -> None:
    """Load the language model here, so that a broken environment fails the stage.

    py3langid unpacks its model through a temporary file. On a full disk that raises OSError
    inside extract_article, which records every page as failed for good ("extraction error")
    although nothing is wrong with the pages. Raised here, the error stops the cycle instead
    and the pages stay pending for the next one.
    """
    detect_language(" ".join(["warm"] * MIN_WORDS_FOR_DETECTION))


def leave_with_parent(parent_pid: int) -> None:
    """Pool initializer: end this worker when the cycle process that owns the pool dies.

    A cycle killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and an idle
    worker waits for work forever, keeping the fork server (and its memory) alive with it.
    """
    try:
        handle = os.pidfd_open(parent_pid)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):
        return  # no pidfd on this platform: orphans are possible, as before

    def wait_for_exit() -> None:
        select.select([handle], [], [])
        os._exit(0)

    threading.Thread(target=wait_for_exit, name="leave-with-parent", daemon=True).start()


def process_pages(
    jobs: Sequence[PageJob], tagger: TaggerConfig, workers: int | None = None
) -> list[PageOutcome]:
    """All pages, in order; in a process pool when there are enough of them to pay for it."""
    workers = workers or os.cpu_count() or 1
    if jobs:
        load_models()
    if len(jobs) < MIN_PARALLEL or workers == 1:
        return [process_page(job, tagger) for job in jobs]
    chunks = [(jobs[i : i + CHUNK], tagger) for i in range(0, len(jobs), CHUNK)]
    # forkserver: the flow process runs threads (Prefect, httpx); forking it directly risks
    # copying a held lock into a child.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extractors.article", "extractors.tagging"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=leave_with_parent, initargs=(os.getpid(),)) as pool:
        results = pool.map(_process_chunk, chunks)
        return [outcome for chunk in results for outcome in chunk]
