"""Date parsing, plausibility and the page sources of dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html

from extractors import dates

NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-15T12:47:32+02:00", datetime(2024, 10, 15, 10, 47, 32, tzinfo=UTC)),
        ("2024-10-15T12:47:32Z", datetime(2024, 10, 15, 12, 47, 32, tzinfo=UTC)),
        ("2024-10-15T12:47:32", datetime(2024, 10, 15, 12, 47, 32, tzinfo=UTC)),  # naive = UTC
        ("Tue, 15 Oct 2024 10:00:00 -0600", datetime(2024, 10, 15, 16, 0, tzinfo=UTC)),
        ("2024-10-15", datetime(2024, 10, 15, tzinfo=UTC)),
        ("yesterday", None),
        ("12:30", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_text(text, expected):
    assert dates.parse_date_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publicado el 15 de octubre de 2024, 12:47 h", datetime(2024, 10, 15, 12, 47, tzinfo=UTC)),
        ("Actualizado: 3 de febrero del 2025 a las 18:20",
         datetime(2025, 2, 3, 18, 20, tzinfo=UTC)),
        ("Updated October 5, 2024 at 3:07 p.m.", datetime(2024, 10, 5, 15, 7, tzinfo=UTC)),
        ("March 4, 2025 8:30 AM", datetime(2025, 3, 4, 8, 30, tzinfo=UTC)),
        ("12 Sept 2023", datetime(2023, 9, 12, tzinfo=UTC)),
        ("el 03/02/2025 10:00", datetime(2025, 2, 3, 10, 0, tzinfo=UTC)),  # day first
        ("31 de febrero de 2025", None),  # impossible calendar date
        ("sin fecha", None),
    ],
)
def test_written_dates_in_english_and_spanish(text, expected):
    assert dates.written_date(text) == expected


def test_implausible_dates_have_reasons():
    assert dates.implausibility(datetime(1994, 12, 31, tzinfo=UTC), NOW).endswith("before 1995")
    assert "future" in dates.implausibility(datetime(2025, 6, 2, 1, tzinfo=UTC), NOW)
    assert dates.implausibility(datetime(2025, 6, 1, 23, tzinfo=UTC), NOW) is None


def test_jsonld_prefers_article_objects_inside_graphs():
    tree = html.fromstring("""<html><head>
      <script type="application/ld+json">{"@type":"WebSite","datePublished":"2001-01-01"}</script>
      <script type="application/ld+json">{"@graph":[{"@type":["NewsArticle"],
        "datePublished":"2024-10-15T12:47:00-06:00","dateModified":"2024-10-16"}]}</script>
      <script type="application/ld+json">{broken json</script></head><body></body></html>""")
    published, modified = dates.jsonld_dates(tree)
    assert published == datetime(2024, 10, 15, 18, 47, tzinfo=UTC)
    assert modified == datetime(2024, 10, 16, tzinfo=UTC)


def test_meta_dates_in_trust_order():
    tree = html.fromstring("""<html><head>
      <meta name="date" content="2020-01-01">
      <meta property="article:published_time" content="2024-10-15T09:00:00-06:00">
      <meta property="article:modified_time" content="2024-10-15T10:00:00-06:00">
      </head><body></body></html>""")
    assert dates.meta_dates(tree) == (datetime(2024, 10, 15, 15, tzinfo=UTC),
                                      datetime(2024, 10, 15, 16, tzinfo=UTC))


def test_visible_date_prefers_time_element():
    tree = html.fromstring('<html><body><p>5 de enero de 2020</p>'
                           '<time datetime="2024-10-15T12:00:00Z">hoy</time></body></html>')
    assert dates.visible_date(tree) == datetime(2024, 10, 15, 12, tzinfo=UTC)


def test_url_date():
    expected = datetime(2024, 10, 15, tzinfo=UTC)
    assert dates.url_date("https://e.com/2024/10/15/nota.html") == expected
    assert dates.url_date("https://e.com/nota-123.html") is None


def test_choose_takes_first_plausible_in_priority_order():
    chosen = dates.choose(
        [("jsonld", datetime(2099, 1, 1, tzinfo=UTC)), ("meta", None),
         ("feed", datetime(2025, 5, 30, tzinfo=UTC)), ("visible_text", datetime(2025, 5, 29))],
        NOW,
    )
    assert (chosen.source, chosen.value) == ("feed", datetime(2025, 5, 30, tzinfo=UTC))
    assert dates.choose([("meta", datetime(1980, 1, 1, tzinfo=UTC))], NOW) is None


def test_zone_abbreviations_are_understood():
    assert dates.parse_date_text("Mon, 06 Nov 2023 08:00:00 EST") == datetime(
        2023, 11, 6, 13, 0, tzinfo=UTC)
    assert dates.parse_date_text("2024-06-01 10:00 CEST") == datetime(2024, 6, 1, 8, tzinfo=UTC)
