"""The nightly `maintenance` flow: feed health report, pruning, checkpoint, digests, publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.cycle import writer
from flows.cycle_lock import cycle_lock
from flows.settings import Settings, load_settings
from warehouse.compaction import compact
from warehouse.feed_health import FeedHealth, feed_health, prune_polls
from warehouse.publish import publish


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    unhealthy: list[FeedHealth]
    polls_pruned: int
    digests_sent: int


@flow(name="maintenance")
def maintenance(config_path: str | None = None,
                overrides: dict[str, Any] | None = None) -> MaintenanceReport:
    settings = load_settings(Path(config_path) if config_path else None, overrides=overrides)
    report = run_maintenance(settings)
    _publish(report)
    return report


def run_maintenance(settings: Settings, now: datetime | None = None) -> MaintenanceReport:
    now = now or datetime.now(UTC)
    with cycle_lock(settings.db_path, wait_s=settings.lock_timeout_s):
        with writer(settings) as con:
            unhealthy = feed_health(con, now, timedelta(days=settings.silent_feed_days))
            pruned = prune_polls(con, now - timedelta(days=settings.poll_retention_days))
        compact(settings.warehouse_target, wait_s=settings.lock_timeout_s)
        digests = _flush_digests(settings, now)
        if settings.publish_analyst_copy:
            publish(settings.warehouse_target, settings.resolved_analyst_db_path,
                    wait_s=settings.lock_timeout_s,
                    search_days=settings.search_index_days)
    return MaintenanceReport(unhealthy, pruned, digests)


def _flush_digests(settings: Settings, now: datetime) -> int:
    from flows.alert_delivery import flush_due_digests

    return flush_due_digests(settings, now)


def _publish(report: MaintenanceReport) -> None:
    lines = ["# Feed health", "", "| feed | outlet | problem | detail |", "|---|---|---|---|"]
    lines += [f"| {h.feed_url} | {h.outlet_id} | {h.problem} | {h.detail} |"
              for h in report.unhealthy]
    lines += ["", f"Poll records pruned: {report.polls_pruned}",
              f"Digests sent: {report.digests_sent}"]
    create_markdown_artifact(key="feed-health", markdown="\n".join(lines))
    get_run_logger().info("maintenance: %d unhealthy feeds, %d polls pruned",
                          len(report.unhealthy), report.polls_pruned)
