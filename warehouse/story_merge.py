"""Merging stories that a later article showed to be one event, inside the load transaction.

The older story survives; the other's id becomes an alias (`story_aliases`), so a link in an
alert already sent still finds the story (`story_lookup`, `stories_on()`, `copies_of()`).
Every write is keyed on story or article id (no PRIMARY KEY/UNIQUE relied on: DuckLake).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from warehouse.results import single_count
from warehouse.staging import staged_table
from warehouse.story_canonical import SYNDICATION_COLUMNS, SYNDICATION_SCHEMA
from warehouse.story_decide import Decision, Merge, reroot
from warehouse.story_model import CycleCandidates

_MERGE_SCHEMA = pa.schema([
    ("alias_story_id", pa.string()), ("story_id", pa.string()),
    ("merged_at", pa.timestamp("us", tz="UTC")), ("evidence", pa.string()),
])


def story_first_seen(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]
                     ) -> dict[str, datetime]:
    """When each stored story was first seen: the older of two merged stories survives."""
    if not story_ids:
        return {}
    with staged_table(con, _story_ids(sorted(set(story_ids)))) as aged:
        rows = con.execute(
            f"""SELECT story_id, min(first_seen_at) FROM stories
                SEMI JOIN {aged} a USING (story_id) GROUP BY story_id""").fetchall()
    return dict(rows)


def apply_merges(con: duckdb.DuckDBPyConnection, merges: Sequence[Merge], now: datetime
                 ) -> list[str]:
    """Move the absorbed stories' rows to their survivors, record the aliases, retire the
    absorbed story rows. Returns the surviving story ids (to refresh)."""
    if not merges:
        return []
    _reroot_stored_firsts(con, merges, now)
    table = pa.Table.from_pylist(
        [{"alias_story_id": m.absorbed, "story_id": m.survivor, "merged_at": now,
          "evidence": f"{m.link.article_id}: {m.link.method}: {m.link.evidence}"[:500]}
         for m in merges], schema=_MERGE_SCHEMA)
    with staged_table(con, table) as new_aliases:
        con.execute(f"""UPDATE syndication SET story_id = n.story_id FROM {new_aliases} n
                        WHERE syndication.story_id = n.alias_story_id""")
        # An alias of an absorbed story now points at the new survivor: no chains.
        con.execute(f"""UPDATE story_aliases SET story_id = n.story_id FROM {new_aliases} n
                        WHERE story_aliases.story_id = n.alias_story_id""")
        con.execute(f"""INSERT INTO story_aliases
                        SELECT n.* FROM {new_aliases} n
                        ANTI JOIN story_aliases a ON a.alias_story_id = n.alias_story_id""")
        con.execute("DELETE FROM stories WHERE story_id IN "
                    f"(SELECT alias_story_id FROM {new_aliases})")
    return sorted({m.survivor for m in merges})


def _reroot_stored_firsts(con: duckdb.DuckDBPyConnection, merges: Sequence[Merge],
                          now: datetime) -> None:
    """The absorbed story's stored original becomes a copy of the bridging article (or the
    same event), so the merged story keeps one original."""
    by_absorbed = {m.absorbed: m for m in merges}
    with staged_table(con, _story_ids(list(by_absorbed))) as absorbed:
        firsts = con.execute(
            f"""SELECT article_id, story_id, agency FROM syndication
                SEMI JOIN {absorbed} a USING (story_id) WHERE method = 'original'""").fetchall()
    rows = []
    for article_id, story_id, agency in firsts:
        row = reroot(Decision(article_id, story_id, None, "original", None, agency, ""),
                     by_absorbed[story_id])
        rows.append({"article_id": row.article_id, "story_id": row.story_id,
                     "source_article_id": row.source_article_id, "method": row.method,
                     "similarity": row.similarity, "agency": row.agency,
                     "evidence": row.evidence, "decided_at": now, "source_url": None})
    if not rows:
        return
    with staged_table(con, pa.Table.from_pylist(rows, schema=SYNDICATION_SCHEMA)) as rerooted:
        con.execute("DELETE FROM syndication WHERE article_id IN "
                    f"(SELECT article_id FROM {rerooted})")
        con.execute(f"INSERT INTO syndication ({SYNDICATION_COLUMNS}) "
                    f"SELECT {SYNDICATION_COLUMNS} FROM {rerooted}")


def resolve_declared_sources(con: duckdb.DuckDBPyConnection,
                             sources: Sequence[tuple[str, str]]) -> int:
    """Copies that declared (rel=canonical) a page not fetched until now get its article as
    their source. `sources` pairs each newly assigned article id with its canonical URL."""
    if not sources:
        return 0
    declared = pa.table({"article_id": pa.array([a for a, _ in sources], pa.string()),
                         "url": pa.array([u for _, u in sources], pa.string())})
    with staged_table(con, declared) as declared_sources:
        before = single_count(con.execute(
            "SELECT count(*) FROM syndication WHERE method = 'canonical_link' "
            "AND source_article_id IS NULL"))
        con.execute(f"""UPDATE syndication SET source_article_id = d.article_id
                       FROM {declared_sources} d
                       WHERE syndication.source_url = d.url
                         AND syndication.source_article_id IS NULL
                         AND syndication.method = 'canonical_link'
                         AND syndication.article_id <> d.article_id""")
        after = single_count(con.execute(
            "SELECT count(*) FROM syndication WHERE method = 'canonical_link' "
            "AND source_article_id IS NULL"))
    return before - after


def waiting_copies(con: duckdb.DuckDBPyConnection, urls: Sequence[str]
                   ) -> dict[str, list[str]]:
    """URL -> stored copies declaring it as their rel=canonical whose source is not here."""
    if not urls:
        return {}
    with staged_table(con, _urls(urls)) as wanted:
        rows = con.execute(
            f"""SELECT source_url, list(article_id ORDER BY decided_at, article_id)
                FROM syndication SEMI JOIN {wanted} w ON w.url = syndication.source_url
                WHERE method = 'canonical_link' AND source_article_id IS NULL
                GROUP BY source_url""").fetchall()
    return {url: list(ids) for url, ids in rows}


def articles_at(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, str]:
    """URL -> the assigned article whose canonical URL it is (earliest discovered)."""
    if not urls:
        return {}
    with staged_table(con, _urls(urls)) as targets:
        rows = con.execute(
            f"""SELECT a.canonical_url, arg_min(a.article_id, a.discovered_at)
                FROM articles a SEMI JOIN {targets} t ON t.url = a.canonical_url
                SEMI JOIN syndication s ON s.article_id = a.article_id
                GROUP BY a.canonical_url""").fetchall()
    return dict(rows)


def with_story_ages(con: duckdb.DuckDBPyConnection, found: CycleCandidates) -> None:
    """Fill in when each candidate's story was first seen."""
    found.story_first_seen.update(
        story_first_seen(con, [m.story_id for m in found.stored.values()]))


def retire_merged_duplicates(con: duckdb.DuckDBPyConnection, survivors: Sequence[str]) -> int:
    """After stories merged: per rule, keep one alert for each surviving story and its
    aliases (a delivered one if any, else the oldest); undelivered others are abandoned, so
    one event is never announced twice. Runs in the caller's (load) transaction."""
    if not survivors:
        return 0
    row = con.execute(
        """
        WITH grp AS (
            SELECT s AS survivor, s AS story_id FROM unnest($survivors::VARCHAR[]) t(s)
            UNION ALL
            SELECT x.story_id, x.alias_story_id FROM story_aliases x
            WHERE list_contains($survivors::VARCHAR[], x.story_id)
        ),
        ranked AS (
            SELECT al.alert_id, al.status, g.survivor,
                   row_number() OVER (PARTITION BY al.rule_name, g.survivor
                                      ORDER BY al.status = 'delivered' DESC,
                                               al.status = 'sending' DESC,
                                               al.created_at, al.alert_id) AS n
            FROM alerts al JOIN grp g ON g.story_id = al.story_id
        )
        UPDATE alerts SET status = 'abandoned', next_attempt_at = NULL,
               last_error = 'story merged into ' || r.survivor || ', already alerted'
        FROM ranked r
        WHERE alerts.alert_id = r.alert_id AND r.n > 1
          AND r.status IN ('pending', 'failed')
        """,
        {"survivors": list(survivors)},
    ).fetchone()
    return int(row[0]) if row else 0


def _story_ids(ids: Sequence[str]) -> pa.Table:
    return pa.table({"story_id": pa.array(list(ids), pa.string())})


def _urls(urls: Sequence[str]) -> pa.Table:
    return pa.table({"url": pa.array(sorted(set(urls)), pa.string())})
