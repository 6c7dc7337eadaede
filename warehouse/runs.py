"""The `runs` table: one row per cycle, written at its start and completed at its end."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import duckdb


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, flow_run_id: str | None
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status) "
        "SELECT ?, ?, ?, 'running' WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = ?)",
        [run_id, flow_run_id, started_at, run_id],
    )


def close_interrupted_runs(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Mark runs left 'running' as interrupted. Called under the cycle lock, so no other
    cycle can be running on this warehouse: such a row belongs to a killed process."""
    stale = con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
    if stale:
        con.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, "
            "error = 'the cycle stopped before finishing (killed or crashed)' "
            "WHERE status = 'running'",
            [now],
        )
    return stale


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    finished_at: datetime,
    status: str,
    counts: Mapping[str, int],
    stage_seconds: Mapping[str, float],
    error: str | None = None,
) -> None:
    columns = [
        "feeds_polled", "feeds_not_modified", "feeds_failed", "items_seen", "items_new",
        "pages_fetched", "articles_extracted", "articles_failed", "articles_skipped",
    ]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    con.execute(
        f"UPDATE runs SET finished_at = ?, status = ?, {assignments}, stage_seconds = ?, "
        "error = ? WHERE run_id = ?",
        [finished_at, status, *(int(counts.get(c, 0)) for c in columns),
         json.dumps({k: round(v, 3) for k, v in stage_seconds.items()}), error, run_id],
    )
