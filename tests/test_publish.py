"""The analyst copy: published atomically, never blocking or blocked by analysts' sessions."""

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from backends import make_target

from warehouse import articles as arts
from warehouse.connection import open_reader, write_transaction
from warehouse.publish import publish, publish_analyst_copy
from warehouse.rows import PendingRow, ResultRow

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
BATCH = 50


def _load_batch(db_path: Path, batch: int) -> None:
    with write_transaction(db_path, wait_s=5) as con:
        arts.insert_pending(con, [
            PendingRow(article_id=f"b{batch}-{i}", outlet_id="o1",
             url=f"https://x.example/{batch}/{i}",
             canonical_url=f"https://x.example/{batch}/{i}", status="pending",
             discovered_at=NOW, attempts=0) for i in range(BATCH)])


def _hold_copy_open(path: Path, ready, stop, out) -> None:
    """An analyst's long session: one connection kept open on the copy until told to stop."""
    con = duckdb.connect(str(path), read_only=True)
    counts = {con.execute("SELECT count(*) FROM articles").fetchone()[0]}
    ready.set()
    while not stop.wait(0.05):
        counts.add(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    con.close()
    out.put(sorted(counts))


def _reopen_repeatedly(path: Path, stop, out) -> None:
    """Analysts opening the copy again and again while it is being replaced."""
    counts, failures = set(), []
    while not stop.is_set():
        try:
            with open_reader(path) as con:
                counts.add(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        except duckdb.Error as exc:  # a partial or torn file would fail to open or read
            failures.append(repr(exc))
    out.put((sorted(counts), failures))


@pytest.fixture
def ctx():
    return multiprocessing.get_context("spawn")


def test_copy_holds_the_data_and_cannot_be_written(tmp_path):
    db, copy = tmp_path / "w.duckdb", tmp_path / "analyst" / "w.analyst.duckdb"
    _load_batch(db, 0)
    publication = publish(db, copy)
    assert publication.path == copy and publication.bytes == copy.stat().st_size > 0
    with open_reader(copy) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == BATCH
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no temporary left behind


def test_an_open_analyst_session_neither_blocks_nor_sees_publishing(tmp_path, ctx):
    db, copy = tmp_path / "w.duckdb", tmp_path / "w.analyst.duckdb"
    _load_batch(db, 0)
    publish_analyst_copy(db, copy)
    ready, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    analyst = ctx.Process(target=_hold_copy_open, args=(copy, ready, stop, out))
    analyst.start()
    try:
        assert ready.wait(60)
        for batch in range(1, 4):  # three cycles: load, then publish, while the session is open
            _load_batch(db, batch)
            publish(db, copy, wait_s=5)
        with open_reader(copy) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4 * BATCH
    finally:
        stop.set()
        analyst.join(60)
    assert analyst.exitcode == 0
    assert out.get(timeout=5) == [BATCH]  # its snapshot never changed under it


def test_readers_reopening_during_publishing_only_ever_see_whole_snapshots(tmp_path, ctx):
    db, copy = tmp_path / "w.duckdb", tmp_path / "w.analyst.duckdb"
    _load_batch(db, 0)
    publish(db, copy)
    stop, out = ctx.Event(), ctx.Queue()
    readers = [ctx.Process(target=_reopen_repeatedly, args=(copy, stop, out)) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for batch in range(1, 9):
            _load_batch(db, batch)
            publish(db, copy, wait_s=5)
    finally:
        stop.set()
        for reader in readers:
            reader.join(60)
    assert [reader.exitcode for reader in readers] == [0, 0]
    for _ in readers:
        counts, failures = out.get(timeout=5)
        assert failures == []
        assert counts and all(c % BATCH == 0 and BATCH <= c <= 9 * BATCH for c in counts)


def test_the_copy_cannot_replace_the_warehouse_itself(tmp_path):
    db = tmp_path / "w.duckdb"
    _load_batch(db, 0)
    with pytest.raises(ValueError, match="analyst copy"):
        publish(db, db)
    with open_reader(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == BATCH


def test_a_lake_publishes_nothing_and_says_why(tmp_path):
    target = make_target("ducklake-sqlite", tmp_path)
    copy = tmp_path / "w.analyst.duckdb"
    publication = publish(target, copy)
    assert publication.path is None and "ducklake" in publication.skipped_reason
    assert not copy.exists()


def _extracted(db_path: Path, rows: list[tuple[str, str, datetime]]) -> None:
    """Extracted articles: (article_id, text, discovered_at)."""
    with write_transaction(db_path, wait_s=5) as con:
        arts.insert_pending(con, [
            PendingRow(article_id=a, outlet_id="o1", url=f"https://x.example/{a}",
             canonical_url=f"https://x.example/{a}", status="pending",
             discovered_at=found, attempts=0) for a, _, found in rows])
        arts.save_results(con, [ResultRow(article_id=a, status="extracted", retryable=False,
                                 text=text, title=a, attempts=1)
                                for a, text, _ in rows])


def test_the_search_index_covers_the_recent_window_only(tmp_path):
    db, copy = tmp_path / "w.duckdb", tmp_path / "w.analyst.duckdb"
    now = datetime.now(UTC)
    _extracted(db, [("fresh", "Decomisan fentanilo en Culiacán", now - timedelta(days=1)),
                    ("old", "Decomisan fentanilo en Mazatlán", now - timedelta(days=30)),
                    ("other", "Lluvias en Monterrey", now)])
    publish(db, copy, search_days=7)
    with open_reader(copy) as con:
        hits = con.execute("SELECT article_id FROM search_articles('fentanilo')").fetchall()
        assert hits == [("fresh",)]
        # The rest is still there for plain SQL.
        assert con.execute("SELECT count(*) FROM articles WHERE text ILIKE '%fentanilo%'"
                           ).fetchone()[0] == 2
    publish(db, copy, search_days=60)
    with open_reader(copy) as con:
        assert {r[0] for r in con.execute("SELECT article_id FROM search_articles('fentanilo')"
                                          ).fetchall()} == {"fresh", "old"}


def test_without_a_search_index_the_macro_says_why(tmp_path):
    db, copy = tmp_path / "w.duckdb", tmp_path / "w.analyst.duckdb"
    _extracted(db, [("a", "Decomisan fentanilo", datetime.now(UTC))])
    publish(db, copy, search_days=0)
    with open_reader(copy) as con, pytest.raises(duckdb.Error, match="search_index_days is 0"):
        con.execute("SELECT * FROM search_articles('fentanilo')").fetchall()
