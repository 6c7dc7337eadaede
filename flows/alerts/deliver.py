"""Delivering the outbox: claim due alerts, send outside any transaction, record each result.

Delivery is at-least-once. A row is claimed ('sending') in one short transaction, the
message is sent with no connection open, and the result is recorded in a second short
transaction. If the process dies between sending and recording, the row stays 'sending'
until its lease runs out and is then sent again, with the same idempotency key (the
alert id, or the digest id) in the message footer and, for JSON/form/XML webhooks, in
an `idempotency_key` field and an `Idempotency-Key` header, so a receiver can drop the
repeat. At-most-once would lose an alert whenever that window is hit; for a tool whose
promise is "never lost because a webhook was down" a rare duplicate that carries its own
key is the better failure. Destinations that acknowledged a delivery are recorded per
destination and skipped on retry, so a failing Slack does not re-send to a working e-mail.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flows.alerts.destinations import Destination, redact, resolve_destinations
from flows.alerts.events import Emitter, emit_alert_raised
from flows.alerts.message import DigestMessage, render_alert, render_digest
from flows.alerts.rules import AlertRule
from flows.alerts.send import Outgoing, Sender, SendResult, apprise_send
from flows.alerts.store import ClaimRequest, Delivery, DeliveryStore
from warehouse.outbox import ABANDONED, DELIVERED, FAILED, AttemptRecord, Outcome

logger = logging.getLogger(__name__)

# Renders the HTML brief a digest of a `brief = true` rule carries to e-mail (or None).
BriefMaker = Callable[[AlertRule], str | None]


@dataclass(frozen=True)
class DeliveryPolicy:
    base_backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=1)
    # A claim older than this belongs to a run that died: its rows are sent again.
    lease: timedelta = timedelta(minutes=15)
    # News goes stale: an alert still failing after this long is abandoned, with its reason.
    give_up_after: timedelta = timedelta(days=2)
    batch_limit: int = 200


DEFAULT_POLICY = DeliveryPolicy()


@dataclass
class DeliveryStats:
    """What one delivery run did. Counts are per delivery (a digest counts once)."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    abandoned: int = 0
    attempts: int = 0
    events_emitted: int = 0
    events_not_emitted: int = 0
    stale_claims: int = 0  # recorded after the lease ran out: another run may resend
    waiting_for_unknown_rules: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeliveryContext:
    """What every delivery in one run shares."""

    rules: Mapping[str, AlertRule]
    now: datetime
    send: Sender
    emit: Emitter | None
    env: Mapping[str, str]
    policy: DeliveryPolicy
    token: str
    brief: BriefMaker | None = None


def deliver_pending(
    db: DeliveryStore,
    rules: Sequence[AlertRule],
    *,
    now: datetime,
    send: Sender = apprise_send,
    emit: Emitter | None = emit_alert_raised,
    env: Mapping[str, str] | None = None,
    policy: DeliveryPolicy = DEFAULT_POLICY,
    brief: BriefMaker | None = None,
) -> DeliveryStats:
    """Send every due immediate alert and every digest whose window has closed."""
    context = replace(_context(rules, now, send, emit, env, policy), brief=brief)
    return _run(db, context, include_immediate=True, force_digests=False)


def flush_digests(
    db: DeliveryStore,
    rules: Sequence[AlertRule],
    *,
    now: datetime,
    force: bool = True,
    send: Sender = apprise_send,
    emit: Emitter | None = emit_alert_raised,
    env: Mapping[str, str] | None = None,
    policy: DeliveryPolicy = DEFAULT_POLICY,
    brief: BriefMaker | None = None,
) -> DeliveryStats:
    """Send digests only; with `force` every waiting digest goes now (nightly flush)."""
    context = replace(_context(rules, now, send, emit, env, policy), brief=brief)
    return _run(db, context, include_immediate=False, force_digests=force)


def _context(
    rules: Sequence[AlertRule],
    now: datetime,
    send: Sender,
    emit: Emitter | None,
    env: Mapping[str, str] | None,
    policy: DeliveryPolicy,
) -> DeliveryContext:
    return DeliveryContext(
        rules={rule.name: rule for rule in rules},
        now=now,
        send=send,
        emit=emit,
        env=os.environ if env is None else env,
        policy=policy,
        token=uuid.uuid4().hex,
    )


def _run(
    db: DeliveryStore, context: DeliveryContext, *, include_immediate: bool, force_digests: bool
) -> DeliveryStats:
    claimed = db.claim(
        ClaimRequest(
            now=context.now,
            lease=context.policy.lease,
            token=context.token,
            rule_names=tuple(context.rules),
            digest_windows={
                rule.name: timedelta(minutes=rule.digest_minutes)
                for rule in context.rules.values()
            },
            limit=context.policy.batch_limit,
            include_immediate=include_immediate,
            force_digests=force_digests,
        )
    )
    stats = DeliveryStats(
        claimed=len(claimed.deliveries),
        waiting_for_unknown_rules=dict(claimed.waiting_for_unknown_rules),
    )
    for rule_name, count in claimed.waiting_for_unknown_rules.items():
        logger.warning("%d alert(s) wait for rule %r, which is not configured", count, rule_name)
    for delivery in claimed.deliveries:
        outcome = _send_delivery(delivery, context)
        # A raise here (warehouse unavailable) leaves the claim in place: the lease runs
        # out and the delivery is sent again, which is the at-least-once half of the deal.
        if db.record(outcome, token=context.token) == 0:
            stats.stale_claims += 1
        _count(stats, outcome)
        if outcome.status == DELIVERED:
            _emit_events(delivery, context, stats)
    return stats


def _send_delivery(delivery: Delivery, context: DeliveryContext) -> Outcome:
    rule = context.rules[delivery.rule_name]
    resolution = resolve_destinations(rule, context.env)
    outgoing = outgoing_for(delivery)
    if delivery.is_digest and rule.brief and context.brief is not None:
        outgoing = replace(outgoing, html=_safe_brief(context.brief, rule))
    # An unset variable is recorded like a failed attempt: visible, and retried later.
    attempts = [
        AttemptRecord(f"{problem.env_var} (unset)", False, str(problem))
        for problem in resolution.problems
    ]
    for destination in resolution.destinations:
        if destination.label in delivery.already_delivered_to:
            continue
        result = _safe_send(context.send, destination, outgoing)
        error = redact(result.error, [destination.url]) if result.error else None
        attempts.append(AttemptRecord(destination.label, result.ok, error))
        _log_attempt(delivery, destination.label, result.ok, error)
    return _outcome(delivery, attempts, context)


def outgoing_for(delivery: Delivery) -> Outgoing:
    """The message of a delivery, in both styles."""
    if delivery.is_digest:
        digest = DigestMessage(delivery.rule_name, delivery.delivery_id, delivery.messages)
        return Outgoing(
            delivery.delivery_id, render_digest(digest, "markdown"), render_digest(digest, "text")
        )
    message = delivery.messages[0]
    return Outgoing(
        delivery.delivery_id, render_alert(message, "markdown"), render_alert(message, "text")
    )


def _safe_brief(brief: BriefMaker, rule: AlertRule) -> str | None:
    try:
        return brief(rule)
    except Exception as exc:
        # The digest still goes out, as text; the brief is a bonus, not the message.
        logger.warning("rule %s: brief not attached to the digest: %s", rule.name, exc)
        return None


def _safe_send(send: Sender, destination: Destination, outgoing: Outgoing) -> SendResult:
    try:
        return send(destination, outgoing)
    except Exception as exc:
        # A sender that raises is a failed attempt like any other: recorded, retried.
        return SendResult(False, f"sender raised {type(exc).__name__}")


def _outcome(
    delivery: Delivery, attempts: list[AttemptRecord], context: DeliveryContext
) -> Outcome:
    failures = [a for a in attempts if not a.ok]
    reached_any = bool(delivery.already_delivered_to) or any(a.ok for a in attempts)
    if not failures and reached_any:
        status, next_attempt, error = DELIVERED, None, None
    else:
        error = "; ".join(f"{a.destination}: {a.error}" for a in failures) or "no destination"
        if context.now - delivery.oldest >= context.policy.give_up_after:
            status, next_attempt = ABANDONED, None
        else:
            status = FAILED
            next_attempt = context.now + backoff(delivery.attempts_so_far + 1, context.policy)
    return Outcome(
        delivery_id=delivery.delivery_id,
        alert_ids=delivery.alert_ids,
        status=status,
        attempted_at=context.now,
        next_attempt_at=next_attempt,
        error=error,
        attempts=tuple(attempts),
    )


def backoff(attempt: int, policy: DeliveryPolicy) -> timedelta:
    """Wait after the attempt-th failure: base, 2x base, 4x base, ... up to max_backoff."""
    factor = 2 ** min(max(attempt - 1, 0), 30)
    return min(policy.base_backoff * factor, policy.max_backoff)


def _count(stats: DeliveryStats, outcome: Outcome) -> None:
    stats.attempts += len(outcome.attempts)
    if outcome.status == DELIVERED:
        stats.delivered += 1
    elif outcome.status == ABANDONED:
        stats.abandoned += 1
        stats.errors.append(f"{outcome.delivery_id} abandoned: {outcome.error}")
    else:
        stats.failed += 1
        stats.errors.append(f"{outcome.delivery_id}: {outcome.error}")


def _emit_events(delivery: Delivery, context: DeliveryContext, stats: DeliveryStats) -> None:
    if context.emit is None:
        return
    for message in delivery.messages:
        try:
            emitted = context.emit(message, delivery.delivery_id)
        except Exception as exc:
            # The alert reached its destinations; a missing event must not undo that.
            logger.warning("alert %s: event emission failed: %s", message.alert_id, exc)
            emitted = False
        if emitted:
            stats.events_emitted += 1
        else:
            stats.events_not_emitted += 1


def _log_attempt(delivery: Delivery, label: str, ok: bool, error: str | None) -> None:
    if ok:
        logger.info("delivery %s sent to %s", delivery.delivery_id, label)
    else:
        logger.warning("delivery %s to %s failed: %s", delivery.delivery_id, label, error)
