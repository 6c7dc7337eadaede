"""Bulk writes through Arrow: stage rows as a pyarrow table, then one set-based statement.

Typed records (warehouse/rows.py) go through `insert_records` / `update_records` /
`staged_table(con, rows.to_table(...))`; mappings through `insert` / `update` / `staged`.

Row-by-row `executemany` loads about 1k rows/s here; `INSERT … SELECT` from a registered Arrow
table loads about 40k rows/s, so every multi-row write goes through this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from warehouse.rows import R, RowShapeError, to_table


def to_arrow(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Mapping rows as an Arrow table of `schema`; a missing name is NULL.

    A name the schema does not have raises RowShapeError: it is a misspelt column, and
    storing NULL in the real one would lose the value without a word. The cycle's own rows
    are typed records (warehouse/rows.py, `to_table`), which cannot be misspelt at all.
    """
    names = set(schema.names)
    for row in rows:
        if not names.issuperset(row):
            raise RowShapeError(f"unknown fields {sorted(set(row) - names)} for columns "
                                f"{schema.names}")
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


@contextmanager
def staged(
    con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]], schema: pa.Schema
) -> Iterator[str]:
    """Register rows as a temporary view; yields its name and unregisters it afterwards."""
    with staged_table(con, to_arrow(rows, schema)) as name:
        yield name


@contextmanager
def staged_table(con: duckdb.DuckDBPyConnection, table: pa.Table) -> Iterator[str]:
    """Register an Arrow table under a unique name for the block; yields that name."""
    name = f"staged_{uuid.uuid4().hex}"
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    schema: pa.Schema,
) -> int:
    """Append rows to `table` (columns named by the schema). Returns the number inserted."""
    if not rows:
        return 0
    cols = ", ".join(schema.names)
    with staged(con, rows, schema) as view:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    return len(rows)


def update(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: str,
    rows: Sequence[Mapping[str, Any]],
    schema: pa.Schema,
) -> int:
    """Set the schema's columns (except `key`) on rows of `table` matched by `key`."""
    if not rows:
        return 0
    assignments = ", ".join(f"{c} = s.{c}" for c in schema.names if c != key)
    with staged(con, rows, schema) as view:
        con.execute(
            f"UPDATE {table} SET {assignments} FROM {view} AS s WHERE {table}.{key} = s.{key}"
        )
    return len(rows)


def insert_records(
    con: duckdb.DuckDBPyConnection, table: str, records: Sequence[R], record_type: type[R]
) -> int:
    """Append typed records to `table` (columns named by their schema); the number inserted."""
    if not records:
        return 0
    cols = ", ".join(record_type.SCHEMA.names)
    with staged_table(con, to_table(records, record_type)) as view:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    return len(records)


def update_records(
    con: duckdb.DuckDBPyConnection, table: str, key: str, records: Sequence[R],
    record_type: type[R],
) -> int:
    """Set every column of the records (except `key`) on rows of `table` matched by `key`."""
    if not records:
        return 0
    assignments = ", ".join(f"{c} = s.{c}" for c in record_type.SCHEMA.names if c != key)
    with staged_table(con, to_table(records, record_type)) as view:
        con.execute(
            f"UPDATE {table} SET {assignments} FROM {view} AS s WHERE {table}.{key} = s.{key}"
        )
    return len(records)
