"""Periodic compaction of the warehouse, whichever backend it is (nightly maintenance)."""

from __future__ import annotations

from pathlib import Path

from warehouse.connection import open_writer
from warehouse.ducklake import CompactionPolicy, CompactionReport, compact_lake
from warehouse.target import WarehouseTarget, as_target


def compact(
    target: WarehouseTarget | Path,
    policy: CompactionPolicy | None = None,
    *,
    wait_s: float = 30.0,
) -> CompactionReport | None:
    """DuckLake: merge files, expire snapshots, delete old files (report returned).

    DuckDB file: fold the WAL into the file and reclaim space left by deletes and updates
    (returns None: there are no files or snapshots to count).
    """
    target = as_target(target)
    with open_writer(target, wait_s=wait_s) as con:
        if target.is_lake:
            return compact_lake(con, policy)
        con.execute("FORCE CHECKPOINT")
        return None
