"""Migrations on a DuckDB file; the loaders' tests run on every backend in
test_warehouse_backends.py."""

import duckdb
import pytest

from warehouse.migrate import Migration, available_migrations, migrate


def test_migrations_are_recorded_in_order_and_apply_once(tmp_path):
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    names = [m.name for m in available_migrations()]
    assert names == sorted(names) and names[0] == "0001_core"
    assert migrate(con) == names
    assert migrate(con) == []
    recorded = [r[0] for r in con.execute(
        "SELECT name FROM schema_migrations ORDER BY applied_at, name").fetchall()]
    assert recorded == names


def test_failed_migration_leaves_neither_its_changes_nor_its_record(tmp_path):
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    broken = Migration("9999_broken", "CREATE TABLE half (x INT); SELECT * FROM no_such_table;")
    with pytest.raises(duckdb.CatalogException):
        migrate(con, [broken])
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 0
    query = "SELECT table_name FROM information_schema.tables"
    tables = {r[0] for r in con.execute(query).fetchall()}
    assert "half" not in tables
