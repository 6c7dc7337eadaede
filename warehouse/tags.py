"""Store entity mentions, topic tags and canonical entities (DESIGN stage 7, tags part).

Called inside the cycle's single write transaction: no BEGIN/COMMIT here. Idempotent
without constraints: rows of the given articles (and of the entities they mention) are
deleted, then inserted in bulk from registered Arrow tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from extractors.entity_gazetteer import Entity, lookup_entity
from extractors.tagging import ArticleTags

_MENTIONS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("entity_id", pa.string()),
        ("type", pa.string()),
        ("surface", pa.string()),
        ("start_offset", pa.int32()),
        ("end_offset", pa.int32()),
        ("linked", pa.bool_()),
    ]
)
_TOPICS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("topic", pa.string()),
        ("score", pa.float64()),
        ("evidence", pa.list_(pa.string())),
    ]
)
_ENTITIES_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("linked", pa.bool_()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("country_name", pa.string()),
        ("admin1_name", pa.string()),
        ("categories", pa.list_(pa.string())),
        ("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)


def _mention_rows(tags: Mapping[str, ArticleTags]) -> pa.Table:
    rows = [
        {
            "article_id": article_id,
            "entity_id": m.entity_id,
            "type": m.type,
            "surface": m.surface,
            "start_offset": m.start,
            "end_offset": m.end,
            "linked": m.linked,
        }
        for article_id, article in tags.items()
        for m in article.mentions
    ]
    return pa.Table.from_pylist(rows, schema=_MENTIONS_SCHEMA)


def _topic_rows(tags: Mapping[str, ArticleTags]) -> pa.Table:
    rows = [
        {"article_id": article_id, "topic": t.topic, "score": t.score, "evidence": list(t.evidence)}
        for article_id, article in tags.items()
        for t in article.topics
    ]
    return pa.Table.from_pylist(rows, schema=_TOPICS_SCHEMA)


def _entity_row(
    canonical: Entity | None, mention_name: str, mention_type: str, now: datetime
) -> dict[str, Any]:
    if canonical is None:  # unlinked (NER; name = canonical surface) or no longer known
        return {"name": mention_name, "type": mention_type, "linked": False, "updated_at": now}
    return {
        "name": canonical.name,
        "type": canonical.type,
        "linked": True,
        "country": canonical.country,
        "admin1": canonical.admin1,
        "latitude": canonical.latitude,
        "longitude": canonical.longitude,
        "country_name": canonical.country_name,
        "admin1_name": canonical.admin1_name,
        "categories": list(canonical.categories),
        "updated_at": now,
    }


def _entity_rows(tags: Mapping[str, ArticleTags], extra_entities_path: Path | None) -> pa.Table:
    now = datetime.now(UTC)
    rows: dict[str, dict[str, Any]] = {}
    for article in tags.values():
        for m in article.mentions:
            if m.entity_id in rows:
                continue
            # Generated places resolve whatever layers the tagger used (entity_kb).
            canonical = lookup_entity(m.entity_id, extra_entities_path) if m.linked else None
            rows[m.entity_id] = {
                "entity_id": m.entity_id,
                **_entity_row(canonical, m.name, m.type, now),
            }
    return pa.Table.from_pylist(list(rows.values()), schema=_ENTITIES_SCHEMA)


def store_tags(
    con: duckdb.DuckDBPyConnection,
    tags: Mapping[str, ArticleTags],
    extra_entities_path: Path | None = None,
) -> None:
    """Replace the mentions and topics of these articles; upsert the entities they mention.

    `extra_entities_path` must be the tagger's own extra entities file so that the user's
    entities get their coordinates in `entities` too.
    """
    if not tags:
        return
    article_ids = pa.table({"article_id": pa.array(list(tags), pa.string())})
    mentions = _mention_rows(tags)
    topics = _topic_rows(tags)
    entities = _entity_rows(tags, extra_entities_path)
    staged = {
        "_tag_article_ids": article_ids,
        "_tag_mentions": mentions,
        "_tag_topics": topics,
        "_tag_entities": entities,
    }
    for name, table in staged.items():
        con.register(name, table)
    try:
        con.execute(
            "DELETE FROM article_entities WHERE article_id IN "
            "(SELECT article_id FROM _tag_article_ids)"
        )
        con.execute(
            "DELETE FROM article_topics WHERE article_id IN "
            "(SELECT article_id FROM _tag_article_ids)"
        )
        con.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _tag_entities)")
        con.execute(
            "INSERT INTO article_entities (article_id, entity_id, type, surface, start_offset, "
            "end_offset, linked) SELECT article_id, entity_id, type, surface, start_offset, "
            "end_offset, linked FROM _tag_mentions"
        )
        con.execute(
            "INSERT INTO article_topics (article_id, topic, score, evidence) "
            "SELECT article_id, topic, score, evidence FROM _tag_topics"
        )
        con.execute(
            "INSERT INTO entities (entity_id, name, type, linked, country, admin1, latitude, "
            "longitude, country_name, admin1_name, categories, updated_at) SELECT entity_id, "
            "name, type, linked, country, admin1, latitude, longitude, country_name, admin1_name, "
            "categories, updated_at FROM _tag_entities"
        )
    finally:
        for name in staged:
            con.unregister(name)
