"""The entities stage after the load, against a real DuckDB warehouse file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extractors.entities import Links, links_digest
from extractors.entity_unlinked import unlinked_id
from extractors.tagging import TaggerConfig, tag_article
from flows.cycle import writer
from flows.entity_stage import run_entity_stage, tag_pending, worker_tagger
from flows.settings import Settings
from flows.shard import parse_shard
from warehouse.entity_passes import pending_articles

ES = "La alcaldesa Ana Lucía Pérez Robledo se reunió con Claudia Sheinbaum en Chihuahua."
EN = "The mayor, Jonathan Whitfield, met port officials in Seattle on Monday."


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return _warehouse(tmp_path / "w.duckdb")


def _warehouse(path: Path) -> Settings:
    settings = Settings(db_path=path, extract_workers=1)
    rows = [
        ("es-1", "es", "extracted", ES, datetime(2026, 1, 12, 10, tzinfo=UTC)),
        ("en-1", "en-US", "extracted", EN, datetime(2026, 1, 12, 11, tzinfo=UTC)),
        ("fr-1", "fr", "extracted", "Jean Dupont à Lyon.", datetime(2026, 1, 12, tzinfo=UTC)),
        ("failed", "es", "failed", None, datetime(2026, 1, 12, tzinfo=UTC)),
    ]
    with writer(settings) as con:
        for article_id, language, status, text, discovered in rows:
            con.execute(
                "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
                "discovered_at, language, text) VALUES (?, 'o', ?, ?, ?, ?, ?, ?)",
                [article_id, f"http://x/{article_id}", f"http://x/{article_id}", status,
                 discovered, language, text],
            )
    return settings


def _mentions(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        return con.execute(
            "SELECT article_id, entity_id, surface, linked FROM article_entities "
            "ORDER BY article_id, start_offset"
        ).fetchall()


def test_stage_tags_pending_articles_once(settings: Settings) -> None:
    with writer(settings) as con:
        assert [a.article_id for a in pending_articles(con, ("es", "en"), 10)] == ["en-1", "es-1"]
    assert run_entity_stage(settings) == {"entities_tagged": 2}
    mentions = _mentions(settings)
    ana = unlinked_id("PERSON", "Ana Lucía Pérez Robledo")
    whitfield = unlinked_id("PERSON", "Jonathan Whitfield")
    assert ("es-1", ana, "Ana Lucía Pérez Robledo", False) in mentions
    assert any(m[0] == "es-1" and m[2] == "Claudia Sheinbaum" and m[3] for m in mentions)
    assert ("en-1", whitfield, "Jonathan Whitfield", False) in mentions
    assert not any(m[0] in ("fr-1", "failed") for m in mentions)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        passes = con.execute("SELECT article_id, model FROM article_entity_passes "
                             "ORDER BY article_id").fetchall()
        unlinked = con.execute("SELECT linked FROM entities WHERE entity_id = ?",
                               [whitfield]).fetchall()
    assert [p[0] for p in passes] == ["en-1", "es-1"] and unlinked == [(False,)]
    assert run_entity_stage(settings) == {"entities_tagged": 0}
    assert _mentions(settings) == mentions


def test_a_redone_pass_writes_the_same_rows(settings: Settings) -> None:
    run_entity_stage(settings)
    first = _mentions(settings)
    with writer(settings) as con:  # as if the pass rows had not committed
        con.execute("DELETE FROM article_entity_passes")
    assert run_entity_stage(settings) == {"entities_tagged": 2}
    assert _mentions(settings) == first


def test_the_extraction_links_spare_linking_and_give_the_same_rows(
    settings: Settings, tmp_path: Path
) -> None:
    # What the extraction workers' linker found (ArticleTags.links) is what the stage would
    # find: the rows equal a stage that links afresh.
    links = {"es-1": tag_article(ES, None, "es", worker_tagger(settings)).links,
             "en-1": tag_article(EN, None, "en-US", worker_tagger(settings)).links}
    assert all(link is not None and link.text for link in links.values())
    fresh = _warehouse(tmp_path / "fresh.duckdb")
    assert run_entity_stage(settings, links=links) == {"entities_tagged": 2}
    assert run_entity_stage(fresh) == {"entities_tagged": 2}
    assert _mentions(settings) == _mentions(fresh) and _mentions(settings)


def test_the_stage_takes_the_links_it_is_given_for_the_same_text(settings: Settings) -> None:
    # Links with the digest of the stored text are used as they are: with none found, only
    # the model's names remain (Claudia Sheinbaum is a linked name otherwise).
    nothing = Links(links_digest(ES, None, "es"), (), ())
    run_entity_stage(settings, links={"es-1": nothing})
    mentions = [m for m in _mentions(settings) if m[0] == "es-1"]
    assert mentions and not any(m[3] for m in mentions)


def test_links_made_from_another_text_are_ignored() -> None:
    # A digest of a different text, title or language: the article is linked afresh.
    config = TaggerConfig(ner="off")
    fresh = tag_article(ES, "Reunión en Chihuahua", "es", config)
    assert any(m.surface == "Claudia Sheinbaum" for m in fresh.mentions)
    for text, title, language in ((EN, "Reunión en Chihuahua", "es"), (ES, None, "es"),
                                  (ES, "Reunión en Chihuahua", "en")):
        stale = Links(links_digest(text, title, language), (), ())
        reused = tag_article(ES, "Reunión en Chihuahua", "es", config, stale)
        assert reused == fresh and reused.links == fresh.links
    same = Links(links_digest(ES, "Reunión en Chihuahua", "es"), (), ())
    assert tag_article(ES, "Reunión en Chihuahua", "es-MX", config, same).mentions == ()


_TRIE_PROBE = """
from extractors.entities import Links, links_digest
from extractors.entity_gazetteer import load_gazetteer
from extractors.tagging import TaggerConfig, tag_article
text = {text!r}
config = TaggerConfig(ner="auto")
found = tag_article(text, None, "es", config, Links(links_digest(text, None, "es"), (), ()))
before = load_gazetteer.cache_info().currsize
stale = tag_article(text, None, "es", config, Links(links_digest("", None, "es"), (), ()))
linked = [sum(m.linked for m in tags.mentions) for tags in (found, stale)]
print(before, load_gazetteer.cache_info().currsize, *linked)
"""


def test_matching_links_leave_the_linkers_trie_unbuilt() -> None:
    # A fresh process, as the stage's workers are: tagging with links for the same text
    # builds no trie (the gazetteer is loaded only when the article must be linked again).
    probe = subprocess.run([sys.executable, "-c", _TRIE_PROBE.format(text=ES)],
                           capture_output=True, text=True, check=True, timeout=120)
    before, after, linked_as_given, linked_afresh = map(int, probe.stdout.split())
    assert (before, after) == (0, 1)
    # The links given (none) were used; the stale ones were replaced by the linker's own.
    assert linked_as_given == 0 < linked_afresh


def test_stage_respects_off_and_the_per_cycle_limit(settings: Settings) -> None:
    assert run_entity_stage(settings.replace(ner="off")) == {"entities_tagged": 0}
    assert _mentions(settings) == []
    assert run_entity_stage(settings.replace(ner_max_articles_per_cycle=1)) == {
        "entities_tagged": 1
    }
    assert {m[0] for m in _mentions(settings)} == {"en-1"}  # newest first
    assert run_entity_stage(settings) == {"entities_tagged": 1}


def test_each_shard_tags_only_its_own_outlets_articles(tmp_path: Path) -> None:
    # Two workers' entity stages over one warehouse: disjoint work whose union is everything,
    # as with the feeds (flows/shard.py), so no article is tagged twice.
    settings = Settings(db_path=tmp_path / "w.duckdb", extract_workers=1)
    outlets = [f"outlet-{n}" for n in range(8)]
    with writer(settings) as con:
        for outlet in outlets:
            con.execute(
                "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
                "discovered_at, language, text) VALUES (?, ?, ?, ?, 'extracted', ?, 'en', ?)",
                [outlet, outlet, f"http://x/{outlet}", f"http://x/{outlet}",
                 datetime(2026, 1, 12, tzinfo=UTC), EN],
            )
    shards = [parse_shard("1/2"), parse_shard("2/2")]
    tagged = [run_entity_stage(settings, shard)["entities_tagged"] for shard in shards]
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        passed = [r[0] for r in con.execute("SELECT article_id FROM article_entity_passes")
                  .fetchall()]
    assert sorted(passed) == outlets and sum(tagged) == len(outlets)
    assert all(0 < n < len(outlets) for n in tagged)  # both shards had work of their own
    for shard, count in zip(shards, tagged, strict=True):
        assert count == sum(1 for outlet in outlets if shard.holds(outlet))


def test_one_worker_pool_tags_every_chunk_as_one_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stage keeps one pool across its chunks (flows/entity_stage.py); small chunks and
    # two workers give the same rows as tagging everything in this process.
    import flows.entity_stage as stage

    texts = [ES, EN] * 5
    rows = {}
    for workers in (1, 2):
        settings = Settings(db_path=tmp_path / f"w{workers}.duckdb", extract_workers=workers)
        with writer(settings) as con:
            for n, text in enumerate(texts):
                con.execute(
                    "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
                    "discovered_at, language, text) VALUES (?, 'o', ?, ?, 'extracted', ?, ?, ?)",
                    [f"a{n}", f"http://x/{n}", f"http://x/{n}",
                     datetime(2026, 1, 12, n, tzinfo=UTC), "es" if text == ES else "en", text],
                )
        monkeypatch.setattr(stage, "CHUNK", 3)
        assert run_entity_stage(settings) == {"entities_tagged": len(texts)}
        rows[workers] = _mentions(settings)
    assert rows[2] == rows[1] and {m[0] for m in rows[1]} == {f"a{n}" for n in range(10)}


def _die_on_a4(item, config):
    if item.article.article_id == "a4":
        os._exit(1)  # a worker killed mid-stage (the OOM killer)
    return tag_pending(item, config)


def test_a_dead_worker_costs_its_chunk_and_the_next_chunks_get_a_fresh_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The next chunk is already with the workers when a chunk's results come back; when a
    # worker dies, the chunk not yet returned is tagged again by a fresh pool.
    import flows.entity_stage as stage

    settings = Settings(db_path=tmp_path / "w.duckdb", extract_workers=2)
    with writer(settings) as con:
        for n in range(12):
            con.execute(
                "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
                "discovered_at, language, text) VALUES (?, 'o', ?, ?, 'extracted', ?, 'en', ?)",
                [f"a{n}", f"http://x/{n}", f"http://x/{n}",
                 datetime(2026, 1, 12, 23 - n, tzinfo=UTC), EN],
            )
    monkeypatch.setattr(stage, "CHUNK", 3)  # newest first: a0-a2, a3-a5, a6-a8, a9-a11
    monkeypatch.setattr(stage, "tag_pending", _die_on_a4)
    tagged = run_entity_stage(settings)["entities_tagged"]
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        passed = {r[0] for r in con.execute("SELECT article_id FROM article_entity_passes")
                  .fetchall()}
    assert "a4" not in passed and len(passed) == tagged
    # Only the chunks in progress when the worker died (a4's and the one returned before
    # it) may lose articles, which get no pass row and wait for the next cycle; the chunks
    # after a4's were tagged by a fresh pool.
    assert {f"a{n}" for n in range(6, 12)} <= passed
    monkeypatch.setattr(stage, "tag_pending", tag_pending)
    assert run_entity_stage(settings)["entities_tagged"] == 12 - len(passed)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM article_entity_passes").fetchone()[0] == 12

