"""The `runs` record counts what the load decided, not what extraction produced.

A real Prefect flow run against a real HTTP server on 127.0.0.1: the feed lists two pages,
and the second's rel=canonical names the first (same site), so the load lands the second as
`skipped` (a duplicate). The run's counts must match what landed in `articles`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import FaultHandler, FaultServer, running_fault_server, send

pytestmark = [pytest.mark.prefect]


def _page(title: str, canonical: str) -> bytes:
    words = " ".join(f"detail{i}" for i in range(60))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><link rel='canonical' href='{canonical}'></head><body>"
            f"<article><h1>{title}</h1><p>The council voted on Tuesday to widen the harbour "
            f"road. {words}.</p><p>Work starts in spring and ends before the winter storms. "
            f"{words}.</p></article></body></html>").encode()


def _routes() -> dict[str, Callable[[FaultHandler], None]]:
    def feed(handler: FaultHandler) -> None:
        base = handler.base_url
        items = "".join(
            f"<item><title>Harbour road {n}</title><link>{base}{path}</link>"
            f"<guid>{path}</guid><pubDate>Mon, 06 Jan 2025 10:00:00 GMT</pubDate></item>"
            for n, path in enumerate(["/news/harbour", "/amp/news/harbour"]))
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Counts</title><link>{base}/</link>{items}</channel></rss>")
        send(handler, 200, body.encode(), "application/rss+xml")

    def original(handler: FaultHandler) -> None:
        send(handler, 200, _page("Harbour road", f"{handler.base_url}/news/harbour"))

    def amp_copy(handler: FaultHandler) -> None:
        # The same story under another URL of the same site, pointing at the original.
        send(handler, 200, _page("Harbour road", f"{handler.base_url}/news/harbour"))

    return {"/feed.xml": feed, "/news/harbour": original, "/amp/news/harbour": amp_copy}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[FaultServer, dict[str, object]]]:
    with running_fault_server(_routes()) as server:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(
            f'[[outlets]]\nid = "counts"\nname = "Counts"\nhomepage = "{server.url("/")}"\n'
            f'language = "en"\ncountry = "US"\nkind = "outlet"\n'
            f'feeds = [{json.dumps(server.url("/feed.xml"))}]\n', encoding="utf-8")
        overrides = {"db_path": str(tmp_path / "w.duckdb"), "outlets_file": str(outlets),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "publish_analyst_copy": False}
        yield server, overrides


def test_run_counts_match_what_landed_after_a_canonical_duplicate(prefect_harness, site):
    from flows.ingest import ingest

    _server, overrides = site
    summary = ingest(overrides=overrides, force=True)
    con = duckdb.connect(overrides["db_path"], read_only=True)
    try:
        landed = dict(con.execute(
            "SELECT status, count(*) FROM articles GROUP BY status").fetchall())
        reasons = [r for (r,) in con.execute(
            "SELECT reason FROM articles WHERE status = 'skipped'").fetchall()]
        run = con.execute(
            "SELECT items_new, pages_fetched, articles_extracted, articles_failed, "
            "articles_skipped FROM runs WHERE run_id = ?", [summary.run_id]).fetchone()
    finally:
        con.close()
    # The copy was merged into the original: one extracted, one skipped as a duplicate.
    assert landed == {"extracted": 1, "skipped": 1}
    assert len(reasons) == 1 and "rel=canonical" in reasons[0]
    assert run == (2, 2, landed["extracted"], 0, landed["skipped"])
    # The flow's own summary says the same as the record it wrote.
    assert (summary.counts["articles_extracted"], summary.counts["articles_failed"],
            summary.counts["articles_skipped"]) == run[2:]
