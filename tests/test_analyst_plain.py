"""The analyst copy from a plain `duckdb.connect(path, read_only=True)`: offline, no extension
to load, and only documented tables in `main`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime

import duckdb

from warehouse import articles as arts
from warehouse.analyst import load_fts
from warehouse.connection import open_writer
from warehouse.publish import publish
from warehouse.rows import PendingRow

NOTEBOOK = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
hits = con.execute("SELECT article_id, score FROM search_articles('fentanilo Culiacan')").fetchall()
print(json.dumps({"tables": sorted(t for (t,) in tables), "hits": hits}))
"""


def test_search_works_from_a_plain_offline_connection_and_internal_tables_are_apart(tmp_path):
    db = tmp_path / "w.duckdb"
    now = datetime.now(UTC)
    texts = {"a1": "Decomisan fentanilo en Culiacán, Sinaloa.", "a2": "Fentanilo en la frontera.",
             "a3": "Steel tariffs talks resume."}
    with open_writer(db) as con:
        arts.insert_pending(con, [PendingRow(
            article_id=key, outlet_id="o1", url=f"https://n.example/{key}",
            canonical_url=f"https://n.example/{key}", status="pending", title=key,
            discovered_at=now, attempts=0) for key in texts])
        for key, text in texts.items():
            con.execute("UPDATE articles SET status = 'extracted', text = ? WHERE article_id = ?",
                        [text, key])
    analyst = tmp_path / "w.analyst.duckdb"
    publish(db, analyst)
    # A fresh HOME: no extension cached anywhere, and DuckDB may not download one.
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", NOTEBOOK, str(analyst)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [hit[0] for hit in result["hits"]] == ["a1", "a2"]
    internal = {"search_documents", "outlet_paragraphs", "story_index", "story_index_keys",
                "story_index_cues"}
    assert "articles" in result["tables"] and not internal & set(result["tables"])
    # The same BM25 scores as the extension's own macro.
    with closing(duckdb.connect(str(analyst), read_only=True)) as con:
        load_fts(con)
        reference = con.execute(
            "SELECT article_id, fts_internal_search_documents.match_bm25(article_id, "
            "'fentanilo Culiacan') AS s FROM internal.search_documents "
            "WHERE s IS NOT NULL ORDER BY s DESC").fetchall()
    assert [tuple(hit) for hit in result["hits"]] == reference
