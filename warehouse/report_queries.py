"""What the HTML brief shows, as SQL over the analyst copy (or a lake): plain rows, no markup.

Every query takes one `ReportScope`. Stories are "new" when wirewatch first saw them inside
the window (`stories.first_seen_at`); the timeline and trends then place them at their own
time, the publication time when known (`coalesce(published_at, discovered_at)`), so a first
cycle over an outlet's archive still shows when things happened, not when they were read.
Rows are deduplicated by id (`any_value`/`min`) because correctness never rests on
constraints (see docs/analysts.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.results import single_count

TOP_ENTITIES_PER_GROUP = 8
TYPE_GROUPS = {"PERSON": "people", "ORG": "organisations", "GPE": "places", "LOC": "places"}

# One row per article, its outlet and its time; articles can in principle hold two rows.
_ARTICLE_TIMES = """
    SELECT article_id, any_value(outlet_id) AS outlet_id, any_value(language) AS language,
           min(coalesce(published_at, discovered_at)) AS seen_at
    FROM articles GROUP BY article_id
"""


@dataclass(frozen=True, slots=True)
class ReportScope:
    since: datetime
    until: datetime
    topics: tuple[str, ...] = ()  # stories on any of these; () = every story
    story_limit: int = 60


@dataclass(frozen=True, slots=True)
class StoryRow:
    story_id: str
    headline: str
    language: str | None
    first_seen_at: datetime
    published_at: datetime | None
    url: str | None
    outlet: str | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    agencies: tuple[str, ...]
    topics: tuple[str, ...]
    score: float | None
    copies: int
    translations: int


@dataclass(frozen=True, slots=True)
class ReachRow:
    source: str  # the credited agency id, or the wire outlet's name
    source_kind: str  # agency | wire outlet
    outlet: str
    copies: int
    stories: int
    median_delay_s: float | None


@dataclass(frozen=True, slots=True)
class EntityTrend:
    entity_id: str
    name: str
    group: str  # people | organisations | places
    articles: int
    per_day: tuple[tuple[date, int], ...]  # the SQL casts to DATE


@dataclass(frozen=True, slots=True)
class PlaceRow:
    entity_id: str
    name: str
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    stories: int


@dataclass(frozen=True, slots=True)
class FeedProblem:
    outlet: str
    feed_url: str
    problem: str  # failing | silent
    failures: int
    last_success_at: datetime | None
    last_new_item_at: datetime | None
    reason: str


def _scoped_stories_sql(scope: ReportScope) -> str:
    """Stories first seen in the window, on the scope's topics (every story when none)."""
    topic_join = "JOIN" if scope.topics else "LEFT JOIN"
    topic_filter = "AND list_contains($topics, t.topic)" if scope.topics else ""
    return f"""
        SELECT s.story_id, max(t.score) AS score, list(DISTINCT t.topic) FILTER
               (WHERE t.topic IS NOT NULL) AS topics
        FROM stories s {topic_join} story_topics t
          ON t.story_id = s.story_id {topic_filter}
        WHERE s.first_seen_at >= $since AND s.first_seen_at < $until
        GROUP BY s.story_id
    """


def _params(scope: ReportScope, sql: str) -> dict[str, object]:
    params: dict[str, object] = {"since": scope.since, "until": scope.until}
    if "$topics" in sql:
        params["topics"] = list(scope.topics)
    return params


def _run(con: duckdb.DuckDBPyConnection, scope: ReportScope, sql: str,
         extra: dict[str, object] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(sql, {**_params(scope, sql), **(extra or {})}).fetchall()


def count_stories(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> int:
    sql = f"SELECT count(*) FROM ({_scoped_stories_sql(scope)})"
    return int(_run(con, scope, sql)[0][0])


def new_stories(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> list[StoryRow]:
    """The newest stories in scope with their canonical article, outlets and copy counts."""
    sql = f"""
        WITH scoped AS ({_scoped_stories_sql(scope)}),
        shown AS (
            SELECT sc.*, st.title, st.first_seen_at, st.first_published_at,
                   st.canonical_article_id, st.languages, st.agencies
            FROM scoped sc JOIN (SELECT * FROM stories QUALIFY row_number() OVER
                                 (PARTITION BY story_id ORDER BY updated_at DESC) = 1) st
              USING (story_id)
            ORDER BY st.first_seen_at DESC,
                     coalesce(st.first_published_at, st.first_seen_at) DESC, st.story_id
            LIMIT $limit),
        arts AS (
            SELECT article_id, any_value(outlet_id) AS outlet_id,
                   any_value(title) AS title, any_value(language) AS language,
                   any_value(canonical_url) AS canonical_url
            FROM articles WHERE article_id IN (
                SELECT y.article_id FROM syndication y JOIN shown USING (story_id))
            GROUP BY article_id),
        names AS (SELECT outlet_id, any_value(name) AS name FROM outlets GROUP BY outlet_id),
        copies AS (
            SELECT y.story_id,
                   list(DISTINCT coalesce(n.name, a.outlet_id)) AS outlets,
                   count(*) FILTER (WHERE y.method NOT IN ('original', 'translation'))
                       AS copies,
                   count(*) FILTER (WHERE y.method = 'translation') AS translations
            FROM (SELECT DISTINCT article_id, story_id, method FROM syndication) y
            JOIN shown USING (story_id)
            JOIN arts a ON a.article_id = y.article_id
            LEFT JOIN names n ON n.outlet_id = a.outlet_id
            GROUP BY y.story_id)
        SELECT sh.story_id, coalesce(ca.title, sh.title), ca.language, sh.first_seen_at,
               sh.first_published_at, ca.canonical_url, coalesce(n.name, ca.outlet_id),
               c.outlets, sh.languages, sh.agencies, sh.topics, sh.score,
               coalesce(c.copies, 0), coalesce(c.translations, 0)
        FROM shown sh
        LEFT JOIN arts ca ON ca.article_id = sh.canonical_article_id
        LEFT JOIN names n ON n.outlet_id = ca.outlet_id
        LEFT JOIN copies c USING (story_id)
        ORDER BY sh.first_seen_at DESC,
                 coalesce(sh.first_published_at, sh.first_seen_at) DESC, sh.story_id
    """
    rows = _run(con, scope, sql, {"limit": scope.story_limit})
    names = agency_names(con)
    return [
        StoryRow(r[0], r[1] or "(untitled)", r[2], r[3], r[4], r[5], r[6],
                 _strings(r[7]), _strings(r[8]),
                 tuple(names.get(a, a) for a in _strings(r[9])), _strings(r[10]), r[11],
                 int(r[12]), int(r[13]))
        for r in rows
    ]


def agency_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Agency id → the name its credits use (EFE, Associated Press, …)."""
    rows = con.execute("SELECT agency_id, any_value(agency_name) FROM article_credits "
                       "GROUP BY agency_id").fetchall()
    return {agency: name for agency, name in rows if name}


def story_times(con: duckdb.DuckDBPyConnection, scope: ReportScope,
                every_topic: bool = True) -> list[tuple[datetime, str, int]]:
    """(story time, topic, stories) for stories first seen in the window: the timeline.

    With `every_topic` each topic gets its own series, so the watched topics are seen
    beside the rest; otherwise only the scope's topics.
    """
    topic_filter = "" if every_topic or not scope.topics else \
        "AND list_contains($topics, t.topic)"
    sql = f"""
        SELECT coalesce(s.first_published_at, s.first_seen_at) AS story_at, t.topic,
               count(DISTINCT s.story_id)
        FROM stories s JOIN story_topics t ON t.story_id = s.story_id {topic_filter}
        WHERE s.first_seen_at >= $since AND s.first_seen_at < $until
        GROUP BY ALL ORDER BY story_at, t.topic
    """
    return [(r[0], r[1], int(r[2])) for r in _run(con, scope, sql)]


def wire_reach(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> list[ReachRow]:
    """Per credited agency (or wire outlet whose story others copied): who carried it, when.

    The delay is a copy's time minus its story's original article's time, the median per
    outlet. Covers every story first seen in the window, whatever its topic: where wire
    copy travels is a question about the wire, not about one topic.
    """
    sql = f"""
        WITH times AS ({_ARTICLE_TIMES}),
        names AS (SELECT outlet_id, any_value(name) AS name, any_value(kind) AS kind
                  FROM outlets GROUP BY outlet_id),
        agencies AS (SELECT agency_id, any_value(agency_name) AS name FROM article_credits
                     GROUP BY agency_id),
        window_stories AS (SELECT DISTINCT story_id FROM stories
                           WHERE first_seen_at >= $since AND first_seen_at < $until),
        y AS (SELECT DISTINCT article_id, story_id, method, agency FROM syndication
              WHERE story_id IN (SELECT story_id FROM window_stories)),
        originals AS (
            SELECT y.story_id, arg_min(t.outlet_id, t.seen_at) AS outlet_id,
                   min(t.seen_at) AS seen_at
            FROM y JOIN times t USING (article_id) WHERE y.method = 'original'
            GROUP BY y.story_id),
        copies AS (
            SELECT y.story_id, y.agency, t.outlet_id, t.seen_at
            FROM y JOIN times t USING (article_id) WHERE y.method <> 'original')
        SELECT CASE WHEN c.agency IS NOT NULL THEN coalesce(ag.name, c.agency)
                    ELSE coalesce(wo.name, o.outlet_id) END AS source,
               CASE WHEN c.agency IS NOT NULL THEN 'agency' ELSE 'wire outlet' END AS kind,
               coalesce(co.name, c.outlet_id) AS outlet,
               count(*) AS copies, count(DISTINCT c.story_id) AS stories,
               median(epoch(c.seen_at) - epoch(o.seen_at)) AS delay
        FROM copies c JOIN originals o USING (story_id)
        LEFT JOIN names wo ON wo.outlet_id = o.outlet_id
        LEFT JOIN names co ON co.outlet_id = c.outlet_id
        LEFT JOIN agencies ag ON ag.agency_id = c.agency
        WHERE c.agency IS NOT NULL OR wo.kind = 'wire'
        GROUP BY ALL ORDER BY source, copies DESC, outlet
    """
    return [ReachRow(r[0], r[1], r[2], int(r[3]), int(r[4]),
                     None if r[5] is None else float(r[5])) for r in _run(con, scope, sql)]


def _scoped_articles_sql(scope: ReportScope) -> str:
    return f"""
        SELECT DISTINCT y.article_id FROM syndication y
        WHERE y.story_id IN (SELECT story_id FROM ({_scoped_stories_sql(scope)}))
    """


def entity_trends(con: duckdb.DuckDBPyConnection, scope: ReportScope,
                  top: int = TOP_ENTITIES_PER_GROUP) -> list[EntityTrend]:
    """The most mentioned entities of the scoped stories per group, with articles per day."""
    sql = f"""
        WITH times AS ({_ARTICLE_TIMES}),
        scoped AS ({_scoped_articles_sql(scope)}),
        m AS (
            SELECT DISTINCT ae.entity_id, ae.article_id,
                   CASE ae.type WHEN 'PERSON' THEN 'people' WHEN 'ORG' THEN 'organisations'
                                ELSE 'places' END AS grp,
                   CAST(timezone('UTC', t.seen_at) AS DATE) AS day
            FROM article_entities ae
            JOIN scoped USING (article_id)
            JOIN times t USING (article_id)),
        ranked AS (
            SELECT entity_id, grp, count(DISTINCT article_id) AS n
            FROM m GROUP BY entity_id, grp
            QUALIFY row_number() OVER (PARTITION BY grp ORDER BY n DESC, entity_id) <= $top),
        days AS (
            SELECT entity_id, grp, list({{'day': day, 'n': n}} ORDER BY day) AS per_day
            FROM (SELECT entity_id, grp, day, count(DISTINCT article_id) AS n
                  FROM m GROUP BY ALL) GROUP BY ALL)
        SELECT r.entity_id, coalesce(e.name, r.entity_id), r.grp, r.n, d.per_day
        FROM ranked r JOIN days d USING (entity_id, grp)
        LEFT JOIN entity_catalog e USING (entity_id)
        ORDER BY r.grp, r.n DESC, r.entity_id
    """
    return [EntityTrend(r[0], r[1], r[2], int(r[3]),
                        tuple((p["day"], int(p["n"])) for p in r[4]))
            for r in _run(con, scope, sql, {"top": top})]


def places(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> list[PlaceRow]:
    """Places the scoped stories mention, with the coordinates the warehouse holds."""
    sql = f"""
        WITH scoped AS ({_scoped_articles_sql(scope)})
        SELECT ae.entity_id, coalesce(any_value(e.name), ae.entity_id),
               any_value(e.country), any_value(e.admin1),
               any_value(e.latitude), any_value(e.longitude),
               count(DISTINCT y.story_id) AS stories
        FROM article_entities ae
        JOIN scoped USING (article_id)
        JOIN syndication y ON y.article_id = ae.article_id
        LEFT JOIN entity_catalog e ON e.entity_id = ae.entity_id
        WHERE ae.type IN ('GPE', 'LOC')
        GROUP BY ae.entity_id ORDER BY stories DESC, ae.entity_id
    """
    return [PlaceRow(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]))
            for r in _run(con, scope, sql)]


def feed_problems(con: duckdb.DuckDBPyConnection, now: datetime,
                  silent_since: datetime) -> tuple[list[FeedProblem], int]:
    """Failing and silent feeds (the nightly health report's rules), and the feed count."""
    rows = con.execute(
        """
        WITH f AS (SELECT * FROM feeds QUALIFY row_number() OVER
                   (PARTITION BY feed_url ORDER BY last_polled_at DESC NULLS LAST) = 1),
        names AS (SELECT outlet_id, any_value(name) AS name FROM outlets GROUP BY outlet_id)
        SELECT coalesce(n.name, f.outlet_id), f.feed_url,
               CASE WHEN f.consecutive_failures > 0 THEN 'failing' ELSE 'silent' END,
               f.consecutive_failures, f.last_success_at, f.last_new_item_at,
               coalesce(f.last_error, '')
        FROM f LEFT JOIN names n USING (outlet_id)
        WHERE f.consecutive_failures > 0
           OR (f.last_success_at IS NOT NULL
               AND coalesce(f.last_new_item_at, TIMESTAMPTZ '1970-01-01') < $silent)
        ORDER BY 3, f.consecutive_failures DESC, f.feed_url
        """,
        {"silent": silent_since},
    ).fetchall()
    total = single_count(con.execute("SELECT count(DISTINCT feed_url) FROM feeds"))
    return [FeedProblem(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[6]) for r in rows], int(total)


def _strings(values: Iterable[object] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if v is not None)
