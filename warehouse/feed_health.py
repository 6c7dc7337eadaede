"""The nightly flow's queries on feed history: which feeds fail or fell silent, and pruning
old poll records (compaction: see warehouse.compaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb


@dataclass(frozen=True, slots=True)
class FeedHealth:
    feed_url: str
    outlet_id: str
    problem: str  # failing | silent
    detail: str


def feed_health(
    con: duckdb.DuckDBPyConnection, now: datetime, silent_after: timedelta
) -> list[FeedHealth]:
    """Feeds that keep failing, and feeds that answer but have published nothing for long."""
    failing = con.execute(
        """SELECT feed_url, outlet_id, consecutive_failures, last_error FROM feeds
           WHERE consecutive_failures > 0 ORDER BY consecutive_failures DESC, feed_url"""
    ).fetchall()
    silent = con.execute(
        """SELECT feed_url, outlet_id, last_new_item_at FROM feeds
           WHERE consecutive_failures = 0 AND last_success_at IS NOT NULL
             AND coalesce(last_new_item_at, TIMESTAMPTZ '1970-01-01') < ?
           ORDER BY feed_url""",
        [now - silent_after],
    ).fetchall()
    report = [FeedHealth(u, o, "failing", f"{n} failures in a row: {err}")
              for u, o, n, err in failing]
    report += [FeedHealth(u, o, "silent", f"no new item since {last or 'ever'}")
               for u, o, last in silent]
    return report


def prune_polls(con: duckdb.DuckDBPyConnection, older_than: datetime) -> int:
    """Drop poll records older than the cut-off; feed state keeps what scheduling needs."""
    before = _poll_count(con)
    con.execute("DELETE FROM feed_polls WHERE polled_at < ?", [older_than])
    return before - _poll_count(con)


def _poll_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM feed_polls").fetchone()
    return int(row[0]) if row else 0

