"""The facts an alert message reports, read from the warehouse when the alert is sent.

Read at delivery rather than at enqueue: a story's reach grows as copies and translations
arrive, and an alert retried an hour later should say how many outlets carry it by then.
Why the story matched (topic, score, evidence) is frozen in the outbox row at enqueue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from flows.alerts.message import MAX_ENTITIES, AlertMessage
from warehouse.outbox import OutboxRow


@dataclass(frozen=True)
class StoryFacts:
    headline: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    agencies: tuple[str, ...] = ()
    outlet_count: int = 0
    article_count: int = 0
    languages: tuple[str, ...] = ()
    top_entities: tuple[str, ...] = ()


_BASE_SQL = """
SELECT st.story_id,
       coalesce(a.title, st.title, a.feed_title, '(untitled story)'),
       a.canonical_url,
       (SELECT o.name FROM outlets o WHERE o.outlet_id = a.outlet_id
        ORDER BY o.updated_at DESC LIMIT 1),
       a.published_at
FROM stories st
LEFT JOIN articles a ON a.article_id = st.canonical_article_id
WHERE list_contains($ids::VARCHAR[], st.story_id)
-- One row per story even if a table holds a stale duplicate (no UNIQUE constraints).
QUALIFY row_number() OVER (PARTITION BY st.story_id
                           ORDER BY st.updated_at DESC, a.discovered_at) = 1
"""

_REACH_SQL = """
SELECT sy.story_id, count(DISTINCT a.outlet_id), count(DISTINCT a.article_id),
       list_sort(list_distinct(list(lower(a.language)) FILTER (WHERE a.language IS NOT NULL)))
FROM syndication sy JOIN articles a ON a.article_id = sy.article_id
WHERE list_contains($ids::VARCHAR[], sy.story_id)
GROUP BY sy.story_id
"""

# Credits found in the text name the agency; syndication.agency holds only its id, so that
# is the fallback (upper-cased: "efe" -> "EFE") when no credit line named it.
_AGENCIES_SQL = """
SELECT story_id, list_sort(list_distinct(list(name)))
FROM (
    SELECT sy.story_id, c.agency_name AS name
    FROM syndication sy JOIN article_credits c ON c.article_id = sy.article_id
    WHERE c.kind = 'credit' AND list_contains($ids::VARCHAR[], sy.story_id)
    UNION ALL
    SELECT sy.story_id,
           coalesce((SELECT any_value(c.agency_name) FROM article_credits c
                     WHERE c.agency_id = sy.agency), upper(sy.agency))
    FROM syndication sy
    WHERE sy.agency IS NOT NULL AND list_contains($ids::VARCHAR[], sy.story_id)
)
GROUP BY story_id
"""

# Entities ranked by how many of the story's articles mention them, then by mentions.
_ENTITIES_SQL = """
WITH counted AS (
    SELECT sy.story_id, ae.entity_id,
           coalesce(any_value(e.name), any_value(ae.surface)) AS name,
           count(DISTINCT ae.article_id) AS articles, count(*) AS mentions
    FROM syndication sy
    JOIN article_entities ae ON ae.article_id = sy.article_id
    LEFT JOIN entities e ON e.entity_id = ae.entity_id
    WHERE list_contains($ids::VARCHAR[], sy.story_id)
    GROUP BY sy.story_id, ae.entity_id
)
SELECT story_id, list(name ORDER BY articles DESC, mentions DESC, name)[1:$top]
FROM counted GROUP BY story_id
"""


def load_story_facts(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]
) -> dict[str, StoryFacts]:
    """Facts for each story that still exists; missing ones are simply absent."""
    ids = {"ids": sorted(set(story_ids))}
    if not ids["ids"]:
        return {}
    base = con.execute(_BASE_SQL, ids).fetchall()
    reach = {row[0]: row[1:] for row in con.execute(_REACH_SQL, ids).fetchall()}
    agencies = dict(con.execute(_AGENCIES_SQL, ids).fetchall())
    entities = dict(con.execute(_ENTITIES_SQL, {**ids, "top": MAX_ENTITIES}).fetchall())
    facts: dict[str, StoryFacts] = {}
    for story_id, headline, url, outlet, published_at in base:
        outlets, articles, languages = reach.get(story_id, (0, 0, []))
        facts[story_id] = StoryFacts(
            headline=headline,
            url=url,
            outlet=outlet,
            published_at=published_at,
            agencies=tuple(agencies.get(story_id) or ()),
            outlet_count=int(outlets),
            article_count=int(articles),
            languages=tuple(languages or ()),
            top_entities=tuple(entities.get(story_id) or ()),
        )
    return facts


def readable_evidence(
    con: duckdb.DuckDBPyConnection, labels: Iterable[str]
) -> dict[str, str]:
    """Topic evidence labels as people read them: "term:x" -> "x", "entity:ID" -> its name."""
    labels = set(labels)
    ids = sorted({label.split(":", 1)[1] for label in labels if label.startswith("entity:")})
    names: dict[str, str] = {}
    if ids:
        names = dict(
            con.execute(
                "SELECT entity_id, any_value(name) FROM entities "
                "WHERE list_contains($ids::VARCHAR[], entity_id) GROUP BY entity_id",
                {"ids": ids},
            ).fetchall()
        )
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
