"""What `wirewatch alerts list|test|replay` calls."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from flows.alerts.destinations import redact, resolve_destinations
from flows.alerts.message import AlertMessage, render_alert
from flows.alerts.rules import AlertRule
from flows.alerts.send import Outgoing, Sender, apprise_send
from flows.alerts.store import DeliveryStore
from flows.errors import ConfigError, WirewatchError
from warehouse.outbox import AttemptRecord, Outcome, list_alert_rows


class UnknownAlert(WirewatchError):
    """No alert with the given id exists in the outbox."""


@dataclass(frozen=True)
class TestResult:
    """What `alerts test` (or a replay) did, destination by destination."""

    __test__ = False  # not a pytest test class, despite the name

    rule_name: str
    attempts: tuple[AttemptRecord, ...]
    problems: tuple[str, ...]  # variables that gave no destination

    @property
    def ok(self) -> bool:
        """True when at least one destination got the message and none failed."""
        return bool(self.attempts) and not self.problems and all(a.ok for a in self.attempts)


def list_alerts(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict[str, Any]]:
    """The newest alerts with status, attempts, last error and the story headline."""
    return list_alert_rows(con, limit)


def sample_message(rule: AlertRule) -> AlertMessage:
    return AlertMessage(
        alert_id=f"test-{uuid.uuid4().hex[:12]}",
        rule_name=rule.name,
        story_id="test",
        headline="wirewatch test alert: this is how a new story is announced",
        url="https://example.org/wirewatch-test-alert",
        outlet="Example Outlet",
        agencies=("EFE",),
        outlet_count=3,
        article_count=4,
        languages=("en", "es"),
        published_at=datetime.now(UTC),
        topic=rule.topic,
        topic_score=0.9 if rule.topic else None,
        evidence=("sample evidence",) if rule.topic else (),
        top_entities=("Example Entity",),
    )


def send_test(
    rule: AlertRule, env: Mapping[str, str] = os.environ, *, send: Sender = apprise_send
) -> TestResult:
    """Send a sample alert through every destination of `rule`; nothing is recorded."""
    message = sample_message(rule)
    return _send_everywhere(rule, message, message.alert_id, env, send)


def replay_alert(
    store: DeliveryStore,
    alert_id: str,
    rules: list[AlertRule],
    *,
    now: datetime | None = None,
    env: Mapping[str, str] | None = None,
    send: Sender = apprise_send,
) -> TestResult:
    """Re-send one alert on purpose, recorded as `replay` attempts; its status is kept.

    The replay carries its own idempotency key, so receivers that drop repeats of the
    original delivery still show it.
    """
    loaded = store.load_alert(alert_id)
    if loaded is None:
        raise UnknownAlert(f"no alert with id {alert_id!r}")
    row, message = loaded
    rule = next((r for r in rules if r.name == row.rule_name), None)
    if rule is None:
        raise ConfigError(f"alert {alert_id} belongs to rule {row.rule_name!r}, not configured")
    moment = now or datetime.now(UTC)
    replay_id = f"{alert_id}.replay.{moment.strftime('%Y%m%dT%H%M%S')}"
    result = _send_everywhere(rule, message, replay_id, os.environ if env is None else env, send)
    store.record_attempts(
        Outcome(
            delivery_id=replay_id,
            alert_ids=(row.alert_id,),
            status="replayed",  # informational: record_attempts changes no status
            attempted_at=moment,
            next_attempt_at=None,
            error=None,
            attempts=result.attempts,
            kind="replay",
        )
    )
    return result


def _send_everywhere(
    rule: AlertRule,
    message: AlertMessage,
    delivery_id: str,
    env: Mapping[str, str],
    send: Sender,
) -> TestResult:
    resolution = resolve_destinations(rule, env)
    outgoing = Outgoing(
        delivery_id, render_alert(message, "markdown"), render_alert(message, "text")
    )
    attempts = []
    for destination in resolution.destinations:
        result = send(destination, outgoing)
        error = redact(result.error, [destination.url]) if result.error else None
        attempts.append(AttemptRecord(destination.label, result.ok, error))
    return TestResult(rule.name, tuple(attempts), tuple(str(p) for p in resolution.problems))
