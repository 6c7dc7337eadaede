"""Short warehouse transactions for delivery: claim due alerts, then record each result.

`DeliveryStore` holds no connection; it holds a function that opens one. Each step opens
a connection, runs one short transaction and lets go, so the writer lock is never held
while a message crosses the network.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from flows.alerts.details import (
    StoryFacts,
    build_message,
    load_story_facts,
    readable_evidence,
)
from flows.alerts.message import AlertMessage
from warehouse import outbox
from warehouse.connection import transaction
from warehouse.outbox import OutboxRow, Outcome

ConnectionFactory = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@dataclass(frozen=True)
class Delivery:
    """One message to send: an immediate alert, or a digest of several."""

    delivery_id: str
    rule_name: str
    rows: tuple[OutboxRow, ...]
    messages: tuple[AlertMessage, ...]
    already_delivered_to: frozenset[str]  # destination labels that acknowledged it before

    @property
    def alert_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.alert_id for row in self.rows))

    @property
    def is_digest(self) -> bool:
        return self.rows[0].mode == "digest"

    @property
    def attempts_so_far(self) -> int:
        return max(row.attempts for row in self.rows)

    @property
    def oldest(self) -> datetime:
        return min(row.created_at for row in self.rows)


@dataclass(frozen=True)
class ClaimRequest:
    now: datetime
    lease: timedelta
    token: str
    rule_names: tuple[str, ...]
    digest_windows: Mapping[str, timedelta]
    limit: int
    include_immediate: bool = True
    force_digests: bool = False


@dataclass(frozen=True)
class Claimed:
    deliveries: tuple[Delivery, ...]
    waiting_for_unknown_rules: Mapping[str, int]


@dataclass(frozen=True)
class DeliveryStore:
    """Opens a writer connection for each short step; see the module docstring."""

    connect: ConnectionFactory

    @classmethod
    def for_path(cls, path: Path | str) -> DeliveryStore:
        """A store that opens the DuckDB file at `path` for each step."""
        return cls(lambda: closing(duckdb.connect(str(path))))

    def claim(self, request: ClaimRequest) -> Claimed:
        """One transaction: claim due rows, read what their messages need."""
        with self.connect() as con, transaction(con):
            rows = _claim_rows(con, request)
            facts = load_story_facts(con, [row.story_id for row in rows])
            evidence = readable_evidence(con, (e for row in rows for e in row.matched_evidence))
            deliveries = tuple(
                Delivery(
                    delivery_id=delivery_id,
                    rule_name=group[0].rule_name,
                    rows=tuple(group),
                    messages=_messages(group, facts, evidence),
                    already_delivered_to=frozenset(
                        outbox.delivered_destinations(con, delivery_id)
                    ),
                )
                for delivery_id, group in _group_by_delivery(rows).items()
            )
            unknown = outbox.waiting_for_unknown_rules(con, request.rule_names)
        return Claimed(deliveries, unknown)

    def record(self, outcome: Outcome, *, token: str) -> int:
        """One transaction: the attempts and the new status of one delivery."""
        with self.connect() as con, transaction(con):
            return outbox.record_outcome(con, outcome, token=token)

    def load_alert(self, alert_id: str) -> tuple[OutboxRow, AlertMessage] | None:
        with self.connect() as con:
            row = outbox.load_alert(con, alert_id)
            if row is None:
                return None
            facts = load_story_facts(con, [row.story_id])
            evidence = readable_evidence(con, row.matched_evidence)
        return row, build_message(row, facts.get(row.story_id), evidence)

    def record_attempts(self, outcome: Outcome) -> None:
        """Attempts that change no status (replays)."""
        with self.connect() as con, transaction(con):
            outbox.insert_attempts(con, outcome)


def _claim_rows(con: duckdb.DuckDBPyConnection, request: ClaimRequest) -> list[OutboxRow]:
    lease_cutoff = request.now - request.lease
    rows: list[OutboxRow] = []
    if request.include_immediate:
        rows += outbox.claim_immediate(
            con,
            rule_names=request.rule_names,
            now=request.now,
            lease_cutoff=lease_cutoff,
            token=request.token,
            limit=request.limit,
        )
    if request.digest_windows:
        rows += outbox.claim_digests(
            con,
            windows=request.digest_windows,
            now=request.now,
            lease_cutoff=lease_cutoff,
            token=request.token,
            force=request.force_digests,
        )
    # claim_digests re-reads every row of the token, immediate ones included.
    return list({(row.alert_id, row.delivery_id): row for row in rows}.values())


def _group_by_delivery(rows: Sequence[OutboxRow]) -> dict[str, list[OutboxRow]]:
    groups: dict[str, list[OutboxRow]] = {}
    for row in rows:
        groups.setdefault(row.delivery_id, []).append(row)
    return groups


def _messages(
    group: Sequence[OutboxRow], facts: Mapping[str, StoryFacts], evidence: Mapping[str, str]
) -> tuple[AlertMessage, ...]:
    # Racing writers may have left two rows for one (rule, story): one message each story.
    unique = {row.alert_id: row for row in group}
    return tuple(
        build_message(row, facts.get(row.story_id), evidence) for row in unique.values()
    )
