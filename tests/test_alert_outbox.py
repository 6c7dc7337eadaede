"""The outbox: one row per (rule, story), however many copies and translations arrive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alert_warehouse import Newsroom

from flows.alerts.rules import AlertRule

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
TOPIC = "us_mexico_security"


def rule(name: str = "usmx", **changes: object) -> AlertRule:
    fields: dict[str, object] = {"name": name, "topic": TOPIC, "min_score": 0.5}
    fields.update(changes)
    return AlertRule(**fields)  # type: ignore[arg-type]


@pytest.fixture
def newsroom(tmp_path):
    room = Newsroom(tmp_path / "wh.duckdb")
    for outlet_id, name, language in [
        ("jornada", "La Jornada", "es"),
        ("milenio", "Milenio", "es"),
        ("apnews", "AP News", "en"),
        ("border", "Border Report", "en"),
        ("sports", "Sports Daily", "en"),
    ]:
        room.outlet(outlet_id, name, language, T0)
    return room


def first_story(room: Newsroom, at: datetime = T0) -> None:
    room.article("a1", "jornada", "EU y México acuerdan plan contra el tráfico de armas", "es", at)
    room.story("s1", "a1", "EU y México acuerdan plan contra el tráfico de armas", at)
    room.topic("a1", TOPIC, 0.8, ["tráfico de armas", "frontera"])


def add_copy(room: Newsroom, article_id: str, outlet_id: str, language: str, at: datetime,
             method: str = "exact") -> None:
    room.article(article_id, outlet_id, "copy", language, at)
    room.assign(article_id, "s1", method, at, source="a1")
    room.topic(article_id, TOPIC, 0.9, ["arms trafficking"])


def alert_rows(room: Newsroom) -> list[tuple]:
    return room.rows("SELECT rule_name, story_id, status FROM alerts ORDER BY rule_name, story_id")


def test_a_story_is_enqueued_once_while_copies_and_a_translation_join_it(newsroom):
    rules = [rule()]
    first_story(newsroom)
    assert newsroom.enqueue(rules, T0) == 1

    add_copy(newsroom, "a2", "milenio", "es", T0 + timedelta(minutes=5))
    assert newsroom.enqueue(rules, T0 + timedelta(minutes=5)) == 0

    add_copy(newsroom, "a3", "apnews", "en", T0 + timedelta(minutes=10), method="translation")
    assert newsroom.enqueue(rules, T0 + timedelta(minutes=10)) == 0

    assert alert_rows(newsroom) == [("usmx", "s1", "pending")]


def test_a_non_matching_story_is_not_enqueued(newsroom):
    newsroom.article("b1", "sports", "Final de la liga", "es", T0)
    newsroom.story("s9", "b1", "Final de la liga", T0)
    newsroom.topic("b1", "sports", 0.95, ["gol"])
    newsroom.article("b2", "border", "Weather at the border", "en", T0)
    newsroom.story("s8", "b2", "Weather at the border", T0)
    newsroom.topic("b2", TOPIC, 0.3, ["border"])  # below min_score

    assert newsroom.enqueue([rule()], T0) == 0
    assert alert_rows(newsroom) == []


def test_the_story_topic_is_the_best_score_of_its_articles(newsroom):
    newsroom.article("a1", "jornada", "Nota", "es", T0)
    newsroom.story("s1", "a1", "Nota", T0)
    newsroom.topic("a1", TOPIC, 0.3, ["frontera"])
    assert newsroom.enqueue([rule()], T0) == 0

    # A later, more explicit copy lifts the story over the threshold: it alerts now, once.
    add_copy(newsroom, "a2", "apnews", "en", T0 + timedelta(minutes=5), method="translation")
    assert newsroom.enqueue([rule()], T0 + timedelta(minutes=5)) == 1
    evidence = newsroom.rows("SELECT matched_score, matched_evidence FROM alerts")[0]
    assert evidence[0] == pytest.approx(0.9)
    assert evidence[1][0] == "arms trafficking"  # best-scoring article's evidence first
    assert "frontera" in evidence[1]


def test_trending_rule_fires_once_when_the_story_reaches_its_outlet_count(newsroom):
    trending = [rule("usmx-trending", min_outlets=3)]
    first_story(newsroom)
    assert newsroom.enqueue(trending, T0) == 0
    add_copy(newsroom, "a2", "milenio", "es", T0 + timedelta(minutes=5))
    add_copy(newsroom, "a2b", "milenio", "es", T0 + timedelta(minutes=6))  # same outlet again
    assert newsroom.enqueue(trending, T0 + timedelta(minutes=6)) == 0
    add_copy(newsroom, "a3", "apnews", "en", T0 + timedelta(minutes=10), method="translation")
    assert newsroom.enqueue(trending, T0 + timedelta(minutes=10)) == 1
    add_copy(newsroom, "a4", "border", "en", T0 + timedelta(minutes=15))
    assert newsroom.enqueue(trending, T0 + timedelta(minutes=15)) == 0
    assert newsroom.rows("SELECT outlet_count FROM alerts") == [(3,)]


def test_entity_language_and_outlet_conditions(newsroom):
    first_story(newsroom)
    newsroom.entity("a1", "Q_SEDENA", "Sedena")
    rules = [
        rule("by-entity", topic=None, entities=("Q_SEDENA", "Q_OTHER")),
        rule("wrong-entity", topic=None, entities=("Q_OTHER",)),
        rule("english-only", languages=("en",)),
        rule("from-apnews", outlets=("apnews",)),
        rule("from-jornada", outlets=("jornada",)),
    ]
    assert newsroom.enqueue(rules, T0) == 2
    assert alert_rows(newsroom) == [
        ("by-entity", "s1", "pending"),
        ("from-jornada", "s1", "pending"),
    ]
    assert newsroom.rows("SELECT matched_entities FROM alerts WHERE rule_name = 'by-entity'") == [
        (["Q_SEDENA"],)
    ]

    add_copy(newsroom, "a3", "apnews", "en", T0 + timedelta(minutes=10), method="translation")
    assert newsroom.enqueue(rules, T0 + timedelta(minutes=10)) == 2
    assert {r[0] for r in alert_rows(newsroom)} == {
        "by-entity", "from-jornada", "english-only", "from-apnews"
    }


def test_old_stories_do_not_alert_a_new_rule(newsroom):
    first_story(newsroom, at=T0 - timedelta(days=3))
    assert newsroom.enqueue([rule(max_story_age_hours=48)], T0) == 0
    assert newsroom.enqueue([rule(max_story_age_hours=100)], T0) == 1


def test_alert_ids_are_stable_and_digest_rows_wait_for_their_digest(newsroom):
    first_story(newsroom)
    newsroom.enqueue([rule("a"), rule("b", mode="digest")], T0)
    rows = dict(newsroom.rows("SELECT rule_name, alert_id FROM alerts"))
    assert rows["a"] != rows["b"]
    assert rows["a"].startswith("al_")
    assert newsroom.rows("SELECT rule_name, delivery_id FROM alerts ORDER BY rule_name") == [
        ("a", rows["a"]),
        ("b", None),
    ]

    other = Newsroom(newsroom.path.with_name("other.duckdb"))
    other.outlet("jornada", "La Jornada", "es", T0)
    first_story(other)
    other.enqueue([rule("a")], T0)
    # Same (rule, story), same id: the idempotency key does not depend on the database.
    assert other.rows("SELECT alert_id FROM alerts") == [(rows["a"],)]
