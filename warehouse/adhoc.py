"""An analyst's own SQL, run on a read-only connection that cannot reach outside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Column names and rows of one query, as DuckDB returned them."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def forbid_side_effects(con: duckdb.DuckDBPyConnection) -> None:
    """Make an analyst's query unable to change anything outside its read-only connection.

    A read-only connection still lets SQL write files (COPY ... TO), ATTACH another database
    READ_WRITE (the live warehouse itself, from the analyst copy), and INSTALL extensions
    over the network. Turning external access off blocks all three; locking the configuration
    keeps the query from turning it back on.
    """
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> QueryResult:
    """Run one query as given; DuckDB's own error propagates for the caller to report."""
    cursor = con.execute(query)
    columns = [d[0] for d in cursor.description or []]
    return QueryResult(columns, cursor.fetchall())
