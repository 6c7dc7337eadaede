"""The persistent story index: what earlier articles looked like, queried in place.

Each cycle registers its few hundred articles' keys as Arrow tables and joins them against
the stored index (hash joins in DuckDB), so a restart costs nothing but opening the file.
Writes are anti-joined on article_id: re-running a cycle adds nothing twice, without
relying on PRIMARY KEY or UNIQUE constraints (not available on DuckLake).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from extractors.boilerplate import recurring_paragraphs
from warehouse.staging import staged_table
from warehouse.story_model import Member

# A candidate key shared by more stored articles than this says nothing (a stock phrase).
MAX_KEY_POSTINGS = 200
MAX_KEY_CANDIDATES = 12
TRANSLATION_WINDOW_HOURS = 48
MIN_SHARED_CUES = 2
MAX_CUE_CANDIDATES = 8


def record_paragraphs(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int, str]]
) -> frozenset[int]:
    """Store (outlet, paragraph, article) rows; return the cycle's paragraphs that are
    boilerplate: recurring across the articles of some outlet.

    The cycle's own rows are stored first, so a paragraph recurring within this cycle counts.
    Any outlet's furniture is dropped from every article, so an outlet quoting another's
    furniture (or a teaser made only of it) is not taken for a copy of that outlet's stories.
    """
    outlets, hashes, articles = zip(*rows, strict=True) if rows else ((), (), ())
    batch = pa.table({
        "outlet_id": pa.array(outlets, pa.string()),
        "paragraph_hash": pa.array(hashes, pa.int64()),
        "article_id": pa.array(articles, pa.string()),
    })
    with staged_table(con, batch) as batch_paragraphs:
        con.execute(
            f"""INSERT INTO outlet_paragraphs
               SELECT DISTINCT b.outlet_id, b.paragraph_hash, b.article_id
               FROM {batch_paragraphs} b
               ANTI JOIN outlet_paragraphs p
                 ON p.outlet_id = b.outlet_id AND p.paragraph_hash = b.paragraph_hash
                AND p.article_id = b.article_id"""
        )
        counts = con.execute(
            f"""SELECT p.outlet_id, p.paragraph_hash, count(DISTINCT p.article_id)
               FROM outlet_paragraphs p
               SEMI JOIN (SELECT DISTINCT paragraph_hash FROM {batch_paragraphs}) b
                 ON p.paragraph_hash = b.paragraph_hash
               GROUP BY ALL"""
        ).fetchall()
    per_outlet: dict[str, dict[int, int]] = defaultdict(dict)
    for outlet_id, paragraph, count in counts:
        per_outlet[outlet_id][paragraph] = count
    return frozenset().union(*(recurring_paragraphs(c) for c in per_outlet.values()))


def exact_matches(con: duckdb.DuckDBPyConnection, text_hashes: Sequence[str]) -> dict[str, str]:
    """text_hash -> the earliest stored article with that normalised text."""
    hashes = pa.table({"text_hash": pa.array(text_hashes, pa.string())})
    with staged_table(con, hashes) as batch_hashes:
        rows = con.execute(
            f"""SELECT i.text_hash, arg_min(i.article_id, i.seen_at)
               FROM story_index i SEMI JOIN {batch_hashes} b ON b.text_hash = i.text_hash
               WHERE i.word_count > 0 GROUP BY ALL"""
        ).fetchall()
    return dict(rows)


def key_candidates(
    con: duckdb.DuckDBPyConnection, keys: Sequence[tuple[int, int]]
) -> dict[int, list[tuple[str, int]]]:
    """(batch position, key) pairs -> per position, stored articles sharing the most keys."""
    if not keys:
        return {}
    positions, values = zip(*keys, strict=True)
    batch = pa.table({"pos": pa.array(positions, pa.int32()), "key": pa.array(values, pa.int64())})
    with staged_table(con, batch) as batch_keys:
        rows = con.execute(
            f"""WITH postings AS (
                   SELECT k.key, k.article_id FROM story_index_keys k
                   SEMI JOIN (SELECT DISTINCT key FROM {batch_keys}) b ON b.key = k.key),
                 useful AS (
                   SELECT key FROM postings GROUP BY key
                   HAVING count(*) <= {MAX_KEY_POSTINGS})
               SELECT b.pos, p.article_id, count(*) AS shared
               FROM {batch_keys} b JOIN postings p ON p.key = b.key
               SEMI JOIN useful u ON u.key = b.key
               GROUP BY b.pos, p.article_id
               QUALIFY row_number() OVER (PARTITION BY b.pos ORDER BY shared DESC,
                                          p.article_id) <= {MAX_KEY_CANDIDATES}"""
        ).fetchall()
    return _group(rows)


def cue_candidates(
    con: duckdb.DuckDBPyConnection, cues: Sequence[tuple[int, str, datetime]]
) -> dict[int, list[tuple[str, int]]]:
    """(position, cue, seen_at) -> stored articles in the window sharing enough cues."""
    if not cues:
        return {}
    positions, values, times = zip(*cues, strict=True)
    batch = pa.table({
        "pos": pa.array(positions, pa.int32()),
        "cue": pa.array(values, pa.string()),
        "seen_at": pa.array(times, pa.timestamp("us", tz="UTC")),
    })
    with staged_table(con, batch) as batch_cues:
        rows = con.execute(
            f"""SELECT b.pos, c.article_id, count(*) AS shared
               FROM {batch_cues} b JOIN story_index_cues c ON c.cue = b.cue
               WHERE c.seen_at BETWEEN b.seen_at - INTERVAL {TRANSLATION_WINDOW_HOURS} HOUR
                                   AND b.seen_at + INTERVAL {TRANSLATION_WINDOW_HOURS} HOUR
               GROUP BY b.pos, c.article_id HAVING count(*) >= {MIN_SHARED_CUES}
               QUALIFY row_number() OVER (PARTITION BY b.pos ORDER BY shared DESC,
                                          c.article_id) <= {MAX_CUE_CANDIDATES * 3}"""
        ).fetchall()
    return _group(rows)


def _group(rows: list[tuple[int, str, int]]) -> dict[int, list[tuple[str, int]]]:
    grouped: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for pos, article_id, shared in rows:
        grouped[pos].append((article_id, shared))
    return dict(grouped)


def load_stored(
    con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]
) -> dict[str, Member]:
    """Already assigned articles, as far as matching needs them: the same record matching
    builds for the cycle's own articles, so the two kinds compare without a copy."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    with staged_table(con, pa.table({"article_id": pa.array(ids, pa.string())})) as wanted_ids:
        rows = con.execute(
            f"""SELECT i.article_id, s.story_id, s.method, i.outlet_id, i.language, i.seen_at,
                      i.credited_agency, i.shingles, i.lead,
                      (SELECT list(c.cue) FROM story_index_cues c
                       WHERE c.article_id = i.article_id),
                      (SELECT any_value(a.canonical_url) FROM articles a
                       WHERE a.article_id = i.article_id)
               FROM story_index i SEMI JOIN {wanted_ids} w ON w.article_id = i.article_id
               JOIN syndication s ON s.article_id = i.article_id"""
        ).fetchall()
    return {
        r[0]: Member(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                     np.asarray(r[7], dtype=np.uint32), r[8] or "",
                     frozenset(r[9] or ()), r[10])
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class IndexRows:
    """Rows to add to the index for a cycle, column by column."""

    articles: pa.Table
    keys: pa.Table
    cues: pa.Table


def write_index(con: duckdb.DuckDBPyConnection, rows: IndexRows) -> None:
    """Add a cycle's rows; articles already indexed are skipped (keys and cues first, since
    the anti-join looks at story_index, which is written last)."""
    for table, target in (
        (rows.keys, "story_index_keys"),
        (rows.cues, "story_index_cues"),
        (rows.articles, "story_index"),
    ):
        with staged_table(con, table) as new_rows:
            con.execute(
                f"""INSERT INTO {target} SELECT n.* FROM {new_rows} n
                    ANTI JOIN story_index i ON i.article_id = n.article_id"""
            )
