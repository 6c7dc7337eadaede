"""Opening the warehouse: a writer held only for a load, readers that never block the writer.

The warehouse is a DuckDB file or a DuckLake catalog (see warehouse.target); every function
here takes either a WarehouseTarget or, as before, the Path of a DuckDB file.

DuckDB file: one writing process or many readers, and an open reader blocks the writer. So the
writer opens, migrates, writes and closes within one step; analysts read a published copy
(see warehouse.publish), never the live file.

DuckLake: readers and writers in many processes at once. Writers take turns for their short
write transactions: on one machine sharing a SQLite catalog through a lock file beside the
catalog (SQLite serialises commits anyway, and a writer that read the catalog before another
one committed can otherwise fail its own commit with "database is locked", which DuckLake
1.5.5 does not retry); across machines on a PostgreSQL catalog through an advisory lock of the
catalog database (warehouse.pgturn), so that every writer sees what the one before committed.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from extractors.errors import BusyError, DiskFullError
from warehouse.analyst import load_fts
from warehouse.ducklake import connect_lake
from warehouse.filelock import flock_with_wait
from warehouse.migrate import migrate
from warehouse.pgturn import TurnTimeout, postgres_writer_turn
from warehouse.target import WarehouseTarget, as_target

__all__ = [
    "WarehouseBusy",
    "WarehouseConflict",
    "WarehouseDiskFull",
    "WarehouseTarget",
    "open_reader",
    "open_writer",
    "transaction",
    "write_transaction",
]

MIGRATION_ATTEMPTS = 5


class WarehouseBusy(BusyError):
    """Another process holds the warehouse file; transient: try again later."""


class WarehouseConflict(WarehouseBusy):
    """A commit lost against a concurrent writer and was rolled back; transient: run again."""


class WarehouseDiskFull(DiskFullError):
    """The disk holding the warehouse has no space left; terminal: retrying cannot help.

    The failed transaction rolled back, so nothing of it is in the warehouse.
    """


# The OS conditions that mean "no room to write": a full disk, an exhausted quota, a file
# size limit (RLIMIT_FSIZE). Python's own OSErrors carry the errno; DuckDB re-raises them as
# text only (see _is_out_of_space).
_OUT_OF_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def is_out_of_space(exc: BaseException) -> bool:
    """True when `exc` (or an exception it was raised from) is an out-of-space write.

    OSErrors are classified by errno. DuckDB's IOException and TransactionException carry no
    errno and no cause, only the C library's message for it ("Could not write file ...: No
    space left on device"); this is the one place that reads an error's text, and it looks
    only for the OS's own strerror() of those errnos, not for DuckDB's wording.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _OUT_OF_SPACE:
            return True
        if isinstance(seen, duckdb.Error) and any(
            os.strerror(code) in str(seen) for code in _OUT_OF_SPACE
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full(exc: BaseException, path: Path) -> WarehouseDiskFull | None:
    """A WarehouseDiskFull naming the disk and what is free on it, when `exc` is one."""
    if not is_out_of_space(exc):
        return None
    folder = path.parent if path.parent.exists() else Path(".")
    try:
        stats = os.statvfs(folder)
        free = f"{stats.f_bavail * stats.f_frsize / 1e6:.1f} MB free now"
    except OSError:
        free = "free space unknown"
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return WarehouseDiskFull(
        f"disk full: no space to write the warehouse {path} (folder {folder.resolve()}, "
        f"{free}); nothing of this step was written. Free space and run again. ({detail})"
    )


@contextmanager
def open_writer(
    target: WarehouseTarget | Path, *, wait_s: float = 30.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, waiting up to `wait_s` for another writer to finish."""
    target = as_target(target)
    if target.is_lake:
        with _lake_writer_turn(target, wait_s):
            con = connect_lake(target)
            try:
                _migrate_alongside_others(con)
                yield con
            finally:
                con.close()
        return
    target.db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_wait(target.db_path, wait_s)
    try:
        migrate(con)
        yield con
    except (duckdb.Error, OSError) as exc:
        full = disk_full(exc, target.db_path)
        if full is None:
            raise
        raise full from exc
    finally:
        con.close()


@contextmanager
def open_reader(target: WarehouseTarget | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; it cannot write, whatever SQL it is given."""
    target = as_target(target)
    catalog = target.sqlite_catalog_path
    if catalog is not None and not catalog.exists():
        raise FileNotFoundError(f"no lake catalog at {catalog}: run a cycle first (wirewatch run)")
    if target.is_lake:
        con = connect_lake(target, read_only=True)
    else:
        if not target.db_path.exists():
            raise FileNotFoundError(
                f"no warehouse at {target.db_path}: run a cycle first (wirewatch run)"
            )
        con = duckdb.connect(str(target.db_path), read_only=True)
        # The analyst copy's search_articles() needs the full-text extension's functions.
        load_fts(con)
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
    try:
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:
        # A failed COMMIT has already rolled back; nothing of the block was written.
        full = disk_full(exc, _database_path(con))
        if full is not None:
            raise full from exc
        raise WarehouseConflict(f"commit lost against a concurrent writer: {exc}") from exc


def _database_path(con: duckdb.DuckDBPyConnection) -> Path:
    """The file behind a connection, for messages (the lake's catalog has none: ".")."""
    try:
        row = con.execute("SELECT path FROM duckdb_databases() "
                          "WHERE database_name = current_database()").fetchone()
    except duckdb.Error:
        return Path(".")
    return Path(row[0]) if row and row[0] else Path(".")


@contextmanager
def write_transaction(
    target: WarehouseTarget | Path, *, wait_s: float = 30.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the writer, run one transaction, close: the writer is held for this block only."""
    with open_writer(target, wait_s=wait_s) as con, transaction(con):
        yield con


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
def _lake_writer_turn(target: WarehouseTarget, wait_s: float) -> Iterator[None]:
    """Hold the lake's writer turn: `<catalog>.writer.lock` for a SQLite catalog (the OS frees
    it if we die), an advisory lock of the catalog database for PostgreSQL (warehouse.pgturn)."""
    catalog = target.sqlite_catalog_path
    if catalog is None:
        try:
            with postgres_writer_turn(target, wait_s):
                yield
        except TurnTimeout as exc:
            raise WarehouseBusy(str(exc)) from exc
        return
    catalog.parent.mkdir(parents=True, exist_ok=True)
    lock_path = catalog.with_name(catalog.name + ".writer.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _flock_with_wait(fd, lock_path, wait_s)
        yield
    finally:
        os.close(fd)


def _flock_with_wait(fd: int, lock_path: Path, wait_s: float) -> None:
    if not flock_with_wait(fd, wait_s):
        raise WarehouseBusy(
            f"another process is writing the lake ({lock_path}; waited {wait_s:.0f} s)"
        )


def _migrate_alongside_others(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Migrate a lake that other processes may be migrating at the same moment.

    Two fresh workers both try to create the first tables; the one that loses gets a commit
    conflict or an "already exists". If the other one made progress meanwhile, look again;
    if nobody did, the migration itself is broken and its error is raised.
    """
    seen = _applied_or_none(con)
    for attempt in range(MIGRATION_ATTEMPTS):
        try:
            return migrate(con)
        except (duckdb.TransactionException, duckdb.CatalogException):
            now = _applied_or_none(con)
            if now == seen or attempt == MIGRATION_ATTEMPTS - 1:
                raise
            seen = now
    return []


def _applied_or_none(con: duckdb.DuckDBPyConnection) -> frozenset[str] | None:
    try:
        rows = con.execute("SELECT name FROM schema_migrations").fetchall()
    except duckdb.CatalogException:
        return None
    return frozenset(row[0] for row in rows)
