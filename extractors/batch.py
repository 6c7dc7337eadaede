"""Extracting many pages across all cores, order preserved, no batch lost to one bad page."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from extractors.article import extract_article
from extractors.records import ExtractedArticle, FeedItem

# forkserver: workers fork from a clean single-threaded server process, not from a caller
# that may run Prefect's or httpx's threads (forking those can deadlock); preloading the
# extractor module makes each worker start warm.
START_METHOD = "forkserver"
PRELOAD = ("extractors.article",)
MIN_CHUNK = 1
MAX_CHUNK = 16


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
    count = workers or os.cpu_count() or 1
    if len(jobs) < min_parallel or count <= 1:
        return [run_job(job) for job in jobs]
    return _in_processes(jobs, count)


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


def _in_processes(jobs: Sequence[ExtractJob], workers: int) -> list[ExtractedArticle]:
    context = multiprocessing.get_context(START_METHOD)
    context.set_forkserver_preload(list(PRELOAD))
    results: list[ExtractedArticle] = []
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            for article in pool.map(run_job, jobs, chunksize=chunk_size(len(jobs), workers)):
                results.append(article)
    except BrokenProcessPool as exc:
        # A worker died (killed, out of memory): the remaining jobs are recorded as failed,
        # transiently, so the next cycle retries them; finished results are kept.
        reason = f"transient: extraction worker died ({type(exc).__name__})"
        results.extend(
            ExtractedArticle(url=job.url, status="failed", reason=reason)
            for job in jobs[len(results):]
        )
    return results
