"""DuckLake specifics: choosing the target, loading extensions offline, compaction."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from backends import make_target

from warehouse import articles as arts
from warehouse import ducklake
from warehouse.compaction import compact
from warehouse.connection import open_reader, write_transaction
from warehouse.rows import PendingRow, ResultRow
from warehouse.target import WarehouseConfigError, WarehouseTarget

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def pending(article_id):
    url = f"https://x.example/{article_id}"
    return PendingRow(article_id=article_id, outlet_id="o1", url=url, canonical_url=url,
            status="pending", discovered_at=NOW, attempts=0)


def test_empty_setting_means_the_duckdb_file(tmp_path):
    target = WarehouseTarget.from_settings(SimpleNamespace(db_path=tmp_path / "w.duckdb"))
    assert not target.is_lake and target.db_path == tmp_path / "w.duckdb"


def test_sqlite_catalog_keeps_its_data_files_beside_it_by_default(tmp_path):
    settings = SimpleNamespace(db_path=Path("w.duckdb"),
                               warehouse=f"ducklake:sqlite:{tmp_path}/lake/cat.sqlite")
    target = WarehouseTarget.from_settings(settings)
    assert target.is_lake and target.catalog == f"sqlite:{tmp_path}/lake/cat.sqlite"
    assert target.data_path == f"{tmp_path}/lake/cat.files/"


def test_postgres_catalog_needs_a_shared_data_path():
    with pytest.raises(WarehouseConfigError, match="ducklake_data_path"):
        WarehouseTarget.parse("ducklake:postgres:dbname=lake host=db", Path("w.duckdb"))
    target = WarehouseTarget.parse("ducklake:postgres:dbname=lake password=hunter2 host=db",
                                   Path("w.duckdb"), "s3://bucket/wirewatch/")
    assert target.catalog_kind == "postgres" and target.data_path == "s3://bucket/wirewatch/"
    assert "hunter2" not in target.describe() and "password=***" in target.describe()
    assert ducklake.required_extensions(target) == ["postgres_scanner", "httpfs", "ducklake"]


@pytest.mark.parametrize("spec", ["ducklake:/tmp/x.ducklake", "ducklake:mysql:db=x", "lake"])
def test_unusable_warehouse_settings_say_why(spec):
    with pytest.raises(WarehouseConfigError, match="warehouse"):
        WarehouseTarget.parse(spec, Path("w.duckdb"))


def test_extensions_come_from_installed_packages_or_name_the_missing_one():
    assert ducklake.extension_file("ducklake").is_file()
    assert ducklake.extension_file("sqlite_scanner").name == "sqlite_scanner.duckdb_extension"
    try:
        ducklake.extension_file("postgres_scanner")
    except ducklake.LakeUnavailable as exc:
        assert "duckdb-extension-postgres-scanner" in str(exc)


def test_sql_literal_cannot_be_broken_out_of():
    assert ducklake.sql_literal("it's") == "'it''s'"
    with pytest.raises(ValueError):
        ducklake.sql_literal("a\x00b")


def test_catalog_path_with_a_quote_attaches(tmp_path):
    target = make_target("ducklake-sqlite", tmp_path / "o'brien")
    with write_transaction(target) as con:
        arts.insert_pending(con, [pending("a1")])
    with open_reader(target) as reader:
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_compaction_folds_files_and_keeps_every_row(tmp_path):
    target = make_target("ducklake-sqlite", tmp_path)
    for batch in range(6):  # batches above the inlining limit: each load writes new files
        with write_transaction(target) as con:
            arts.insert_pending(con, [pending(f"a{batch}-{i}") for i in range(30)])
            arts.save_results(con, [ResultRow(article_id=f"a{batch}-{i}", status="extracted",
                                     text="body " * 50, retryable=False) for i in range(0, 30, 2)])
    policy = ducklake.CompactionPolicy(keep_snapshots_for=timedelta(0),
                                       file_grace=timedelta(0))
    with write_transaction(target) as con:
        before = con.execute("SELECT status, count(*) FROM articles GROUP BY ALL "
                             "ORDER BY ALL").fetchall()
    report = compact(target, policy)
    with open_reader(target) as reader:
        after = reader.execute("SELECT status, count(*) FROM articles GROUP BY ALL "
                               "ORDER BY ALL").fetchall()
    assert after == before == [("extracted", 90), ("pending", 90)]
    assert report.files_after < report.files_before
    assert report.snapshots_after < report.snapshots_before
    assert report.files_deleted > 0

