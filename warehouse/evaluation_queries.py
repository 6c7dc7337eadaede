"""What the evaluations read from and write to their own scratch warehouses.

The story evaluation loads a labelled set straight into `outlets` and `articles` and runs
assignment cycle by cycle; the provenance suite reads back what a real ingest stored. Rows
are named tuples so the scoring code can name their fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

import duckdb
import pyarrow as pa

from warehouse.staging import staged_table
from warehouse.stories import assign_stories

_OUTLET_COLUMNS = "outlet_id, name, language, kind, updated_at"
_ARTICLE_COLUMNS = ("article_id, outlet_id, url, canonical_url, status, title, text, language, "
                    "published_at, discovered_at")


class Assignment(NamedTuple):
    """An article's syndication row, as far as the story evaluation scores it."""

    story_id: str
    method: str
    agency: str | None


class LandedArticle(NamedTuple):
    """A stored article with its syndication row (all None when it was not assigned)."""

    canonical_url: str | None
    article_id: str
    status: str
    story_id: str | None
    source_article_id: str | None
    method: str | None
    agency: str | None


def insert_labelled(
    con: duckdb.DuckDBPyConnection,
    outlets: Sequence[Mapping[str, object]],
    articles: Sequence[Mapping[str, object]],
) -> None:
    """Store a labelled set's outlets and articles as they are (no extraction)."""
    for table, columns, rows in (("outlets", _OUTLET_COLUMNS, outlets),
                                 ("articles", _ARTICLE_COLUMNS, articles)):
        with staged_table(con, pa.Table.from_pylist(list(rows))) as staged:
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staged}")


def assign_cycle(con: duckdb.DuckDBPyConnection, article_ids: list[str], now: datetime) -> None:
    """Assign one cycle's articles to stories in its own transaction, as ingest does."""
    con.execute("BEGIN TRANSACTION")
    assign_stories(con, article_ids, now=now)
    con.execute("COMMIT")


def assignments(con: duckdb.DuckDBPyConnection) -> dict[str, Assignment]:
    """article_id -> its story, method and agency."""
    rows = con.execute("SELECT article_id, story_id, method, agency FROM syndication").fetchall()
    return {row[0]: Assignment(*row[1:]) for row in rows}


def story_canonicals(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """story_id -> its canonical article."""
    return dict(con.execute("SELECT story_id, canonical_article_id FROM stories").fetchall())


def landed_articles(con: duckdb.DuckDBPyConnection) -> list[LandedArticle]:
    """Every stored article row with its syndication row, if any."""
    rows = con.execute(
        """SELECT a.canonical_url, a.article_id, a.status, s.story_id, s.source_article_id,
                  s.method, s.agency
           FROM articles a LEFT JOIN syndication s USING (article_id)""").fetchall()
    return [LandedArticle(*row) for row in rows]


def merged_story_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many story ids were absorbed into another by a merge."""
    row = con.execute("SELECT count(*) FROM story_aliases").fetchone()
    return int(row[0]) if row else 0


def alert_stories(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """alert_id -> the story it announced, followed through any merge."""
    rows = con.execute(
        """SELECT al.alert_id, coalesce(l.story_id, al.story_id) FROM alerts al
           LEFT JOIN story_lookup l ON l.any_story_id = al.story_id""").fetchall()
    return dict(rows)
