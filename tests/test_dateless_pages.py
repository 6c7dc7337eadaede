"""Pages that state no date get no date, and the check that finds such pages on a benchmark
folder (flows/evaluate/dateless.py) sees every kind of stated date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.article import extract_article
from flows.evaluate.dateless import date_evidence

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TEXT = " ".join(["Start seeds indoors six weeks before the last frost, in trays kept warm."] * 8)


def page(head: str = "", extra: str = "") -> str:
    return (f"<html lang='en'><head><title>Seed starting guide</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/guides'>Guides</a></nav><article>"
            f"<h1>Seed starting guide</h1><p>{TEXT}</p>{extra}<p>{TEXT}</p></article>"
            f"<footer>© 2025 Garden Guides. All rights reserved.</footer></body></html>")


# Written cases: guides, product and reference pages with numbers and years that are not dates.
DATELESS = {
    "plain guide": page(),
    "years and versions": page(extra="<p>The 2026 catalogue lists version 3.2.1 of the kit, "
                                     "model 12-30 trays, at $19.99 each.</p>"),
    "phone and prices": page(extra="<p>Call 555-0134 or 555-0199; orders over 40 ship free."
                                   "</p>"),
    "open graph without dates": page('<meta property="og:type" content="article">'
                                     '<meta name="description" content="How to start seeds">'),
    "json-ld without dates": page('<script type="application/ld+json">{"@type": "HowTo", '
                                  '"name": "Seed starting"}</script>'),
    "script data without dates": page(extra='<script>var cfg = {"build": 2026, '
                                            '"region": "us"};</script>'),
}


@pytest.mark.parametrize("name", sorted(DATELESS))
def test_a_page_that_states_no_date_gets_none(name):
    html = DATELESS[name]
    assert date_evidence(html.encode(), "https://garden.example/guides/seeds") is None
    article = extract_article(html, "https://garden.example/guides/seeds", now=NOW)
    assert article.status == "extracted"
    assert article.published is None, article.published


@pytest.mark.parametrize(("html", "url", "kind"), [
    (page(), "https://garden.example/2024/03/seeds", "url"),
    (page('<script type="application/ld+json">{"datePublished": "2024-03-01"}</script>'),
     "https://garden.example/seeds", "jsonld"),
    (page(extra='<script>window.state = {"createdAt":"2023-07-28T02:14:58Z"}</script>'),
     "https://garden.example/seeds", "script_data"),
    (page('<meta name="published" content="July 17, 2025">'), "https://garden.example/s",
     "meta"),
    (page(extra='<time datetime="2024-03-01">last spring</time>'), "https://garden.example/s",
     "markup"),
    (page(extra="<p><span>Published</span><span>Feb 2, 2023</span></p>"),
     "https://garden.example/s", "visible_text"),
    (page(extra="<p>Actualizado el 15 de octubre de 2024</p>"), "https://garden.example/s",
     "visible_text"),
    (page(extra="<p>Stand: 17.05.2021</p>"), "https://garden.example/s", "visible_text"),
    (page(extra="<p>2024年10月15日</p>"), "https://garden.example/s", "visible_text"),
])
def test_the_check_finds_every_kind_of_stated_date(html, url, kind):
    assert date_evidence(html.encode(), url) == kind
