"""Alert rules: which stories someone wants to hear about, and where to tell them.

Rules come from `[[rules]]` tables in the config file (or the packaged default). They hold
no secrets: `destinations_env` names the environment variables holding Apprise URLs.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from flows.errors import ConfigError

MODES = ("immediate", "digest")
_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_ENV_PATTERN = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_DEFAULT_RULES_RESOURCE = ("flows.data", "rules.toml")

_KNOWN_FIELDS = frozenset({
    "name",
    "topic",
    "min_score",
    "entities",
    "outlets",
    "languages",
    "min_outlets",
    "max_story_age_hours",
    "destinations_env",
    "mode",
    "digest_minutes",
    "brief",
})


@dataclass(frozen=True)
class AlertRule:
    """One alert rule. A story matches when every condition that is set holds."""

    name: str
    topic: str | None = None
    min_score: float = 0.5
    entities: tuple[str, ...] = ()  # any of these entity ids
    outlets: tuple[str, ...] = ()  # any of these outlet ids; empty = all
    languages: tuple[str, ...] = ()  # any of these languages; empty = all
    min_outlets: int = 1
    # Bounds the look-back so a new rule (or a fresh install) does not alert the archive.
    max_story_age_hours: float = 48.0
    destinations_env: tuple[str, ...] = ("WIREWATCH_ALERT_URLS",)
    mode: str = "immediate"
    digest_minutes: int = 60
    brief: bool = False  # digest mode: e-mail destinations get the HTML brief (docs/report.md)

    @property
    def is_trending(self) -> bool:
        return self.min_outlets > 1

    @property
    def is_digest(self) -> bool:
        return self.mode == "digest"


def parse_rules(data: Sequence[Mapping[str, Any]], source: str) -> list[AlertRule]:
    """Validate `[[rules]]` tables; errors name the source, the rule and the field."""
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise ConfigError(f"{source}: rules must be a list of [[rules]] tables")
    rules = [_parse_rule(entry, f"{source}: rules[{index}]") for index, entry in enumerate(data)]
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ConfigError(f"{source}: rule name {rule.name!r} is used twice")
        seen.add(rule.name)
    return rules


def default_rules() -> list[AlertRule]:
    """The packaged rules (flows/data/rules.toml): U.S.–Mexico security, immediate."""
    package, name = _DEFAULT_RULES_RESOURCE
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text).get("rules", []), source=f"{package}/{name}")


def rules_from_config(extra: Mapping[str, Any], source: str) -> list[AlertRule]:
    """Rules of a config file's `[[rules]]`, or the default rules when it has none."""
    if "rules" not in extra:
        return default_rules()
    return parse_rules(extra["rules"], source)


def _parse_rule(entry: Any, where: str) -> AlertRule:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: expected a table, got {type(entry).__name__}")
    unknown = sorted(set(entry) - _KNOWN_FIELDS)
    if {"destinations", "urls", "url"} & set(unknown):
        raise ConfigError(
            f"{where}: destination URLs are secrets and belong in environment variables; "
            "name those variables in destinations_env"
        )
    if unknown:
        raise ConfigError(f"{where}: unknown field(s): {', '.join(unknown)}")
    name = _text(entry, "name", where, required=True)
    assert name is not None  # required=True guarantees it; narrows the type
    if not _NAME_PATTERN.match(name):
        raise ConfigError(f"{where}.name: {name!r} must be lower-case letters, digits, _ . -")
    where = f"{where} ({name})"
    rule = AlertRule(
        name=name,
        topic=_text(entry, "topic", where),
        min_score=_number(entry, "min_score", where, default=0.5, low=0.0, high=1.0),
        entities=_strings(entry, "entities", where),
        outlets=_strings(entry, "outlets", where),
        languages=tuple(code.lower() for code in _strings(entry, "languages", where)),
        min_outlets=int(_number(entry, "min_outlets", where, default=1, low=1, integer=True)),
        max_story_age_hours=_number(
            entry, "max_story_age_hours", where, default=48.0, low=0.0, exclusive_low=True
        ),
        destinations_env=_env_names(entry, where),
        mode=_mode(entry, where),
        digest_minutes=int(
            _number(entry, "digest_minutes", where, default=60, low=1, integer=True)
        ),
        brief=_flag(entry, "brief", where),
    )
    _require_a_condition(rule, where)
    return rule


def _flag(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}.{key}: expected true or false, got {value!r}")
    return value


def _require_a_condition(rule: AlertRule, where: str) -> None:
    # A rule without any condition would alert on every story the pipeline ever sees.
    if not (rule.topic or rule.entities or rule.outlets or rule.languages or rule.is_trending):
        raise ConfigError(
            f"{where}: the rule has no condition; set topic, entities, outlets, languages "
            "or min_outlets > 1"
        )


def _text(entry: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{where}.{key}: required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _number(
    entry: Mapping[str, Any],
    key: str,
    where: str,
    *,
    default: float,
    low: float,
    high: float | None = None,
    integer: bool = False,
    exclusive_low: bool = False,
) -> float:
    value = entry.get(key, default)
    wanted = "an integer" if integer else "a number"
    # bool is an int subclass in Python; `min_outlets = true` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}.{key}: expected {wanted}, got {value!r}")
    if integer and not isinstance(value, int):
        raise ConfigError(f"{where}.{key}: expected {wanted}, got {value!r}")
    too_low = value <= low if exclusive_low else value < low
    if too_low or (high is not None and value > high):
        bounds = f"> {low}" if exclusive_low else f">= {low}"
        if high is not None:
            bounds += f" and <= {high}"
        raise ConfigError(f"{where}.{key}: {value!r} must be {bounds}")
    return float(value)


def _strings(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}.{key}: expected a list of non-empty strings, got {value!r}")
    return tuple(dict.fromkeys(v.strip() for v in value))


def _env_names(entry: Mapping[str, Any], where: str) -> tuple[str, ...]:
    names = _strings(entry, "destinations_env", where) or ("WIREWATCH_ALERT_URLS",)
    for name in names:
        if not _ENV_PATTERN.match(name):
            # Usually a URL pasted where a variable name belongs: never echo it, it may hold
            # a token.
            raise ConfigError(
                f"{where}.destinations_env: an entry is not an environment variable name "
                "(upper-case letters, digits and _); put the URL in that variable instead"
            )
    return names


def _mode(entry: Mapping[str, Any], where: str) -> str:
    mode = entry.get("mode", "immediate")
    if mode not in MODES:
        raise ConfigError(f"{where}.mode: {mode!r} must be one of {', '.join(MODES)}")
    return str(mode)
