"""DuckLake with its catalog in PostgreSQL and its data files in S3 (tests/services.py):
nightly compaction and snapshot expiry, the writers' turn, and the S3 secret."""

from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from backends import make_target

from flows.maintenance import run_maintenance
from flows.settings import load_settings
from warehouse import articles as arts
from warehouse import ducklake
from warehouse.compaction import compact
from warehouse.connection import WarehouseBusy, open_reader, write_transaction
from warehouse.rows import PendingRow, ResultRow

pytestmark = [pytest.mark.slow, pytest.mark.scale]

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def pending(article_id):
    url = f"https://x.example/{article_id}"
    return PendingRow(article_id=article_id, outlet_id="o1", url=url, canonical_url=url,
            status="pending", discovered_at=NOW, attempts=0)


def load_batches(target, batches: int = 6) -> list[tuple]:
    for batch in range(batches):  # above the inlining limit: each load writes new files
        with write_transaction(target) as con:
            arts.insert_pending(con, [pending(f"a{batch}-{i}") for i in range(30)])
            arts.save_results(con, [ResultRow(article_id=f"a{batch}-{i}", status="extracted",
                                     text="body " * 50, retryable=False) for i in range(0, 30, 2)])
    with open_reader(target) as con:
        return con.execute("SELECT status, count(*) FROM articles GROUP BY ALL "
                           "ORDER BY ALL").fetchall()


def bucket_keys(services, target) -> list[str]:
    prefix = target.data_path.removeprefix(f"s3://{services.bucket}/")
    return services.s3.list_keys(services.bucket, prefix)


def test_nightly_maintenance_merges_the_lakes_files(lake_services, tmp_path):
    target = make_target("ducklake-postgres", tmp_path, lake_services)
    before = load_batches(target)
    settings = load_settings(env={}, overrides={
        "db_path": str(tmp_path / "w.duckdb"), "warehouse": f"ducklake:{target.catalog}",
        "ducklake_data_path": target.data_path})
    with open_reader(target) as con:
        files_before = ducklake._lake_counts(con)[1]
    run_maintenance(settings, NOW)
    with open_reader(target) as con:
        after = con.execute("SELECT status, count(*) FROM articles GROUP BY ALL "
                            "ORDER BY ALL").fetchall()
        files_after = ducklake._lake_counts(con)[1]
    assert after == before == [("extracted", 90), ("pending", 90)]
    assert files_after < files_before


def test_expired_snapshots_free_their_files_in_the_bucket(lake_services, tmp_path):
    target = make_target("ducklake-postgres", tmp_path, lake_services)
    before = load_batches(target)
    keys_before = bucket_keys(lake_services, target)
    policy = ducklake.CompactionPolicy(keep_snapshots_for=timedelta(0), file_grace=timedelta(0))
    report = compact(target, policy)
    with open_reader(target) as con:
        after = con.execute("SELECT status, count(*) FROM articles GROUP BY ALL "
                            "ORDER BY ALL").fetchall()
        oldest = con.execute("SELECT min(snapshot_id) FROM ducklake_snapshots('lake')"
                             ).fetchone()[0]
    keys_after = bucket_keys(lake_services, target)
    assert after == before
    assert report.snapshots_after < report.snapshots_before and oldest > 1
    assert report.files_deleted > 0
    assert len(keys_after) < len(keys_before)
    assert set(keys_after) - set(keys_before)  # the merged files are new objects


def test_a_writer_waits_for_the_turn_and_gives_up_as_busy(lake_services, tmp_path):
    target = make_target("ducklake-postgres", tmp_path, lake_services)
    with write_transaction(target) as con:
        arts.insert_pending(con, [pending("a1")])
        with pytest.raises(WarehouseBusy, match="another worker"), \
                write_transaction(target, wait_s=0.5):
            pass
    with write_transaction(target, wait_s=5) as con:  # the turn is free again
        arts.insert_pending(con, [pending("a2")])
    with open_reader(target) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_the_s3_secret_comes_from_the_environment_and_never_shows_its_key():
    con = duckdb.connect()
    con.execute(f"LOAD {ducklake.sql_literal(str(ducklake.extension_file('httpfs')))}")
    assert not ducklake.create_s3_secret(con, {})  # nothing set: DuckDB's own chain applies
    env = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cr3t-value",
           "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    assert ducklake.create_s3_secret(con, env)
    secret = con.execute("SELECT type, secret_string FROM duckdb_secrets() "
                         "WHERE name = 'wirewatch_lake_env'").fetchone()
    assert secret[0] == "s3" and "s3cr3t-value" not in secret[1]  # DuckDB redacts it
    assert "endpoint=127.0.0.1:9" in secret[1] and "use_ssl=false" in secret[1]
    with pytest.raises(ducklake.LakeUnavailable, match="AWS_ENDPOINT_URL") as error:
        ducklake.create_s3_secret(con, {**env, "AWS_ENDPOINT_URL": "127.0.0.1:9"})
    assert "s3cr3t-value" not in str(error.value)

