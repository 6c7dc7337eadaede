"""A real migrated DuckDB file and the rows earlier stages would write, for alert tests.

Rows are inserted directly, the way the story, entity and topic stages write them, so a
test can play several ingest cycles: a story appears, copies and translations join it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from datetime import datetime
from pathlib import Path

import duckdb

from flows.alerts.rules import AlertRule
from warehouse.migrate import migrate
from warehouse.outbox import enqueue_alerts


class Newsroom:
    """Writes outlets, articles, stories and tags into a warehouse file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self.connect() as con:
            migrate(con)

    def connect(self) -> closing[duckdb.DuckDBPyConnection]:
        return closing(duckdb.connect(str(self.path)))

    def outlet(self, outlet_id: str, name: str, language: str, at: datetime) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO outlets (outlet_id, name, language, kind, updated_at) "
                "VALUES (?, ?, ?, 'outlet', ?)",
                [outlet_id, name, language, at],
            )

    def article(
        self, article_id: str, outlet_id: str, title: str, language: str, at: datetime
    ) -> None:
        url = f"https://{outlet_id}.example/{article_id}"
        with self.connect() as con:
            con.execute(
                "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, title, "
                "language, published_at, discovered_at) "
                "VALUES (?, ?, ?, ?, 'extracted', ?, ?, ?, ?)",
                [article_id, outlet_id, url, url, title, language, at, at],
            )

    def story(self, story_id: str, canonical_article_id: str, title: str, at: datetime) -> None:
        """A new story with its original article (which must exist)."""
        with self.connect() as con:
            con.execute(
                "INSERT INTO stories (story_id, canonical_article_id, title, first_seen_at, "
                "updated_at, article_count, outlet_count, languages) "
                "VALUES (?, ?, ?, ?, ?, 0, 0, [])",
                [story_id, canonical_article_id, title, at, at],
            )
        self.assign(canonical_article_id, story_id, "original", at)

    def assign(
        self,
        article_id: str,
        story_id: str,
        method: str,
        at: datetime,
        *,
        source: str | None = None,
        agency: str | None = None,
    ) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO syndication (article_id, story_id, source_article_id, method, "
                "agency, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, story_id, source, method, agency, at],
            )

    def topic(self, article_id: str, topic: str, score: float, evidence: Sequence[str]) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO article_topics (article_id, topic, score, evidence) "
                "VALUES (?, ?, ?, ?)",
                [article_id, topic, score, list(evidence)],
            )

    def entity(self, article_id: str, entity_id: str, name: str, mentions: int = 1) -> None:
        with self.connect() as con:
            known = con.execute(
                "SELECT count(*) FROM entities WHERE entity_id = ?", [entity_id]
            ).fetchone()
            if known is not None and known[0] == 0:
                con.execute(
                    "INSERT INTO entities (entity_id, name, type, linked) "
                    "VALUES (?, ?, 'ORG', true)",
                    [entity_id, name],
                )
            for offset in range(mentions):
                con.execute(
                    "INSERT INTO article_entities (article_id, entity_id, type, surface, "
                    "start_offset, end_offset) VALUES (?, ?, 'ORG', ?, ?, ?)",
                    [article_id, entity_id, name, offset * 100, offset * 100 + len(name)],
                )

    def credit(self, article_id: str, agency_id: str, agency_name: str) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO article_credits (article_id, agency_id, agency_name, kind) "
                "VALUES (?, ?, ?, 'credit')",
                [article_id, agency_id, agency_name],
            )

    def enqueue(self, rules: Sequence[AlertRule], now: datetime) -> int:
        """What the cycle does after assigning stories, in one write transaction."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            inserted = enqueue_alerts(con, rules, now=now)
            con.execute("COMMIT")
            return inserted

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self.connect() as con:
            return con.execute(sql, list(params)).fetchall()
