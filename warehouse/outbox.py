"""The alert outbox: which (rule, story) pairs are owed a message, and what became of them.

`enqueue_alerts` runs inside the cycle's write transaction, right after stories are
assigned; the delivery functions below run in short transactions of their own (see
flows/alerts/deliver.py), so no connection is held while messages cross the network.

Correctness never relies on UNIQUE constraints (DuckLake has none): a (rule, story) pair
is inserted only when no row for it exists (anti-join), and its alert_id is a hash of the
pair, so every copy of a row, however it came about, carries the same idempotency key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import duckdb

# Status values of alerts.status.
PENDING = "pending"
SENDING = "sending"
FAILED = "failed"
DELIVERED = "delivered"
ABANDONED = "abandoned"


class RuleConditions(Protocol):
    """The parts of an alert rule the outbox reads (flows.alerts.rules.AlertRule has them)."""

    @property
    def name(self) -> str: ...
    @property
    def topic(self) -> str | None: ...
    @property
    def min_score(self) -> float: ...
    @property
    def entities(self) -> tuple[str, ...]: ...
    @property
    def outlets(self) -> tuple[str, ...]: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def min_outlets(self) -> int: ...
    @property
    def max_story_age_hours(self) -> float: ...
    @property
    def mode(self) -> str: ...


# One INSERT per rule. A story's topic score is the best score of any of its articles; its
# reach counts distinct outlets over every article assigned to it, so a trending rule fires
# in the cycle in which the story reaches min_outlets, and never again afterwards.
_ENQUEUE_SQL = """
INSERT INTO alerts (alert_id, rule_name, story_id, mode, status, delivery_id, matched_topic,
                    matched_score, matched_evidence, matched_entities, outlet_count,
                    created_at, attempts, next_attempt_at)
WITH story_articles AS (
    SELECT DISTINCT sy.story_id, a.article_id, a.outlet_id, lower(a.language) AS language
    FROM syndication sy
    JOIN stories st ON st.story_id = sy.story_id
    JOIN articles a ON a.article_id = sy.article_id
    WHERE st.first_seen_at >= $cutoff
      -- A story merged from others (story_aliases) was alerted if any of them was.
      AND NOT EXISTS (SELECT 1 FROM alerts al
                      WHERE al.rule_name = $rule
                        AND (al.story_id = sy.story_id
                             OR al.story_id IN (SELECT x.alias_story_id FROM story_aliases x
                                                WHERE x.story_id = sy.story_id)))
),
reach AS (
    SELECT story_id,
           count(DISTINCT outlet_id) AS outlets,
           bool_or(list_contains($outlets::VARCHAR[], outlet_id)) AS outlet_ok,
           bool_or(list_contains($languages::VARCHAR[], language)) AS language_ok
    FROM story_articles
    GROUP BY story_id
),
topic AS (
    SELECT sa.story_id, max(t.score) AS score
    FROM story_articles sa
    JOIN article_topics t ON t.article_id = sa.article_id
    WHERE t.topic = $topic::VARCHAR
    GROUP BY sa.story_id
),
terms AS (
    SELECT story_id, term, max(score) AS best, min(position) AS position
    FROM (SELECT sa.story_id, unnest(t.evidence) AS term,
                 generate_subscripts(t.evidence, 1) AS position, t.score
          FROM story_articles sa
          JOIN article_topics t ON t.article_id = sa.article_id
          WHERE t.topic = $topic::VARCHAR)
    GROUP BY story_id, term
),
evidence AS (
    -- Terms of the best-scoring articles first, each article's own order next.
    SELECT story_id, list(term ORDER BY best DESC, position, term) AS terms
    FROM terms GROUP BY story_id
),
mentions AS (
    SELECT sa.story_id, list(DISTINCT e.entity_id ORDER BY e.entity_id) AS entities
    FROM story_articles sa
    JOIN article_entities e ON e.article_id = sa.article_id
    WHERE list_contains($entities::VARCHAR[], e.entity_id)
    GROUP BY sa.story_id
),
matched AS (
    SELECT r.story_id, r.outlets, tp.score, ev.terms AS evidence, m.entities,
           'al_' || left(sha256($rule || chr(0) || r.story_id), 24) AS alert_id
    FROM reach r
    LEFT JOIN topic tp ON tp.story_id = r.story_id
    LEFT JOIN evidence ev ON ev.story_id = r.story_id
    LEFT JOIN mentions m ON m.story_id = r.story_id
    WHERE r.outlets >= $min_outlets
      AND (len($outlets::VARCHAR[]) = 0 OR r.outlet_ok)
      AND (len($languages::VARCHAR[]) = 0 OR r.language_ok)
      AND ($topic::VARCHAR IS NULL OR tp.score >= $min_score)
      AND (len($entities::VARCHAR[]) = 0 OR m.story_id IS NOT NULL)
)
SELECT alert_id, $rule, story_id, $mode, 'pending',
       -- A digest's id is only known when the digest is cut (claim_digests).
       CASE WHEN $mode = 'immediate' THEN alert_id END,
       $topic::VARCHAR, score, coalesce(evidence, []), coalesce(entities, []), outlets,
       $now, 0, $now
FROM matched
ORDER BY story_id
"""


def enqueue_alerts(
    con: duckdb.DuckDBPyConnection, rules: Sequence[RuleConditions], *, now: datetime
) -> int:
    """Insert one pending row per (rule, story) that matches now and has no row yet.

    Runs in the caller's transaction. Returns how many rows were inserted.
    """
    inserted = 0
    for rule in rules:
        params = {
            "rule": rule.name,
            "mode": rule.mode,
            "topic": rule.topic,
            "min_score": rule.min_score,
            "entities": list(rule.entities),
            "outlets": list(rule.outlets),
            "languages": [code.lower() for code in rule.languages],
            "min_outlets": rule.min_outlets,
            "cutoff": now - timedelta(hours=rule.max_story_age_hours),
            "now": now,
        }
        row = con.execute(_ENQUEUE_SQL, params).fetchone()
        inserted += int(row[0]) if row else 0
    return inserted


@dataclass(frozen=True)
class OutboxRow:
    """One claimed alert row, as delivery needs it."""

    alert_id: str
    rule_name: str
    story_id: str
    mode: str
    delivery_id: str
    matched_topic: str | None
    matched_score: float | None
    matched_evidence: tuple[str, ...]
    created_at: datetime
    attempts: int


_CLAIMED_COLUMNS = (
    "alert_id, rule_name, story_id, mode, delivery_id, matched_topic, matched_score, "
    "matched_evidence, created_at, attempts"
)

_DUE_CONDITION = """(
    (status = 'pending')
    OR (status = 'failed' AND next_attempt_at <= $now)
    -- A row left 'sending' past its lease belongs to a run that died mid-delivery.
    OR (status = 'sending' AND claimed_at <= $lease_cutoff)
)"""


def claim_immediate(
    con: duckdb.DuckDBPyConnection,
    *,
    rule_names: Sequence[str],
    now: datetime,
    lease_cutoff: datetime,
    token: str,
    limit: int,
) -> list[OutboxRow]:
    """Mark due immediate rows of known rules as being sent by `token`; return them."""
    con.execute(
        f"""
        UPDATE alerts SET status = 'sending', claim_token = $token, claimed_at = $now
        WHERE alert_id IN (
            SELECT alert_id FROM alerts
            WHERE mode = 'immediate' AND list_contains($rules::VARCHAR[], rule_name)
              AND {_DUE_CONDITION}
            ORDER BY created_at, alert_id
            LIMIT $limit)
        """,
        {
            "token": token,
            "now": now,
            "lease_cutoff": lease_cutoff,
            "rules": list(rule_names),
            "limit": limit,
        },
    )
    return _claimed(con, token)


def claim_digests(
    con: duckdb.DuckDBPyConnection,
    *,
    windows: Mapping[str, timedelta],
    now: datetime,
    lease_cutoff: datetime,
    token: str,
    force: bool = False,
) -> list[OutboxRow]:
    """Claim digest rows: retries of digests already cut, and new digests whose window closed.

    A rule's window opens with its oldest undelivered story and lasts `windows[rule]`; when
    it closes, every story waiting for that rule goes into one digest. `force` cuts a
    digest for every rule with waiting stories (the nightly flush).
    """
    rules = list(windows)
    con.execute(
        f"""
        UPDATE alerts SET status = 'sending', claim_token = $token, claimed_at = $now
        WHERE mode = 'digest' AND delivery_id IS NOT NULL
          AND list_contains($rules::VARCHAR[], rule_name) AND {_DUE_CONDITION}
        """,
        {"token": token, "now": now, "lease_cutoff": lease_cutoff, "rules": rules},
    )
    for rule_name, window in windows.items():
        _cut_digest(con, rule_name, now=now, window=window, token=token, force=force)
    return _claimed(con, token)


def _cut_digest(
    con: duckdb.DuckDBPyConnection,
    rule_name: str,
    *,
    now: datetime,
    window: timedelta,
    token: str,
    force: bool,
) -> None:
    waiting = con.execute(
        """
        SELECT list(alert_id ORDER BY alert_id), min(created_at) FROM alerts
        WHERE mode = 'digest' AND rule_name = $rule AND status = 'pending'
          AND delivery_id IS NULL AND created_at <= $now
        """,
        {"rule": rule_name, "now": now},
    ).fetchone()
    if waiting is None or not waiting[0]:
        return
    alert_ids, oldest = waiting
    if not force and oldest > now - window:
        return
    # The digest id is a hash of its members, so a retried digest keeps its idempotency key.
    con.execute(
        """
        UPDATE alerts
        SET status = 'sending', claim_token = $token, claimed_at = $now,
            delivery_id = 'dg_' || left(sha256($rule || chr(0) || array_to_string($ids, ',')), 24)
        WHERE list_contains($ids::VARCHAR[], alert_id) AND rule_name = $rule
          AND status = 'pending' AND delivery_id IS NULL
        """,
        {"token": token, "now": now, "rule": rule_name, "ids": alert_ids},
    )


def _claimed(con: duckdb.DuckDBPyConnection, token: str) -> list[OutboxRow]:
    rows = con.execute(
        f"SELECT {_CLAIMED_COLUMNS} FROM alerts WHERE claim_token = $token "
        "ORDER BY created_at, alert_id",
        {"token": token},
    ).fetchall()
    return [_outbox_row(row) for row in rows]


def _outbox_row(row: tuple[Any, ...]) -> OutboxRow:
    return OutboxRow(
        alert_id=row[0],
        rule_name=row[1],
        story_id=row[2],
        mode=row[3],
        delivery_id=row[4],
        matched_topic=row[5],
        matched_score=row[6],
        matched_evidence=tuple(row[7] or ()),
        created_at=row[8],
        attempts=int(row[9]),
    )


def waiting_for_unknown_rules(
    con: duckdb.DuckDBPyConnection, rule_names: Sequence[str]
) -> dict[str, int]:
    """Undelivered rows whose rule is no longer configured: kept, and reported."""
    rows = con.execute(
        """
        SELECT rule_name, count(*) FROM alerts
        WHERE status IN ('pending', 'failed', 'sending')
          AND NOT list_contains($rules::VARCHAR[], rule_name)
        GROUP BY rule_name ORDER BY rule_name
        """,
        {"rules": list(rule_names)},
    ).fetchall()
    return {name: int(count) for name, count in rows}


def delivered_destinations(con: duckdb.DuckDBPyConnection, delivery_id: str) -> set[str]:
    """Destinations that already acknowledged this delivery (skipped when retrying)."""
    rows = con.execute(
        "SELECT DISTINCT destination FROM alert_attempts "
        "WHERE delivery_id = $d AND kind = 'delivery' AND ok",
        {"d": delivery_id},
    ).fetchall()
    return {row[0] for row in rows}


@dataclass(frozen=True)
class AttemptRecord:
    """The outcome of sending one delivery to one destination."""

    destination: str  # "ENV_VAR[index] scheme", never the URL
    ok: bool
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What to write back for one delivery (every alert row sharing its delivery_id)."""

    delivery_id: str
    alert_ids: tuple[str, ...]
    status: str  # delivered | failed | abandoned
    attempted_at: datetime
    next_attempt_at: datetime | None
    error: str | None
    attempts: tuple[AttemptRecord, ...]
    kind: str = "delivery"


def insert_attempts(con: duckdb.DuckDBPyConnection, outcome: Outcome) -> None:
    """Append one alert_attempts row per (alert, destination attempt)."""
    rows = [
        (alert_id, outcome.delivery_id, outcome.attempted_at, outcome.kind, a.destination, a.ok,
         a.error)
        for alert_id in outcome.alert_ids
        for a in outcome.attempts
    ]
    if not rows:
        return
    # A handful of rows per delivery: one multi-row VALUES insert is enough.
    placeholders = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(rows))
    flat = [value for row in rows for value in row]
    con.execute(
        "INSERT INTO alert_attempts (alert_id, delivery_id, attempted_at, kind, destination, "
        f"ok, error) VALUES {placeholders}",
        flat,
    )


def record_outcome(con: duckdb.DuckDBPyConnection, outcome: Outcome, *, token: str) -> int:
    """Write attempts and the new status of a claimed delivery; return rows updated."""
    insert_attempts(con, outcome)
    row = con.execute(
        """
        UPDATE alerts
        SET status = $status, attempts = attempts + 1, next_attempt_at = $next,
            last_error = $error, claim_token = NULL, claimed_at = NULL,
            delivered_at = CASE WHEN $status = 'delivered' THEN $at ELSE delivered_at END
        WHERE delivery_id = $d AND claim_token = $token
        """,
        {
            "status": outcome.status,
            "next": outcome.next_attempt_at,
            "error": outcome.error,
            "at": outcome.attempted_at,
            "d": outcome.delivery_id,
            "token": token,
        },
    ).fetchone()
    return int(row[0]) if row else 0


def load_alert(con: duckdb.DuckDBPyConnection, alert_id: str) -> OutboxRow | None:
    """One alert row by id (the first, should racing writers have made two)."""
    row = con.execute(
        f"SELECT {_CLAIMED_COLUMNS.replace('delivery_id', 'coalesce(delivery_id, alert_id)')} "
        "FROM alerts WHERE alert_id = $id ORDER BY created_at LIMIT 1",
        {"id": alert_id},
    ).fetchone()
    return _outbox_row(row) if row else None


def list_alert_rows(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    """Newest alerts first, with the story's headline and the last error."""
    cursor = con.execute(
        """
        SELECT al.alert_id, al.rule_name, al.story_id, st.title, al.mode, al.status,
               al.attempts, al.created_at, al.delivered_at, al.next_attempt_at, al.last_error,
               al.delivery_id
        FROM alerts al LEFT JOIN stories st ON st.story_id = al.story_id
        ORDER BY al.created_at DESC, al.alert_id
        LIMIT $limit
        """,
        {"limit": limit},
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

