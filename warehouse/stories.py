"""Story assignment: group a cycle's articles with earlier ones into stories.

Called by the pipeline inside the cycle's write transaction, after the cycle's `articles`
rows are written. Idempotent: articles that already have a syndication row are left alone,
and every write is an anti-join or a delete-then-insert keyed on article/story id, so no
PRIMARY KEY or UNIQUE constraint is needed (DuckLake has none).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from extractors.boilerplate import without_boilerplate
from extractors.credits import detect_credits, primary_credit
from extractors.fingerprints import Fingerprint, fingerprint_article, lead_text
from extractors.records import Credit
from extractors.story_sketch import candidate_keys, shingle_array
from warehouse import story_index, story_merge
from warehouse.staging import staged_table
from warehouse.story_canonical import SYNDICATION_COLUMNS, refresh_stories, syndication_table
from warehouse.story_decide import CycleCandidates, Decision, NewArticle, decide_all
from warehouse.story_sources import declared_source, wire_hosts

_UTC_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True, slots=True)
class StoryStats:
    """What one call did. `skipped` pairs each article not assigned with the reason."""

    considered: int = 0
    new_stories: int = 0
    joined: int = 0
    exact: int = 0
    near_duplicate: int = 0
    translation: int = 0
    credit_only: int = 0
    same_event: int = 0
    canonical_link: int = 0
    merged_stories: int = 0
    merged_into: tuple[str, ...] = ()  # surviving ids of this call's merges
    canonical_changes: int = 0
    credits_stored: int = 0
    already_assigned: int = 0
    skipped: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class _ArticleRow:
    article_id: str
    outlet_id: str
    title: str | None
    text: str | None
    language: str | None
    published_at: datetime | None
    discovered_at: datetime
    status: str
    canonical_url: str | None = None
    page_canonical_url: str | None = None


def story_id_for(article_id: str) -> str:
    """A story's id: derived from its first article, so re-running gives the same id."""
    return "st_" + hashlib.sha1(article_id.encode()).hexdigest()[:16]


def assign_stories(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    *,
    now: datetime,
    fingerprints: Mapping[str, Fingerprint] | None = None,
    credits: Mapping[str, Sequence[Credit]] | None = None,
) -> StoryStats:
    """Assign each of `article_ids` to a story; store its credits, syndication and index rows.

    `fingerprints` and `credits` (from `fingerprint_article` and `detect_credits`, computed
    ahead of time in worker processes) save recomputing them here; missing ones are computed.
    """
    rows, skipped, already = _load_articles(con, article_ids)
    if not rows:
        return StoryStats(skipped=tuple(skipped), already_assigned=already)
    articles = _prepare(con, rows, fingerprints or {}, credits or {})
    found = _lookup(con, articles)
    decisions, merges = decide_all(articles, found, story_id_for)
    credits_stored = _store_credits(con, articles)
    _store_decisions(con, decisions, now)
    survivors = story_merge.apply_merges(con, merges, now)
    story_merge.resolve_declared_sources(
        con, [(a.article_id, a.canonical_url) for a in articles if a.canonical_url])
    story_index.write_index(con, _index_rows(articles, now))
    touched = sorted({d.story_id for d in decisions} | set(survivors))
    canonical_changes = refresh_stories(con, touched, now)
    methods = Counter(d.method for d in decisions)
    return StoryStats(
        considered=len(articles),
        new_stories=len({d.story_id for d in decisions
                         if d.story_id == story_id_for(d.article_id)}),
        joined=len(decisions) - methods["original"],
        exact=methods["exact"],
        near_duplicate=methods["near_duplicate"],
        translation=methods["translation"],
        credit_only=methods["credit_only"],
        same_event=methods["same_event"],
        canonical_link=methods["canonical_link"],
        merged_stories=len(merges),
        merged_into=tuple(survivors),
        canonical_changes=canonical_changes,
        credits_stored=credits_stored,
        already_assigned=already,
        skipped=tuple(skipped),
    )


def _load_articles(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
) -> tuple[list[_ArticleRow], list[tuple[str, str]], int]:
    """The cycle's articles still to assign, in publication order, and why others are not."""
    wanted = list(dict.fromkeys(article_ids))
    with staged_table(con, pa.table({"article_id": pa.array(wanted, pa.string())})) as ids:
        found = con.execute(
            f"""SELECT a.article_id, a.outlet_id, a.title, a.text, a.language, a.published_at,
                      a.discovered_at, a.status, a.canonical_url, a.page_canonical_url,
                      EXISTS (SELECT 1 FROM syndication s WHERE s.article_id = a.article_id)
               FROM articles a SEMI JOIN {ids} w ON w.article_id = a.article_id
               QUALIFY row_number() OVER (PARTITION BY a.article_id
                                          ORDER BY a.discovered_at) = 1"""
        ).fetchall()
    by_id = {r[0]: r for r in found}
    rows, skipped, already = [], [], 0
    for article_id in wanted:
        row = by_id.get(article_id)
        if row is None:
            skipped.append((article_id, "not in articles"))
        elif row[10]:
            already += 1
        elif row[7] != "extracted" or not (row[3] or "").strip():
            skipped.append((article_id, f"no text to compare (status {row[7]})"))
        else:
            rows.append(_ArticleRow(*row[:10]))
    rows.sort(key=lambda r: (r.published_at or r.discovered_at, r.discovered_at, r.article_id))
    return rows, skipped, already


def _prepare(
    con: duckdb.DuckDBPyConnection,
    rows: list[_ArticleRow],
    fingerprints: Mapping[str, Fingerprint],
    known_credits: Mapping[str, Sequence[Credit]],
) -> list[NewArticle]:
    prints = {
        r.article_id: fingerprints.get(r.article_id)
        or fingerprint_article(r.text or "", r.title, r.language)
        for r in rows
    }
    boilerplate = story_index.record_paragraphs(con, [
        (r.outlet_id, h, r.article_id) for r in rows for h in prints[r.article_id].paragraph_hashes
    ])
    wires = wire_hosts(con)
    articles = []
    for r in rows:
        fp = prints[r.article_id]
        declared = declared_source(r.canonical_url, r.page_canonical_url)
        lead = lead_text(fp.title, [p for h, p in fp.lead_paragraphs if h not in boilerplate])
        unique, keys = _sketch(fp, boilerplate)
        known = known_credits.get(r.article_id)
        credits = (list(known) if known is not None
                   else detect_credits(r.text or "", r.title, r.language, wires.catalogue))
        articles.append(NewArticle(
            article_id=r.article_id, outlet_id=r.outlet_id, language=r.language,
            seen_at=r.published_at or r.discovered_at, fingerprint=fp, credits=credits,
            primary=primary_credit(credits), shingles=unique,
            keys=keys, lead=lead, canonical_url=r.canonical_url, declared_source=declared,
            declared_agency=wires.agency_for(declared) if declared else None,
            outlet_is_wire=r.outlet_id in wires.outlets,
        ))
    return articles


def _sketch(fp: Fingerprint, boilerplate: frozenset[int]) -> tuple[np.ndarray, list[int]]:
    """The article's shingle set and candidate keys: the worker's, unless boilerplate of its
    outlet had to be removed (then they are computed here from what is left).

    The ordered shingle list is built only then and not kept: as Python ints it held about
    40 bytes per shingle, 32 KB per 800-word article, for every article of the load at once
    (docs/benchmarks.md, "Memory at 5,000 pages")."""
    if fp.unique_shingles is not None and boilerplate.isdisjoint(fp.paragraph_hashes):
        return fp.unique_shingles, list(fp.keys)
    ordered = without_boilerplate(fp.paragraph_hashes, fp.paragraph_shingles, boilerplate)
    unique = shingle_array(ordered)
    return unique, candidate_keys(ordered, unique)


def _lookup(con: duckdb.DuckDBPyConnection, articles: list[NewArticle]) -> CycleCandidates:
    """All stored candidates for the cycle, found with three joins."""
    exact = story_index.exact_matches(con, [a.fingerprint.text_hash for a in articles])
    by_keys = story_index.key_candidates(
        con, [(pos, key) for pos, a in enumerate(articles) for key in a.keys])
    by_cues = story_index.cue_candidates(
        con, [(pos, cue, a.seen_at) for pos, a in enumerate(articles)
              for cue in a.fingerprint.cues])
    by_url = story_merge.articles_at(con, [a.declared_source for a in articles
                                           if a.declared_source])
    waiting = story_merge.waiting_copies(con, [a.canonical_url for a in articles
                                               if a.canonical_url])
    wanted = set(exact.values()) | set(by_url.values())
    wanted.update(i for ids in waiting.values() for i in ids)
    for lists in (by_keys, by_cues):
        wanted.update(article_id for pairs in lists.values() for article_id, _ in pairs)
    stored = story_index.load_stored(con, wanted)
    found = CycleCandidates(exact, by_keys, by_cues, stored, by_url, waiting)
    story_merge.with_story_ages(con, found)
    return found


_CREDIT_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("agency_id", pa.string()), ("agency_name", pa.string()),
    ("kind", pa.string()), ("evidence", pa.string()), ("start_offset", pa.int32()),
    ("end_offset", pa.int32()),
])


def credit_rows(article_id: str, credits: Sequence[Credit]) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, "agency_id": c.agency_id, "agency_name": c.agency_name,
         "kind": c.kind, "evidence": c.evidence, "start_offset": c.start, "end_offset": c.end}
        for c in credits
    ]


def _store_credits(con: duckdb.DuckDBPyConnection, articles: list[NewArticle]) -> int:
    rows = [row for a in articles for row in credit_rows(a.article_id, a.credits)]
    ids = pa.table({"article_id": pa.array([a.article_id for a in articles], pa.string())})
    credits = pa.Table.from_pylist(rows, schema=_CREDIT_SCHEMA)
    with staged_table(con, ids) as credited_ids, staged_table(con, credits) as new_credits:
        con.execute("DELETE FROM article_credits WHERE article_id IN "
                    f"(SELECT article_id FROM {credited_ids})")
        con.execute(f"INSERT INTO article_credits SELECT * FROM {new_credits}")
    return len(rows)


def _store_decisions(
    con: duckdb.DuckDBPyConnection, decisions: list[Decision], now: datetime
) -> None:
    table = pa.Table.from_pylist(
        [{"article_id": d.article_id, "story_id": d.story_id,
          "source_article_id": d.source_article_id, "method": d.method,
          "similarity": d.similarity, "agency": d.agency, "evidence": d.evidence,
          "decided_at": now, "source_url": d.source_url} for d in decisions],
        schema=syndication_table([]).schema,
    )
    columns = ", ".join("n." + c for c in SYNDICATION_COLUMNS.split(", "))
    with staged_table(con, table) as new_syndication:
        con.execute(f"""INSERT INTO syndication ({SYNDICATION_COLUMNS})
                        SELECT {columns} FROM {new_syndication} n
                        ANTI JOIN syndication s ON s.article_id = n.article_id""")


def _index_rows(articles: list[NewArticle], now: datetime) -> story_index.IndexRows:
    ids = [a.article_id for a in articles]
    index = pa.table({
        "article_id": pa.array(ids, pa.string()),
        "outlet_id": pa.array([a.outlet_id for a in articles], pa.string()),
        "language": pa.array([a.language for a in articles], pa.string()),
        "seen_at": pa.array([a.seen_at for a in articles], _UTC_TS),
        "text_hash": pa.array([a.fingerprint.text_hash for a in articles], pa.string()),
        "word_count": pa.array([a.fingerprint.word_count for a in articles], pa.int32()),
        "credited_agency": pa.array(
            [a.primary.agency_id if a.primary else None for a in articles], pa.string()),
        "shingles": pa.array([a.shingles for a in articles], pa.list_(pa.uint32())),
        "lead": pa.array([a.lead for a in articles], pa.string()),
        "indexed_at": pa.array([now] * len(articles), _UTC_TS),
    })
    key_owner = [a.article_id for a in articles for _ in a.keys]
    keys = pa.table({
        "article_id": pa.array(key_owner, pa.string()),
        "key": pa.array([k for a in articles for k in a.keys], pa.int64()),
    })
    cue_rows = [(a, cue) for a in articles for cue in sorted(a.fingerprint.cues)]
    cues = pa.table({
        "article_id": pa.array([a.article_id for a, _ in cue_rows], pa.string()),
        "cue": pa.array([c for _, c in cue_rows], pa.string()),
        "language": pa.array([a.language for a, _ in cue_rows], pa.string()),
        "seen_at": pa.array([a.seen_at for a, _ in cue_rows], _UTC_TS),
    })
    return story_index.IndexRows(index, keys, cues)


def list_recent_stories(
    con: duckdb.DuckDBPyConnection, limit: int = 20
) -> list[dict[str, Any]]:
    """The most recently first-seen stories with their copy counts, newest first."""
    cursor = con.execute(
        """SELECT s.story_id, s.title, s.canonical_article_id, c.outlet_id AS canonical_outlet,
                  s.first_seen_at, s.updated_at, s.article_count,
                  s.article_count - 1 AS copy_count, s.outlet_count, s.languages, s.agencies
           FROM stories s
           LEFT JOIN (SELECT article_id, any_value(outlet_id) AS outlet_id
                      FROM articles GROUP BY 1) c ON c.article_id = s.canonical_article_id
           ORDER BY s.first_seen_at DESC, s.story_id LIMIT ?""",
        [limit],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
