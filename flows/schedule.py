"""Pure decisions about when to poll a feed next: backoff, Retry-After and adaptive intervals."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class IntervalPolicy:
    default_s: float = 900.0
    min_s: float = 300.0
    max_s: float = 21_600.0
    max_backoff_s: float = 86_400.0
    jitter: float = 0.1  # +-10 %, so feeds that failed together do not retry in lockstep


def adaptive_interval(
    item_times: Sequence[datetime], current_s: float, had_new_items: bool, policy: IntervalPolicy
) -> float:
    """Poll about twice per typical gap between a feed's items, within [min, max].

    With fewer than three dated items the current interval stands; a poll that found nothing
    new stretches it by half, so silent feeds are asked less often without being dropped.
    """
    times = sorted(t for t in item_times if t is not None)
    if len(times) >= 3:
        gaps = sorted((b - a).total_seconds() for a, b in itertools.pairwise(times))
        positive = [g for g in gaps if g > 0]
        if positive:
            median_gap = positive[len(positive) // 2]
            return _clamp(median_gap / 2, policy)
    if not had_new_items:
        return _clamp(current_s * 1.5, policy)
    return _clamp(current_s, policy)


def backoff_seconds(consecutive_failures: int, policy: IntervalPolicy) -> float:
    """Capped exponential backoff: default, 2x, 4x … up to max_backoff_s. Never infinite."""
    exponent = max(consecutive_failures - 1, 0)
    return min(policy.default_s * (2 ** min(exponent, 20)), policy.max_backoff_s)


def next_poll_time(
    now: datetime,
    delay_s: float,
    policy: IntervalPolicy,
    rng: random.Random,
    retry_after_s: float | None = None,
) -> datetime:
    """When to poll next: the delay with jitter, but never before a server's Retry-After."""
    jittered = delay_s * (1 + rng.uniform(-policy.jitter, policy.jitter))
    if retry_after_s is not None:
        jittered = max(jittered, retry_after_s)
    return now + timedelta(seconds=jittered)


def _clamp(seconds: float, policy: IntervalPolicy) -> float:
    return max(policy.min_s, min(policy.max_s, seconds))
