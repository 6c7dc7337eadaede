"""`wirewatch demo`: the bundled sample outlets on 127.0.0.1, one full cycle, a summary."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from flows.render import as_table
from warehouse.connection import open_reader
from warehouse.overview import failed_feeds, landed_per_outlet, shared_stories

console = Console()
SHARED_STORIES_SHOWN = 10

DEMO_SETTINGS = {
    # The demo site runs on loopback, which the default policy refuses; allow it by name.
    "allowed_networks": ("127.0.0.0/8",),
    "per_host_delay_s": 0.0,
    "per_host_concurrency": 8,
    "contact": "demo@localhost",
}


@dataclass(frozen=True, slots=True)
class DemoServices:
    """The running demo site and alert inbox, and the settings that point a cycle at them."""

    site_url: str
    overrides: dict[str, Any]
    inbox: Any


@contextmanager
def demo_services(workdir: Path, fresh: bool = True) -> Iterator[DemoServices]:
    """Serve the demo outlets and a local alert inbox on 127.0.0.1 while inside."""
    from flows.demo import DemoSite
    from flows.demo.inbox import AlertInbox

    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "wirewatch.duckdb"
    if fresh:
        for leftover in workdir.glob("wirewatch*.duckdb*"):
            leftover.unlink()
    with DemoSite() as site, AlertInbox() as inbox:
        outlets_file = workdir / "outlets.toml"
        outlets_file.write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {**DEMO_SETTINGS, "db_path": str(db_path), "outlets_file": str(outlets_file)}
        # The default rule sends to WIREWATCH_ALERT_URLS; the demo points it at a local inbox.
        os.environ["WIREWATCH_ALERT_URLS"] = inbox.apprise_url
        yield DemoServices(site.base_url, overrides, inbox)


def run_demo(workdir: Path, fresh: bool = True) -> Path:
    """Run one cycle against the demo site and print what landed; returns the warehouse path."""
    from flows.ingest import ingest
    from flows.prefect_console import console_without_tracebacks
    from flows.serve import prefect_api

    with demo_services(workdir, fresh) as demo:
        console.print(f"demo site serving on {demo.site_url}; running one cycle…")
        with console.status("ingest cycle running (on a temporary local Prefect API)"), \
                prefect_api(log_path=workdir / "prefect-server.log", full_server=False), \
                console_without_tracebacks():
            summary = ingest(overrides=demo.overrides, force=True)
        received = demo.inbox.messages
    db_path = Path(demo.overrides["db_path"])
    print_demo_summary(db_path, summary)
    print_alerts(received)
    return db_path


def print_alerts(messages: list[dict]) -> None:
    rows = [(m.get("title", ""),) for m in messages]
    if rows:
        console.print(as_table(["alert"], rows, max_width=100,
                               title=f"Alerts received by the local inbox ({len(rows)})"))


def print_demo_summary(db_path: Path, summary) -> None:
    with open_reader(db_path) as con:
        per_outlet = landed_per_outlet(con)
        feeds = failed_feeds(con)
        stories = shared_stories(con, limit=SHARED_STORIES_SHOWN)
    console.print(as_table(["outlet", "lang", "kind", "extracted", "failed", "skipped"],
                           per_outlet, title="What landed"))
    if feeds:
        console.print(as_table(["failed feed", "status", "reason"], feeds,
                               title="Feeds that failed (recorded, cycle went on)"))
    if stories:
        console.print(as_table(["story", "articles", "outlets", "languages"], stories,
                               title="Stories carried by several outlets"))
    counts = summary.counts
    for url, status, _reason in feeds:
        console.print(f"feed {status}: {url}")
    console.print(
        f"run {summary.run_id}: {counts.get('items_new', 0)} new items, "
        f"{counts.get('articles_extracted', 0)} extracted, "
        f"{counts.get('alerts_enqueued', 0)} alerts queued → {db_path}\n"
        f"query it: wirewatch sql --db {db_path} \"SELECT title, language FROM articles\"\n"
        f"read the brief: {db_path.with_name(db_path.stem + '.brief.html')} (open it in a browser)"
    )
