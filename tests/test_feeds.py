"""parse_feed over hand-written fixtures: formats, faults, hostile XML, caps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.feeds import parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def parse(name: str, feed_url: str = "https://feeds.example/dir/feed.xml", **kwargs):
    return parse_feed((FEEDS / name).read_bytes(), feed_url, now=NOW, **kwargs)


def test_rss2_items_resolved_dated_and_plain_text():
    result = parse("rss2_es.xml", "https://www.diariofrontera.example/rss/seguridad.xml")
    assert result.error is None
    assert result.title == "El Diario de la Frontera - Seguridad"
    first, second, third = result.items
    assert first.url == ("https://www.diariofrontera.example/seguridad/2024/10/15/"
                         "detienen-operador-financiero.html?utm_source=rss&utm_medium=feed")
    assert first.guid == "dfr-2024-10-15-001"
    assert first.published == datetime(2024, 10, 15, 18, 47, tzinfo=UTC)
    assert first.author == "Laura Castañeda"
    assert first.language == "es"
    assert first.summary == ("La FGR confirmó la captura de un presunto operador financiero "
                             "en Culiacán.")  # markup and script content gone
    assert second.published.tzinfo is UTC
    assert third.url == "https://www.diariofrontera.example/frontera/2024/10/13/cruces-garitas.html"
    assert third.published is None  # missing dates stay missing


def test_atom_published_updated_and_relative_links():
    result = parse("atom_en.xml", "https://borderlandcourier.example/feed.atom")
    first, second = result.items
    assert first.url == "https://borderlandcourier.example/news/2025/03/04/border-crossings-drop/"
    assert first.title == "Border Patrol reports drop in crossings near El Paso"
    assert first.published == datetime(2025, 3, 4, 15, 30, tzinfo=UTC)
    assert first.updated == datetime(2025, 3, 4, 23, 10, tzinfo=UTC)
    assert first.author == "Daniel Reyes"
    # Atom without <published>: the required <updated> is the best date there is
    assert second.published == datetime(2025, 1, 30, 12, 0, tzinfo=UTC)
    assert second.summary == "Commuters crossing from Ciudad Juárez waited less than 30 minutes."


def test_rss1_rdf():
    result = parse("rss1_rdf.xml")
    assert [item.title for item in result.items] == [
        "Aumentan los decomisos de armas en la frontera de Tamaulipas",
        "Reportan bloqueos en carreteras de Reynosa",
    ]
    assert result.items[0].published == datetime(2025, 2, 4, 0, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("empty.xml", "empty body"),
        ("html_page.xml", "not a feed: html page"),
    ],
)
def test_unusable_bodies_get_a_reason(name, error):
    result = parse(name)
    assert result.items == ()
    assert result.error == error


def test_whitespace_only_body_is_empty():
    assert parse_feed(b"  \n\t ", "https://x.example/f").error == "empty body"


def test_malformed_without_items_is_an_error_with_the_parser_reason():
    result = parse("malformed_unrecoverable.xml")
    assert result.items == ()
    assert result.error.startswith("malformed feed, no entries recovered")


def test_malformed_feed_keeps_recovered_items_with_a_warning():
    result = parse("malformed_partial.xml")
    assert result.error is None
    assert [item.guid for item in result.items][:2] == ["h1", "h2"]
    assert any(w.startswith("malformed feed, ") for w in result.warnings)


def test_other_xml_is_not_a_feed():
    body = b"<?xml version='1.0'?><noticias><nota><titulo>x</titulo></nota></noticias>"
    result = parse_feed(body, "https://x.example/f")
    assert result.error == "not a feed: document element <noticias>"


def test_entity_bomb_is_not_expanded():
    result = parse("billion_laughs.xml")
    (item,) = result.items
    assert "lol" not in item.title.replace("&lol9;", "")  # the reference stays literal
    assert len(item.title) < 40 and len(result.title) < 40
    assert any("entity declarations removed" in w for w in result.warnings)


def test_external_entities_are_not_read():
    result = parse("xxe.xml")
    (item,) = result.items
    passwd = Path("/etc/passwd").read_text().splitlines()[0].split(":")[0]  # e.g. "root"
    for text in (item.title, item.summary or "", result.title or ""):
        assert f"{passwd}:" not in text
        assert "&passwd;" in text or text in ("External", "")
    assert any("entity declarations removed" in w for w in result.warnings)


def test_inline_doctype_entity_is_removed_too():
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b'<rss version="2.0"><channel><item><title>A &x;</title>'
            b"<link>https://x.example/1</link></item></channel></rss>")
    result = parse_feed(body, "https://x.example/f")
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    assert result.items[0].title == "A &x;"
    assert not hostname or hostname not in result.items[0].title


def test_duplicate_guids_missing_and_bad_links_are_skipped_with_warnings():
    result = parse("dup_guids.xml")
    assert [(item.guid, item.url) for item in result.items] == [
        ("story-a", "https://dups.example/a"),
        ("story-b", "https://dups.example/b"),
    ]
    joined = "\n".join(result.warnings)
    assert "1 entries with a duplicate GUID skipped: #3 story-a" in joined
    assert "without a link skipped: #4 'No link at all'" in joined
    assert "non-http(s) link skipped: #5" in joined


def test_future_and_ancient_dates_dropped_missing_kept_none():
    items = {item.guid: item for item in parse("future_dates.xml").items}
    assert items["f1"].published is None  # 2100
    assert items["f2"].published == datetime(2025, 6, 1, 20, 0, tzinfo=UTC)  # within a day
    assert items["f3"].published is None
    assert items["f4"].published == datetime(2025, 6, 1, 4, 30, tzinfo=UTC)  # -0600 → UTC
    assert items["f5"].published is None  # 1990
    warnings = "\n".join(parse("future_dates.xml").warnings)
    assert "more than a day in the future" in warnings and "before 1995" in warnings


def test_utf8_bytes_declared_latin1_are_read_as_utf8():
    result = parse("utf8_declared_latin1.xml")
    assert result.items[0].title == "Migración: cruzan el río Bravo en Ciudad Juárez"
    assert any("declared iso8859-1 but the bytes are UTF-8" in w for w in result.warnings)


def test_latin1_without_declaration_is_detected():
    result = parse("latin1_undeclared.xml")
    assert result.items[0].title == "Migración: cruzan el río Bravo en Ciudad Juárez"
    assert result.items[0].summary == "Niños y adultos recibieron atención médica."


def test_http_charset_wins_over_missing_declaration():
    body = ("<rss version='2.0'><channel><item><title>Señal</title>"
            "<link>https://x.example/1</link></item></channel></rss>").encode("cp1252")
    result = parse_feed(body, "https://x.example/f", content_type="text/xml; charset=windows-1252")
    assert result.items[0].title == "Señal"


def _big_feed(count: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://big.example/a/{i}</link>"
        f"<guid>g{i}</guid><pubDate>Tue, 15 Oct 2024 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Summary {i}&lt;/p&gt;</description></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def test_ten_thousand_items_are_capped_with_a_warning():
    result = parse_feed(_big_feed(10_000), "https://big.example/rss", max_items=5000)
    assert len(result.items) == 5000
    assert result.items[-1].guid == "g4999"
    assert "feed has 10000 items; kept the first 5000" in result.warnings


def test_atom_cap_closes_the_document():
    entries = "".join(
        f"<entry><id>e{i}</id><title>E{i}</title><link href='https://a.example/{i}'/>"
        f"<updated>2024-01-01T00:00:00Z</updated></entry>" for i in range(30))
    body = f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode()
    result = parse_feed(body, "https://a.example/atom", max_items=10)
    assert [item.guid for item in result.items] == [f"e{i}" for i in range(10)]
    assert not any(w.startswith("malformed") for w in result.warnings)


def test_well_formed_feed_without_items_is_not_an_error():
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    result = parse_feed(body, "https://q.example/rss")
    assert result.items == () and result.error is None and result.title == "Quiet"
