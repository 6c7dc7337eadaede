"""The cycle hands the extraction workers' linker findings to the entities stage.

The stage reuses them only when they were made from the very text, title and language it
reads back from the warehouse (extractors/entities.py, `Links`); if the load stored anything
else, the reuse would silently stop. The stages run as plain functions here, on the demo
site on 127.0.0.1 and a real DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

from extractors.entities import links_digest
from extractors.ner.model import MODEL_LANGUAGES
from flows import ingest
from flows.configured_lists import load_rules_for
from flows.cycle_types import CycleContext, writer
from flows.demo import DemoSite
from flows.pages import MIN_PARALLEL
from flows.settings import load_settings
from warehouse.entity_passes import pending_articles


def test_every_article_waiting_for_the_model_has_links_from_its_extraction(
    tmp_path: Path,
) -> None:
    with DemoSite(phase=1) as site:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        settings = load_settings(overrides={
            "db_path": str(tmp_path / "w.duckdb"), "outlets_file": str(outlets),
            "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
            "extract_workers": 2})  # pages go through worker processes and back
        ctx = CycleContext.new(settings)
        due = ingest.plan_task.fn(ctx, True)
        discovered = ingest.discover_task.fn(ctx, ingest.poll_task.fn(ctx, due))
        assert len(discovered.items) >= MIN_PARALLEL  # so the pages go to worker processes
        results, outcomes = ingest.fetch_extract_task.fn(ctx, discovered.items)
        ingest.load_task.fn(ctx, discovered.items, results, outcomes, load_rules_for(settings),
                            discovered.counts, {})
    links = ingest.extraction_links(outcomes)
    with writer(settings) as con:
        pending = pending_articles(con, MODEL_LANGUAGES, 10_000)
    assert len(pending) >= 10
    for article in pending:
        language = (article.language or "").split("-")[0].lower() or None
        assert links[article.article_id].digest == links_digest(
            article.text, article.title, language), article.article_id
    assert sum(bool(links[a.article_id].text) for a in pending) >= len(pending) // 2
