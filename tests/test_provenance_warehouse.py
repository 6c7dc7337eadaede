"""Provenance and story merges on both warehouse backends (DuckDB file, DuckLake on SQLite).

The texts are the provenance suite's (flows/evaluate/data/provenance): the wire's shooting
report and two copies cut from it, and two arrests in Culiacán on one day.
"""

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from backends import warehouse_target  # noqa: F401  (parametrised fixture)

from flows.evaluate.provenance_site import load_suite
from warehouse import articles as arts
from warehouse.connection import open_writer
from warehouse.outbox import enqueue_alerts
from warehouse.rows import CandidateRow, PendingRow, ResultRow
from warehouse.stories import assign_stories, story_id_for
from warehouse.story_merge import retire_merged_duplicates

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
TEXTS = {a.key: a for a in load_suite()[1]}


@pytest.fixture
def con(warehouse_target):  # noqa: F811
    with open_writer(warehouse_target) as connection:
        connection.execute(
            "INSERT INTO outlets (outlet_id, name, homepage, kind, updated_at) VALUES "
            "('nw', 'Norte Wire', 'https://wire.example/', 'wire', ?), "
            "('dn', 'Diario', 'https://diario.example/', 'outlet', ?), "
            "('hf', 'Heraldo', 'https://heraldo.example/', 'outlet', ?), "
            "('vp', 'Valley', 'https://valley.example/', 'outlet', ?)", [T0] * 4)
        yield connection


def add(con, key, outlet, *, hours, paragraphs=None, page_canonical=None, site=None):
    text = TEXTS[key]
    url = f"https://{site or outlet + '.example'}/{key}"
    row = {"article_id": key, "outlet_id": outlet, "url": url, "canonical_url": url,
           "page_canonical_url": page_canonical, "status": "extracted", "title": text.title,
           "text": "\n".join(paragraphs or text.paragraphs), "language": text.language,
           "published_at": T0 + timedelta(hours=hours),
           "discovered_at": T0 + timedelta(hours=hours)}
    con.register("one", pa.Table.from_pylist([row]))
    con.execute("INSERT INTO articles (article_id, outlet_id, url, canonical_url, "
                "page_canonical_url, status, title, text, language, published_at, "
                "discovered_at) SELECT * FROM one")
    con.unregister("one")
    return url


def cycle(con, *ids, hours):
    con.execute("BEGIN TRANSACTION")
    stats = assign_stories(con, list(ids), now=T0 + timedelta(hours=hours))
    con.execute("COMMIT")
    return stats


def rows(con):
    return {r[0]: r[1:] for r in con.execute(
        "SELECT article_id, story_id, method, source_article_id, source_url, agency "
        "FROM syndication").fetchall()}


def test_a_cross_site_canonical_never_makes_its_target_known(con):
    con.execute("BEGIN TRANSACTION")
    arts.insert_pending(con, [
        PendingRow(article_id="copy", outlet_id="dn", url="https://diario.example/c",
         canonical_url="https://diario.example/c", status="pending",
         discovered_at=T0, attempts=0),
        PendingRow(article_id="amp", outlet_id="dn", url="https://diario.example/a?amp=1",
         canonical_url="https://diario.example/a?amp=1", status="pending",
         discovered_at=T0, attempts=0)])
    arts.save_results(con, [
        ResultRow(article_id="copy", status="extracted",
         page_canonical_url="https://wire.example/original", retryable=False),
        ResultRow(article_id="amp", status="extracted",
         page_canonical_url="https://www.diario.example/a", retryable=False)])
    con.execute("COMMIT")
    known = arts.find_known(con, [
        CandidateRow(idx=0, canonical_url="https://wire.example/original", outlet_id="nw",
         guid=None),
        CandidateRow(idx=1, canonical_url="https://www.diario.example/a", outlet_id="dn",
         guid=None)])
    assert 0 not in known  # the wire's own page is fetched when its feed lists it
    assert known[1].article_id == "amp"  # a same-site canonical still names the same page


def test_a_copy_declaring_an_unfetched_original_keeps_that_evidence_until_it_arrives(con):
    wire_url = "https://wire.example/w1"
    add(con, "c1a", "dn", hours=1.5, page_canonical=wire_url, site="diario.example")
    cycle(con, "c1a", hours=2)
    story, method, source, source_url, agency = rows(con)["c1a"]
    assert (method, source, source_url, agency) == ("canonical_link", None, wire_url, "nw")
    add(con, "w1", "nw", hours=1.0, site="wire.example")
    cycle(con, "w1", hours=3)
    after = rows(con)
    assert after["w1"][:2] == (story, "original")
    assert after["c1a"][:4] == (story, "canonical_link", "w1", wire_url)
    canonical = con.execute("SELECT canonical_article_id FROM stories").fetchall()
    assert canonical == [("w1",)]
    exported = con.execute("SELECT syndication.source_url, syndication.method FROM "
                           "article_export WHERE article_id = 'c1a'").fetchone()
    assert exported == (wire_url, "canonical_link")


def test_the_wires_original_merges_two_partial_copies_and_the_older_story_survives(con):
    add(con, "f1", "dn", hours=3.0)
    cycle(con, "f1", hours=3)
    add(con, "f2", "hf", hours=5.0)
    cycle(con, "f2", hours=5)
    first, second = story_id_for("f1"), story_id_for("f2")
    assert rows(con)["f2"][0] == second  # no shared text: two stories for now
    # An alert already went out for the second story; one for the first is still queued.
    con.execute(
        "INSERT INTO alerts (alert_id, rule_name, story_id, mode, status, created_at, "
        "attempts) VALUES ('al_2', 'trend', ?, 'immediate', 'delivered', ?, 1), "
        "('al_1', 'trend', ?, 'immediate', 'pending', ?, 0)",
        [second, T0 + timedelta(hours=5), first, T0 + timedelta(hours=5.5)])
    add(con, "w5", "nw", hours=2.0, site="wire.example")
    con.execute("BEGIN TRANSACTION")
    stats = assign_stories(con, ["w5"], now=T0 + timedelta(hours=6))
    retired = retire_merged_duplicates(con, stats.merged_into)
    con.execute("COMMIT")
    assert stats.merged_stories == 1 and stats.merged_into == (first,)
    after = rows(con)
    assert {after[k][0] for k in ("f1", "f2", "w5")} == {first}
    assert after["w5"][1] == "original"  # the wire's own copy is the story's original
    assert {after[k][1:3] for k in ("f1", "f2")} == {("near_duplicate", "w5")}
    assert con.execute("SELECT story_id FROM stories").fetchall() == [(first,)]
    assert con.execute("SELECT alias_story_id, story_id FROM story_aliases").fetchall() == [
        (second, first)]
    resolved = con.execute("SELECT story_id FROM story_lookup WHERE any_story_id = ?",
                           [second]).fetchall()
    assert resolved == [(first,)]
    # The queued alert is dropped: the event was already announced under the merged id.
    assert retired == 1
    status = dict(con.execute("SELECT alert_id, status FROM alerts").fetchall())
    assert status == {"al_2": "delivered", "al_1": "abandoned"}


def test_a_round_up_of_two_events_in_one_place_does_not_merge_them(con):
    add(con, "e2o", "dn", hours=0.5)
    add(con, "e4o", "hf", hours=1.0)
    cycle(con, "e2o", "e4o", hours=1)
    both = list(TEXTS["e2o"].paragraphs) + list(TEXTS["e4o"].paragraphs)
    add(con, "e2r", "vp", hours=2.0, paragraphs=both)  # an outlet's round-up of both arrests
    stats = cycle(con, "e2r", hours=2)
    after = rows(con)
    assert stats.merged_stories == 0
    assert after["e2o"][0] != after["e4o"][0]
    assert after["e2r"][0] in (after["e2o"][0], after["e4o"][0])
    assert con.execute("SELECT count(*) FROM story_aliases").fetchone()[0] == 0


class _Rule:
    name, topic, min_score, entities, outlets, languages = "trend", None, 0.5, (), (), ()
    min_outlets, max_story_age_hours, mode = 2, 48.0, "immediate"


def test_a_merged_story_is_not_alerted_again_under_its_surviving_id(con):
    add(con, "f1", "dn", hours=3.0)
    add(con, "e6o", "vp", hours=3.0)
    cycle(con, "f1", "e6o", hours=3)
    add(con, "f2", "hf", hours=5.0)
    cycle(con, "f2", hours=5)
    second = story_id_for("f2")
    con.execute("INSERT INTO alerts (alert_id, rule_name, story_id, mode, status, created_at, "
                "attempts) VALUES ('al_2', 'trend', ?, 'immediate', 'delivered', ?, 1)",
                [second, T0])
    add(con, "w5", "nw", hours=2.0, site="wire.example")
    cycle(con, "w5", hours=6)
    now = T0 + timedelta(hours=7)
    assert enqueue_alerts(con, [_Rule()], now=now) == 0  # three outlets, already alerted
    # Without the alert sent under the merged id, the same story would be due now.
    con.execute("DELETE FROM alerts")
    assert enqueue_alerts(con, [_Rule()], now=now) == 1


def test_analyst_macros_follow_a_merged_story_id(tmp_path):
    from warehouse.analyst import build_analyst_surface
    from warehouse.target import WarehouseTarget

    path = tmp_path / "w.duckdb"
    with open_writer(WarehouseTarget.parse("", path)) as connection:
        connection.execute("INSERT INTO outlets (outlet_id, name, homepage, kind, updated_at) "
                           "VALUES ('nw', 'Norte Wire', 'https://wire.example/', 'wire', ?)",
                           [T0])
        add(connection, "f1", "dn", hours=3.0)
        cycle(connection, "f1", hours=3)
        add(connection, "f2", "hf", hours=5.0)
        cycle(connection, "f2", hours=5)
        add(connection, "w5", "nw", hours=2.0, site="wire.example")
        cycle(connection, "w5", hours=6)
    build_analyst_surface(path, search_days=0)
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        old_id, survivor = story_id_for("f2"), story_id_for("f1")
        story = con.execute("SELECT story_id, merged_ids, article_count FROM story_by_id(?)",
                            [old_id]).fetchall()
        copies = con.execute("SELECT method, is_canonical FROM copies_of(?)",
                             [old_id]).fetchall()
    finally:
        con.close()
    assert story == [(survivor, [old_id], 3)]
    assert sorted(copies) == [("near_duplicate", False), ("near_duplicate", False),
                              ("original", True)]
