"""The publisher's offset and day are stored beside published_at and follow it (migration
0016): a later result without a page date keeps them with the date they describe."""

from datetime import UTC, date, datetime

from warehouse import articles as arts
from warehouse.connection import open_writer
from warehouse.rows import PendingRow, ResultRow

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
EVENING = datetime(2025, 6, 26, 0, 57, 54, tzinfo=UTC)  # 20:57:54-04:00 on June 25


def test_offset_and_day_are_stored_and_follow_the_published_time(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        arts.insert_pending(con, [PendingRow(
            article_id="a1", outlet_id="o1", feed_url="http://f/rss", guid=None,
            url="https://x.example/1", canonical_url="https://x.example/1",
            status="pending", feed_title="T", title="T", discovered_at=NOW,
            attempts=0, published_at=NOW, published_source="feed", run_id="r1")])
        arts.save_results(con, [ResultRow(article_id="a1", status="extracted", retryable=False,
                                          published_at=EVENING, published_source="jsonld",
                                          published_utc_offset=-240,
                                          published_day=date(2025, 6, 25), attempts=1)])
        query = ("SELECT published_at, published_utc_offset, published_day FROM articles")
        assert con.execute(query).fetchone() == (EVENING, -240, date(2025, 6, 25))
        # A failed re-fetch gives no date: the stored date and what describes it stay.
        arts.save_results(con, [ResultRow(article_id="a1", status="failed", retryable=True,
                                          attempts=2)])
        assert con.execute(query).fetchone() == (EVENING, -240, date(2025, 6, 25))
        # A new date without an offset replaces all three.
        later = datetime(2025, 6, 27, 9, tzinfo=UTC)
        arts.save_results(con, [ResultRow(article_id="a1", status="extracted", retryable=False,
                                          published_at=later, published_source="htmldate",
                                          published_day=date(2025, 6, 27), attempts=3)])
        assert con.execute(query).fetchone() == (later, None, date(2025, 6, 27))
