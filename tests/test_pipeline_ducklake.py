"""One full cycle with the warehouse on a DuckLake catalog (SQLite) instead of a DuckDB file."""

from __future__ import annotations

import pytest

from flows.demo import DemoSite, expected_demo_facts
from flows.settings import load_settings
from warehouse.connection import open_reader

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


def test_cycle_lands_in_a_ducklake_catalog_and_reruns_change_nothing(prefect_harness, tmp_path):
    from flows.ingest import ingest

    with DemoSite(phase=3) as site:
        (tmp_path / "outlets.toml").write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": str(tmp_path / "unused.duckdb"),
                     "warehouse": f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}",
                     "outlets_file": str(tmp_path / "outlets.toml"),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8}
        first = ingest(overrides=overrides, force=True)
        second = ingest(overrides=overrides, force=True)
    target = load_settings(overrides=overrides, env={}).warehouse_target
    with open_reader(target) as con:
        extracted = con.execute(
            "SELECT count(*) FROM articles WHERE status = 'extracted'").fetchone()[0]
        assigned = con.execute("SELECT count(*) FROM syndication").fetchone()[0]
    assert extracted == len(expected_demo_facts(3).extractable)
    assert assigned == extracted
    assert first.counts["items_new"] > 0 and second.counts["items_new"] == 0
    assert not (tmp_path / "unused.duckdb").exists()  # nothing went to the file backend
