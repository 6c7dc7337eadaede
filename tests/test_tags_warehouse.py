"""store_tags against a real DuckDB file: bulk, idempotent, views."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extractors.records import EntityMention, TopicTag
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from warehouse.migrate import migrate
from warehouse.tags import store_tags

TEXT_ES = (
    "La presidenta Sheinbaum habló con Trump sobre el cártel de Sinaloa, el fentanilo y la "
    "seguridad en la frontera con Estados Unidos."
)


@pytest.fixture()
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(connection)
    now = datetime(2026, 1, 12, 15, tzinfo=UTC)
    for article_id, outlet in (("a1", "cuba"), ("a2", "efe")):
        connection.execute(
            "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
            "discovered_at, published_at, text) VALUES (?, ?, ?, ?, 'extracted', ?, ?, ?)",
            [
                article_id,
                outlet,
                f"http://x/{article_id}",
                f"http://x/{article_id}",
                now,
                now,
                TEXT_ES,
            ],
        )
        connection.execute(
            "INSERT INTO syndication (article_id, story_id, method, decided_at) "
            "VALUES (?, 's1', 'original', ?)",
            [article_id, now],
        )
    yield connection
    connection.close()


def _tags() -> dict[str, ArticleTags]:
    first = tag_article(TEXT_ES, None, "es", TaggerConfig(ner="off"))
    unlinked = EntityMention(
        "unlinked:PERSON:ana-perez", "Ana Pérez", "PERSON", "Ana", 0, 3, linked=False
    )
    second = ArticleTags(
        mentions=(unlinked,),
        topics=(TopicTag("us_mexico_security", 0.9, ("term:cartel*",)),),
    )
    return {"a1": first, "a2": second}


def _counts(con) -> tuple[int, int, int]:
    return tuple(
        con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("article_entities", "article_topics", "entities")
    )


def test_store_is_idempotent_and_upserts_entities(con) -> None:
    tags = _tags()
    con.execute("BEGIN")
    store_tags(con, tags)
    con.execute("COMMIT")
    first = _counts(con)
    store_tags(con, tags)
    assert _counts(con) == first
    assert first[0] == len(tags["a1"].mentions) + 1
    rows = dict(con.execute("SELECT entity_id, linked FROM entities").fetchall())
    assert rows["unlinked:PERSON:ana-perez"] is False
    assert rows["ww:sinaloa-cartel"] is True and "ww:mx-sinaloa" not in rows
    categories = con.execute(
        "SELECT categories FROM entities WHERE entity_id = 'ww:sinaloa-cartel'"
    ).fetchone()[0]
    assert categories == ["criminal_org"]


def test_restoring_one_article_replaces_only_its_rows(con) -> None:
    store_tags(con, _tags())
    store_tags(con, {"a2": ArticleTags(mentions=(), topics=())})
    per_article = dict(
        con.execute("SELECT article_id, count(*) FROM article_entities GROUP BY 1").fetchall()
    )
    assert "a2" not in per_article and per_article["a1"] > 0


def test_views_give_coordinates_story_topics_and_daily_volume(con) -> None:
    store_tags(con, _tags())
    sheinbaum = con.execute(
        "SELECT outlet_id, surface, start_offset, country, latitude FROM entity_mentions "
        "WHERE entity_id = 'ww:claudia-sheinbaum'"
    ).fetchone()
    assert sheinbaum[:4] == ("cuba", "Sheinbaum", TEXT_ES.index("Sheinbaum"), "MX")
    assert sheinbaum[4] is None  # a person has no coordinates
    cartel_text = con.execute(
        "SELECT e.latitude, e.admin1_name FROM entity_mentions e "
        "WHERE e.entity_id = 'ww:sinaloa-cartel'"
    ).fetchone()
    assert cartel_text == (None, None)
    story = con.execute(
        "SELECT score, articles FROM story_topics WHERE story_id = 's1' "
        "AND topic = 'us_mexico_security'"
    ).fetchone()
    best = max(t.score for t in _tags()["a1"].topics if t.topic == "us_mexico_security")
    assert story == (max(best, 0.9), 2)
    volume = con.execute(
        "SELECT day, articles, stories FROM topic_volume_daily WHERE topic = 'us_mexico_security'"
    ).fetchone()
    assert str(volume[0]) == "2026-01-12" and volume[1:] == (2, 1)


def test_place_mentions_carry_coordinates(con) -> None:
    text = "Balacera en Culiacán."
    store_tags(con, {"a1": tag_article(text, None, "es", TaggerConfig(ner="off"))})
    row = con.execute(
        "SELECT admin1, admin1_name, country_name, round(latitude), round(longitude) "
        "FROM entity_mentions WHERE entity_id = 'ww:mx-culiacan'"
    ).fetchone()
    assert row == ("MX-SIN", "Sinaloa", "Mexico", 25.0, -107.0)


def test_empty_input_writes_nothing(con) -> None:
    store_tags(con, {})
    assert _counts(con) == (0, 0, 0)
