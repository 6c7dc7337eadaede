"""What keeps the analyst copy usable from plain `duckdb.connect(path, read_only=True)`.

`search_articles()` is written in plain SQL over the full-text index's tables, so calling it
needs no extension: DuckDB's own `match_bm25` macro calls the fts extension's `stem()`, and
a plain connection would then try to download the extension (and fail offline). The score
is the same BM25 (k = 1.2, b = 0.75, base-10 log, as the extension computes it); the index is
still built with the extension, from its packaged file, at publication.

The tables only the pipeline uses (the story index, each outlet's recurring paragraphs, the
search documents) move to the `internal` schema, so `SHOW TABLES` lists what docs/analysts.md
documents and nothing else.
"""

from __future__ import annotations

import duckdb

INTERNAL_SCHEMA = "internal"
SEARCH_TABLE = f"{INTERNAL_SCHEMA}.search_documents"
FTS_SCHEMA = f"fts_{INTERNAL_SCHEMA}_search_documents"  # the extension names it so
# Pipeline tables an analyst never needs (name patterns for LIKE).
INTERNAL_TABLES = ("story_index%", "outlet_paragraphs")
# What the extension's tokenizer takes for a separator besides white space (digits and
# punctuation), as the body of a regular-expression class in a SQL string literal.
# Braces doubled: the templates below are filled with str.format.
_SEPARATORS = "0-9!@#$%^&*()_+={{}}\\[\\]:;<>,.?~\\\\/\\|''\"`"
# The extension's own tokenizer (lower case, accents folded, punctuation and digits split).
_TOKENS = ("string_split_regex(regexp_replace(lower(strip_accents(CAST({text} AS VARCHAR))), "
           "'[" + _SEPARATORS + "-]+', ' ', 'g'), '\\s+')")
# The same tokens in one pass (split at separators and white space alike), for the index
# build; empty strings at either end are dropped by the caller, as the extension does.
INDEX_TOKENS = ("string_split_regex(lower(strip_accents(CAST({text} AS VARCHAR))), '["
                + _SEPARATORS + "\\s-]+')")


def move_internal_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Move the pipeline's own tables of `main` into the internal schema; returns them."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {INTERNAL_SCHEMA}")
    patterns = " OR ".join("table_name LIKE ?" for _ in INTERNAL_TABLES)
    names = [row[0] for row in con.execute(
        f"SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND ({patterns})",
        list(INTERNAL_TABLES)).fetchall()]
    for name in names:
        # DuckDB cannot ALTER TABLE ... SET SCHEMA: copy, then drop.
        con.execute(f'CREATE TABLE {INTERNAL_SCHEMA}."{name}" AS FROM main."{name}"')
        con.execute(f'DROP TABLE main."{name}"')
    return names


def create_search_macro(con: duckdb.DuckDBPyConnection) -> None:
    """`search_articles(query)` as plain SQL over the index tables (no extension needed)."""
    tokens = _TOKENS.format(text="query")
    con.execute(f"""
        CREATE OR REPLACE MACRO search_articles(query) AS TABLE
        WITH tokens AS (
            SELECT DISTINCT unnest({tokens}) AS t
        ), term_tf AS (
            SELECT terms.termid, terms.docid, count(*) AS tf
            FROM {FTS_SCHEMA}.terms terms
            JOIN {FTS_SCHEMA}.dict dict ON dict.termid = terms.termid
            JOIN tokens ON dict.term = tokens.t
            GROUP BY terms.termid, terms.docid
        ), scores AS (
            SELECT docs.name AS article_id, sum(
                log(((SELECT num_docs FROM {FTS_SCHEMA}.stats) - dict.df + 0.5)
                    / (dict.df + 0.5) + 1)
                * ((tf * (1.2 + 1)) / (tf + 1.2 * ((1 - 0.75) + 0.75
                    * (docs.len / (SELECT avgdl FROM {FTS_SCHEMA}.stats)))))) AS score
            FROM term_tf
            JOIN {FTS_SCHEMA}.docs docs ON docs.docid = term_tf.docid
            JOIN {FTS_SCHEMA}.dict dict ON dict.termid = term_tf.termid
            GROUP BY docs.name
        )
        SELECT s.score, a.published_at, a.outlet_id, a.language, a.title, a.canonical_url,
               a.article_id
        FROM scores s JOIN articles a USING (article_id)
        ORDER BY s.score DESC""")
