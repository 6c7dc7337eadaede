"""The search index filled by warehouse/analyst_index.py holds what the extension's own
`PRAGMA create_fts_index` would: built both ways over the same rows and compared, term ids
aside (only their numbering may differ; queries join on them)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from warehouse.analyst import load_fts
from warehouse.analyst_index import FIELDS, build_search_index
from warehouse.analyst_search import FTS_SCHEMA, SEARCH_TABLE, create_search_macro
from warehouse.connection import open_writer

# Words and marks the tokenizer treats differently: accents, capitals, digits, each
# separator of its class, apostrophes inside and outside it, white space of several kinds,
# stopwords, single letters, CJK, symbols it keeps.
PIECES = (
    "Culiacán", "SHEINBAUM", "Ñandú", "Müller", "São", "fentanilo", "cartel", "Sinaloa",
    "the", "and", "of", "a", "x", "U.S.", "EE.UU.", "e-mail", "don't", "it’s", "l'Équipe",
    "2024", "1,200", "22/05/2000", "$5", "50%", "#hashtag", "@user", "a&b", "(dice)",
    "[nota]", "{json}", "x+y=z", "¿Qué?", "¡Ya!", "«cita»", "“quoted”", "—", "…", "~tilde",
    "back\\slash", "pipe|bar", "semi;colon", "co:lon", "<tag>", "under_score", "`tick`",
    "北京", "東京都", "🙂", "naïve", "coöperate", "İstanbul", "ǅ", "ﬁnal",
)
SPACES = (" ", "  ", "\t", "\n", "\r\n", "\u00a0", " - ", ", ", ". ")


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(SPACES) for _ in range(words))


def _articles(tmp_path: Path, rows: list[tuple[str, str | None, str, datetime]]) -> Path:
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        for article_id, title, text, discovered in rows:
            con.execute(
                "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
                "discovered_at, title, text) VALUES (?, 'o', ?, ?, 'extracted', ?, ?, ?)",
                [article_id, f"http://x/{article_id}", f"http://x/{article_id}", discovered,
                 title, text])
    return db


def _index(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The index as queries see it: term ids replaced by their terms."""
    read = {
        "docs": "SELECT docid, name, len FROM {s}.docs",
        "stats": "SELECT num_docs, avgdl FROM {s}.stats",
        "dict": "SELECT term, df FROM {s}.dict",
        "terms": "SELECT t.docid, t.fieldid, d.term FROM {s}.terms t JOIN {s}.dict d "
                 "USING (termid)",
        "fields": "SELECT fieldid, field FROM {s}.fields",
        "stopwords": "SELECT sw FROM {s}.stopwords",
    }
    return {name: con.execute(sql.format(s=FTS_SCHEMA) + " ORDER BY ALL").fetchall()
            for name, sql in read.items()}


def _both_ways(db: Path, days: float) -> tuple[dict[str, list[tuple]], dict[str, list[tuple]]]:
    con = duckdb.connect(str(db))
    try:
        load_fts(con)
        con.execute("CREATE SCHEMA IF NOT EXISTS internal")
        build_search_index(con, days)
        ours = _index(con)
        fields = ", ".join(f"'{f}'" for f in FIELDS)
        con.execute(f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'article_id', {fields}, "
                    "stemmer = 'none', strip_accents = 1, lower = 1, overwrite = 1)")
        return ours, _index(con)
    finally:
        con.close()


def test_the_index_holds_what_the_extension_would_build(tmp_path: Path) -> None:
    rng = random.Random(11)
    now = datetime.now(UTC)
    rows: list[tuple[str, str | None, str, datetime]] = [
        (f"a{n:03d}", rng.choice((None, "", _text(rng, 6))), _text(rng, rng.randint(1, 120)),
         now - timedelta(hours=n))
        for n in range(240)
    ]
    rows += [("stopwords-only", "The", "the and of a x", now),
             ("outside-window", "Culiacán", "fentanilo en Culiacán", now - timedelta(days=40))]
    ours, extension = _both_ways(_articles(tmp_path, rows), days=30)
    assert ours == extension
    assert len(ours["docs"]) == 241 and len(ours["terms"]) > 5_000
    assert ("stopwords-only" in {d[1] for d in ours["docs"]}
            and "outside-window" not in {d[1] for d in ours["docs"]})
    assert {"culiacan", "nandu", "北京", "equipe", "it’s"} <= {term for term, _ in ours["dict"]}


def test_an_empty_window_gives_the_extension_s_empty_index(tmp_path: Path) -> None:
    db = _articles(tmp_path, [("old", "Título", "Texto viejo", datetime.now(UTC)
                                 - timedelta(days=90))])
    ours, extension = _both_ways(db, days=7)
    assert ours == extension and ours["docs"] == [] and ours["dict"] == []


def test_search_over_the_index_finds_folded_words(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    db = _articles(tmp_path, [("mx", "Operativo", "Decomisan fentanilo en Culiacán.", now),
                              ("us", None, "Steel tariffs talks resume.", now)])
    con = duckdb.connect(str(db))
    try:
        load_fts(con)
        con.execute("CREATE SCHEMA IF NOT EXISTS internal")
        build_search_index(con, 7)
        create_search_macro(con)
        hits = con.execute("SELECT article_id FROM search_articles('culiacan')").fetchall()
        assert hits == [("mx",)]
    finally:
        con.close()


@pytest.mark.parametrize("separator", list(",.;:!?()[]{}<>/\\|'\"`~@#$%^&*_+=-0123456789"))
def test_every_separator_of_the_extension_splits_words(tmp_path: Path, separator: str) -> None:
    db = _articles(tmp_path, [("s", None, f"alfa{separator}beta gamma", datetime.now(UTC))])
    ours, extension = _both_ways(db, days=7)
    assert ours == extension
    assert {term for term, _ in ours["dict"]} == {"alfa", "beta", "gamma"}
