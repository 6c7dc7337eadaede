"""Each delivered alert as a Prefect event, so Prefect automations can react to it.

Event `wirewatch.alert.raised`; resource `wirewatch.story.<story_id>`; related resource
`wirewatch.rule.<rule>` (role `alert-rule`). See docs/alerts.md for an automation.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flows.alerts.message import AlertMessage, format_time

EVENT_NAME = "wirewatch.alert.raised"
_EVENT_NAMESPACE = uuid.UUID("6f1c7d2e-0b7a-4c55-9d53-4a1f3e1b2c10")

logger = logging.getLogger(__name__)

# Called once per delivered story; returns whether the event was handed to Prefect.
Emitter = Callable[[AlertMessage, str], bool]


@dataclass(frozen=True)
class AlertEvent:
    """The arguments of `prefect.events.emit_event` for one alert."""

    event: str
    resource: dict[str, str]
    related: list[dict[str, str]]
    payload: dict[str, Any]
    id: uuid.UUID


def alert_event(message: AlertMessage, delivery_id: str) -> AlertEvent:
    """Pure: the event for one delivered alert. Resource labels must be strings."""
    return AlertEvent(
        event=EVENT_NAME,
        resource={
            "prefect.resource.id": f"wirewatch.story.{message.story_id}",
            "prefect.resource.name": message.headline[:200],
            "wirewatch.outlet-count": str(message.outlet_count),
            "wirewatch.languages": ",".join(message.languages),
        },
        related=[
            {
                "prefect.resource.id": f"wirewatch.rule.{message.rule_name}",
                "prefect.resource.role": "alert-rule",
                "prefect.resource.name": message.rule_name,
            }
        ],
        payload={
            "alert_id": message.alert_id,
            "delivery_id": delivery_id,
            "headline": message.headline,
            "url": message.url,
            "outlet": message.outlet,
            "agencies": list(message.agencies),
            "outlet_count": message.outlet_count,
            "article_count": message.article_count,
            "languages": list(message.languages),
            "published_at": format_time(message.published_at),
            "topic": message.topic,
            "topic_score": message.topic_score,
            "evidence": list(message.evidence),
            "entities": list(message.top_entities),
        },
        # Stable per (alert, delivery): a re-sent alert (at-least-once) re-emits the same id.
        id=uuid.uuid5(_EVENT_NAMESPACE, f"{message.alert_id}/{delivery_id}"),
    )


def prefect_api_configured() -> bool:
    """True inside a flow run or with PREFECT_API_URL set.

    Outside both, `emit_event` would start a temporary Prefect server just to receive one
    event that nobody can see afterwards; emission is skipped instead.
    """
    from prefect.context import FlowRunContext
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value()) or FlowRunContext.get() is not None


def emit_alert_raised(message: AlertMessage, delivery_id: str) -> bool:
    """Emit `wirewatch.alert.raised`; returns False (and logs why) when not emitted.

    Never raises: Prefect's events worker sends in the background, and a missing or
    unreachable API must not turn a delivered alert into a failed one.
    """
    if not prefect_api_configured():
        logger.info("alert %s: no Prefect API configured, event not emitted", message.alert_id)
        return False
    from prefect.events import emit_event

    spec = alert_event(message, delivery_id)
    try:
        emitted = emit_event(
            event=spec.event,
            resource=spec.resource,
            related=spec.related,
            payload=spec.payload,
            id=spec.id,
        )
    except Exception as exc:  # emission is best effort by design (see docstring)
        logger.warning("alert %s: Prefect event not emitted: %s", message.alert_id, exc)
        return False
    return emitted is not None
