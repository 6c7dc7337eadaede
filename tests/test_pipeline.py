"""The whole cycle, for real: the demo site on 127.0.0.1, Prefect flow runs, a DuckDB file.

One journey runs five cycles while the site reveals new items (copies, a translation, a
re-titled item) and records what each cycle left; the tests below read that record.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from extractors.urls import canonicalize_url
from flows.demo import DemoSite, expected_demo_facts
from flows.demo.inbox import AlertInbox

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

SNAPSHOT_TABLES = {
    "articles": "article_id, status, reason, title, text, canonical_url, published_at",
    "stories": "story_id, canonical_article_id, article_count, outlet_count",
    "syndication": "article_id, story_id, source_article_id, method",
    "article_entities": "article_id, entity_id, start_offset",
    "article_topics": "article_id, topic, score",
    "alerts": "alert_id, rule_name, story_id, status",
}


@dataclass
class Journey:
    site: DemoSite
    db: str
    summaries: dict[str, dict] = field(default_factory=dict)
    snapshots: dict[str, dict[str, str]] = field(default_factory=dict)
    inbox_after: dict[str, list[dict]] = field(default_factory=dict)


def snapshot(db: str) -> dict[str, str]:
    con = duckdb.connect(db, read_only=True)
    try:
        out = {}
        for table, cols in SNAPSHOT_TABLES.items():
            rows = con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall()
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def query(db: str, sql: str, params=None):
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def journey(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest

    workdir = tmp_path_factory.mktemp("pipeline")
    db = str(workdir / "wirewatch.duckdb")
    with DemoSite(phase=1) as site, AlertInbox() as inbox:
        outlets = workdir / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": db, "outlets_file": str(outlets),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8}
        os.environ["WIREWATCH_ALERT_URLS"] = inbox.apprise_url
        record = Journey(site, db)
        try:
            for name, phase in [("p1", 1), ("p1-again", 1), ("p2", 2), ("p3", 3),
                                ("p3-again", 3)]:
                site.set_phase(phase)
                summary = ingest(overrides=overrides, force=True)
                record.summaries[name] = summary.counts
                record.snapshots[name] = snapshot(db)
                record.inbox_after[name] = inbox.messages
        finally:
            os.environ.pop("WIREWATCH_ALERT_URLS", None)
        yield record


def test_first_cycle_lands_every_listed_page_in_its_expected_state(journey):
    facts = expected_demo_facts(1)
    for fact in facts.pages:
        url = canonicalize_url(journey.site.url_for(fact.outlet_id, fact.path))
        rows = query(journey.db, "SELECT status, reason FROM articles WHERE canonical_url = ?",
                     [url])
        assert len(rows) == 1, f"{fact.key}: {rows}"
        assert rows[0][0] == fact.expected_status, f"{fact.key}: {rows[0]}"
    assert query(journey.db, "SELECT count(*) FROM articles WHERE status = 'pending'") == [(0,)]


def test_failures_are_recorded_with_reasons_and_the_cycle_goes_on(journey):
    polls = query(journey.db, "SELECT status, error FROM feed_polls WHERE status = 'partial'")
    assert polls and all(error.startswith("feed: malformed") for _, error in polls)
    failed = query(journey.db, "SELECT reason FROM articles WHERE status = 'failed'")
    assert any("404" in reason for (reason,) in failed)
    skipped = query(journey.db, "SELECT reason FROM articles WHERE status = 'skipped'")
    assert any("robots" in reason for (reason,) in skipped)
    assert journey.summaries["p1"]["articles_extracted"] > 10


def test_rerunning_over_unchanged_feeds_fetches_nothing_and_changes_nothing(journey):
    again = journey.summaries["p1-again"]
    assert again["items_new"] == 0 and again["pages_fetched"] == 0
    assert again["feeds_not_modified"] >= again["feeds_polled"] - again["feeds_failed"]
    assert journey.snapshots["p1-again"] == journey.snapshots["p1"]
    assert journey.snapshots["p3-again"] == journey.snapshots["p3"]


def test_later_phases_fetch_only_the_new_items(journey):
    for name, phase in [("p2", 2), ("p3", 3)]:
        previous = {f.key for f in expected_demo_facts(phase - 1).pages}
        new = [f for f in expected_demo_facts(phase).pages if f.key not in previous]
        assert journey.summaries[name]["items_new"] == len(new)
        # robots.txt refusals are decided before any request for the page
        requested = [f for f in new if f.expected_reason != "robots"]
        assert journey.summaries[name]["pages_fetched"] == len(requested)


def test_every_run_is_recorded_with_its_counts(journey):
    rows = query(journey.db, "SELECT status, items_new, stage_seconds FROM runs "
                             "ORDER BY started_at")
    assert [r[0] for r in rows] == ["ok"] * 5
    assert [r[1] for r in rows] == [journey.summaries[n]["items_new"] for n in journey.summaries]


def test_one_alert_per_story_however_many_copies_and_translations_arrive(journey):
    messages = journey.inbox_after["p3-again"]
    keys = [m.get("idempotency_key") for m in messages]
    assert keys and len(keys) == len(set(keys))
    stories = query(journey.db, "SELECT story_id FROM alerts WHERE status = 'delivered'")
    assert len(stories) == len({s for (s,) in stories}) == len(messages)
    # Copies and a translation joined stories in phases 2 and 3; nothing was re-sent for them.
    assert journey.inbox_after["p3-again"] == journey.inbox_after["p3"]
    joined_later = query(journey.db, """
        SELECT count(*) FROM syndication s JOIN articles a USING (article_id)
        WHERE s.method <> 'original' AND a.run_id <> (SELECT min(run_id) FROM articles)""")
    assert joined_later[0][0] > 0


def test_analyst_copy_is_published_and_current(journey):
    analyst = journey.db.replace("wirewatch.duckdb", "wirewatch.analyst.duckdb")
    live = query(journey.db, "SELECT count(*) FROM articles")
    assert query(analyst, "SELECT count(*) FROM articles") == live
    # The last cycle landed nothing, so it did not copy the warehouse again: only its own
    # run record is missing from the copy.
    (live_runs,), = query(journey.db, "SELECT count(*) FROM runs")
    (copied_runs,), = query(analyst, "SELECT count(*) FROM runs")
    assert copied_runs == live_runs - 1


def test_a_retitled_guid_updates_its_article_instead_of_adding_one(journey):
    before, after = expected_demo_facts(2), expected_demo_facts(3)
    retitled = [f for f in after.pages
                if any(b.key == f.key and b.title != f.title for b in before.pages)]
    assert retitled, "the demo re-titles one item in phase 3"
    for fact in retitled:
        url = canonicalize_url(journey.site.url_for(fact.outlet_id, fact.path))
        rows = query(journey.db, "SELECT feed_title, title FROM articles "
                                 "WHERE canonical_url = ?", [url])
        assert rows == [(fact.title, fact.title)]


def test_export_record_has_the_documented_fields_and_story_links(journey, tmp_path):
    import json

    from click.testing import CliRunner

    from flows.cli import main

    out = tmp_path / "articles.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", journey.db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == query(journey.db, "SELECT count(*) FROM articles")[0][0]
    expected = {"article_id", "url", "canonical_url", "outlet", "feed_url", "guid", "title",
                "author", "published_at", "published_at_source", "updated_at", "language",
                "declared_language", "text", "word_count", "status", "status_reason",
                "story_id", "is_story_canonical", "syndication", "entities", "topics",
                "alerted", "discovered_at"}
    assert set(records[0]) == expected
    extracted = [r for r in records if r["status"] == "extracted"]
    assert all(r["story_id"] and r["syndication"]["method"] for r in extracted)
    canonical_per_story: dict[str, int] = {}
    for r in extracted:
        canonical_per_story[r["story_id"]] = (canonical_per_story.get(r["story_id"], 0)
                                              + r["is_story_canonical"])
    assert set(canonical_per_story.values()) == {1}
    copies = [r for r in extracted if r["syndication"]["method"] != "original"]
    assert copies and all(r["syndication"]["source_url"] for r in copies)
    assert any(r["alerted"] for r in extracted) and any(r["entities"] for r in extracted)
    assert all({"id", "name", "type", "count"} <= set(e) for r in extracted
               for e in r["entities"])
    for fmt in ("parquet", "csv"):
        path = tmp_path / f"articles.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", journey.db, "-o", str(path),
                                           "--format", fmt])
        assert result.exit_code == 0 and path.stat().st_size > 0, result.output


def test_analyst_copy_answers_search_and_the_documented_macros(journey):
    from warehouse.connection import open_reader
    from warehouse.target import WarehouseTarget

    analyst = journey.db.replace("wirewatch.duckdb", "wirewatch.analyst.duckdb")
    with open_reader(WarehouseTarget.parse("", Path(analyst))) as con:
        hits = con.execute("SELECT title FROM search_articles('fentanilo Culiacan')").fetchall()
        security = con.execute("SELECT story_id FROM stories_on('us_mexico_security')").fetchall()
        all_stories = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        mentions = con.execute("SELECT DISTINCT entity_name FROM mentions_of('Sheinbaum')")
        names = {row[0] for row in mentions.fetchall()}
        story = security[0][0]
        copies = con.execute("SELECT is_canonical FROM copies_of(?)", [story]).fetchall()
    assert hits and any("fentanilo" in title.lower() for (title,) in hits)
    assert 0 < len(security) < all_stories  # a filter, not everything
    assert names == {"Claudia Sheinbaum"}
    assert sum(flag for (flag,) in copies) == 1


def test_demo_stories_match_the_labelled_grouping(journey):
    facts = expected_demo_facts(3)
    predicted: dict[str, set[str]] = {}
    for fact in facts.extractable:
        url = canonicalize_url(journey.site.url_for(fact.outlet_id, fact.path))
        (story,), = query(journey.db, "SELECT s.story_id FROM articles a JOIN syndication s "
                                      "USING (article_id) WHERE a.canonical_url = ?", [url])
        predicted.setdefault(story, set()).add(fact.key)
    expected = {frozenset(keys) for keys in facts.stories().values()}
    assert {frozenset(keys) for keys in predicted.values()} == expected
    for a, b in facts.must_stay_apart:
        assert not any({a, b} <= keys for keys in predicted.values())



def test_each_delivered_alert_is_handed_to_prefect_as_an_event(journey):
    for name, counts in journey.summaries.items():
        assert counts["alert_events_emitted"] == counts["alerts_delivered"], name
    assert journey.summaries["p1"]["alerts_delivered"] > 0
