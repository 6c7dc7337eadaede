"""Alert delivery around a cycle: after the load, and the nightly digest flush.

Delivery holds no connection while it talks to the network: the store opens the writer for
each short claim or record step (see docs/alerts.md for the at-least-once semantics).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from flows.alerts import AlertRule, DeliveryStats, DeliveryStore, deliver_pending, flush_digests
from flows.configured_lists import load_rules_for
from flows.settings import Settings
from warehouse.connection import open_writer


def delivery_store(settings: Settings) -> DeliveryStore:
    target = settings.warehouse_target
    return DeliveryStore(partial(open_writer, target, wait_s=settings.lock_timeout_s))


def deliver_after_cycle(settings: Settings, rules: Sequence[AlertRule],
                        now: datetime) -> DeliveryStats:
    """Send alerts due now, including retries of earlier failures whose backoff has passed."""
    return deliver_pending(delivery_store(settings), rules, now=now,
                           brief=partial(digest_brief, settings))


def digest_brief(settings: Settings, rule: AlertRule) -> str | None:
    """The brief (window `brief_since`, the rule's topic) as an e-mail body."""
    from flows.report import brief_options, read_brief
    from flows.report.page import render_email_html

    if not settings.brief_since:
        return None
    topics = (rule.topic,) if rule.topic else ()
    return render_email_html(read_brief(settings, brief_options(settings, None, topics)))


def flush_due_digests(settings: Settings, now: datetime) -> int:
    """Nightly: send every waiting digest, whatever its window. Returns messages delivered."""
    stats = flush_digests(delivery_store(settings), load_rules_for(settings), now=now,
                          brief=partial(digest_brief, settings))
    return stats.delivered
