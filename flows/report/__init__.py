"""`wirewatch report`: a self-contained HTML brief of the news, with charts and a map.

- `brief_options(settings, since, topics)`: the window and topics, as the command reads them
- `collect(con, options)` (flows.report.build): every query, data only
- `render_html(data)` / `render_text(data)` (flows.report.page): the page, the text version
- `write_report(...)`: all of it into one file, atomically
- `write_brief_after_cycle(settings)`: the brief beside the analyst copy, after publishing
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows.files import write_atomically
from flows.report.build import BriefData, BriefOptions, collect
from flows.report.page import render_html, render_text
from flows.report.window import DEFAULT_SINCE, ReportWindowError, parse_since
from flows.settings import Settings
from warehouse.connection import open_reader
from warehouse.target import WarehouseTarget

__all__ = [
    "BriefData",
    "BriefOptions",
    "ReportWindowError",
    "Written",
    "brief_is_stale",
    "brief_options",
    "brief_path",
    "collect",
    "read_brief",
    "render_html",
    "render_text",
    "watched_topics",
    "write_brief_after_cycle",
    "write_report",
]


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    bytes: int
    stories: int


def watched_topics(settings: Settings) -> tuple[str, ...]:
    """The topics the alert rules watch, in rule order; () when no rule names one."""
    from flows.configured_lists import load_rules_for

    topics: list[str] = []
    for rule in load_rules_for(settings):
        if rule.topic and rule.topic not in topics:
            topics.append(rule.topic)
    return tuple(topics)


def brief_options(settings: Settings, since: str | None = None,
                  topics: tuple[str, ...] = (), now: datetime | None = None) -> BriefOptions:
    """The brief's window (`since` back from now) and topics (given, else the rules')."""
    now = now or datetime.now(UTC)
    start = parse_since(since or settings.brief_since or DEFAULT_SINCE, now)
    return BriefOptions(since=start, until=now, topics=topics or watched_topics(settings),
                        silent_feed_days=settings.silent_feed_days)


def brief_path(settings: Settings) -> Path:
    """`<db stem>.brief.html`, in the analyst copy's folder."""
    return settings.resolved_analyst_db_path.with_name(settings.db_path.stem + ".brief.html")


def readable_target(settings: Settings) -> WarehouseTarget:
    """The analyst copy when there is one (a lake is read directly), else the warehouse."""
    target = settings.warehouse_target
    analyst = settings.resolved_analyst_db_path
    if not target.is_lake and analyst.exists():
        return WarehouseTarget.parse("", analyst)
    return target


def read_brief(settings: Settings, options: BriefOptions) -> BriefData:
    with open_reader(readable_target(settings)) as con:
        return collect(con, options)


def write_report(settings: Settings, options: BriefOptions, output: Path) -> Written:
    """Query, render and write the brief; readers never see a half-written file."""
    data = read_brief(settings, options)
    size = write_atomically(output, render_html(data))
    return Written(output, size, data.story_total)


def write_brief_after_cycle(settings: Settings) -> Written | None:
    """The cycle's brief beside the analyst copy; None when switched off (brief_since = "")."""
    if not settings.brief_since:
        return None
    return write_report(settings, brief_options(settings), brief_path(settings))


BRIEF_REFRESH_S = 3600.0


def brief_is_stale(settings: Settings, now: float | None = None) -> bool:
    """True when the cycle's brief is missing or older than BRIEF_REFRESH_S."""
    if not settings.brief_since:
        return False
    try:
        written = brief_path(settings).stat().st_mtime
    except FileNotFoundError:
        return True
    return (time.time() if now is None else now) - written >= BRIEF_REFRESH_S
