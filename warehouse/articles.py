"""Articles: discovery lookups, pending rows, extraction results, rel=canonical merges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from warehouse import staging
from warehouse.rows import CandidateRow, PendingRow, ResultRow, TitleRow, to_table

# The article rows' schemas live with their records (warehouse/rows.py).
CANDIDATE_SCHEMA = CandidateRow.SCHEMA
PENDING_SCHEMA = PendingRow.SCHEMA
TITLE_SCHEMA = TitleRow.SCHEMA
RESULT_SCHEMA = ResultRow.SCHEMA
# Lookups by many ids or URLs go through a staged table and a semi join: list_contains(?, …)
# over a parameter list compares every row with every value (quadratic at thousands).
_KEY_SCHEMA = pa.schema([("key", pa.string())])

_DESCRIBE_PUBLISHED = frozenset({"published_utc_offset", "published_day"})


@dataclass(frozen=True, slots=True)
class KnownArticle:
    article_id: str
    feed_title: str | None
    matched_by: str  # canonical_url | guid
    same_guid: bool = False  # the same outlet's item under the same GUID (a re-titling can apply)


@dataclass(frozen=True, slots=True)
class RetryCandidate:
    article_id: str
    url: str
    outlet_id: str
    feed_url: str | None
    feed_title: str | None
    feed_summary: str | None
    published_at: datetime | None
    attempts: int


def site_of(column: str) -> str:
    """SQL for the site of a canonical URL column: its host without port and `www.`, the
    same rule as flows.loading's same-site test for adopting a rel=canonical."""
    return (f"regexp_extract({column}, '^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?(?:www[.])?"
            f"([^:/?#]+)', 1)")


def find_known(
    con: duckdb.DuckDBPyConnection, candidates: Sequence[CandidateRow]
) -> dict[int, KnownArticle]:
    """For each candidate (idx, canonical_url, outlet_id, guid): the article it already is.

    A URL match wins over a GUID match; GUIDs are only compared within one outlet because
    feeds reuse short GUIDs ("123") across publishers.
    """
    if not candidates:
        return {}
    # A page's rel=canonical makes its target known only within the same site: a cross-site
    # canonical (licensed wire copy pointing at the agency's page) says nothing about whether
    # the agency's own page was fetched, and treating it as known lost originals whose copy
    # happened to arrive first.
    same_site_canonical = (
        f"(a.page_canonical_url = s.canonical_url "
        f"AND {site_of('a.canonical_url')} = {site_of('s.canonical_url')})"
    )
    with staging.staged_table(con, to_table(candidates, CandidateRow)) as view:
        rows = con.execute(
            f"""
            SELECT s.idx, a.article_id, a.feed_title,
                   CASE WHEN a.canonical_url = s.canonical_url OR {same_site_canonical}
                        THEN 'canonical_url' ELSE 'guid' END AS matched_by,
                   coalesce(s.guid IS NOT NULL AND a.guid = s.guid
                            AND a.outlet_id = s.outlet_id, false) AS same_guid
            FROM {view} s JOIN articles a
              ON a.canonical_url = s.canonical_url
              OR {same_site_canonical}
              OR (s.guid IS NOT NULL AND a.guid = s.guid AND a.outlet_id = s.outlet_id)
            QUALIFY row_number() OVER (
                PARTITION BY s.idx ORDER BY (matched_by = 'canonical_url') DESC, a.discovered_at
            ) = 1
            """
        ).fetchall()
    return {idx: KnownArticle(aid, title, by, same) for idx, aid, title, by, same in rows}


def insert_pending(con: duckdb.DuckDBPyConnection, rows: Sequence[PendingRow]) -> int:
    """Write newly discovered items as pending, skipping ids already present (idempotent)."""
    if not rows:
        return 0
    cols = ", ".join(PENDING_SCHEMA.names)
    with staging.staged_table(con, to_table(rows, PendingRow)) as view:
        before = _article_count(con)
        con.execute(
            f"""INSERT INTO articles ({cols})
                SELECT {cols} FROM (
                    SELECT *, row_number() OVER (PARTITION BY article_id) AS n FROM {view}
                ) s
                WHERE s.n = 1
                  AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = s.article_id)"""
        )
        return _article_count(con) - before


def _article_count(con: duckdb.DuckDBPyConnection) -> int:
    (count,) = con.execute("SELECT count(*) FROM articles").fetchall()[0]
    return int(count)


def update_titles(con: duckdb.DuckDBPyConnection, rows: Sequence[TitleRow]) -> int:
    """A feed re-titled a known item: keep one article, carrying the new title."""
    return staging.update_records(con, "articles", "article_id", rows, TitleRow)


def retry_candidates(
    con: duckdb.DuckDBPyConnection, max_attempts: int, now: datetime, limit: int = 1000,
    outlet_condition: tuple[str, list[object]] = ("TRUE", []),
) -> list[RetryCandidate]:
    """Pending items (a crash or an interrupted cycle) and transient failures worth retrying,
    except those whose server asked (Retry-After) not to be asked again before a later time.
    `outlet_condition` (SQL on `outlet_id`, its parameters) keeps a shard to its outlets."""
    condition, condition_params = outlet_condition
    rows = con.execute(
        f"""SELECT article_id, url, outlet_id, feed_url, feed_title, feed_summary,
                  published_at, attempts
           FROM articles
           WHERE (status = 'pending' OR (status = 'failed' AND retryable))
             AND attempts < ?
             AND (retry_not_before IS NULL OR retry_not_before <= ?)
             AND ({condition})
           ORDER BY discovered_at LIMIT ?""",
        [max_attempts, now, *condition_params, limit],
    ).fetchall()
    return [RetryCandidate(*row) for row in rows]


def save_results(con: duckdb.DuckDBPyConnection, rows: Sequence[ResultRow]) -> int:
    """Write fetch/extraction outcomes. A value the page lacks keeps what the feed gave."""
    if not rows:
        return 0
    always = {"status", "reason", "retryable", "retry_not_before"}
    assignments = ", ".join(
        f"{c} = s.{c}" if c in always
        else f"{c} = CASE WHEN s.published_at IS NULL THEN articles.{c} ELSE s.{c} END"
        if c in _DESCRIBE_PUBLISHED  # they describe whichever published_at is kept
        else f"{c} = coalesce(s.{c}, articles.{c})"
        for c in RESULT_SCHEMA.names if c != "article_id"
    )
    with staging.staged_table(con, to_table(rows, ResultRow)) as view:
        con.execute(
            f"UPDATE articles SET {assignments} FROM {view} AS s "
            "WHERE articles.article_id = s.article_id"
        )
    return len(rows)


def current_canonicals(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str]
) -> dict[str, str]:
    """The canonical URL each of these articles has now."""
    if not ids:
        return {}
    with staging.staged_table(con, _keys(ids)) as view:
        rows = con.execute(
            f"SELECT article_id, canonical_url FROM articles a "
            f"SEMI JOIN {view} s ON s.key = a.article_id").fetchall()
    return dict(rows)


def canonical_owners(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, str]:
    """Which article already owns each canonical URL (earliest discovered wins)."""
    if not urls:
        return {}
    with staging.staged_table(con, _keys(urls)) as view:
        rows = con.execute(
            f"""SELECT canonical_url, arg_min(article_id, discovered_at)
                FROM articles a SEMI JOIN {view} s ON s.key = a.canonical_url
                WHERE status <> 'skipped'
                GROUP BY canonical_url"""
        ).fetchall()
    return dict(rows)


def _keys(values: Sequence[str]) -> pa.Table:
    return pa.table({"key": list(set(values))}, schema=_KEY_SCHEMA)
