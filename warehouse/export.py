"""Exports of the article record (with story, syndication, entities, topics) to files."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.results import single_count

FORMATS = {"jsonl": "(FORMAT json)", "parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER)"}


def export_articles(
    con: duckdb.DuckDBPyConnection, output: Path, fmt: str, since: str | None = None
) -> int:
    """Write the `article_export` view to `output`; returns the number of articles written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    where = "WHERE discovered_at >= CAST(? AS DATE)" if since else ""
    params = [since] if since else []
    query = f"SELECT * FROM article_export {where} ORDER BY discovered_at, article_id"
    count = single_count(con.execute(f"SELECT count(*) FROM ({query})", params))
    output.parent.mkdir(parents=True, exist_ok=True)
    # COPY cannot take a bound parameter for the path, so the path is quoted as a literal.
    target = str(output).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{target}' {FORMATS[fmt]}", params)
    return count
