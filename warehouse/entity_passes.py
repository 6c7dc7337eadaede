"""The entities stage's bookkeeping: which articles still wait for the NER model.

Runs inside the caller's write transaction (no BEGIN/COMMIT here), so an article's new
mentions (warehouse/tags.py) and its pass row commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from warehouse.staging import staged_table


@dataclass(frozen=True, slots=True)
class PendingArticle:
    article_id: str
    text: str
    title: str | None
    language: str | None


def pending_articles(
    con: duckdb.DuckDBPyConnection, languages: Sequence[str], limit: int,
    outlet_condition: tuple[str, list[object]] = ("TRUE", []),
) -> list[PendingArticle]:
    """Extracted articles in `languages` the model has not tagged yet, newest first.
    `outlet_condition` (SQL on `outlet_id`, its parameters) keeps a shard to its own outlets,
    so two workers never tag the same article."""
    condition, condition_params = outlet_condition
    rows = con.execute(
        "SELECT article_id, text, title, language FROM articles "
        "WHERE status = 'extracted' AND text IS NOT NULL "
        "AND list_contains(?::VARCHAR[], split_part(lower(language), '-', 1)) "
        "AND article_id NOT IN (SELECT article_id FROM article_entity_passes) "
        f"AND {condition} "
        "ORDER BY discovered_at DESC NULLS LAST, article_id LIMIT ?",
        [list(languages), *condition_params, limit],
    ).fetchall()
    return [PendingArticle(*row) for row in rows]


def record_passes(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], model: str, now: datetime
) -> None:
    """Mark these articles as tagged by `model` (replacing any earlier mark)."""
    if not article_ids:
        return
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    with staged_table(con, ids) as passed:
        con.execute("DELETE FROM article_entity_passes WHERE article_id IN "
                    f"(SELECT article_id FROM {passed})")
        con.execute("INSERT INTO article_entity_passes (article_id, model, tagged_at) "
                    f"SELECT article_id, $model, $now FROM {passed}",
                    {"model": model, "now": now})
