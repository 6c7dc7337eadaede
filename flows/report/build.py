"""What one brief holds, read from a warehouse connection: data only, no markup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from flows.report.places import Located, is_country, locate
from flows.report.window import bucket_for
from warehouse import report_queries as q

GROUP_ORDER = ("people", "organisations", "places")
MAP_POINTS = 80  # the most mentioned places get a dot; beyond that a map is only noise
PLACE_ROWS = 100


@dataclass(frozen=True, slots=True)
class BriefOptions:
    since: datetime
    until: datetime
    topics: tuple[str, ...] = ()  # the stories' topics; () = every story
    silent_feed_days: float = 3.0
    story_limit: int = 60
    title: str = "wirewatch brief"


@dataclass(frozen=True, slots=True)
class SourceReach:
    source: str
    kind: str
    rows: tuple[q.ReachRow, ...]

    @property
    def outlets(self) -> int:
        return len({r.outlet for r in self.rows})

    @property
    def copies(self) -> int:
        return sum(r.copies for r in self.rows)


@dataclass(frozen=True, slots=True)
class BriefData:
    options: BriefOptions
    generated_at: datetime
    story_total: int
    stories: tuple[q.StoryRow, ...]
    timeline: tuple[tuple[datetime, str, int], ...]
    timeline_unit: str
    reach: tuple[SourceReach, ...]
    reach_rows: tuple[q.ReachRow, ...]
    entities: dict[str, tuple[q.EntityTrend, ...]]
    located: tuple[Located, ...]
    unlocated: tuple[q.PlaceRow, ...]
    feed_problems: tuple[q.FeedProblem, ...]
    feed_total: int

    @property
    def country_weights(self) -> dict[str, int]:
        """Stories per country-level place, by lower-case ISO code (the map's ids)."""
        return {p.place.country.lower(): p.place.stories for p in self.located
                if is_country(p.place) and p.place.country}

    @property
    def points(self) -> list[Located]:
        """The most mentioned places below country level: drawn as dots."""
        return [p for p in self.located if not is_country(p.place)][:MAP_POINTS]


def collect(con: duckdb.DuckDBPyConnection, options: BriefOptions,
            now: datetime | None = None) -> BriefData:
    """Run every query of the brief on one connection."""
    scope = q.ReportScope(options.since, options.until, options.topics, options.story_limit)
    generated = now or options.until
    timeline = q.story_times(con, scope, every_topic=True)
    trends = q.entity_trends(con, scope)
    located, unlocated = locate(q.places(con, scope))
    problems, total = q.feed_problems(
        con, generated, generated - timedelta(days=options.silent_feed_days))
    reach_rows = q.wire_reach(con, scope)
    return BriefData(
        options=options, generated_at=generated,
        story_total=q.count_stories(con, scope),
        stories=tuple(q.new_stories(con, scope)),
        timeline=tuple(timeline), timeline_unit=_unit(timeline),
        reach=_by_source(reach_rows), reach_rows=tuple(reach_rows),
        entities={g: tuple(t for t in trends if t.group == g) for g in GROUP_ORDER},
        located=tuple(located), unlocated=tuple(unlocated),
        feed_problems=tuple(problems), feed_total=total,
    )


def _unit(timeline: list[tuple[datetime, str, int]]) -> str:
    if not timeline:
        return "day"
    times = [row[0] for row in timeline]
    return bucket_for(max(times) - min(times))


def _by_source(rows: list[q.ReachRow]) -> tuple[SourceReach, ...]:
    grouped: dict[tuple[str, str], list[q.ReachRow]] = {}
    for row in rows:
        grouped.setdefault((row.source, row.source_kind), []).append(row)
    reach = [SourceReach(source, kind, tuple(items)) for (source, kind), items in grouped.items()]
    return tuple(sorted(reach, key=lambda r: (-r.outlets, -r.copies, r.source)))
