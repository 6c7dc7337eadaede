"""Ordered, named migrations, each applied in one transaction together with its record.

Migrations are the files `NNNN_name.sql` beside this module, applied in name order. A
migration and its `schema_migrations` row commit together, so a crash never leaves a
half-applied migration recorded as done (or a done one unrecorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

import duckdb

_MIGRATIONS_PACKAGE = "warehouse.migrations"


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """All packaged migrations in the order they apply."""
    folder = resources.files(_MIGRATIONS_PACKAGE)
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [Migration(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def applied_migrations(con: duckdb.DuckDBPyConnection) -> set[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    return {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}


def migrate(
    con: duckdb.DuckDBPyConnection, migrations: list[Migration] | None = None
) -> list[str]:
    """Apply every pending migration (default: the packaged ones); return the names applied."""
    done = applied_migrations(con)
    applied: list[str] = []
    for migration in available_migrations() if migrations is None else migrations:
        if migration.name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)",
                [migration.name, datetime.now(UTC)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.name)
    return applied
