"""The bundled demo site: real HTTP on 127.0.0.1, feeds feedparser reads, phases, validators."""

from __future__ import annotations

import gzip
import html
import re
import xml.sax
from collections import Counter
from collections.abc import Iterator
from urllib.robotparser import RobotFileParser

import feedparser
import httpx
import pytest

from flows.demo import DemoSite, expected_demo_facts
from flows.outlets import parse_outlets


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(phase=3) as running:
        yield running


@pytest.fixture
def phased_site() -> Iterator[DemoSite]:
    with DemoSite(phase=1) as running:
        yield running


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=10)


def _feed_url(site: DemoSite, outlet_id: str, path: str) -> str:
    return site.url_for(outlet_id, path)


def test_every_working_feed_parses_and_lists_the_manifest_items(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    formats = Counter()
    for feed in facts.feeds:
        if feed.broken:
            continue
        response = _get(_feed_url(site, feed.outlet_id, feed.path))
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (feed.path, parsed.get("bozo_exception"))
        expected_version = "atom10" if feed.format == "atom" else "rss20"
        assert parsed.version == expected_version
        titles = [entry.title for entry in parsed.entries]
        assert titles == [facts.page(key).title for key in feed.item_keys]
        assert all(entry.get("published_parsed") for entry in parsed.entries)
        formats[feed.format] += 1
    assert formats["rss"] >= 3 and formats["atom"] >= 3


def test_feed_dates_match_the_manifest(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    feed = next(f for f in facts.feeds if f.outlet_id == "borderledger")
    parsed = feedparser.parse(_get(_feed_url(site, feed.outlet_id, feed.path)).content)
    for entry, key in zip(parsed.entries, feed.item_keys, strict=True):
        published = facts.page(key).published_at
        assert tuple(entry.published_parsed)[:5] == published.utctimetuple()[:5]
    assert "CST" in parsed.entries[0].published  # RFC 822 with a zone name


def test_broken_feed_is_malformed_xml(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    [broken] = [feed for feed in facts.feeds if feed.broken]
    response = _get(_feed_url(site, broken.outlet_id, broken.path))
    assert response.status_code == 200
    assert not response.text.rstrip().endswith("</rss>")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo
    assert isinstance(parsed.bozo_exception, xml.sax.SAXParseException)
    with pytest.raises(xml.sax.SAXParseException):
        xml.sax.parseString(response.content, xml.sax.ContentHandler())


def test_at_least_forty_article_pages_in_both_languages(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    assert len(facts.extractable) >= 40
    assert len(facts.outlets) >= 6
    assert {fact.language for fact in facts.extractable} == {"es", "en"}
    with httpx.Client(timeout=10) as client:
        for fact in facts.extractable:
            response = client.get(site.url_for(fact.outlet_id, fact.path))
            assert response.status_code == 200, fact.key
            assert response.headers["content-type"].startswith("text/html; charset=")


def test_page_body_holds_gold_text_teasers_and_furniture(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    fact = facts.page("cpw-sheinbaum-rubio")
    page = html.unescape(_get(site.url_for(fact.outlet_id, fact.path)).text)
    for paragraph in fact.text.split("\n\n"):
        assert paragraph in page
    assert "Read more:" in page and "Read more:" not in fact.text
    assert '"@type": "NewsArticle"' in page
    assert "Photo: Continental Press Wire / Daniel Reyes" in page
    assert "Copyright 2026 Continental Press Wire" in page


def test_windows_1252_outlet_declares_and_uses_its_charset(site: DemoSite) -> None:
    fact = expected_demo_facts(3).page("ndn-arresto-guero")
    response = _get(site.url_for(fact.outlet_id, fact.path))
    assert response.headers["content-type"] == "text/html; charset=windows-1252"
    decoded = html.unescape(response.content.decode("windows-1252"))
    assert "Capturan en Culiacán" in decoded
    assert 'property="article:published_time" content="2026-01-14T12:45:00-06:00"' in decoded


def test_listed_page_that_is_gone_answers_404(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    [gone] = [fact for fact in facts.pages if fact.expected_status == "failed"]
    feed = next(f for f in facts.feeds if f.outlet_id == gone.outlet_id)
    assert gone.key in feed.item_keys
    assert _get(site.url_for(gone.outlet_id, gone.path)).status_code == 404


def test_every_outlet_has_robots_txt_and_one_disallows_a_listed_page(site: DemoSite) -> None:
    facts = expected_demo_facts(3)
    for outlet in facts.outlets:
        response = _get(site.url_for(outlet.id, "/robots.txt"))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert "User-agent: *" in response.text
    [refused] = [fact for fact in facts.pages if fact.expected_status == "skipped"]
    robots = RobotFileParser()
    robots.parse(_get(site.url_for(refused.outlet_id, "/robots.txt")).text.splitlines())
    assert not robots.can_fetch("wirewatch", site.url_for(refused.outlet_id, refused.path))
    ordinary = next(f for f in facts.extractable if f.outlet_id == refused.outlet_id)
    assert robots.can_fetch("wirewatch", site.url_for(ordinary.outlet_id, ordinary.path))


def test_feed_links_carry_tracking_parameters(site: DemoSite) -> None:
    parsed = feedparser.parse(_get(site.feed_urls("diariofronterizo")[0]).content)
    link = parsed.entries[0].link
    assert "utm_source=rss" in link
    assert _get(link).status_code == 200  # the page is served whatever the query says


def test_etag_and_last_modified_give_304_until_the_phase_changes(phased_site: DemoSite) -> None:
    url = phased_site.feed_urls("continentalwire")[0]
    first = _get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = _get(url, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert _get(url, **{"If-Modified-Since": modified}).status_code == 304
    phased_site.set_phase(2)
    changed = _get(url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert _get(url, **{"If-Modified-Since": modified}).status_code == 200
    assert (url, 304) in phased_site.request_log


def test_unchanged_feed_keeps_its_validators_across_phases(phased_site: DemoSite) -> None:
    before, after = expected_demo_facts(2), expected_demo_facts(3)
    steady = next(
        old
        for old, new in zip(before.feeds, after.feeds, strict=True)
        if old.item_keys == new.item_keys and not old.broken
    )
    phased_site.set_phase(2)
    url = phased_site.url_for(steady.outlet_id, steady.path)
    etag = _get(url).headers["etag"]
    phased_site.set_phase(3)
    assert _get(url, **{"If-None-Match": etag}).status_code == 304


def test_later_phases_reveal_copies_and_translations(phased_site: DemoSite) -> None:
    phase1, phase2 = expected_demo_facts(1), expected_demo_facts(2)
    new_keys = {f.key for f in phase2.pages} - {f.key for f in phase1.pages}
    translation = phase2.page("isd-cuban-houston")
    assert translation.key in new_keys and translation.role == "translation"
    url = phased_site.url_for(translation.outlet_id, translation.path)
    feed_url = phased_site.feed_urls(translation.outlet_id)[0]
    assert _get(url).status_code == 404
    assert translation.title not in _get(feed_url).text
    phased_site.set_phase(2)
    assert _get(url).status_code == 200
    titles = [entry.title for entry in feedparser.parse(_get(feed_url).content).entries]
    assert translation.title in titles


def test_changed_headline_keeps_its_guid(phased_site: DemoSite) -> None:
    feed_url = phased_site.feed_urls("borderledger")[0]

    def entry_for_jury() -> feedparser.FeedParserDict:
        entries = feedparser.parse(_get(feed_url).content).entries
        return next(entry for entry in entries if "jury-convicts" in entry.link)

    before = entry_for_jury()
    phased_site.set_phase(3)
    after = entry_for_jury()
    assert before.id == after.id
    assert before.title != after.title
    assert after.title == expected_demo_facts(3).page("bl-fentanyl-jury").title


def test_gzip_only_when_accepted(site: DemoSite) -> None:
    url = site.feed_urls("islanddispatch")[0]
    with httpx.Client(timeout=10) as client:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        raw = client.send(
            client.build_request("GET", url, headers={"Accept-Encoding": "gzip"}), stream=True
        )
        compressed = b"".join(raw.iter_raw())
        raw.close()
    assert "content-encoding" not in plain.headers
    assert "content-encoding" not in refused.headers
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["etag"] == plain.headers["etag"]
    assert gzip.decompress(compressed) == plain.content
    assert len(compressed) < len(plain.content)


def test_head_sends_headers_without_body(site: DemoSite) -> None:
    url = site.feed_urls("borderledger")[0]
    response = httpx.head(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(
        _get(url, **{"Accept-Encoding": "identity"}).content
    )
    assert response.content == b""


def test_outlets_toml_is_a_valid_configuration_of_the_served_feeds(site: DemoSite) -> None:
    outlets = parse_outlets(site.outlets_toml(), "demo outlets.toml")
    assert [outlet.id for outlet in outlets] == [o.id for o in expected_demo_facts().outlets]
    assert {outlet.kind for outlet in outlets} == {"outlet", "wire"}
    for outlet in outlets:
        assert outlet.homepage.startswith("http://127.0.0.1:")
        assert list(outlet.feeds) == site.feed_urls(outlet.id)
    portal = _get(site.base_url + "/outlets.toml")
    assert portal.text == site.outlets_toml()


def test_set_phase_rejects_unknown_phases(site: DemoSite) -> None:
    with pytest.raises(ValueError, match="phase"):
        site.set_phase(4)
    with pytest.raises(ValueError, match="phase"):
        expected_demo_facts(0)


def test_wire_stories_are_republished_by_three_or_more_outlets() -> None:
    facts = expected_demo_facts(3)
    wire_keys = {f.key for f in facts.pages if f.role == "wire_original"}
    copies_per_source = Counter(
        f.source_key for f in facts.pages if f.source_key in wire_keys and f.is_copy
    )
    widely_copied = [key for key, count in copies_per_source.items() if count >= 3]
    assert len(widely_copied) >= 3
    for key in widely_copied:
        copies = [f for f in facts.pages if f.source_key == key]
        assert len({f.outlet_id for f in copies}) >= 3
        assert all(f.story == facts.page(key).story for f in copies)
        assert all(f.title != facts.page(key).title for f in copies)


def test_credit_evidence_is_in_the_gold_text() -> None:
    facts = expected_demo_facts(3)
    agencies = Counter()
    for fact in facts.pages:
        for agency, evidence in fact.credits:
            assert evidence in fact.text
            agencies[agency] += 1
    assert {"continentalwire", "agenciacontinental", "efe", "ap", "reuters", "dw"} <= set(agencies)
    evidences = {evidence for fact in facts.pages for _, evidence in fact.credits}
    assert {
        "(EFE).-",
        "(AP) —",
        "con información de Reuters",
        "according to a DW report",
    } <= evidences


def test_translation_pair_and_arrests_that_must_stay_apart() -> None:
    facts = expected_demo_facts(3)
    english = facts.page("isd-cuban-houston")
    spanish = facts.page(english.source_key or "")
    assert (spanish.language, english.language) == ("es", "en")
    assert spanish.story == english.story and spanish.outlet_id != english.outlet_id
    for left, right in facts.must_stay_apart:
        a, b = facts.page(left), facts.page(right)
        assert a.story != b.story
        assert a.published_at.date() == b.published_at.date()
        assert a.topic == b.topic == "us_mexico_security"


def test_off_topic_stories_are_present() -> None:
    facts = expected_demo_facts(3)
    off_topic = [f for f in facts.extractable if f.topic is None]
    assert len(off_topic) >= 8
    assert any(re.search(r"Tomateros", f.title) for f in off_topic)
