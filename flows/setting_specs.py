"""The type and allowed range of every setting, and the conversion of raw values into them.

A raw value comes from a command-line option, an environment variable (always text) or the
config file (TOML: text, numbers, booleans, lists). Conversion is strict: `max_bytes = 1.9`
is refused rather than truncated, a list where a path belongs is refused rather than turned
into the text "['x']", and nan or inf is never a number of seconds. A refusal is one line
naming the setting, where the value came from and what is allowed.
"""

from __future__ import annotations

import math
import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from flows.errors import ConfigError

MAX_TEXT_CHARS = 4096  # a path or a name longer than this is a mistake, not a setting
MAX_LIST_ITEMS = 1000
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,\-?LW#]+$")


@dataclass(frozen=True, slots=True)
class Spec:
    """One setting's type and range; `describe()` is the allowed range as users read it."""

    kind: str  # "int" | "float" | "bool" | "text" | "path" | "list" | "choice" | "cron"
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the value must be greater than `low`, not equal
    optional: bool = False  # None (unset) allowed
    choices: tuple[str, ...] = ()
    allow_empty: bool = False
    max_chars: int = MAX_TEXT_CHARS

    def describe(self) -> str:
        if self.kind == "bool":
            return "true or false (1/0, yes/no, on/off)"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "cron":
            return "a cron expression of five fields (minute hour day month weekday)"
        if self.kind == "path":
            return f"a file path (text, 1 to {self.max_chars} characters)"
        if self.kind == "list":
            return f"a list of up to {MAX_LIST_ITEMS} texts (commas or spaces in a variable)"
        if self.kind == "text":
            least = 0 if self.allow_empty else 1
            return f"text on one line, {least} to {self.max_chars} characters"
        noun = "a whole number" if self.kind == "int" else "a finite number"
        return f"{noun} {self._bounds()}"

    def _bounds(self) -> str:
        low = "" if self.low is None else f"{'>' if self.low_open else '>='} {_num(self.low)}"
        high = "" if self.high is None else f"<= {_num(self.high)}"
        return " and ".join(part for part in (low, high) if part)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def convert(name: str, spec: Spec, raw: Any, source: str) -> Any:
    """`raw` as the setting's type, or ConfigError: '<source>: <value> is not <range>'."""
    if raw is None and spec.optional:
        return None
    try:
        value = _CONVERTERS[spec.kind](raw, spec)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(
            f"{source}: {_shown(raw)} is not valid for {name}: expected {spec.describe()}"
        ) from exc
    return value


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_int(raw: Any, spec: Spec) -> int:
    if isinstance(raw, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError("not a whole number")
        raw = int(raw)
    value = int(raw.strip()) if isinstance(raw, str) else raw
    if not isinstance(value, int):
        raise TypeError("not a number")
    _check_range(float(value), spec)
    return value


def _as_float(raw: Any, spec: Spec) -> float:
    if isinstance(raw, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(raw, str):
        value = float(raw.strip())
    elif isinstance(raw, int | float):
        value = float(raw)
    else:
        raise TypeError("not a number")
    if not math.isfinite(value):
        raise ValueError("nan and inf are not allowed")
    _check_range(value, spec)
    return value


def _check_range(value: float, spec: Spec) -> None:
    if spec.low is not None and (value <= spec.low if spec.low_open else value < spec.low):
        raise ValueError("below the range")
    if spec.high is not None and value > spec.high:
        raise ValueError("above the range")


def _as_bool(raw: Any, spec: Spec) -> bool:
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        raise TypeError("not a boolean")
    text = raw.strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(text)


def _as_text(raw: Any, spec: Spec) -> str:
    if not isinstance(raw, str):
        raise TypeError("not text")
    if len(raw) > spec.max_chars or any(ch in raw for ch in "\r\n\0"):
        raise ValueError("too long or not on one line")
    if not spec.allow_empty and not raw.strip():
        raise ValueError("empty")
    return raw


def _as_path(raw: Any, spec: Spec) -> Path:
    if isinstance(raw, Path):
        raw = str(raw)
    text = _as_text(raw, spec).strip()
    if not text:
        raise ValueError("empty")
    return Path(text).expanduser()


def _as_list(raw: Any, spec: Spec) -> tuple[str, ...]:
    if isinstance(raw, str):
        items = [part for part in raw.replace(",", " ").split() if part]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise TypeError("not a list")
    if len(items) > MAX_LIST_ITEMS:
        raise ValueError("too many items")
    return tuple(_as_text(item, Spec("text", max_chars=253)).strip() for item in items)


def _as_choice(raw: Any, spec: Spec) -> str:
    text = _as_text(raw, spec).strip().lower()
    if text not in spec.choices:
        raise ValueError(text)
    return text


def _as_cron(raw: Any, spec: Spec) -> str:
    fields = _as_text(raw, spec).split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(part) for part in fields):
        raise ValueError("not five cron fields")
    return " ".join(fields)


_CONVERTERS: dict[str, Callable[[Any, Spec], Any]] = {
    "int": _as_int,
    "float": _as_float,
    "bool": _as_bool,
    "text": _as_text,
    "path": _as_path,
    "list": _as_list,
    "choice": _as_choice,
    "cron": _as_cron,
}

# The Python type of each kind of Spec: "choice" and "cron" are refinements of text.
_KIND_OF_TYPE: dict[object, str] = {bool: "bool", int: "int", float: "float", str: "text",
                                    Path: "path"}
_TYPE_KIND = {"choice": "text", "cron": "text"}


def spec_from_annotation(annotation: object) -> Spec:
    """A strict type (no range) from a field's resolved annotation (typing.get_type_hints):
    `int`, `float`, `bool`, `str`, `Path`, `tuple[str, ...]`, each optionally `| None`.

    Raises TypeError for any other annotation: a setting of a new type needs a converter."""
    optional, inner = _strip_optional(annotation)
    if get_origin(inner) is tuple and get_args(inner) == (str, Ellipsis):
        return Spec("list", optional=optional)
    kind = _KIND_OF_TYPE.get(inner)
    if kind is None:
        raise TypeError(f"no setting converter for the annotation {annotation!r}")
    return Spec(kind, optional=optional, allow_empty=kind == "text")


def _strip_optional(annotation: object) -> tuple[bool, object]:
    """(True, T) for `T | None` or `Optional[T]`; (False, annotation) otherwise."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return False, annotation
    members = [arg for arg in get_args(annotation) if arg is not type(None)]
    if len(members) != 1:
        raise TypeError(f"a setting has one type, not {annotation!r}")
    return len(members) < len(get_args(annotation)), members[0]


def checked_spec(name: str, annotation: object, listed: Spec | None) -> Spec:
    """The table's Spec for a setting when it agrees with the field's annotation, else the
    annotation's strict type when the table does not list it. A disagreement (the table
    says int where the field says float) is a programming error, raised at once."""
    typed = spec_from_annotation(annotation)
    if listed is None:
        return typed
    if _TYPE_KIND.get(listed.kind, listed.kind) != typed.kind or \
            listed.optional != typed.optional:
        raise TypeError(f"setting {name}: the table says {listed.kind}"
                        f"{' or None' if listed.optional else ''}, the field {annotation!r}")
    return listed


_MINUTES_PER_YEAR = 525_600.0
_SECONDS_PER_DAY = 86_400.0

#: Every setting of `Settings` (except `extra`) with its type and range.
SPECS: dict[str, Spec] = {
    "db_path": Spec("path"),
    "warehouse": Spec("text", allow_empty=True),
    "ducklake_data_path": Spec("text", optional=True),
    "analyst_db_path": Spec("path", optional=True),
    "outlets_file": Spec("path", optional=True),
    "contact": Spec("text", optional=True, max_chars=200),
    "user_agent": Spec("text", max_chars=200),
    "allowed_hosts": Spec("list"),
    "allowed_networks": Spec("list"),
    "per_host_concurrency": Spec("int", 1, 100),
    "per_host_delay_s": Spec("float", 0, 3600),
    "total_concurrency": Spec("int", 1, 1000),
    "connect_timeout_s": Spec("float", 0, 3600, low_open=True),
    "read_timeout_s": Spec("float", 0, 3600, low_open=True),
    "total_timeout_s": Spec("float", 0, _SECONDS_PER_DAY, low_open=True),
    "max_bytes": Spec("int", 1, 1_000_000_000),
    "max_redirects": Spec("int", 0, 20),
    "respect_robots": Spec("bool"),
    "max_retry_wait_s": Spec("float", 0, 3600),
    "robots_max_bytes": Spec("int", 1, 100_000_000),
    "max_crawl_delay_s": Spec("float", 0, 3600),
    "default_interval_minutes": Spec("float", 0, _MINUTES_PER_YEAR, low_open=True),
    "min_interval_minutes": Spec("float", 0, _MINUTES_PER_YEAR, low_open=True),
    "max_interval_minutes": Spec("float", 0, _MINUTES_PER_YEAR, low_open=True),
    "max_backoff_minutes": Spec("float", 0, _MINUTES_PER_YEAR, low_open=True),
    "max_fetch_attempts": Spec("int", 1, 100),
    "extract_workers": Spec("int", 1, 256, optional=True),
    "ingest_interval_minutes": Spec("float", 0, _MINUTES_PER_YEAR, low_open=True),
    "ner": Spec("choice", choices=("auto", "off", "spacy")),
    "ner_max_articles_per_cycle": Spec("int", 0, 10_000_000),
    "extra_entities_path": Spec("path", optional=True),
    "extra_topics_path": Spec("path", optional=True),
    "entity_city_min_population": Spec("int", 0, 100_000_000),
    "lock_timeout_s": Spec("float", 0, _SECONDS_PER_DAY),
    "maintenance_cron": Spec("cron"),
    "poll_retention_days": Spec("float", 0, 36_500, low_open=True),
    "silent_feed_days": Spec("float", 0, 36_500, low_open=True),
    "publish_analyst_copy": Spec("bool"),
    "search_index_days": Spec("float", 0, 36_500),
    "brief_since": Spec("text", allow_empty=True, max_chars=40),
    "brief_port": Spec("int", 0, 65_535),
}
