"""Read-only summaries the command line prints: feed states, the next feed due, what landed.

Rows are named tuples: typed fields for the code that reads them, and still plain sequences
for the table renderer, which prints them column by column in the order declared here.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import duckdb


class FeedState(NamedTuple):
    """One feed the warehouse follows, with its outlet (None when the outlet is gone)."""

    feed_url: str
    last_status: str | None
    last_http_status: int | None
    consecutive_failures: int | None
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    last_error: str | None
    outlet_id: str | None
    language: str | None
    kind: str | None


class OutletLanding(NamedTuple):
    """How many of an outlet's articles ended in each status."""

    name: str
    language: str | None
    kind: str | None
    extracted: int
    failed: int
    skipped: int


class FailedFeed(NamedTuple):
    feed_url: str
    last_status: str
    last_error: str | None


class SharedStory(NamedTuple):
    """A story carried by more than one article; `languages` is comma-separated."""

    title: str | None
    article_count: int
    outlet_count: int
    languages: str | None


def next_feed_due(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the earliest feed is next due; None when no feed is stored."""
    row = con.execute("SELECT min(next_poll_at) FROM feeds").fetchone()
    return row[0] if row else None


def feed_states(con: duckdb.DuckDBPyConnection) -> list[FeedState]:
    """Every stored feed, ordered by outlet then feed URL."""
    rows = con.execute(
        "SELECT f.feed_url, f.last_status, f.last_http_status, f.consecutive_failures, "
        "f.last_polled_at, f.next_poll_at, f.last_error, o.outlet_id, o.language, "
        "o.kind FROM feeds f LEFT JOIN outlets o USING (outlet_id) ORDER BY 8, 1"
    ).fetchall()
    return [FeedState(*row) for row in rows]


def landed_per_outlet(con: duckdb.DuckDBPyConnection) -> list[OutletLanding]:
    """Per outlet (by name), its articles extracted, failed and skipped."""
    rows = con.execute(
        """SELECT o.name, o.language, o.kind,
                  count(*) FILTER (a.status = 'extracted') AS extracted,
                  count(*) FILTER (a.status = 'failed') AS failed,
                  count(*) FILTER (a.status = 'skipped') AS skipped
           FROM outlets o LEFT JOIN articles a ON a.outlet_id = o.outlet_id
           GROUP BY ALL ORDER BY o.name"""
    ).fetchall()
    return [OutletLanding(*row) for row in rows]


def failed_feeds(con: duckdb.DuckDBPyConnection) -> list[FailedFeed]:
    """Feeds whose last poll failed or was partial, by URL."""
    rows = con.execute(
        "SELECT feed_url, last_status, last_error FROM feeds "
        "WHERE last_status IN ('failed', 'partial') ORDER BY feed_url"
    ).fetchall()
    return [FailedFeed(*row) for row in rows]


def shared_stories(con: duckdb.DuckDBPyConnection, limit: int) -> list[SharedStory]:
    """The `limit` stories with the most articles, among those with more than one."""
    rows = con.execute(
        """SELECT title, article_count, outlet_count, array_to_string(languages, ',')
           FROM stories WHERE article_count > 1
           ORDER BY article_count DESC, title LIMIT $limit""",
        {"limit": limit},
    ).fetchall()
    return [SharedStory(*row) for row in rows]
