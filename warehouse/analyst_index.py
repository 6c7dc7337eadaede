"""The analyst copy's full-text index, filled by SQL of our own into the extension's tables.

`PRAGMA create_fts_index` runs on the empty search table only: it makes the index schema,
its stopword list, its fields and its `match_bm25` macro. The documents, terms, dictionary
and statistics are then filled here with the extension's rules (its tokens, its stopwords,
stemmer 'none', a document's length counted over title and text), as `search_articles`
and `match_bm25` read them. The extension builds them with row-numbering windows and
updates that run on one core: 2.4 s against 1.4 s here for 5,000 farm articles
(docs/benchmarks.md, "Figures"), at every publication that landed something. What a query
can see is the same: the same documents, lengths, statistics, and for each term the same
string, document frequency and postings; only the integer ids of terms may be numbered in
another order (tests/test_analyst_index.py builds both ways and compares).
"""

from __future__ import annotations

import duckdb

from warehouse.analyst_search import FTS_SCHEMA, INDEX_TOKENS, SEARCH_TABLE

# The indexed fields, in the order the extension numbers them.
FIELDS = ("title", "text")


def build_search_index(con: duckdb.DuckDBPyConnection, search_days: float) -> None:
    """Index the titles and texts of the articles discovered in the last `search_days` days."""
    con.execute(f"CREATE OR REPLACE TABLE {SEARCH_TABLE} AS "
                "SELECT article_id, title, text FROM articles WHERE false")
    # stemmer 'none': texts are Spanish and English; one language's stemmer would
    # mangle the other. Accents are folded so "Culiacan" finds "Culiacán".
    con.execute(
        f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'article_id', {_quoted_fields()}, "
        "stemmer = 'none', strip_accents = 1, lower = 1, overwrite = 1)"
    )
    con.execute(
        f"""INSERT INTO {SEARCH_TABLE}
           SELECT article_id, title, text FROM articles
           WHERE status = 'extracted' AND text IS NOT NULL
             AND discovered_at >= now() - to_microseconds(CAST(? * 86400e6 AS BIGINT))""",
        [search_days],
    )
    try:
        for statement in _FILL:
            con.execute(statement)
    finally:
        con.execute("DROP TABLE IF EXISTS temp.search_build_terms")
        con.execute("DROP TABLE IF EXISTS temp.search_build_dict")


def _quoted_fields() -> str:
    return ", ".join(f"'{field}'" for field in FIELDS)


def _tokenized() -> str:
    """(docid, fieldid, w): every token of every field; docid is the row's id, as the
    extension numbers documents."""
    return "\nUNION ALL\n".join(
        f"SELECT rowid AS docid, {n}::BIGINT AS fieldid, "
        f"unnest({INDEX_TOKENS.format(text=field)}) AS w FROM {SEARCH_TABLE}"
        for n, field in enumerate(FIELDS)
    )


_FILL = (
    # Each kept token once per occurrence: empty strings and stopwords are not terms.
    f"""CREATE TEMP TABLE search_build_terms AS
        WITH tokenized AS ({_tokenized()})
        SELECT w AS term, docid, fieldid FROM tokenized
        WHERE w IS NOT NULL AND len(w) > 0
          AND w NOT IN (SELECT sw FROM {FTS_SCHEMA}.stopwords)""",
    # Term ids in the order terms first occur (by document, then field), ties by term.
    f"""CREATE TEMP TABLE search_build_dict AS
        SELECT row_number() OVER (ORDER BY first_seen, term) - 1 AS termid, term
        FROM (SELECT term, min(docid * {len(FIELDS)} + fieldid) AS first_seen
              FROM temp.search_build_terms GROUP BY term)""",
    f"""CREATE OR REPLACE TABLE {FTS_SCHEMA}.terms AS
        SELECT t.docid, t.fieldid, d.termid
        FROM temp.search_build_terms t JOIN temp.search_build_dict d USING (term)""",
    f"""CREATE OR REPLACE TABLE {FTS_SCHEMA}.docs AS
        SELECT s.rowid AS docid, s.article_id AS name, coalesce(l.len, 0)::BIGINT AS len
        FROM {SEARCH_TABLE} s
        LEFT JOIN (SELECT docid, count(*) AS len FROM temp.search_build_terms GROUP BY docid) l
          ON l.docid = s.rowid
        ORDER BY s.rowid""",
    f"""CREATE OR REPLACE TABLE {FTS_SCHEMA}.dict AS
        SELECT d.termid, d.term, f.df
        FROM temp.search_build_dict d
        JOIN (SELECT termid, count(DISTINCT docid)::BIGINT AS df
              FROM {FTS_SCHEMA}.terms GROUP BY termid) f USING (termid)
        ORDER BY d.termid""",
    f"""CREATE OR REPLACE TABLE {FTS_SCHEMA}.stats AS
        SELECT count(docid)::BIGINT AS num_docs, sum(len) / count(len) AS avgdl
        FROM {FTS_SCHEMA}.docs""",
)
