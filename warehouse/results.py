"""Reading the one row of queries that always return one (aggregates without GROUP BY).

DuckDB types `fetchone()` as "a row or None"; for `SELECT count(*) ...` the None cannot
happen, and these helpers say so once instead of at every call site.
"""

from __future__ import annotations

from typing import Any

import duckdb


def single_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The row of an executed query that always yields exactly one."""
    row = result.fetchone()
    if row is None:
        raise RuntimeError("the query returned no row where one is always expected")
    return row


def single_count(result: duckdb.DuckDBPyConnection) -> int:
    """The first column of that row as an int (a `count(*)` or similar)."""
    return int(single_row(result)[0])
