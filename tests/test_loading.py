"""rel=canonical adoption and merges, against a real warehouse file."""

from datetime import UTC, datetime

import pytest

from flows.loading import apply_page_canonicals
from warehouse import articles as arts
from warehouse.connection import open_writer
from warehouse.rows import PendingRow, ResultRow

NOW = datetime(2026, 1, 12, tzinfo=UTC)


@pytest.fixture
def con(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as connection:
        yield connection


def pending(article_id, url):
    return PendingRow(article_id=article_id, outlet_id="o", url=url, canonical_url=url,
                      status="pending", discovered_at=NOW, attempts=0)


def extracted(article_id, page_canonical):
    return ResultRow(article_id=article_id, status="extracted",
                     page_canonical_url=page_canonical, text="body", retryable=False)


def test_same_site_canonical_is_adopted(con):
    arts.insert_pending(con, [pending("a1", "https://www.news.example/a?from=rss")])
    rows = [extracted("a1", "https://news.example/a")]
    rows = apply_page_canonicals(con, rows, {"a1": "https://www.news.example/a?from=rss"})
    assert rows[0].canonical_url == "https://news.example/a"
    assert rows[0].status == "extracted"


def test_canonical_owned_by_another_article_merges_as_duplicate(con):
    arts.insert_pending(con, [pending("a1", "https://news.example/a"),
                              pending("a2", "https://news.example/amp/a")])
    rows = [extracted("a2", "https://news.example/a")]
    rows = apply_page_canonicals(con, rows, {"a2": "https://news.example/amp/a"})
    assert rows[0].status == "skipped"
    assert rows[0].reason == "duplicate of a1 (rel=canonical)"
    assert rows[0].text is None


def test_two_new_articles_claiming_one_canonical_keep_the_first(con):
    current = {"a1": "https://news.example/x?v=1", "a2": "https://news.example/x?v=2"}
    arts.insert_pending(con, [pending(k, v) for k, v in current.items()])
    rows = [extracted("a1", "https://news.example/x"), extracted("a2", "https://news.example/x")]
    rows = apply_page_canonicals(con, rows, current)
    assert [r.status for r in rows] == ["extracted", "skipped"]


def test_cross_site_canonical_is_kept_but_not_adopted(con):
    arts.insert_pending(con, [pending("a1", "https://outlet.example/wire-story")])
    rows = [extracted("a1", "https://agency.example/original")]
    rows = apply_page_canonicals(con, rows, {"a1": "https://outlet.example/wire-story"})
    assert rows[0].canonical_url == "https://outlet.example/wire-story"
    assert rows[0].page_canonical_url == "https://agency.example/original"
    assert rows[0].status == "extracted"
