import hashlib
import random
from datetime import UTC, datetime, timedelta

from flows.errors import HTTPStatusError, NetworkError
from flows.poll import classify, poll_records
from flows.schedule import IntervalPolicy
from flows.transport import FetchRequest, FetchResult
from warehouse.feedstate import FeedState

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
POLICY = IntervalPolicy(default_s=600, min_s=300, max_s=3600, max_backoff_s=7200, jitter=0.0)
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>A</title><link>https://n.example/a</link><guid>a</guid>
<pubDate>Mon, 12 Jan 2026 10:00:00 GMT</pubDate></item>
<item><title>B</title><link>https://n.example/b</link><guid>b</guid>
<pubDate>Mon, 12 Jan 2026 11:00:00 GMT</pubDate></item>
<item><title>C</title><link>https://n.example/c</link><guid>c</guid>
<pubDate>Mon, 12 Jan 2026 11:30:00 GMT</pubDate></item>
</channel></rss>"""


def state(body_hash=None, failures=0):
    return FeedState("https://n.example/rss", "n", '"e1"', None, body_hash, failures, 600,
                     None, None, None)


def result(body=None, status=200, error=None, not_modified=False, retry_after=None):
    return FetchResult(FetchRequest("https://n.example/rss", "feed"), "https://n.example/rss",
                       status, body, "application/rss+xml", "utf-8", '"e2"', None,
                       not_modified, retry_after, (), 0.05, error)


def test_changed_body_is_parsed_and_reschedules_by_rhythm():
    outcome = classify(state(), result(RSS), NOW)
    assert outcome.status == "ok" and len(outcome.parsed.items) == 3
    poll, update = poll_records(outcome, 3, run_id="r", now=NOW, policy=POLICY,
                                rng=random.Random(1))
    assert poll.items == 3 and poll.new_items == 3 and poll.error is None
    assert update.etag == '"e2"' and update.consecutive_failures == 0
    # gaps of 60 and 30 minutes: half the (upper) median gap
    assert update.interval_seconds == 1800
    assert update.next_poll_at == NOW + timedelta(seconds=1800)


def test_same_bytes_despite_no_304_is_unchanged_and_not_parsed():
    digest = hashlib.sha256(RSS).hexdigest()
    outcome = classify(state(body_hash=digest), result(RSS), NOW)
    assert outcome.status == "unchanged" and outcome.parsed is None


def test_not_modified_keeps_validators():
    outcome = classify(state(body_hash="h"), result(None, 304, not_modified=True), NOW)
    _, update = poll_records(outcome, 0, run_id="r", now=NOW, policy=POLICY,
                             rng=random.Random(1))
    assert outcome.status == "not_modified"
    assert update.body_hash == "h" and update.interval_seconds == 900


def test_failure_backs_off_and_honours_retry_after():
    error = HTTPStatusError("http_status", "HTTP 503", status=503, retry_after_s=5000)
    outcome = classify(state(failures=2), result(None, 503, error=error, retry_after=5000), NOW)
    poll, update = poll_records(outcome, 0, run_id="r", now=NOW, policy=POLICY,
                                rng=random.Random(1))
    assert outcome.status == "failed" and outcome.transient
    assert poll.error.startswith("http_status")
    assert update.consecutive_failures == 3
    assert update.etag == '"e1"'  # a failed poll keeps the old validators
    assert update.next_poll_at == NOW + timedelta(seconds=5000)


def test_network_failure_backoff_grows_with_failures():
    error = NetworkError("connect", "connection refused")
    delays = []
    for failures in (0, 1, 2):
        outcome = classify(state(failures=failures), result(None, None, error=error), NOW)
        _, update = poll_records(outcome, 0, run_id="r", now=NOW, policy=POLICY,
                                 rng=random.Random(1))
        delays.append((update.next_poll_at - NOW).total_seconds())
    assert delays == [600, 1200, 2400]


def test_html_instead_of_feed_is_a_terminal_failure_with_reason():
    outcome = classify(state(), result(b"<html><body>Not a feed</body></html>"), NOW)
    assert outcome.status == "failed" and not outcome.transient
    assert outcome.error.startswith("feed:")


def test_malformed_feed_keeps_recovered_items_but_counts_as_failing():
    broken = RSS.replace(b"<title>C</title>", b"<title>C & broken</title>")
    outcome = classify(state(), result(broken), NOW)
    assert outcome.status == "partial"
    assert outcome.parsed.items and outcome.error.startswith("feed: malformed")
    poll, update = poll_records(outcome, 1, run_id="r", now=NOW, policy=POLICY,
                                rng=random.Random(1))
    assert update.consecutive_failures == 1 and poll.warnings
