"""The facts an alert message reports about its story, read from the warehouse.

flows/alerts reads them at delivery rather than at enqueue: a story's reach grows as copies
and translations arrive, and an alert retried an hour later should say how many outlets
carry it by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class StoryFacts:
    """What an alert says about its story, as the warehouse has it now."""

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
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str], max_entities: int
) -> dict[str, StoryFacts]:
    """Facts for each story that still exists; missing ones are simply absent. At most
    `max_entities` names are kept per story (the message decides how many it shows)."""
    ids = {"ids": sorted(set(story_ids))}
    if not ids["ids"]:
        return {}
    base = con.execute(_BASE_SQL, ids).fetchall()
    reach = {row[0]: row[1:] for row in con.execute(_REACH_SQL, ids).fetchall()}
    agencies = dict(con.execute(_AGENCIES_SQL, ids).fetchall())
    entities = dict(con.execute(_ENTITIES_SQL, {**ids, "top": max_entities}).fetchall())
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


def entity_names(con: duckdb.DuckDBPyConnection, entity_ids: Sequence[str]) -> dict[str, str]:
    """entity_id -> its stored name, for the ids that are stored."""
    if not entity_ids:
        return {}
    rows = con.execute(
        "SELECT entity_id, any_value(name) FROM entities "
        "WHERE list_contains($ids::VARCHAR[], entity_id) GROUP BY entity_id",
        {"ids": sorted(set(entity_ids))},
    ).fetchall()
    return dict(rows)
