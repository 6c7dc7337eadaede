"""Stage 8: alert rules, the outbox's delivery, messages and Prefect events.

See docs/alerts.md. The pieces a pipeline calls:

- `rules_from_config(settings.extra, source)` / `parse_rules` / `default_rules`
- `warehouse.outbox.enqueue_alerts(con, rules, now=...)` inside the cycle's write transaction
- `deliver_pending(DeliveryStore(connect), rules, now=...)` after the write transaction
- `flush_digests(...)` from the nightly maintenance flow
- `list_alerts`, `send_test`, `replay_alert` for the command line
"""

from flows.alerts.commands import TestResult, UnknownAlert, list_alerts, replay_alert, send_test
from flows.alerts.deliver import (
    DEFAULT_POLICY,
    DeliveryPolicy,
    DeliveryStats,
    deliver_pending,
    flush_digests,
)
from flows.alerts.events import EVENT_NAME, alert_event, emit_alert_raised
from flows.alerts.message import AlertMessage, DigestMessage, render_alert, render_digest
from flows.alerts.rules import AlertRule, default_rules, parse_rules, rules_from_config
from flows.alerts.store import ConnectionFactory, DeliveryStore

__all__ = [
    "DEFAULT_POLICY",
    "EVENT_NAME",
    "AlertMessage",
    "AlertRule",
    "ConnectionFactory",
    "DeliveryPolicy",
    "DeliveryStats",
    "DeliveryStore",
    "DigestMessage",
    "TestResult",
    "UnknownAlert",
    "alert_event",
    "default_rules",
    "deliver_pending",
    "emit_alert_raised",
    "flush_digests",
    "list_alerts",
    "parse_rules",
    "render_alert",
    "render_digest",
    "replay_alert",
    "rules_from_config",
    "send_test",
]
