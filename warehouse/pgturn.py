"""Writers of a PostgreSQL-catalog lake take turns through a PostgreSQL advisory lock.

DuckLake itself would let every worker commit at once (optimistic, snapshot isolation). But
two workers that each land a copy of one story in the same minute would then each see no
story for it, and open two stories and queue two alerts; the loaders' anti-joins only hold
when a writer sees everything committed before it. So a writer holds the catalog's turn for
its (short) write transaction, as writers of a SQLite catalog hold a lock file: network and
extraction, the long parts of a cycle, still run in parallel on every worker.

The turn is a transaction-level advisory lock (`pg_try_advisory_xact_lock`) held by a
transaction of its own, on a connection of its own, in the catalog database: PostgreSQL
frees it when that transaction ends or the connection drops, so a worker killed mid-write
never leaves it held. (A session-level lock would not do: DuckDB's PostgreSQL connection
pool runs DISCARD ALL when a connection is returned, which drops session locks.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from extractors.errors import BusyError
from warehouse.ducklake import extension_file, sql_literal
from warehouse.results import single_row
from warehouse.target import WarehouseTarget

# One fixed key: advisory locks are scoped to the database, and the catalog has its own.
WRITER_TURN_KEY = 0x77697265  # "wire"
_TRY = f"SELECT pg_try_advisory_xact_lock({WRITER_TURN_KEY}) AS got"


class TurnTimeout(BusyError):
    """Another worker held the catalog's writer turn for longer than we may wait.

    The writer maps it to WarehouseBusy; as a BusyError itself it would mean the same."""


@contextmanager
def postgres_writer_turn(target: WarehouseTarget, wait_s: float) -> Iterator[None]:
    """Hold the writer turn of the lake's PostgreSQL catalog for the block."""
    dsn = (target.catalog or "").removeprefix("postgres:")
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        con.execute(f"LOAD {sql_literal(str(extension_file('postgres_scanner')))}")
        con.execute(f"ATTACH {sql_literal(dsn)} AS turn (TYPE postgres)")
        con.execute("BEGIN TRANSACTION")  # the PostgreSQL transaction that holds the lock
        if not _try_with_wait(con, wait_s):
            raise TurnTimeout(f"another worker is writing the lake (waited {wait_s:.0f} s)")
        yield
    finally:
        con.close()  # ends the PostgreSQL transaction, which frees the lock


def _try_with_wait(con: duckdb.DuckDBPyConnection, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        got = single_row(con.execute(
            f"SELECT got FROM postgres_query('turn', {sql_literal(_TRY)})"))[0]
        if got:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
