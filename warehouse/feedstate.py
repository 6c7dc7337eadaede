"""Outlets and feed state: which feeds are due, and what each poll left behind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from warehouse import staging
from warehouse.rows import FeedUpdateRow, NewFeedRow, OutletRow, PollRow, to_table

# The rows' schemas live with their records (warehouse/rows.py).
OUTLET_SCHEMA = OutletRow.SCHEMA
NEW_FEED_SCHEMA = NewFeedRow.SCHEMA
FEED_UPDATE_SCHEMA = FeedUpdateRow.SCHEMA
POLL_SCHEMA = PollRow.SCHEMA
URL_SCHEMA = pa.schema([("feed_url", pa.string())])


@dataclass(frozen=True, slots=True)
class FeedState:
    feed_url: str
    outlet_id: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    consecutive_failures: int
    interval_seconds: int
    next_poll_at: datetime | None
    last_success_at: datetime | None
    last_new_item_at: datetime | None


def sync_outlets(
    con: duckdb.DuckDBPyConnection,
    outlet_rows: Sequence[OutletRow],
    feed_rows: Sequence[NewFeedRow],
) -> int:
    """Make `outlets` match the configuration and add feeds not seen before (due at once).

    Feeds removed from the configuration keep their history but are no longer polled:
    `due_feeds` only considers the configured URLs.
    """
    con.execute("DELETE FROM outlets")
    staging.insert_records(con, "outlets", outlet_rows, OutletRow)
    if not feed_rows:
        return 0
    with staging.staged_table(con, to_table(feed_rows, NewFeedRow)) as view:
        before = _count(con, "feeds")
        con.execute(
            f"""INSERT INTO feeds (feed_url, outlet_id, interval_seconds, consecutive_failures)
                SELECT s.feed_url, s.outlet_id, s.interval_seconds, 0 FROM {view} s
                WHERE NOT EXISTS (SELECT 1 FROM feeds f WHERE f.feed_url = s.feed_url)"""
        )
        # An outlet may move a feed to another outlet id in the config: follow it.
        con.execute(
            f"""UPDATE feeds SET outlet_id = s.outlet_id FROM {view} s
                WHERE feeds.feed_url = s.feed_url AND feeds.outlet_id <> s.outlet_id"""
        )
    return _count(con, "feeds") - before


def feed_states(
    con: duckdb.DuckDBPyConnection, feed_urls: Sequence[str]
) -> list[FeedState]:
    """State of the given (configured) feeds, in the order given.

    The URLs go in as a staged Arrow table, joined by hash: as a list parameter, DuckDB's
    Python binding costs about 1 ms per element on this machine (it tries to import pandas for
    every value), and `list_contains(?, feed_url)` then scans the whole list for every row.
    Together that was 34 s of a warm 10,000-feed cycle (bench/scale_bench.py).
    """
    if not feed_urls:
        return []
    urls = pa.table({"feed_url": list(feed_urls)}, schema=URL_SCHEMA)
    with staging.staged_table(con, urls) as view:
        rows = con.execute(
            f"""SELECT f.feed_url, f.outlet_id, f.etag, f.last_modified, f.body_hash,
                       f.consecutive_failures, f.interval_seconds, f.next_poll_at,
                       f.last_success_at, f.last_new_item_at
                FROM feeds f SEMI JOIN {view} s ON f.feed_url = s.feed_url"""
        ).fetchall()
    by_url = {row[0]: FeedState(*row) for row in rows}
    return [by_url[url] for url in feed_urls if url in by_url]


def due(states: Sequence[FeedState], now: datetime, *, force: bool = False) -> list[FeedState]:
    """Feeds whose next poll time has come (all of them when forced)."""
    return [s for s in states if force or s.next_poll_at is None or s.next_poll_at <= now]


def record_polls(
    con: duckdb.DuckDBPyConnection, polls: Sequence[PollRow], updates: Sequence[FeedUpdateRow]
) -> None:
    staging.insert_records(con, "feed_polls", polls, PollRow)
    staging.update_records(con, "feeds", "feed_url", updates, FeedUpdateRow)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    (count,) = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
    return int(count)
