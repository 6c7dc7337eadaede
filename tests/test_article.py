"""extract_article on labelled fixture pages and on hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.article import MIN_USABLE_WORDS, extract_article
from extractors.records import FeedItem

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime(2025, 6, 1, tzinfo=UTC)
LABELLED = sorted(path.stem for path in PAGES.glob("*.json"))


def labelled(stem: str) -> tuple[bytes, dict]:
    return (PAGES / f"{stem}.html").read_bytes(), json.loads((PAGES / f"{stem}.json").read_text())


def iso(value) -> str | None:
    return value.value.isoformat() if value else None


@pytest.mark.parametrize("stem", LABELLED)
def test_labelled_page_metadata(stem):
    body, gold = labelled(stem)
    article = extract_article(body, gold["url"], now=NOW)
    assert article.status == "extracted" and article.method == "trafilatura"
    assert article.title == gold["title"]
    assert article.author == gold["author"]
    assert article.language == gold["language"]
    assert article.declared_language == gold["declared_language"]
    assert iso(article.published) == gold["published"]
    assert article.published.source == gold["published_source"]
    assert iso(article.updated) == gold["updated"]
    assert article.page_canonical_url == gold["canonical"]
    assert article.word_count == len(article.text.split())


@pytest.mark.parametrize("stem", LABELLED)
def test_labelled_page_body_has_gold_paragraphs_and_no_furniture(stem):
    body, gold = labelled(stem)
    article = extract_article(body, gold["url"], now=NOW)
    for paragraph in gold["gold"]:
        assert paragraph in article.text
    for furniture in gold["absent"]:
        assert furniture not in article.text
    teasers = [t for t in gold["absent"] if t in ("Lea también", "Read more", "Te puede interesar")]
    for teaser in teasers:
        assert any(line.startswith(teaser) for line in article.removed_teasers)


def test_feed_date_used_when_page_has_none_and_rejected_page_dates_skipped():
    item = FeedItem(feed_url="https://f.example/rss", url="https://f.example/a",
                    published=datetime(2025, 5, 30, 8, tzinfo=UTC))
    article = extract_article((PAGES / "en_implausible_dates.html").read_bytes(),
                              "https://f.example/a", feed_item=item, now=NOW)
    # JSON-LD says 2099 and meta says 1989: both impossible, so the feed's date is used
    assert (article.published.source, article.published.value) == ("feed", item.published)
    assert article.updated is None  # the 1970 dateModified is rejected too


def test_page_without_dates_anywhere_has_none():
    article = extract_article((PAGES / "en_implausible_dates.html").read_bytes(),
                              "https://f.example/a", now=NOW)
    assert article.published is None


def test_meta_date_wins_over_feed_date():
    item = FeedItem(feed_url="f", url="u", published=datetime(2025, 1, 1, tzinfo=UTC))
    body, gold = labelled("en_meta_dates")
    article = extract_article(body, gold["url"], feed_item=item, now=NOW)
    assert article.published.source == "meta"


def test_detected_language_wins_and_declared_is_kept():
    article = extract_article((PAGES / "es_declared_en.html").read_bytes(),
                              "https://tj.example/garita", now=NOW)
    assert (article.language, article.declared_language) == ("es", "en")
    assert article.published.source == "meta"


def test_wrong_charset_declaration_is_overridden_by_the_bytes():
    article = extract_article((PAGES / "es_wrong_charset.html").read_bytes(),
                              "https://cronica.example/juarez", now=NOW)
    assert article.title == "Migrantes cruzan el río Bravo en Ciudad Juárez"
    assert "Ã" not in article.text


def test_given_charset_is_honoured():
    page = (PAGES / "es_visible_date.html").read_text(encoding="utf-8")
    body = page.replace('content="text/html; charset=utf-8"', "").encode("cp1252")
    article = extract_article(body, "https://g.example/a", charset="windows-1252", now=NOW)
    assert "El número de armas de fuego aseguradas" in article.text


def test_page_without_article_fails_with_reason_and_no_summary():
    article = extract_article((PAGES / "en_no_article.html").read_bytes(),
                              "https://b.example/border", now=NOW)
    assert article.status == "failed"
    assert f"fewer than {MIN_USABLE_WORDS}" in article.reason


def test_page_without_article_falls_back_to_feed_summary():
    item = FeedItem(feed_url="https://b.example/rss", url="https://b.example/border",
                    title="Crossings drop", summary="Apprehensions fell. Read more: other story",
                    published=datetime(2025, 3, 4, tzinfo=UTC), language="en")
    article = extract_article((PAGES / "en_no_article.html").read_bytes(),
                              "https://b.example/border", feed_item=item, now=NOW)
    assert (article.status, article.method) == ("extracted", "feed_summary")
    assert "kept the feed summary" in article.reason and "too little article text" in article.reason
    assert article.text == "Apprehensions fell. Read more: other story"  # one paragraph: kept
    assert article.published.source == "feed"
    assert article.language == "en"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty document"),
        (b"   \n ", "empty document"),
        (b"%PDF-1.7\n%binary", "not HTML: a PDF document"),
        (b"\x89PNG\r\n\x1a\n....", "not HTML: a PNG image"),
        (b"\x1f\x8b\x08\x00junk", "not HTML: gzip-compressed data"),
        (bytes(range(256)) * 50, "not HTML: binary or undecodable"),
        ("<html><body></body></html>", "no article text found"),
        (12345, "unsupported input type int"),
    ],
)
def test_bad_input_never_raises(body, reason):
    article = extract_article(body, "https://x.example/a", now=NOW)
    assert article.status == "failed"
    assert article.url == "https://x.example/a"
    assert article.reason.startswith(reason)


def test_bad_input_with_summary_keeps_the_summary():
    item = FeedItem(feed_url="f", url="u", summary="Resumen de la nota en el feed.")
    article = extract_article(b"%PDF-1.4", "https://x.example/a.pdf", feed_item=item, now=NOW)
    assert article.method == "feed_summary"
    assert article.reason == "page unusable (not HTML: a PDF document); kept the feed summary"


def test_failure_without_summary_says_so():
    item = FeedItem(feed_url="f", url="u")
    article = extract_article(b"", "https://x.example/a", feed_item=item, now=NOW)
    assert article.reason == "empty document; the feed item has no summary"


def test_undecodable_bytes_declared_utf8_are_still_read():
    body = ('<html><head><meta charset="utf-8"></head><body><article><p>'
            + "Señal de alerta en la frontera norte por el aumento de cruces. " * 10
            + "</p></article></body></html>").encode("cp1252")
    article = extract_article(body, "https://x.example/a", now=NOW)
    assert article.status == "extracted"
    assert "Señal de alerta" in article.text
