from datetime import UTC, datetime

import duckdb
import pytest

from warehouse import articles as arts
from warehouse.connection import open_reader, open_writer, transaction
from warehouse.migrate import Migration, available_migrations, migrate

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def con(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as connection:
        yield connection


def pending(article_id, url, outlet="o1", guid=None, title="T"):
    return {"article_id": article_id, "outlet_id": outlet, "feed_url": "http://f/rss",
            "guid": guid, "url": url, "canonical_url": url, "status": "pending",
            "feed_title": title, "title": title, "discovered_at": NOW, "attempts": 0,
            "published_at": NOW, "published_source": "feed", "run_id": "r1"}


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


def test_insert_pending_is_idempotent(con):
    rows = [pending("a1", "https://x.example/1"), pending("a2", "https://x.example/2"),
            pending("a2", "https://x.example/2")]
    assert arts.insert_pending(con, rows) == 2
    assert arts.insert_pending(con, rows) == 0
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_find_known_matches_url_and_guid_within_outlet_only(con):
    arts.insert_pending(con, [pending("a1", "https://x.example/1", guid="g-1", title="Old")])
    known = arts.find_known(con, [
        {"idx": 0, "canonical_url": "https://x.example/1", "outlet_id": "o2", "guid": None},
        {"idx": 1, "canonical_url": "https://x.example/moved", "outlet_id": "o1", "guid": "g-1"},
        {"idx": 2, "canonical_url": "https://x.example/other", "outlet_id": "o2", "guid": "g-1"},
    ])
    assert known[0].article_id == "a1" and known[0].matched_by == "canonical_url"
    assert known[1].article_id == "a1" and known[1].matched_by == "guid"
    assert known[1].feed_title == "Old" and known[1].same_guid
    assert not known[0].same_guid
    assert 2 not in known  # the same GUID from another outlet is a different article


def test_save_results_keeps_feed_values_the_page_lacks(con):
    arts.insert_pending(con, [pending("a1", "https://x.example/1")])
    arts.save_results(con, [{"article_id": "a1", "status": "extracted", "retryable": False,
                             "text": "Body", "title": None, "published_at": None,
                             "attempts": 1, "run_id": "r2"}])
    row = con.execute("SELECT status, text, title, published_at, published_source, attempts "
                      "FROM articles").fetchone()
    assert row[0] == "extracted" and row[1] == "Body"
    assert row[2] == "T" and row[3] == NOW and row[4] == "feed" and row[5] == 1


def test_retry_candidates_are_pending_or_transient_failures_under_the_cap(con):
    arts.insert_pending(con, [pending(f"a{i}", f"https://x.example/{i}") for i in range(4)])
    arts.save_results(con, [
        {"article_id": "a1", "status": "failed", "retryable": True, "attempts": 1},
        {"article_id": "a2", "status": "failed", "retryable": False, "attempts": 1},
        {"article_id": "a3", "status": "failed", "retryable": True, "attempts": 3},
    ])
    ids = {c.article_id for c in arts.retry_candidates(con, max_attempts=3)}
    assert ids == {"a0", "a1"}


def test_transaction_rolls_back_on_error(con):
    with pytest.raises(RuntimeError), transaction(con):
        arts.insert_pending(con, [pending("a1", "https://x.example/1")])
        raise RuntimeError("boom")
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_reader_cannot_write(tmp_path):
    path = tmp_path / "w.duckdb"
    with open_writer(path):
        pass
    with open_reader(path) as reader, pytest.raises(duckdb.Error):
        reader.execute("DELETE FROM articles")
