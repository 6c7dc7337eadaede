"""Extracting many pages across all cores, order preserved, no batch lost to one bad page."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TypeVar

from extractors.article import extract_article
from extractors.records import ExtractedArticle, FeedItem

# forkserver: workers fork from a clean single-threaded server process, not from a caller
# that may run Prefect's or httpx's threads (forking those can deadlock); preloading the
# extractor module makes each worker start warm.
START_METHOD = "forkserver"
PRELOAD = ("extractors.article",)
MIN_CHUNK = 1
MAX_CHUNK = 16
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ExtractJob:
    html: bytes
    url: str
    feed_item: FeedItem | None = None
    charset: str | None = None


def extract_many(
    jobs: Sequence[ExtractJob],
    *,
    workers: int | None = None,
    min_parallel: int = 8,
) -> list[ExtractedArticle]:
    """One ExtractedArticle per job, in job order; a job that raises becomes a failed result."""
    return map_in_processes(run_job, jobs, lost=_lost_job, workers=workers,
                            min_parallel=min_parallel)


def map_in_processes(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    lost: Callable[[T, str], R],
    workers: int | None = None,
    min_parallel: int = 8,
    preload: Sequence[str] = PRELOAD,
) -> list[R]:
    """`fn` over `items` in order, across all cores when there are enough items to pay for
    the pool. `fn` must be picklable (a module-level function or a partial of one). If a
    worker dies, the items without a result become `lost(item, reason)`: nothing vanishes."""
    count = workers or os.cpu_count() or 1
    if len(items) < min_parallel or count <= 1:
        return [fn(item) for item in items]
    context = multiprocessing.get_context(START_METHOD)
    context.set_forkserver_preload(list(preload))
    results: list[R] = []
    try:
        with ProcessPoolExecutor(max_workers=min(count, len(items)), mp_context=context) as pool:
            results.extend(pool.map(fn, items, chunksize=chunk_size(len(items), count)))
    except BrokenProcessPool as exc:
        # A worker died (killed, out of memory): finished results are kept, the rest are
        # handed back as lost so the caller records them for a retry next cycle.
        reason = f"extraction worker died ({type(exc).__name__})"
        results.extend(lost(item, reason) for item in items[len(results):])
    return results


def run_job(job: ExtractJob) -> ExtractedArticle:
    """extract_article for one job; anything it raises is turned into a failed result."""
    try:
        return extract_article(job.html, job.url, feed_item=job.feed_item, charset=job.charset)
    except Exception as exc:  # extract_article should not raise; if it does, keep the batch
        return ExtractedArticle(url=job.url, status="failed",
                                reason=f"extraction error: {type(exc).__name__}: {exc}")


def chunk_size(jobs: int, workers: int) -> int:
    """About four chunks per worker: low pickling overhead, still balanced across workers."""
    return max(MIN_CHUNK, min(MAX_CHUNK, jobs // (workers * 4) or 1))


def _lost_job(job: ExtractJob, reason: str) -> ExtractedArticle:
    return ExtractedArticle(url=job.url, status="failed", reason=f"transient: {reason}",
                            retryable=True)
