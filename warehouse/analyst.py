"""The analyst surface added to a published copy: a full-text index and table macros.

Both live only in the analyst copy: the live warehouse stays lean for the writer, and DuckLake
catalogs cannot hold an FTS index (analysts of a lake build one in their own session).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.analyst_index import build_search_index
from warehouse.analyst_search import create_search_macro, move_internal_tables
from warehouse.ducklake import extension_file

DEFAULT_SEARCH_DAYS = 7.0


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text extension from its PyPI package, never from the network."""
    con.execute("SET autoinstall_known_extensions = false")
    path = str(extension_file("fts")).replace("'", "''")
    con.execute(f"LOAD '{path}'")


def build_analyst_surface(path: Path, search_days: float = DEFAULT_SEARCH_DAYS) -> None:
    """Index recent titles and texts for BM25 search and create the documented macros.

    The full-text index covers the articles discovered in the last `search_days` days (none
    when 0): DuckDB's index cannot be updated, only rebuilt, and rebuilding it over every
    article at each publication would grow without bound (about 0.3 ms per article here:
    warehouse/analyst_index.py).
    """
    con = duckdb.connect(str(path))
    try:
        load_fts(con)
        move_internal_tables(con)
        if search_days > 0:
            _build_search_index(con, search_days)
        else:
            con.execute(_NO_SEARCH_MACRO)
        con.execute(resources.files("warehouse").joinpath("analyst.sql").read_text("utf-8"))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _build_search_index(con: duckdb.DuckDBPyConnection, search_days: float) -> None:
    build_search_index(con, search_days)
    create_search_macro(con)


# With the index switched off, the documented macro still exists and says why it is empty.
_NO_SEARCH_MACRO = """CREATE OR REPLACE MACRO search_articles(query) AS TABLE
    SELECT error('no full-text index: search_index_days is 0 for this warehouse; '
                 || 'search with ILIKE on articles.text instead') AS message"""
