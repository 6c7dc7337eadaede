"""The outlets configuration: which outlets (and wire agencies) to watch and where their feeds are.

The file is TOML, one `[[outlets]]` table per outlet; docs/outlets.md documents the schema.
Validation collects every problem in the file before raising, so a user fixes them in one pass,
and each message names the file, the outlet (index and id) and the offending field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry

from flows.errors import ConfigError

OUTLET_KINDS = ("outlet", "wire")
REQUIRED_KEYS = ("id", "name", "homepage", "language", "country", "kind", "feeds")
OPTIONAL_KEYS = ("interval_minutes", "enabled", "tags")
MAX_INTERVAL_MINUTES = 7 * 24 * 60  # a feed polled less than weekly is not being monitored
_SLUG = re.compile(r"[a-z0-9_]{1,64}")
MAX_NAME_CHARS = 200
MAX_URL_CHARS = 2048
MAX_PROBLEMS_SHOWN = 10
_TAG = re.compile(r"[a-z0-9_-]+")


@dataclass(frozen=True)
class Outlet:
    """One outlet or wire agency and its feeds, as validated from the configuration."""

    id: str
    name: str
    homepage: str
    language: str
    country: str
    kind: str
    feeds: tuple[str, ...]
    interval_minutes: int | None = None
    enabled: bool = True
    tags: tuple[str, ...] = ()


def default_outlets_path() -> Path:
    """The default outlets list shipped inside the package."""
    return Path(str(resources.files("flows") / "data" / "outlets.toml"))


def load_outlets(path: Path) -> list[Outlet]:
    """Read and validate an outlets file; raises ConfigError naming every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: outlets file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read outlets file: {exc}") from exc
    return parse_outlets(text, str(path))


def parse_outlets(text: str, source: str) -> list[Outlet]:
    """Validate outlets TOML text; `source` names the file in error messages."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    problems: list[str] = []
    outlets = _outlets_from_document(document, problems)
    _check_uniqueness(outlets, problems)
    if problems:
        raise ConfigError(_problems_message(source, problems))
    return [outlet for _, outlet in outlets]


def _problems_message(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    # The first few, then a count: 40,000 broken outlets must not print 40,000 lines.
    shown = problems[:MAX_PROBLEMS_SHOWN]
    listed = "\n".join(f"  {source}: {problem}" for problem in shown)
    more = len(problems) - len(shown)
    tail = f"\n  … and {more} more problems" if more else ""
    return f"{source}: {len(problems)} problems in the outlets file:\n{listed}{tail}"


def _outlets_from_document(
    document: dict[str, Any], problems: list[str]
) -> list[tuple[str, Outlet]]:
    """Each valid outlet with its label (`outlets[i] (id "x")`); problems appended in place."""
    for key in document:
        if key != "outlets":
            problems.append(f'unknown top-level key "{key}" (expected only [[outlets]] tables)')
    tables = document.get("outlets")
    if tables is None:
        problems.append("no [[outlets]] tables found")
        return []
    if not isinstance(tables, list) or not all(isinstance(t, Mapping) for t in tables):
        problems.append('"outlets" must be an array of tables, written as [[outlets]]')
        return []
    if not tables:
        problems.append("no [[outlets]] tables found")
    validated = []
    for index, table in enumerate(tables):
        label = _label(index, table)
        before = len(problems)
        fields = _validate_table(table, label, problems)
        if len(problems) == before:
            validated.append((label, Outlet(**fields)))
    return validated


def _label(index: int, table: Mapping[str, Any]) -> str:
    outlet_id = table.get("id")
    if isinstance(outlet_id, str) and outlet_id and len(outlet_id) <= 64:
        return f'outlets[{index}] (id "{outlet_id}")'
    return f"outlets[{index}]"


def _validate_table(table: Mapping[str, Any], label: str, problems: list[str]) -> dict[str, Any]:
    """The Outlet fields of one table; every problem found is appended to `problems`."""
    known = set(REQUIRED_KEYS) | set(OPTIONAL_KEYS)
    for key in table:
        if key not in known:
            allowed = ", ".join((*REQUIRED_KEYS, *OPTIONAL_KEYS))
            problems.append(f'{label}: unknown key "{key}" (allowed: {allowed})')
    for key in REQUIRED_KEYS:
        if key not in table:
            problems.append(f'{label}: missing required key "{key}"')

    def check(key: str, validator: Any, default: Any = None) -> Any:
        if key not in table:
            return default
        value, problem = validator(key, table[key])
        if problem:
            problems.append(f"{label}: {problem}")
        return value

    return {
        "id": check("id", _check_id),
        "name": check("name", _check_name),
        "homepage": check("homepage", _check_url),
        "language": check("language", _check_language),
        "country": check("country", _check_country),
        "kind": check("kind", _check_kind),
        "feeds": check("feeds", _check_feeds, ()),
        "interval_minutes": check("interval_minutes", _check_interval),
        "enabled": check("enabled", _check_enabled, True),
        "tags": check("tags", _check_tags, ()),
    }


# Each checker returns (normalised value, problem or None): the problem names the field.


def _check_id(key: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        return value, f"{key} {_show(value)} must be a slug of lower-case letters, digits and _"
    return value, None


def _check_name(key: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME_CHARS:
        return value, f"{key} {_show(value)} must be a non-empty string of at most " \
                      f"{MAX_NAME_CHARS} characters"
    return value.strip(), None


def _check_url(key: str, value: Any) -> tuple[Any, str | None]:
    problem = _url_problem(value)
    return value, (f"{key} {_show(value)} {problem}" if problem else None)


def _url_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string URL"
    if len(value) > MAX_URL_CHARS:
        return f"is longer than {MAX_URL_CHARS} characters"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) URL"
    if not parts.hostname:
        return "has no host name"
    return None


def _check_language(key: str, value: Any) -> tuple[Any, str | None]:
    if not (isinstance(value, str) and len(value) == 2 and value.islower()):
        return value, f"{key} {_show(value)} is not a two-letter ISO 639-1 code"
    if pycountry.languages.get(alpha_2=value) is None:
        return value, f"{key} {_show(value)} is not a known ISO 639-1 code"
    return value, None


def _check_country(key: str, value: Any) -> tuple[Any, str | None]:
    if not (isinstance(value, str) and len(value) == 2 and value.isupper()):
        return value, f"{key} {_show(value)} is not a two-letter upper-case ISO 3166-1 code"
    if pycountry.countries.get(alpha_2=value) is None:
        return value, f"{key} {_show(value)} is not a known ISO 3166-1 alpha-2 country code"
    return value, None


def _check_kind(key: str, value: Any) -> tuple[Any, str | None]:
    if value not in OUTLET_KINDS:
        return value, f"{key} {_show(value)} must be one of: {', '.join(OUTLET_KINDS)}"
    return value, None


def _check_feeds(key: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or not value:
        return (), f"{key} must be a non-empty list of feed URLs"
    for position, url in enumerate(value):
        problem = _url_problem(url)
        if problem:
            return (), f"{key}[{position}] {_show(url)} {problem}"
    return tuple(value), None


def _check_interval(key: str, value: Any) -> tuple[Any, str | None]:
    # bool is an int subclass in Python; `interval_minutes = true` is a mistake, not 1.
    valid = isinstance(value, int) and not isinstance(value, bool)
    if not valid or not 1 <= value <= MAX_INTERVAL_MINUTES:
        return None, f"{key} {_show(value)} must be a whole number of minutes from 1 to " + str(
            MAX_INTERVAL_MINUTES
        )
    return value, None


def _check_enabled(key: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, bool):
        return True, f"{key} {_show(value)} must be true or false"
    return value, None


def _check_tags(key: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return (), f"{key} must be a list of strings"
    for tag in value:
        if not isinstance(tag, str) or not _TAG.fullmatch(tag):
            return (), f"{key} entry {_show(tag)} must be lower-case letters, digits, _ or -"
    return tuple(value), None


def _show(value: Any) -> str:
    """A value as it would look in the TOML file, for messages."""
    if isinstance(value, str):
        # A 5 MB name must not become a 5 MB error message.
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}..." ({len(value)} chars)'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _check_uniqueness(outlets: list[tuple[str, Outlet]], problems: list[str]) -> None:
    """Duplicate ids and feed URLs: a feed polled twice would double every article."""
    first_label_by_id: dict[str, str] = {}
    first_label_by_feed: dict[str, str] = {}
    for label, outlet in outlets:
        if outlet.id in first_label_by_id:
            problems.append(
                f'{label}: id "{outlet.id}" is already used by {first_label_by_id[outlet.id]}'
            )
        first_label_by_id.setdefault(outlet.id, label)
        for feed in outlet.feeds:
            if feed in first_label_by_feed:
                problems.append(
                    f'{label}: feed "{feed}" is already listed by {first_label_by_feed[feed]}'
                )
            first_label_by_feed.setdefault(feed, label)


def outlets_from_data(tables: Any, source: str) -> list[Outlet]:
    """Validate already-parsed `[[outlets]]` tables (e.g. inline in the main config file)."""
    problems: list[str] = []
    outlets = _outlets_from_document({"outlets": tables}, problems)
    _check_uniqueness(outlets, problems)
    if problems:
        raise ConfigError(_problems_message(source, problems))
    return [outlet for _, outlet in outlets]
