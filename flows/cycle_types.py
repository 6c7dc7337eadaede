"""What the stages of one cycle share: its context, the pages planned, and what each counted.

Each stage returns a frozen record of what it counted; the flow (flows/ingest.py) adds them
up in one place, `CycleCounts.total`. Both flows/cycle.py (plan to extract) and
flows/loading.py (the load) import from here, so neither imports the other.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import duckdb

from extractors.records import FeedItem
from flows.settings import Settings
from flows.shard import Shard
from warehouse.connection import write_transaction


@dataclass(frozen=True, slots=True)
class CycleContext:
    run_id: str
    started_at: datetime
    settings: Settings
    flow_run_id: str | None = None
    shard: Shard | None = None  # this worker's share of the outlets; None: all of them

    @staticmethod
    def new(settings: Settings, flow_run_id: str | None = None,
            shard: Shard | None = None) -> CycleContext:
        return CycleContext(uuid.uuid4().hex[:16], datetime.now(UTC), settings, flow_run_id,
                            shard)

    @property
    def shard_label(self) -> str | None:
        return str(self.shard) if self.shard else None


@dataclass(frozen=True, slots=True)
class FetchPlanItem:
    """A page to fetch now: a new item, or a pending/transiently failed one from before."""

    article_id: str
    url: str
    attempts: int
    feed_item: FeedItem | None
    outlet_id: str | None = None


@dataclass(frozen=True, slots=True)
class DiscoverCounts:
    """What polling and discovery saw; `articles_skipped` are items with an invalid URL."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    items_seen: int = 0
    items_new: int = 0
    items_retitled: int = 0
    articles_skipped: int = 0


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """What the load landed, counted after it decided (a rel=canonical duplicate is skipped)."""

    pages_fetched: int = 0
    articles_extracted: int = 0
    articles_failed: int = 0
    articles_skipped: int = 0


@dataclass(frozen=True, slots=True)
class CycleCounts:
    """A cycle's totals, as the `runs` record and the flow's summary report them."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    items_seen: int = 0
    items_new: int = 0
    items_retitled: int = 0
    pages_fetched: int = 0
    articles_extracted: int = 0
    articles_failed: int = 0
    articles_skipped: int = 0

    @staticmethod
    def total(discovered: DiscoverCounts | None, loaded: LoadCounts | None) -> CycleCounts:
        """The stages' counts added up (a stage that did not finish counts nothing)."""
        d = discovered or DiscoverCounts()
        ld = loaded or LoadCounts()
        return CycleCounts(
            feeds_polled=d.feeds_polled, feeds_not_modified=d.feeds_not_modified,
            feeds_failed=d.feeds_failed, items_seen=d.items_seen, items_new=d.items_new,
            items_retitled=d.items_retitled, pages_fetched=ld.pages_fetched,
            articles_extracted=ld.articles_extracted, articles_failed=ld.articles_failed,
            articles_skipped=d.articles_skipped + ld.articles_skipped)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def writer(settings: Settings) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """One short write transaction on the configured warehouse (waits for another writer)."""
    return write_transaction(settings.warehouse_target, wait_s=settings.lock_timeout_s)
