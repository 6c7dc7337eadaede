"""Alert messages: readable in Slack (markdown) and in a plain e-mail (text)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from flows.alerts.destinations import Destination, redact, split_urls
from flows.alerts.events import EVENT_NAME, alert_event
from flows.alerts.message import AlertMessage, DigestMessage, render_alert, render_digest

MESSAGE = AlertMessage(
    alert_id="al_0123",
    rule_name="us-mexico-security",
    story_id="st_42",
    headline="EU y México: <acuerdo> contra el tráfico de armas & fentanilo",
    url="https://www.jornada.com.mx/2025/03/03/politica/003n1pol",
    outlet="La Jornada",
    agencies=("EFE", "Reuters"),
    outlet_count=4,
    article_count=6,
    languages=("en", "es"),
    published_at=datetime(2025, 3, 3, 6, 5, tzinfo=timezone(timedelta(hours=-6))),
    topic="us_mexico_security",
    topic_score=0.8347,
    evidence=("tráfico de armas", "fentanilo", "Sedena", "frontera", "5", "6", "7", "8", "9"),
    top_entities=("Sedena", "Claudia Sheinbaum", "Departamento de Estado", "CJNG", "FGR", "X"),
)


def test_text_style_is_a_plain_email():
    rendered = render_alert(MESSAGE, "text")
    assert rendered.title == (
        "[us-mexico-security] EU y México: <acuerdo> contra el tráfico de armas & fentanilo"
    )
    assert rendered.body.splitlines() == [
        "EU y México: <acuerdo> contra el tráfico de armas & fentanilo",
        "https://www.jornada.com.mx/2025/03/03/politica/003n1pol",
        "Outlet: La Jornada · credited: EFE, Reuters",
        "Carried so far by 4 outlets (6 articles) in en, es",
        "Published: 2025-03-03 12:05 UTC",
        "Topic: us_mexico_security (score 0.83) · evidence: tráfico de armas, fentanilo, "
        "Sedena, frontera, 5, 6, 7, 8",
        "Entities: Sedena, Claudia Sheinbaum, Departamento de Estado, CJNG, FGR",
        "",
        "Alert al_0123 · rule us-mexico-security",
    ]


def test_markdown_style_escapes_what_slack_and_commonmark_would_swallow():
    rendered = render_alert(MESSAGE, "markdown")
    lines = rendered.body.splitlines()
    assert lines[0] == "EU y México: &lt;acuerdo&gt; contra el tráfico de armas &amp; fentanilo"
    assert lines[1] == "<https://www.jornada.com.mx/2025/03/03/politica/003n1pol>"
    assert "&lt;acuerdo&gt;" in rendered.title


def test_missing_facts_are_said_not_hidden():
    bare = AlertMessage(alert_id="al_1", rule_name="r", story_id="s", headline="H")
    body = render_alert(bare, "text").body
    assert "Outlet: unknown outlet" in body
    assert "Published: unknown" in body
    assert "Carried so far by 1 outlet (1 article) in language unknown" in body
    assert "Topic:" not in body and "Entities:" not in body


def test_digest_lists_each_story_with_its_link():
    second = AlertMessage(
        alert_id="al_2", rule_name="us-mexico-security", story_id="st_43",
        headline="Border patrol seizes record fentanyl load", url=None, outlet="Border Report",
        outlet_count=1, languages=("en",), published_at=datetime(2025, 3, 3, 13, 0, tzinfo=UTC),
    )
    digest = DigestMessage("us-mexico-security", "dg_9", (MESSAGE, second))
    rendered = render_digest(digest, "text")
    assert rendered.title == "[us-mexico-security] 2 new stories"
    assert rendered.body.splitlines() == [
        "1. EU y México: <acuerdo> contra el tráfico de armas & fentanilo",
        "   https://www.jornada.com.mx/2025/03/03/politica/003n1pol",
        "   La Jornada (credited: EFE, Reuters) · 4 outlets · en/es · 2025-03-03 12:05 UTC",
        "2. Border patrol seizes record fentanyl load",
        "   Border Report · 1 outlet · en · 2025-03-03 13:00 UTC",
        "",
        "Digest dg_9 · rule us-mexico-security",
    ]
    assert "<https://www.jornada.com.mx" in render_digest(digest, "markdown").body


def test_the_prefect_event_names_story_and_rule():
    event = alert_event(MESSAGE, "al_0123")
    assert event.event == EVENT_NAME == "wirewatch.alert.raised"
    assert event.resource["prefect.resource.id"] == "wirewatch.story.st_42"
    assert event.related == [
        {
            "prefect.resource.id": "wirewatch.rule.us-mexico-security",
            "prefect.resource.role": "alert-rule",
            "prefect.resource.name": "us-mexico-security",
        }
    ]
    assert event.payload["outlet_count"] == 4
    assert all(isinstance(value, str) for value in event.resource.values())
    # The same alert and delivery give the same event id, another delivery a new one.
    assert alert_event(MESSAGE, "al_0123").id == event.id
    assert alert_event(MESSAGE, "al_0123.replay.1").id != event.id


def test_destination_labels_and_masking():
    url = "slack://T0AAAAAAA/B0BBBBBBB/xoxbSECRETvalue/#alerts"
    destination = Destination("WIREWATCH_ALERT_URLS", 2, url)
    assert destination.label == "WIREWATCH_ALERT_URLS[2] slack"
    assert url not in repr(destination)
    masked = redact(f"could not post to {url}; token xoxbSECRETvalue refused", [url])
    assert "SECRET" not in masked and "T0AAAAAAA" not in masked
    assert redact("connection refused by hooks.example.org", ["json://hooks.example.org/x"]) \
        == "connection refused by hooks.example.org"
    assert split_urls(" json://a/1, mailto://b  slack://c/d ") == [
        "json://a/1", "mailto://b", "slack://c/d"
    ]


def test_the_documented_automation_is_valid_for_prefect():
    import re
    from pathlib import Path

    import yaml
    from prefect.events import Event
    from prefect.events.schemas.automations import AutomationCore

    doc = (Path(__file__).resolve().parents[1] / "docs" / "alerts.md").read_text("utf-8")
    block = re.search(r"```yaml\n(name: wirewatch-.*?)```", doc, re.DOTALL)
    assert block is not None
    automation = AutomationCore.model_validate(yaml.safe_load(block.group(1)))
    trigger = automation.trigger
    assert trigger.expect == {EVENT_NAME}
    assert trigger.threshold == 3
    # The trigger's filters accept the event wirewatch emits for this rule, and only it.
    event = Event(**{k: v for k, v in vars(alert_event(MESSAGE, "al_0123")).items()})
    assert trigger.match.matches(event.resource)
    assert trigger.match_related.includes(event.related)
    other_rule = replace(MESSAGE, rule_name="another-rule")
    other = Event(**{k: v for k, v in vars(alert_event(other_rule, "al_9")).items()})
    assert not trigger.match_related.includes(other.related)
