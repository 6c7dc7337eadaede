"""The facts an alert message reports, read from the warehouse when the alert is sent.

Read at delivery rather than at enqueue: a story's reach grows as copies and translations
arrive, and an alert retried an hour later should say how many outlets carry it by then.
Why the story matched (topic, score, evidence) is frozen in the outbox row at enqueue.
The queries live in warehouse/alert_facts.py; this module turns their rows into messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb

from flows.alerts.message import MAX_ENTITIES, AlertMessage
from warehouse.alert_facts import StoryFacts, entity_names
from warehouse.alert_facts import load_story_facts as _load_story_facts
from warehouse.outbox import OutboxRow


def load_story_facts(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]
) -> dict[str, StoryFacts]:
    """Facts for each story that still exists, with as many entities as a message shows."""
    return _load_story_facts(con, story_ids, MAX_ENTITIES)


def readable_evidence(
    con: duckdb.DuckDBPyConnection, labels: Iterable[str]
) -> dict[str, str]:
    """Topic evidence labels as people read them: "term:x" -> "x", "entity:ID" -> its name."""
    labels = set(labels)
    ids = sorted({label.split(":", 1)[1] for label in labels if label.startswith("entity:")})
    names = entity_names(con, ids)
    readable: dict[str, str] = {}
    for label in labels:
        kind, _, value = label.partition(":")
        if kind == "entity" and value:
            readable[label] = names.get(value, value)
        elif kind == "term" and value:
            readable[label] = value
        else:
            readable[label] = label
    return readable


def build_message(
    row: OutboxRow, facts: StoryFacts | None, evidence: Mapping[str, str] | None = None
) -> AlertMessage:
    """The message for one outbox row; a story gone from the warehouse still alerts,
    with what the outbox row knows. `evidence` maps evidence labels to readable text."""
    evidence = evidence or {}
    if facts is None:
        facts = StoryFacts(
            headline=f"story {row.story_id} (no longer in the warehouse)",
            url=None,
            outlet=None,
            published_at=None,
        )
    return AlertMessage(
        alert_id=row.alert_id,
        rule_name=row.rule_name,
        story_id=row.story_id,
        headline=facts.headline,
        url=facts.url,
        outlet=facts.outlet,
        agencies=facts.agencies,
        outlet_count=facts.outlet_count,
        article_count=facts.article_count,
        languages=facts.languages,
        published_at=facts.published_at,
        topic=row.matched_topic,
        topic_score=row.matched_score,
        evidence=tuple(dict.fromkeys(evidence.get(e, e) for e in row.matched_evidence)),
        top_entities=facts.top_entities,
    )
