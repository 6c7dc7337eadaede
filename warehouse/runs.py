"""The `runs` table: one row per cycle, written at its start and completed at its end."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import duckdb

from warehouse.results import single_count


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, flow_run_id: str | None,
    shard: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status, shard) "
        "SELECT ?, ?, ?, 'running', ? WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = ?)",
        [run_id, flow_run_id, started_at, shard, run_id],
    )


# A run is this shard's own (same label), or left by a sharding that no longer runs: shard
# labels of another n (or all/none against k/n). Docs: change n between cycles.
_STALE = ("status = 'running' AND (shard IS NOT DISTINCT FROM $shard "
          "OR coalesce(split_part(shard, '/', 2), '') <> $count)")


def close_interrupted_runs(
    con: duckdb.DuckDBPyConnection, now: datetime, shard: str | None = None
) -> int:
    """Mark runs left 'running' as interrupted. Called under the cycle lock of this shard
    (`None`: all outlets, one worker), so no other cycle of this shard can be running: such a
    row belongs to a killed process. Runs of the other shards are left alone."""
    params = {"shard": shard, "count": shard.split("/", 1)[1] if shard else ""}
    stale = single_count(con.execute(f"SELECT count(*) FROM runs WHERE {_STALE}", params))
    if stale:
        con.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = $now, "
            "error = 'the cycle stopped before finishing (killed or crashed)' "
            f"WHERE {_STALE}",
            {**params, "now": now},
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
