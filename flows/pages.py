"""Turning fetched pages into article rows: extraction and enrichment across all cores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from extractors.article import extract_article
from extractors.batch import map_in_processes
from extractors.credits import detect_credits
from extractors.fingerprints import Fingerprint, fingerprint_article
from extractors.hashing import content_hash
from extractors.records import Credit, ExtractedArticle, FeedItem
from extractors.tagging import ArticleTags, TaggerConfig, tag_article

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


def process_pages(
    jobs: Sequence[PageJob], tagger: TaggerConfig, workers: int | None = None
) -> list[PageOutcome]:
    """All pages, in order; in a process pool when there are enough of them to pay for it."""
    return map_in_processes(partial(process_page, tagger=tagger), jobs, lost=_lost,
                            workers=workers, min_parallel=MIN_PARALLEL, preload=PRELOAD)


def _lost(job: PageJob, reason: str) -> PageOutcome:
    article = ExtractedArticle(url=job.url, status="failed", reason=f"transient: {reason}",
                               retryable=True)
    return PageOutcome(job.article_id, article, None, None, (), None)
