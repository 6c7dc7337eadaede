"""The analyst surface added to a published copy: a full-text index and table macros.

Both live only in the analyst copy: the live warehouse stays lean for the writer, and DuckLake
catalogs cannot hold an FTS index (analysts of a lake build one in their own session).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.ducklake import extension_file


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text extension from its PyPI package, never from the network."""
    con.execute("SET autoinstall_known_extensions = false")
    path = str(extension_file("fts")).replace("'", "''")
    con.execute(f"LOAD '{path}'")


def build_analyst_surface(path: Path) -> None:
    """Index titles and texts for BM25 search and create the documented macros in `path`."""
    con = duckdb.connect(str(path))
    try:
        load_fts(con)
        # stemmer 'none': texts are Spanish and English; one language's stemmer would
        # mangle the other. Accents are folded so "Culiacan" finds "Culiacán".
        con.execute(
            "PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', "
            "stemmer = 'none', strip_accents = 1, lower = 1, overwrite = 1)"
        )
        con.execute(
            """CREATE OR REPLACE MACRO search_articles(query) AS TABLE
               SELECT score, a.published_at, a.outlet_id, a.language, a.title, a.canonical_url,
                      a.article_id
               FROM (SELECT *, fts_main_articles.match_bm25(article_id, query) AS score
                     FROM articles) a
               WHERE score IS NOT NULL ORDER BY score DESC"""
        )
        con.execute(resources.files("warehouse").joinpath("analyst.sql").read_text("utf-8"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
