import random
from datetime import UTC, datetime, timedelta

from flows.schedule import IntervalPolicy, adaptive_interval, backoff_seconds, next_poll_time

POLICY = IntervalPolicy(default_s=600, min_s=300, max_s=3600, max_backoff_s=7200, jitter=0.1)
NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def test_backoff_doubles_and_is_capped_but_never_infinite():
    delays = [backoff_seconds(n, POLICY) for n in range(1, 10)]
    assert delays[:3] == [600, 1200, 2400]
    assert max(delays) == 7200
    assert backoff_seconds(10_000, POLICY) == 7200


def test_adaptive_interval_follows_publishing_rhythm():
    hourly = [NOW - timedelta(hours=h) for h in range(6)]
    assert adaptive_interval(hourly, 600, True, POLICY) == 1800  # half the median gap
    busy = [NOW - timedelta(minutes=m) for m in range(0, 30, 2)]
    assert adaptive_interval(busy, 600, True, POLICY) == POLICY.min_s


def test_silent_feed_is_asked_less_often_up_to_the_cap():
    interval = 600.0
    for _ in range(20):
        interval = adaptive_interval([], interval, False, POLICY)
    assert interval == POLICY.max_s


def test_jitter_stays_within_bounds_and_retry_after_wins():
    rng = random.Random(7)
    times = [next_poll_time(NOW, 1000, POLICY, rng) for _ in range(200)]
    offsets = [(t - NOW).total_seconds() for t in times]
    assert min(offsets) >= 900 and max(offsets) <= 1100
    assert len(set(offsets)) > 100  # actually jittered
    later = next_poll_time(NOW, 1000, POLICY, rng, retry_after_s=5000)
    assert (later - NOW).total_seconds() == 5000
