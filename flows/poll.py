"""Polling decisions: conditional requests out, feed state and poll records back."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from extractors.feeds import parse_feed
from extractors.records import FeedParseResult
from flows.schedule import IntervalPolicy, adaptive_interval, backoff_seconds, next_poll_time
from flows.transport import FetchRequest, FetchResult
from warehouse.feedstate import FeedState
from warehouse.rows import FeedUpdateRow, PollRow


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one poll of one feed came to.

    status: ok | partial (malformed XML, recovered items kept) | not_modified | unchanged |
    failed. `warnings` are the parser's notes (skipped items, dropped dates, recovery).
    """

    state: FeedState
    result: FetchResult
    status: str
    parsed: FeedParseResult | None
    body_hash: str | None
    error: str | None
    transient: bool = True
    warnings: tuple[str, ...] = ()


def poll_requests(states: Sequence[FeedState]) -> list[FetchRequest]:
    return [
        FetchRequest(url=s.feed_url, kind="feed", etag=s.etag, last_modified=s.last_modified)
        for s in states
    ]


def classify(state: FeedState, result: FetchResult, now: datetime) -> PollOutcome:
    """Turn a fetch into a poll outcome; parses the body only when it really changed."""
    if result.error is not None:
        error = result.error
        return PollOutcome(state, result, "failed", None, None, error.reason,
                           transient=error.transient)
    if result.not_modified:
        return PollOutcome(state, result, "not_modified", None, state.body_hash, None)
    body = result.body or b""
    body_hash = hashlib.sha256(body).hexdigest()
    if body_hash == state.body_hash:
        # Servers that ignore validators still send the same bytes: nothing new to parse.
        return PollOutcome(state, result, "unchanged", None, body_hash, None)
    parsed = parse_feed(body, result.final_url or state.feed_url,
                        content_type=result.content_type, now=now)
    if parsed.error is not None:
        return PollOutcome(state, result, "failed", parsed, None, f"feed: {parsed.error}",
                           transient=False)
    if parsed.malformed:
        # Keep what was recovered, but count the feed as failing so its health report and
        # backoff show the publisher has a problem.
        return PollOutcome(state, result, "partial", parsed, body_hash,
                           "feed: " + "; ".join(parsed.warnings), transient=False,
                           warnings=parsed.warnings)
    return PollOutcome(state, result, "ok", parsed, body_hash, None, warnings=parsed.warnings)


def poll_records(
    outcome: PollOutcome,
    new_items: int,
    *,
    run_id: str,
    now: datetime,
    policy: IntervalPolicy,
    rng: random.Random,
) -> tuple[PollRow, FeedUpdateRow]:
    """The feed_polls row and the feeds update for one outcome."""
    state, result = outcome.state, outcome.result
    failed = outcome.status == "failed"
    failures = state.consecutive_failures + 1 if outcome.status in {"failed", "partial"} else 0
    interval = state.interval_seconds
    if outcome.status in {"ok", "partial"} and outcome.parsed is not None:
        times = [i.published for i in outcome.parsed.items if i.published is not None]
        interval = int(adaptive_interval(times, interval, new_items > 0, policy))
    elif outcome.status in {"not_modified", "unchanged"}:
        interval = int(adaptive_interval([], interval, False, policy))
    delay = backoff_seconds(failures, policy) if failed else interval
    poll = PollRow(
        run_id=run_id,
        feed_url=state.feed_url,
        polled_at=now,
        status=outcome.status,
        http_status=result.status,
        bytes=len(result.body) if result.body else 0,
        items=len(outcome.parsed.items) if outcome.parsed else 0,
        new_items=new_items,
        duration_ms=result.elapsed_s * 1000,
        error=outcome.error,
        warnings="; ".join(outcome.warnings) or None,
    )
    update = FeedUpdateRow(
        feed_url=state.feed_url,
        etag=(result.etag or state.etag) if not failed else state.etag,
        last_modified=(result.last_modified or state.last_modified)
        if not failed else state.last_modified,
        body_hash=outcome.body_hash if not failed else state.body_hash,
        last_status=outcome.status,
        last_http_status=result.status,
        last_error=outcome.error,
        last_polled_at=now,
        last_success_at=state.last_success_at if failures else now,
        last_new_item_at=now if new_items else state.last_new_item_at,
        consecutive_failures=failures,
        interval_seconds=interval,
        next_poll_at=next_poll_time(now, delay, policy, rng, result.retry_after_s),
    )
    return poll, update
