"""Alert rules from configuration: validated field by field, never holding a URL."""

from __future__ import annotations

import pytest

from flows.alerts.rules import AlertRule, default_rules, parse_rules, rules_from_config
from flows.errors import ConfigError


def test_the_default_rule_watches_us_mexico_security():
    (rule,) = default_rules()
    assert rule == AlertRule(
        name="us-mexico-security",
        topic="us_mexico_security",
        min_score=0.5,
        destinations_env=("WIREWATCH_ALERT_URLS",),
        mode="immediate",
        digest_minutes=60,
    )
    assert not rule.is_trending and not rule.is_digest


def test_a_full_rule_is_parsed():
    (rule,) = parse_rules(
        [
            {
                "name": "cartels-trending",
                "topic": "us_mexico_security",
                "min_score": 0.7,
                "entities": ["Q_CJNG", "Q_SINALOA", "Q_CJNG"],
                "outlets": ["jornada"],
                "languages": ["ES", "en"],
                "min_outlets": 3,
                "destinations_env": ["SLACK_URLS", "MAIL_URLS"],
                "mode": "digest",
                "digest_minutes": 30,
            }
        ],
        source="wirewatch.toml",
    )
    assert rule.entities == ("Q_CJNG", "Q_SINALOA")  # duplicates dropped, order kept
    assert rule.languages == ("es", "en")
    assert rule.is_trending and rule.is_digest
    assert rule.destinations_env == ("SLACK_URLS", "MAIL_URLS")


def test_config_without_rules_falls_back_to_the_default():
    assert rules_from_config({}, "wirewatch.toml") == default_rules()
    assert rules_from_config({"rules": []}, "wirewatch.toml") == []


@pytest.mark.parametrize(
    ("entry", "field_named"),
    [
        ({"topic": "x"}, "rules[0].name: required"),
        ({"name": "Bad Name", "topic": "x"}, "rules[0].name"),
        ({"name": "r", "topic": "x", "min_score": 1.5}, "(r).min_score: 1.5 must be >= 0.0"),
        ({"name": "r", "topic": "x", "min_score": "high"}, "(r).min_score: expected a number"),
        ({"name": "r", "topic": "x", "min_outlets": 0}, "(r).min_outlets"),
        ({"name": "r", "topic": "x", "min_outlets": True}, "(r).min_outlets: expected an integer"),
        ({"name": "r", "topic": "x", "entities": "Q1"}, "(r).entities: expected a list"),
        ({"name": "r", "topic": "x", "mode": "hourly"}, "(r).mode: 'hourly' must be one of"),
        ({"name": "r", "topic": "x", "digest_minutes": 0}, "(r).digest_minutes"),
        ({"name": "r", "topic": "x", "colour": "red"}, "unknown field(s): colour"),
        ({"name": "r"}, "(r): the rule has no condition"),
    ],
)
def test_invalid_rules_name_the_field(entry, field_named):
    with pytest.raises(ConfigError) as raised:
        parse_rules([entry], source="wirewatch.toml")
    assert str(raised.value).startswith("wirewatch.toml: rules[0]")
    assert field_named in str(raised.value)


def test_a_url_in_the_config_is_refused_without_being_echoed():
    secret = "hooks.example.org/T000/B000/abcdefSECRET"
    for entry in (
        {"name": "r", "topic": "x", "destinations_env": [f"https://{secret}"]},
        {"name": "r", "topic": "x", "urls": [f"json://{secret}"]},
    ):
        with pytest.raises(ConfigError) as raised:
            parse_rules([entry], source="wirewatch.toml")
        assert "environment variable" in str(raised.value)
        assert "SECRET" not in str(raised.value)


def test_rule_names_must_be_unique():
    with pytest.raises(ConfigError, match="used twice"):
        parse_rules([{"name": "r", "topic": "x"}, {"name": "r", "topic": "y"}], "f.toml")


def test_a_trending_rule_needs_no_other_condition():
    (rule,) = parse_rules([{"name": "anything-big", "min_outlets": 5}], "f.toml")
    assert rule.topic is None and rule.is_trending
