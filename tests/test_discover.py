from datetime import UTC, datetime

from extractors.records import FeedItem
from flows.discover import article_id_for, candidates_from, lookup_rows, plan_discovery
from warehouse.articles import KnownArticle
from warehouse.rows import TitleRow

NOW = datetime(2026, 1, 12, tzinfo=UTC)
FEED = "https://news.example/rss"


def item(url, guid=None, title="Title"):
    return FeedItem(feed_url=FEED, url=url, guid=guid, title=title, summary="s")


def test_new_items_become_pending_once_even_if_listed_twice():
    cands = candidates_from([item("https://News.Example/a?utm_source=x"),
                             item("https://news.example/a#top")], "o1")
    plan = plan_discovery(cands, {}, run_id="r", now=NOW)
    assert len(plan.pending) == 1
    row = plan.pending[0]
    assert row.canonical_url == "https://news.example/a"
    assert row.article_id == article_id_for("https://news.example/a")
    assert row.status == "pending" and plan.new_per_feed[FEED] == 1


def test_invalid_url_is_recorded_as_skipped_with_its_reason():
    cands = candidates_from([item("javascript:alert(1)")], "o1")
    plan = plan_discovery(cands, {}, run_id="r", now=NOW)
    assert plan.pending == []
    assert plan.skipped[0].status == "skipped"
    assert plan.skipped[0].reason.startswith("invalid url")
    assert lookup_rows(cands) == []


def test_known_guid_with_new_title_updates_instead_of_duplicating():
    cands = candidates_from([item("https://news.example/new-slug", guid="g1", title="New")], "o1")
    known = {0: KnownArticle("a1", "Old", "guid", same_guid=True)}
    plan = plan_discovery(cands, known, run_id="r", now=NOW)
    assert plan.pending == []
    assert plan.retitled == [TitleRow(article_id="a1", feed_title="New", title="New")]


def test_known_url_with_same_title_changes_nothing():
    cands = candidates_from([item("https://news.example/a", title="Same")], "o1")
    plan = plan_discovery(cands, {0: KnownArticle("a1", "Same", "canonical_url")},
                          run_id="r", now=NOW)
    assert plan.pending == [] and plan.retitled == [] and plan.skipped == []


def test_same_url_in_another_feed_with_another_title_does_not_retitle():
    cands = candidates_from([item("https://news.example/a", title="Section headline")], "o1")
    known = {0: KnownArticle("a1", "Front-page headline", "canonical_url", same_guid=False)}
    plan = plan_discovery(cands, known, run_id="r", now=NOW)
    assert plan.retitled == []
