"""Delivery end to end: real warehouse file, real Apprise, real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import logging
from contextlib import closing
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from alert_warehouse import Newsroom
from webhook_receiver import WebhookReceiver

from flows.alerts import (
    AlertRule,
    DeliveryPolicy,
    DeliveryStore,
    deliver_pending,
    flush_digests,
    replay_alert,
    send_test,
)
from flows.alerts.message import AlertMessage

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
TOPIC = "us_mexico_security"
SECRET = "s3cr3t-t0ken-9f8e7d"
RULE = AlertRule(name="usmx", topic=TOPIC, min_score=0.5)


@pytest.fixture
def newsroom(tmp_path):
    room = Newsroom(tmp_path / "wh.duckdb")
    for outlet_id, name, language in [
        ("jornada", "La Jornada", "es"),
        ("milenio", "Milenio", "es"),
        ("apnews", "AP News", "en"),
        ("sports", "Sports Daily", "en"),
    ]:
        room.outlet(outlet_id, name, language, T0)
    return room


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def store(newsroom):
    return DeliveryStore.for_path(newsroom.path)


def hook_env(receiver: WebhookReceiver, name: str = "WIREWATCH_ALERT_URLS") -> dict[str, str]:
    return {name: f"json://127.0.0.1:{receiver.port}/hook/{SECRET}"}


def new_story(room: Newsroom, story_id: str, at: datetime, *, score: float = 0.8) -> None:
    article_id = f"{story_id}-a"
    title = f"Headline of {story_id}: cartel violence near the border"
    room.article(article_id, "jornada", title, "es", at)
    room.story(story_id, article_id, title, at)
    room.topic(article_id, TOPIC, score, ["term:cartel", "term:frontera", "entity:Q_SEDENA"])


def join_story(room: Newsroom, story_id: str, article_id: str, outlet_id: str, language: str,
               at: datetime, method: str) -> None:
    room.article(article_id, outlet_id, "copy", language, at)
    room.assign(article_id, story_id, method, at, source=f"{story_id}-a", agency="efe")
    room.topic(article_id, TOPIC, 0.9, ["term:cartel"])


def cycle(room: Newsroom, store: DeliveryStore, env: dict[str, str], now: datetime,
          rules: list[AlertRule] | None = None, **options: object):
    """One ingest cycle's alert stage: enqueue in the write transaction, then deliver."""
    rules = rules or [RULE]
    room.enqueue(rules, now)
    return deliver_pending(store, rules, now=now, env=env, emit=None, **options)


def test_one_message_per_new_matching_story_across_cycles(newsroom, store, hook):
    env = hook_env(hook)
    new_story(newsroom, "s1", T0)
    newsroom.entity("s1-a", "Q_SEDENA", "Sedena", mentions=2)
    newsroom.credit("s1-a", "efe", "EFE")
    newsroom.article("x1", "sports", "Final de la liga", "en", T0)
    newsroom.story("s9", "x1", "Final de la liga", T0)
    newsroom.topic("x1", "sports", 0.9, ["term:gol"])
    assert cycle(newsroom, store, env, T0).delivered == 1

    t1 = T0 + timedelta(minutes=5)
    join_story(newsroom, "s1", "s1-copy", "milenio", "es", t1, "exact")
    new_story(newsroom, "s2", t1)
    assert cycle(newsroom, store, env, t1).delivered == 1

    t2 = T0 + timedelta(minutes=10)
    join_story(newsroom, "s1", "s1-en", "apnews", "en", t2, "translation")
    stats = cycle(newsroom, store, env, t2)
    assert (stats.claimed, stats.delivered) == (0, 0)
    assert cycle(newsroom, store, env, t2 + timedelta(hours=3)).claimed == 0

    bodies = [r.json for r in hook.accepted]
    assert len(bodies) == 2
    assert "Headline of s1" in bodies[0]["title"] and "Headline of s2" in bodies[1]["title"]
    assert bodies[0]["idempotency_key"] != bodies[1]["idempotency_key"]
    first = bodies[0]["message"]
    assert "https://jornada.example/s1-a" in first
    assert "Outlet: La Jornada · credited: EFE" in first
    assert "Topic: us_mexico_security (score 0.80) · evidence: cartel, frontera, Sedena" in first
    assert "Entities: Sedena" in first
    assert newsroom.rows("SELECT story_id, status FROM alerts ORDER BY story_id") == [
        ("s1", "delivered"),
        ("s2", "delivered"),
    ]


def test_reach_is_read_when_the_alert_is_sent(newsroom, store, hook):
    new_story(newsroom, "s1", T0)
    newsroom.enqueue([RULE], T0)
    join_story(newsroom, "s1", "s1-en", "apnews", "en", T0, "translation")
    deliver_pending(store, [RULE], now=T0, env=hook_env(hook), emit=None)
    body = hook.accepted[0].json["message"]
    assert "Carried so far by 2 outlets (2 articles) in en, es" in body


def test_a_receiver_that_fails_twice_gets_the_alert_exactly_once(newsroom, store, hook):
    env = hook_env(hook)
    hook.fail_next(2)
    new_story(newsroom, "s1", T0)
    assert cycle(newsroom, store, env, T0).failed == 1
    # Within the backoff nothing is re-sent.
    assert cycle(newsroom, store, env, T0 + timedelta(seconds=30)).claimed == 0
    assert cycle(newsroom, store, env, T0 + timedelta(seconds=61)).failed == 1
    assert cycle(newsroom, store, env, T0 + timedelta(seconds=100)).claimed == 0
    assert cycle(newsroom, store, env, T0 + timedelta(minutes=4)).delivered == 1
    for minutes in (10, 60, 600):
        assert cycle(newsroom, store, env, T0 + timedelta(minutes=minutes)).claimed == 0

    assert [r.answered for r in hook.received] == [500, 500, 200]
    assert len(hook.accepted) == 1
    keys = {r.json["idempotency_key"] for r in hook.received}
    assert len(keys) == 1
    attempts = newsroom.rows(
        "SELECT ok, error, destination FROM alert_attempts ORDER BY attempted_at"
    )
    assert [a[0] for a in attempts] == [False, False, True]
    assert "error=500" in attempts[0][1]
    assert {a[2] for a in attempts} == {"WIREWATCH_ALERT_URLS[0] json"}
    assert newsroom.rows("SELECT status, attempts, last_error FROM alerts") == [
        ("delivered", 3, None)
    ]


def test_backoff_grows_and_is_capped(newsroom, store, hook):
    policy = DeliveryPolicy(base_backoff=timedelta(minutes=1), max_backoff=timedelta(minutes=3))
    hook.fail_next(10)
    new_story(newsroom, "s1", T0)
    now = T0
    waits = []
    for _ in range(4):
        cycle(newsroom, store, hook_env(hook), now, policy=policy)
        next_at = newsroom.rows("SELECT next_attempt_at FROM alerts")[0][0]
        waits.append(next_at - now)
        now = next_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 3, 3)]


def test_a_failing_destination_does_not_repeat_a_working_one(newsroom, store):
    with WebhookReceiver() as good, WebhookReceiver() as flaky:
        env = {**hook_env(good, "ALERTS_GOOD"), **hook_env(flaky, "ALERTS_FLAKY")}
        rules = [AlertRule(name="usmx", topic=TOPIC, destinations_env=("ALERTS_GOOD",
                                                                       "ALERTS_FLAKY"))]
        flaky.fail_next(1)
        new_story(newsroom, "s1", T0)
        assert cycle(newsroom, store, env, T0, rules).failed == 1
        assert cycle(newsroom, store, env, T0 + timedelta(minutes=2), rules).delivered == 1
        assert len(good.received) == 1
        assert len(flaky.accepted) == 1


def test_an_unset_variable_is_recorded_and_retried(newsroom, store, hook):
    new_story(newsroom, "s1", T0)
    stats = cycle(newsroom, store, {}, T0)
    assert stats.failed == 1
    assert "WIREWATCH_ALERT_URLS is not set" in stats.errors[0]
    assert newsroom.rows("SELECT destination, ok, error FROM alert_attempts") == [
        ("WIREWATCH_ALERT_URLS (unset)", False, "environment variable WIREWATCH_ALERT_URLS "
                                               "is not set")
    ]
    assert cycle(newsroom, store, hook_env(hook), T0 + timedelta(minutes=2)).delivered == 1
    assert len(hook.accepted) == 1


def test_an_alert_failing_past_the_deadline_is_abandoned_with_its_reason(newsroom, store, hook):
    policy = DeliveryPolicy(give_up_after=timedelta(hours=1))
    hook.fail_next(100)
    new_story(newsroom, "s1", T0)
    cycle(newsroom, store, hook_env(hook), T0, policy=policy)
    stats = cycle(newsroom, store, hook_env(hook), T0 + timedelta(hours=2), policy=policy)
    assert stats.abandoned == 1
    later = cycle(newsroom, store, hook_env(hook), T0 + timedelta(hours=5), policy=policy)
    assert later.claimed == 0
    status, error = newsroom.rows("SELECT status, last_error FROM alerts")[0]
    assert status == "abandoned"
    assert "error=500" in error
    assert len(hook.received) == 2


def test_digest_sends_one_message_for_several_stories(newsroom, store, hook):
    env = hook_env(hook)
    rules = [AlertRule(name="usmx-digest", topic=TOPIC, mode="digest", digest_minutes=30)]
    for minute, story_id in [(0, "s1"), (5, "s2"), (10, "s3")]:
        new_story(newsroom, story_id, T0 + timedelta(minutes=minute))
        stats = cycle(newsroom, store, env, T0 + timedelta(minutes=minute), rules)
        assert stats.claimed == 0
    assert cycle(newsroom, store, env, T0 + timedelta(minutes=29), rules).claimed == 0
    assert cycle(newsroom, store, env, T0 + timedelta(minutes=31), rules).delivered == 1

    new_story(newsroom, "s4", T0 + timedelta(minutes=40))
    assert cycle(newsroom, store, env, T0 + timedelta(minutes=40), rules).claimed == 0
    flushed = flush_digests(store, rules, now=T0 + timedelta(minutes=41), env=env, emit=None)
    assert flushed.delivered == 1

    first, second = (r.json for r in hook.accepted)
    assert first["title"] == "[usmx-digest] 3 new stories"
    assert [n in first["message"] for n in ("s1", "s2", "s3", "s4")] == [True, True, True, False]
    assert second["title"] == "[usmx-digest] 1 new story"
    assert "Headline of s4" in second["message"]
    digests = newsroom.rows(
        "SELECT delivery_id, count(*), bool_and(status = 'delivered') FROM alerts "
        "GROUP BY delivery_id ORDER BY count(*) DESC"
    )
    assert [(d[1], d[2]) for d in digests] == [(3, True), (1, True)]
    assert digests[0][0] == first["idempotency_key"]
    assert digests[0][0].startswith("dg_")


def test_crash_between_sending_and_recording_resends_after_the_lease(newsroom, hook):
    """At-least-once: the message went out, the record did not; the lease expires, the
    alert goes out again with the same idempotency key, and is then recorded once."""
    env = hook_env(hook)
    opened: list[int] = []

    def connect_then_fail():
        opened.append(1)
        if len(opened) == 2:  # 1st: claim, 2nd: record the result
            raise duckdb.IOException("warehouse unavailable while recording")
        return closing(duckdb.connect(str(newsroom.path)))

    new_story(newsroom, "s1", T0)
    newsroom.enqueue([RULE], T0)
    with pytest.raises(duckdb.IOException):
        deliver_pending(DeliveryStore(connect_then_fail), [RULE], now=T0, env=env, emit=None)
    assert len(hook.accepted) == 1
    assert newsroom.rows("SELECT status FROM alerts") == [("sending",)]

    store = DeliveryStore.for_path(newsroom.path)
    policy = DeliveryPolicy(lease=timedelta(minutes=15))
    early = deliver_pending(store, [RULE], now=T0 + timedelta(minutes=5), env=env, emit=None,
                            policy=policy)
    assert early.claimed == 0  # the claim could still belong to a slow, living run
    late = deliver_pending(store, [RULE], now=T0 + timedelta(minutes=16), env=env, emit=None,
                           policy=policy)
    assert late.delivered == 1
    assert deliver_pending(store, [RULE], now=T0 + timedelta(hours=1), env=env,
                           emit=None).claimed == 0

    keys = [r.json["idempotency_key"] for r in hook.accepted]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert [r.headers["Idempotency-Key"] for r in hook.accepted] == keys
    assert newsroom.rows("SELECT status FROM alerts") == [("delivered",)]


def test_secrets_never_reach_the_warehouse_or_the_logs(newsroom, store, hook, caplog):
    caplog.set_level(logging.INFO)
    # Apprise logs request URLs at DEBUG: masked too. (urllib3's DEBUG lines show request
    # paths, as any HTTP client's do; docs/alerts.md says not to run it at DEBUG.)
    caplog.set_level(logging.DEBUG, logger="apprise")
    caplog.set_level(logging.DEBUG, logger="flows.alerts")
    env = {
        "WIREWATCH_ALERT_URLS": " ".join([
            f"json://user:{SECRET}@127.0.0.1:{hook.port}/hook/{SECRET}",
            f"json://127.0.0.1:9/refused/{SECRET}",  # nothing listens on port 9
            f"nosuchscheme://{SECRET}/x",
            f"slack://{SECRET}",  # incomplete Slack URL: Apprise refuses it
        ])
    }
    hook.fail_next(1)
    new_story(newsroom, "s1", T0)
    first = cycle(newsroom, store, env, T0)
    second = cycle(newsroom, store, env, T0 + timedelta(minutes=2))

    stored = newsroom.rows(
        "SELECT string_agg(concat_ws(' ', destination, error, delivery_id), ' ') "
        "FROM alert_attempts"
    )[0][0] + " ".join(str(v) for v in newsroom.rows("SELECT * FROM alerts")[0])
    texts = [stored, caplog.text, *first.errors, *second.errors]
    assert all(SECRET not in text for text in texts)
    assert "JSON POST URL" in caplog.text  # the DEBUG lines were there, and masked
    assert "error=500" in stored and "Connection error" in stored  # reasons survive masking
    labels = {row[0] for row in newsroom.rows("SELECT destination FROM alert_attempts")}
    assert labels == {
        "WIREWATCH_ALERT_URLS[0] json",
        "WIREWATCH_ALERT_URLS[1] json",
        "WIREWATCH_ALERT_URLS[2] nosuchscheme",
        "WIREWATCH_ALERT_URLS[3] slack",
    }


def test_event_emission_failure_does_not_fail_delivery(newsroom, store, hook):
    emitted: list[tuple[AlertMessage, str]] = []

    def broken_emit(message: AlertMessage, delivery_id: str) -> bool:
        emitted.append((message, delivery_id))
        raise ConnectionError("Prefect API unreachable")

    new_story(newsroom, "s1", T0)
    newsroom.enqueue([RULE], T0)
    stats = deliver_pending(store, [RULE], now=T0, env=hook_env(hook), emit=broken_emit)
    assert (stats.delivered, stats.events_emitted, stats.events_not_emitted) == (1, 0, 1)
    assert newsroom.rows("SELECT status FROM alerts") == [("delivered",)]
    message, delivery_id = emitted[0]
    assert message.story_id == "s1" and delivery_id.startswith("al_")


def test_replay_resends_on_purpose_and_is_recorded(newsroom, store, hook):
    env = hook_env(hook)
    new_story(newsroom, "s1", T0)
    cycle(newsroom, store, env, T0)
    alert_id = newsroom.rows("SELECT alert_id FROM alerts")[0][0]

    result = replay_alert(store, alert_id, [RULE], now=T0 + timedelta(hours=1), env=env)
    assert result.ok
    first, replayed = hook.accepted
    assert replayed.json["title"] == first.json["title"]
    assert replayed.json["idempotency_key"] != first.json["idempotency_key"]
    assert newsroom.rows("SELECT kind, ok FROM alert_attempts ORDER BY attempted_at") == [
        ("delivery", True),
        ("replay", True),
    ]
    assert newsroom.rows("SELECT status, attempts FROM alerts") == [("delivered", 1)]


def test_send_test_reaches_each_destination_and_reports_unset_ones(hook):
    ok = send_test(RULE, env=hook_env(hook))
    assert ok.ok
    assert [a.destination for a in ok.attempts] == ["WIREWATCH_ALERT_URLS[0] json"]
    assert "wirewatch test alert" in hook.accepted[0].json["title"]

    missing = send_test(RULE, env={})
    assert not missing.ok
    assert missing.problems == ("environment variable WIREWATCH_ALERT_URLS is not set",)
