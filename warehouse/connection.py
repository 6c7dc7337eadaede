"""Opening the warehouse: a writer held only for a load, readers that never block the writer.

DuckDB allows one writing process or many readers per file, and an open reader blocks the
writer. So the writer opens, migrates, writes and closes within one step; analysts read a
published copy (see warehouse.publish), never the live file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.migrate import migrate


class WarehouseBusy(Exception):
    """Another process holds the warehouse file; transient: try again later."""

    transient = True


@contextmanager
def open_writer(path: Path, *, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, waiting up to `wait_s` for another writer to finish."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_wait(path, wait_s)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def open_reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; it cannot write, whatever SQL it is given."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run a cycle first (wirewatch run)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _connect_with_wait(path: Path, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            # DuckDB reports a file held by another process as IOException at connect time.
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is held by another process (waited {wait_s:.0f} s)"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def write_transaction(path: Path, *, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the writer, run one transaction, close: the writer is held for this block only."""
    with open_writer(path, wait_s=wait_s) as con, transaction(con):
        yield con
