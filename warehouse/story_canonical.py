"""Keeping each touched story's row and canonical article right.

The canonical article is the original: the wire's own copy if the story has one, else the
article whose outlet the other copies credit, else the earliest. When a better original
arrives late it takes over: it becomes the `original` row and the former canonical becomes
its copy; the story keeps its id, so alerts and links keyed on it stay valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import pyarrow as pa

_FAR_FUTURE = datetime.max


@dataclass(frozen=True, slots=True)
class StoryMember:
    article_id: str
    story_id: str
    source_article_id: str | None
    method: str
    similarity: float | None
    agency: str | None
    evidence: str | None
    decided_at: datetime
    outlet_id: str
    outlet_kind: str
    title: str | None
    language: str | None
    published_at: datetime | None
    discovered_at: datetime


SYNDICATION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("story_id", pa.string()), ("source_article_id", pa.string()),
    ("method", pa.string()), ("similarity", pa.float64()), ("agency", pa.string()),
    ("evidence", pa.string()), ("decided_at", pa.timestamp("us", tz="UTC")),
])


def syndication_table(rows: Sequence[StoryMember]) -> pa.Table:
    return pa.Table.from_pylist(
        [{name: getattr(r, name) for name in SYNDICATION_SCHEMA.names} for r in rows],
        schema=SYNDICATION_SCHEMA,
    )


def _members(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> list[StoryMember]:
    con.register("touched_stories", pa.table({"story_id": pa.array(story_ids, pa.string())}))
    try:
        rows = con.execute(
            """SELECT s.article_id, s.story_id, s.source_article_id, s.method, s.similarity,
                      s.agency, s.evidence, s.decided_at, a.outlet_id,
                      coalesce(o.kind, 'outlet'), a.title, a.language, a.published_at,
                      a.discovered_at
               FROM syndication s SEMI JOIN touched_stories t ON t.story_id = s.story_id
               JOIN (SELECT * FROM articles
                     QUALIFY row_number() OVER (PARTITION BY article_id
                                                ORDER BY discovered_at) = 1) a
                 ON a.article_id = s.article_id
               LEFT JOIN (SELECT outlet_id, any_value(kind) AS kind FROM outlets GROUP BY 1) o
                 ON o.outlet_id = a.outlet_id"""
        ).fetchall()
    finally:
        con.unregister("touched_stories")
    return [StoryMember(*r) for r in rows]


def choose_canonical(members: Sequence[StoryMember]) -> tuple[StoryMember, str]:
    """The story's original and why it was chosen."""
    credited = {m.agency for m in members if m.agency}

    def rank(m: StoryMember) -> tuple:
        when = m.published_at or m.discovered_at
        return (m.outlet_kind != "wire", m.outlet_id not in credited, when, m.article_id)

    best = min(members, key=rank)
    if best.outlet_kind == "wire":
        return best, "the wire's own copy"
    if best.outlet_id in credited:
        return best, "the outlet the copies credit"
    return best, "the earliest copy"


def _take_over(
    members: list[StoryMember], new: StoryMember, reason: str, now: datetime
) -> list[StoryMember]:
    """Rows that change when `new` replaces the current original."""
    changed = [replace(new, method="original", source_article_id=None, similarity=None,
                       evidence=f"canonical: {reason}", decided_at=now)]
    for old in members:
        if old.method == "original" and old.article_id != new.article_id:
            changed.append(replace(
                old, method=new.method, source_article_id=new.article_id,
                similarity=new.similarity, decided_at=now,
                evidence=f"{new.method} of {new.article_id}, which became canonical ({reason})",
            ))
    return changed


def refresh_stories(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str], now: datetime
) -> int:
    """Recompute the rows of the touched stories; return how many changed canonical."""
    if not story_ids:
        return 0
    by_story: dict[str, list[StoryMember]] = defaultdict(list)
    for member in _members(con, story_ids):
        by_story[member.story_id].append(member)
    story_rows, changed_rows = [], []
    for members in by_story.values():
        canonical, reason = choose_canonical(members)
        if canonical.method != "original":
            changed_rows += _take_over(members, canonical, reason, now)
        story_rows.append(_story_row(members, canonical, now))
    _replace_syndication(con, changed_rows)
    _replace_stories(con, story_rows)
    return sum(1 for r in changed_rows if r.method == "original")


def _story_row(members: list[StoryMember], canonical: StoryMember, now: datetime) -> dict:
    published = [m.published_at for m in members if m.published_at]
    return {
        "story_id": canonical.story_id,
        "canonical_article_id": canonical.article_id,
        "title": canonical.title,
        "first_seen_at": min(m.discovered_at for m in members),
        "updated_at": now,
        "article_count": len(members),
        "outlet_count": len({m.outlet_id for m in members}),
        "languages": sorted({m.language for m in members if m.language}),
        "first_published_at": min(published) if published else None,
        "agencies": sorted({m.agency for m in members if m.agency}),
        "outlets": sorted({m.outlet_id for m in members}),
    }


def _replace_syndication(con: duckdb.DuckDBPyConnection, rows: list[StoryMember]) -> None:
    if not rows:
        return
    con.register("changed_syndication", syndication_table(rows))
    try:
        con.execute("DELETE FROM syndication WHERE article_id IN "
                    "(SELECT article_id FROM changed_syndication)")
        con.execute("INSERT INTO syndication SELECT * FROM changed_syndication")
    finally:
        con.unregister("changed_syndication")


_STORY_SCHEMA = pa.schema([
    ("story_id", pa.string()), ("canonical_article_id", pa.string()), ("title", pa.string()),
    ("first_seen_at", pa.timestamp("us", tz="UTC")), ("updated_at", pa.timestamp("us", tz="UTC")),
    ("article_count", pa.int32()), ("outlet_count", pa.int32()),
    ("languages", pa.list_(pa.string())), ("first_published_at", pa.timestamp("us", tz="UTC")),
    ("agencies", pa.list_(pa.string())), ("outlets", pa.list_(pa.string())),
])


def _replace_stories(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    con.register("new_stories", pa.Table.from_pylist(rows, schema=_STORY_SCHEMA))
    try:
        con.execute("DELETE FROM stories WHERE story_id IN (SELECT story_id FROM new_stories)")
        con.execute(
            """INSERT INTO stories (story_id, canonical_article_id, title, first_seen_at,
                   updated_at, article_count, outlet_count, languages, first_published_at,
                   agencies, outlets)
               SELECT * FROM new_stories"""
        )
    finally:
        con.unregister("new_stories")
