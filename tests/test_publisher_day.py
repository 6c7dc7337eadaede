"""The publisher's own day beside the UTC instant, and the date sources added for it: the
stated offset, the address's day for UTC times, JSON-LD dates written for readers, meta
`published`, dotted and month-first numeric dates, visible text without scripts."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime

from lxml import html

from extractors import dates
from extractors.article import extract_article
from extractors.records import DatedValue
from flows.evaluate.benchmark_pages import evaluate_pages

NOW = datetime(2026, 6, 1, tzinfo=UTC)
BODY = " ".join(["The council approved the new budget after a long debate on transport."] * 8)


def page(head: str = "", body_top: str = "") -> str:
    return (f"<html lang='en'><head><title>Budget</title>{head}</head><body>{body_top}"
            f"<article><h1>Budget</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>")


def jsonld(published: str) -> str:
    return ('<script type="application/ld+json">{"@type": "NewsArticle", '
            f'"datePublished": "{published}"}}</script>')


def test_the_offset_the_page_states_is_kept_and_gives_the_publishers_day():
    article = extract_article(page(jsonld("2025-06-25T20:57:54-04:00")),
                              "https://news.example/budget", now=NOW)
    published = article.published
    assert published.value == datetime(2025, 6, 26, 0, 57, 54, tzinfo=UTC)  # the instant
    assert published.value.utcoffset().total_seconds() == 0
    assert published.utc_offset_minutes == -240
    assert published.local().isoformat() == "2025-06-25T20:57:54-04:00"
    assert published.day() == date(2025, 6, 25)


def test_sources_that_state_no_offset_record_none():
    chosen = dates.choose([("feed", datetime(2025, 6, 26, 1, tzinfo=UTC))], NOW)
    assert chosen.utc_offset_minutes is None and chosen.day() == date(2025, 6, 26)
    naive_meta = dates.choose([("meta", dates.parse_date_text("2025-06-26T01:00:00"))], NOW)
    assert naive_meta.utc_offset_minutes == 0  # naive page times are taken as UTC


def test_a_utc_time_on_the_day_after_the_address_takes_the_address_day():
    head = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
    url = "https://blog.example/2025/12/18/comfort-watches/"
    article = extract_article(page(head), url, now=NOW)
    assert article.published.value == datetime(2025, 12, 19, 2, 41, 41, tzinfo=UTC)
    assert article.published.url_day == date(2025, 12, 18)
    assert article.published.day() == date(2025, 12, 18)


def test_the_address_day_is_not_used_when_the_time_has_a_zone_or_days_are_far_apart():
    utc_value = DatedValue(datetime(2025, 12, 19, 2, tzinfo=UTC), "meta", 0)
    assert dates.with_url_day(utc_value, "https://b.example/2025/12/15/x").url_day is None
    zoned = DatedValue(datetime(2025, 12, 19, 2, tzinfo=UTC), "meta", -300)
    assert dates.with_url_day(zoned, "https://b.example/2025/12/18/x").url_day is None
    assert dates.with_url_day(utc_value, "https://b.example/news/x").url_day is None


def test_a_jsonld_date_written_for_readers_ranks_below_the_visible_date():
    top = '<p class="date">August 25, 2024</p>'
    article = extract_article(page(jsonld("Jun 24, 2025"), top), "https://s.example/a",
                              now=NOW)
    assert article.published.source == "visible_text"
    assert article.published.value.date() == date(2024, 8, 25)
    # With nothing else on the page, it is still a date the page states.
    alone = extract_article(page(jsonld("Jun 24, 2025")), "https://s.example/a", now=NOW)
    assert (alone.published.source, alone.published.value.date()) == ("jsonld",
                                                                      date(2025, 6, 24))
    iso = extract_article(page(jsonld("2025-06-24T10:00:00Z"), top), "https://s.example/a",
                          now=NOW)
    assert iso.published.source == "jsonld"


def test_meta_published_is_read():
    tree = html.fromstring(page('<meta name="published" content="July 17, 2025">'))
    assert dates.meta_dates(tree)[0] == datetime(2025, 7, 17, tzinfo=UTC)


def test_numeric_dates_with_dots_and_unambiguous_month_first():
    assert dates.written_date("Published 17.05.2021") == datetime(2021, 5, 17, tzinfo=UTC)
    assert dates.written_date("2/24/2026") == datetime(2026, 2, 24, tzinfo=UTC)
    assert dates.written_date("03/02/2025") == datetime(2025, 2, 3, tzinfo=UTC)  # day first
    assert dates.written_date("version 1.2.3") is None


def test_the_visible_date_ignores_scripts_and_indentation():
    script = "<script>var built = '1 January 2020';</script>"
    tree = html.fromstring(f"<html><body>{script}<p>by Ann on Jan 22, 2025</p></body></html>")
    assert dates.visible_date(tree) == datetime(2025, 1, 22, tzinfo=UTC)
    padded = html.fromstring("<html><body><div>" + " " * 30_000 +
                             "</div><p>on Jan 22, 2025</p></body></html>")
    assert dates.visible_date(padded) == datetime(2025, 1, 22, tzinfo=UTC)


def test_the_benchmark_scores_the_publishers_day(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth").mkdir()
    evening = page(jsonld("2025-06-25T20:57:54-04:00"))
    (tmp_path / "html" / "0001.html.gz").write_bytes(gzip.compress(evening.encode()))
    truth = {"main_content": BODY, "publish_date": "2025-06-25", "title": "Budget"}
    (tmp_path / "ground-truth" / "0001.json").write_text(
        json.dumps({"url": "https://news.example/budget", "ground_truth": truth}), "utf-8")
    run = evaluate_pages(tmp_path)
    assert run.summaries["wirewatch"].date_accuracy == 1.0
    assert run.outputs[0].published.isoformat() == "2025-06-25T20:57:54-04:00"
