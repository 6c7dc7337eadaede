"""The warehouse behaviour the cycle relies on, on the DuckDB file and on DuckLake (SQLite)."""

from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from backends import warehouse_target  # noqa: F401  (parametrised fixture)

from warehouse import articles as arts
from warehouse import feedstate, runs
from warehouse.connection import (
    open_reader,
    open_writer,
    transaction,
    write_transaction,
)
from warehouse.migrate import available_migrations
from warehouse.rows import (
    CandidateRow,
    FeedUpdateRow,
    NewFeedRow,
    OutletRow,
    PendingRow,
    PollRow,
    ResultRow,
)

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def pending(article_id, url, outlet="o1", guid=None, title="T"):
    return PendingRow(article_id=article_id, outlet_id=outlet, feed_url="http://f/rss",
            guid=guid, url=url, canonical_url=url, status="pending",
            feed_title=title, title=title, discovered_at=NOW, attempts=0,
            published_at=NOW, published_source="feed", run_id="r1")


@pytest.fixture
def con(warehouse_target):  # noqa: F811
    with open_writer(warehouse_target) as connection:
        yield connection


def test_every_migration_applies_once_and_is_recorded(warehouse_target):  # noqa: F811
    names = [m.name for m in available_migrations()]
    with open_writer(warehouse_target) as con:
        recorded = [r[0] for r in con.execute(
            "SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    with open_writer(warehouse_target) as con:  # a second open applies nothing again
        again = con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert recorded == names
    assert again == len(names)


def test_insert_pending_is_idempotent(con):
    rows = [pending("a1", "https://x.example/1"), pending("a2", "https://x.example/2"),
            pending("a2", "https://x.example/2")]
    assert arts.insert_pending(con, rows) == 2
    assert arts.insert_pending(con, rows) == 0
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_find_known_matches_url_and_guid_within_outlet_only(con):
    arts.insert_pending(con, [pending("a1", "https://x.example/1", guid="g-1", title="Old")])
    known = arts.find_known(con, [
        CandidateRow(idx=0, canonical_url="https://x.example/1", outlet_id="o2", guid=None),
        CandidateRow(idx=1, canonical_url="https://x.example/moved", outlet_id="o1", guid="g-1"),
        CandidateRow(idx=2, canonical_url="https://x.example/other", outlet_id="o2", guid="g-1"),
    ])
    assert known[0].article_id == "a1" and known[0].matched_by == "canonical_url"
    assert known[1].article_id == "a1" and known[1].matched_by == "guid"
    assert known[1].feed_title == "Old" and known[1].same_guid
    assert not known[0].same_guid
    assert 2 not in known


def test_save_results_keeps_feed_values_the_page_lacks(con):
    arts.insert_pending(con, [pending("a1", "https://x.example/1")])
    arts.save_results(con, [ResultRow(article_id="a1", status="extracted", retryable=False,
                             text="Body", title=None, published_at=None,
                             attempts=1, run_id="r2")])
    row = con.execute("SELECT status, text, title, published_at, published_source, attempts "
                      "FROM articles").fetchone()
    assert row == ("extracted", "Body", "T", NOW, "feed", 1)


def test_retry_candidates_are_pending_or_transient_failures_under_the_cap(con):
    arts.insert_pending(con, [pending(f"a{i}", f"https://x.example/{i}") for i in range(4)])
    arts.save_results(con, [
        ResultRow(article_id="a1", status="failed", retryable=True, attempts=1),
        ResultRow(article_id="a2", status="failed", retryable=False, attempts=1),
        ResultRow(article_id="a3", status="failed", retryable=True, attempts=3),
    ])
    assert {c.article_id for c in arts.retry_candidates(con, 3, NOW)} == {"a0", "a1"}


def test_a_retry_waits_for_the_servers_retry_after_then_comes_back(con):
    arts.insert_pending(con, [pending("a0", "https://x.example/0")])
    arts.save_results(con, [ResultRow(article_id="a0", status="failed", retryable=True,
                             attempts=1, retry_not_before=NOW + timedelta(hours=1))])
    assert arts.retry_candidates(con, 3, NOW + timedelta(minutes=59)) == []
    assert [c.article_id for c in arts.retry_candidates(con, 3, NOW + timedelta(hours=1))] == [
        "a0"]
    # A later result without Retry-After clears the wait.
    arts.save_results(con, [ResultRow(article_id="a0", status="failed", retryable=True,
                             attempts=2)])
    assert [c.article_id for c in arts.retry_candidates(con, 3, NOW)] == ["a0"]


def test_feed_sync_and_poll_records_use_defaults_updates_and_deletes(con):
    outlets = [OutletRow(outlet_id="o1", name="One", kind="outlet", updated_at=NOW)]
    feeds = [NewFeedRow(feed_url="http://f/rss", outlet_id="o1", interval_seconds=900)]
    assert feedstate.sync_outlets(con, outlets, feeds) == 1
    assert feedstate.sync_outlets(con, outlets, feeds) == 0
    feedstate.record_polls(
        con,
        [PollRow(run_id="r1", feed_url="http://f/rss", polled_at=NOW, status="failed")],
        [FeedUpdateRow(feed_url="http://f/rss", last_status="failed", consecutive_failures=2,
                       interval_seconds=900, last_polled_at=NOW)],
    )
    (state,) = feedstate.feed_states(con, ["http://f/rss"])
    assert state.consecutive_failures == 2 and state.outlet_id == "o1"
    assert con.execute("SELECT count(*) FROM outlets").fetchone()[0] == 1


def test_run_records_keep_their_json_stage_times(con):
    runs.start_run(con, "r1", NOW, None)
    runs.start_run(con, "r1", NOW, None)
    runs.finish_run(con, "r1", NOW, "ok", {"items_new": 3}, {"poll": 1.25})
    row = con.execute("SELECT count(*), any_value(items_new), "
                      "any_value(stage_seconds->>'$.poll') FROM runs").fetchone()
    assert row == (1, 3, "1.25")


def test_transaction_rolls_back_on_error(con):
    with pytest.raises(RuntimeError), transaction(con):
        arts.insert_pending(con, [pending("a1", "https://x.example/1")])
        raise RuntimeError("boom")
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_committed_writes_are_visible_to_a_new_reader(warehouse_target):  # noqa: F811
    with write_transaction(warehouse_target) as con:
        arts.insert_pending(con, [pending("a1", "https://x.example/1")])
    with open_reader(warehouse_target) as reader:
        assert reader.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]


def test_reader_cannot_write(warehouse_target):  # noqa: F811
    with open_writer(warehouse_target):
        pass
    with open_reader(warehouse_target) as reader, pytest.raises(duckdb.Error):
        reader.execute("DELETE FROM articles")
    with open_reader(warehouse_target) as reader, pytest.raises(duckdb.Error):
        reader.execute("CREATE TABLE intruder (x INT)")
