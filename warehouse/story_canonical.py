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
from typing import Any

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
    source_url: str | None = None
    canonical_url: str | None = None


SYNDICATION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("story_id", pa.string()), ("source_article_id", pa.string()),
    ("method", pa.string()), ("similarity", pa.float64()), ("agency", pa.string()),
    ("evidence", pa.string()), ("decided_at", pa.timestamp("us", tz="UTC")),
    ("source_url", pa.string()),
])
SYNDICATION_COLUMNS = ", ".join(SYNDICATION_SCHEMA.names)


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
                      a.discovered_at, s.source_url, a.canonical_url
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
    declared = {m.source_url for m in members if m.method == "canonical_link" and m.source_url}

    def rank(m: StoryMember) -> tuple[bool, bool, bool, bool, datetime, str]:
        when = m.published_at or m.discovered_at
        return (m.outlet_kind != "wire", m.canonical_url not in declared,
                m.outlet_id not in credited, m.method == "same_event", when, m.article_id)

    best = min(members, key=rank)
    if best.outlet_kind == "wire":
        return best, "the wire's own copy"
    if best.canonical_url in declared:
        return best, "the page the copies declare as rel=canonical"
    if best.outlet_id in credited:
        return best, "the outlet the copies credit"
    return best, "the earliest copy"


def _is_root(member: StoryMember) -> bool:
    """Rows that may stand as a story's canonical as they are: an original, or a copy whose
    declared source has not been fetched yet (its row keeps that evidence)."""
    return member.method == "original" or (
        member.method == "canonical_link" and member.source_article_id is None)


# Methods by which a new canonical matched the old one; the old one is then its copy by the
# same evidence. (An original or a same-event article says nothing about the old canonical.)
_COPY_OF_NEW = frozenset({"exact", "near_duplicate", "translation", "credit_only"})


def _take_over(
    members: list[StoryMember], new: StoryMember, reason: str, now: datetime,
    previous: str | None,
) -> list[StoryMember]:
    """Rows that change when `new` replaces the current original. The former canonical
    becomes its copy; any other original left by a merge is the same event, not a copy."""
    changed = []
    if new.method != "original" and not _is_root(new):
        changed.append(replace(new, method="original", source_article_id=None,
                               similarity=None, evidence=f"canonical: {reason}",
                               decided_at=now, source_url=None))
    for old in members:
        if old.method != "original" or old.article_id == new.article_id:
            continue
        if old.article_id == previous and new.method in _COPY_OF_NEW:
            changed.append(replace(
                old, method=new.method, source_article_id=new.article_id,
                similarity=new.similarity, decided_at=now, source_url=new.canonical_url,
                evidence=f"{new.method} of {new.article_id}, which became canonical ({reason})",
            ))
        else:
            changed.append(replace(
                old, method="same_event", source_article_id=None, source_url=None,
                decided_at=now, evidence=f"same event as {new.article_id} ({reason})"))
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
    previous = _current_canonicals(con, list(by_story))
    story_rows, changed_rows, takeovers = [], [], 0
    for story_id, members in by_story.items():
        canonical, reason = choose_canonical(members)
        before = previous.get(story_id)
        changed = _take_over(members, canonical, reason, now, before)
        takeovers += before is not None and before != canonical.article_id
        changed_rows += changed
        story_rows.append(_story_row(members, canonical, now))
    _replace_syndication(con, changed_rows)
    _replace_stories(con, story_rows)
    return takeovers


def _current_canonicals(con: duckdb.DuckDBPyConnection, story_ids: list[str]) -> dict[str, str]:
    con.register("canonical_of", pa.table({"story_id": pa.array(story_ids, pa.string())}))
    try:
        rows = con.execute(
            """SELECT story_id, any_value(canonical_article_id) FROM stories
               SEMI JOIN canonical_of c USING (story_id) GROUP BY story_id""").fetchall()
    finally:
        con.unregister("canonical_of")
    return dict(rows)


def _story_row(members: list[StoryMember], canonical: StoryMember, now: datetime) -> dict[str, Any]:
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
        con.execute(f"INSERT INTO syndication ({SYNDICATION_COLUMNS}) "
                    f"SELECT {SYNDICATION_COLUMNS} FROM changed_syndication")
    finally:
        con.unregister("changed_syndication")


_STORY_SCHEMA = pa.schema([
    ("story_id", pa.string()), ("canonical_article_id", pa.string()), ("title", pa.string()),
    ("first_seen_at", pa.timestamp("us", tz="UTC")), ("updated_at", pa.timestamp("us", tz="UTC")),
    ("article_count", pa.int32()), ("outlet_count", pa.int32()),
    ("languages", pa.list_(pa.string())), ("first_published_at", pa.timestamp("us", tz="UTC")),
    ("agencies", pa.list_(pa.string())), ("outlets", pa.list_(pa.string())),
])


def _replace_stories(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
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
