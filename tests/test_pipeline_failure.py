"""A cycle that fails part-way records why in `runs`; a killed one is marked by the next."""

from __future__ import annotations

import duckdb
import pytest

from flows.demo import DemoSite

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


def test_a_failing_cycle_records_its_error_and_the_next_one_lands_everything(
        prefect_harness, tmp_path):
    from flows.ingest import ingest

    db = tmp_path / "w.duckdb"
    with DemoSite(phase=1) as site:
        (tmp_path / "outlets.toml").write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": str(db), "outlets_file": str(tmp_path / "outlets.toml"),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     # spaCy is not installed: the cycle fails before fetching (terminal)
                     "ner": "spacy"}
        with pytest.raises(Exception, match=r"(?i)spacy"):
            ingest(overrides=overrides, force=True)
        con = duckdb.connect(str(db), read_only=True)
        try:
            status, error, finished = con.execute(
                "SELECT status, error, finished_at FROM runs").fetchone()
            pending = con.execute(
                "SELECT count(*) FROM articles WHERE status = 'pending'").fetchone()[0]
        finally:
            con.close()
        assert status == "failed" and "spacy" in error.lower() and finished is not None
        assert pending > 0  # discovered items wait for the next cycle, nothing lost
        summary = ingest(overrides={**overrides, "ner": "off"}, force=False)
    assert summary.counts["articles_extracted"] == pending - 1  # one page is a 404
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = [r[0] for r in con.execute(
            "SELECT status FROM runs ORDER BY started_at").fetchall()]
        left = con.execute("SELECT count(*) FROM articles WHERE status = 'pending'").fetchone()
    finally:
        con.close()
    assert statuses == ["failed", "ok"] and left == (0,)
