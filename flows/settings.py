"""Typed settings with one documented lookup order: environment, then config file, then defaults.

Environment variables are `WIREWATCH_<FIELD>` (upper case). The config file is TOML, found at
`$WIREWATCH_CONFIG` or `./wirewatch.toml`; its `[wirewatch]` table holds settings, `[[outlets]]`
may hold outlets inline and `[[rules]]` alert rules. Secrets (alert destination URLs) are never
read from the file: rules name the environment variables that hold them.

The fetch policy's fields are settings under their own flat names (`per_host_delay_s`,
`WIREWATCH_PER_HOST_DELAY_S`); `load_settings` builds them into one `FetchPolicy`,
`Settings.fetch`, and nothing else copies them.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_type_hints

from flows.errors import ConfigError
from flows.setting_specs import SPECS, Spec, checked_spec, convert
from flows.transport.policy import FetchPolicy
from warehouse.target import WarehouseTarget

ENV_PREFIX = "WIREWATCH_"
CONFIG_ENV = "WIREWATCH_CONFIG"
DEFAULT_CONFIG_NAME = "wirewatch.toml"
# WIREWATCH_* variables that are not settings: the config file, the checkout workers run
# from (prefect.yaml), the default rule's destinations, the benchmarks' corpus folder and
# the pid served flow runs must not outlive (flows.procs).
OTHER_VARIABLES = ("WIREWATCH_CONFIG", "WIREWATCH_HOME", "WIREWATCH_ALERT_URLS",
                   "WIREWATCH_CORPUS", "WIREWATCH_PARENT_PID")


@dataclass(frozen=True)
class Settings:
    """Every tunable of a cycle. Field names double as env var and config keys."""

    db_path: Path = Path("wirewatch.duckdb")
    # "" = the DuckDB file at db_path; or ducklake:sqlite:PATH / ducklake:postgres:DSN
    warehouse: str = ""
    ducklake_data_path: str | None = None  # a str: s3://… must not become a Path
    analyst_db_path: Path | None = None  # default: <db_path stem>.analyst.duckdb beside it
    outlets_file: Path | None = None  # default: the packaged list of real outlets
    # How to fetch: user agent, timeouts, caps, politeness, address policy. Its fields are
    # settings by their own names (FETCH_SETTINGS); defaults are FetchPolicy's.
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    default_interval_minutes: float = 15.0
    min_interval_minutes: float = 5.0
    max_interval_minutes: float = 360.0
    max_backoff_minutes: float = 1440.0
    max_fetch_attempts: int = 3
    extract_workers: int | None = None  # default: all cores
    ingest_interval_minutes: float = 5.0
    ner: str = "auto"
    ner_max_articles_per_cycle: int = 20_000  # the entities stage after the load
    extra_entities_path: Path | None = None
    entity_city_min_population: int = 100_000  # 0: no generated cities in the entity base
    extra_topics_path: Path | None = None
    lock_timeout_s: float = 30.0
    maintenance_cron: str = "0 3 * * *"
    poll_retention_days: float = 30.0
    silent_feed_days: float = 3.0
    publish_analyst_copy: bool = True
    search_index_days: float = 7.0  # full-text index of the analyst copy: articles found since
    brief_since: str = "24h"  # window of the HTML brief written after each cycle; "" = none
    brief_port: int = 0  # `wirewatch serve` serves the brief on 127.0.0.1:<port>; 0 = any free
    extra: Mapping[str, Any] = field(default_factory=dict)  # [[outlets]], [[rules]] of the file

    @property
    def resolved_analyst_db_path(self) -> Path:
        if self.analyst_db_path is not None:
            return self.analyst_db_path
        return self.db_path.with_name(self.db_path.stem + ".analyst.duckdb")

    @property
    def warehouse_target(self) -> WarehouseTarget:
        """Where the warehouse lives: the DuckDB file, or a DuckLake catalog."""
        return WarehouseTarget.from_settings(self)

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes`; a fetch policy field by its setting name goes into `fetch`."""
        fetch_changes = {name: changes.pop(name) for name in list(changes)
                         if name in FETCH_SETTINGS}
        if fetch_changes:
            changes["fetch"] = dataclasses.replace(changes.get("fetch", self.fetch),
                                                   **fetch_changes)
        return dataclasses.replace(self, **changes)


#: The settings that are fields of the fetch policy (same names, same defaults).
FETCH_SETTINGS = frozenset(f.name for f in fields(FetchPolicy))
# Fields of Settings that are not settings themselves: the policy built from FETCH_SETTINGS,
# and the file's other tables.
_NOT_SETTINGS = frozenset({"fetch", "extra"})


def load_settings(
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build settings: explicit overrides, then environment, then config file, then defaults.

    Every value is converted to its setting's type and checked against its range
    (flows.setting_specs); a refusal names the setting, its source and the allowed range.
    """
    env = os.environ if env is None else env
    path = config_path or _config_path_from(env)
    file_data = _read_config_file(path) if path is not None else {}
    table = _settings_table(file_data, path)
    _refuse_unknown_variables(env, file_data)
    values: dict[str, Any] = {}
    for name, spec in specs_of_settings().items():
        env_key = ENV_PREFIX + name.upper()
        if overrides and name in overrides:
            values[name] = convert(name, spec, overrides[name], f"option {name}")
        elif env_key in env:
            values[name] = convert(name, spec, env[env_key],
                                   f"environment variable {env_key}")
        elif name in table:
            raw = convert(name, spec, table[name], f"{path}: [wirewatch] {name}")
            values[name] = _beside_config(name, raw, path)
    _check_together(values)
    extra = {key: value for key, value in file_data.items() if key != "wirewatch"}
    fetch = {name: values.pop(name) for name in list(values) if name in FETCH_SETTINGS}
    # The one place the fetch policy is built from settings; its own checks (header-safe
    # text, address networks) raise ConfigError naming the field.
    return Settings(**values, fetch=FetchPolicy(**fetch), extra=extra)


@functools.cache
def specs_of_settings() -> Mapping[str, Spec]:
    """Every setting with its type and range: the Settings fields, then the fetch policy's.

    The type comes from the field's annotation (typing.get_type_hints); the table in
    flows.setting_specs adds the range and must agree with that type."""
    specs: dict[str, Spec] = {}
    for owner in (Settings, FetchPolicy):
        hints = get_type_hints(owner)
        for f in fields(owner):
            if f.name not in _NOT_SETTINGS:
                specs[f.name] = checked_spec(f.name, hints[f.name], SPECS.get(f.name))
    return MappingProxyType(specs)


# Input files named in the config file are found beside it, wherever wirewatch runs from.
_FILE_RELATIVE = frozenset({"outlets_file", "extra_entities_path", "extra_topics_path"})


def _beside_config(name: str, value: Any, config: Path | None) -> Any:
    if name in _FILE_RELATIVE and isinstance(value, Path) and config is not None \
            and not value.is_absolute():
        return config.parent / value
    return value


def _settings_table(file_data: Mapping[str, Any], path: Path | None) -> Mapping[str, Any]:
    table = file_data.get("wirewatch", {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: wirewatch must be a table ([wirewatch]), "
                          f"not {type(table).__name__}")
    known = specs_of_settings()
    unknown = sorted(set(table) - set(known))
    if unknown:
        hints = [_closest(key, known) for key in unknown]
        raise ConfigError(f"{path}: unknown setting(s) in [wirewatch]: "
                          + ", ".join(f"{k}{h}" for k, h in zip(unknown, hints, strict=True)))
    return table


def _refuse_unknown_variables(env: Mapping[str, str], file_data: Mapping[str, Any]) -> None:
    """A mistyped WIREWATCH_* variable must not silently fall back to the default."""
    known = {ENV_PREFIX + name.upper() for name in specs_of_settings()} | set(OTHER_VARIABLES)
    known |= _rule_variables(file_data)
    unknown = sorted(key for key in env if key.startswith(ENV_PREFIX) and key not in known)
    if unknown:
        first = unknown[0]
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise ConfigError(f"environment variable {first} is not a wirewatch setting"
                          f"{_closest(first, sorted(known))}{more}")


def _rule_variables(file_data: Mapping[str, Any]) -> set[str]:
    """Variables alert rules name for their destinations: legitimate, not settings."""
    rules = file_data.get("rules")
    names: set[str] = set()
    if isinstance(rules, list):
        for rule in rules:
            listed = rule.get("destinations_env") if isinstance(rule, Mapping) else None
            if isinstance(listed, list):
                names |= {item for item in listed if isinstance(item, str)}
    return names


def _closest(word: str, candidates: Any) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


def _check_together(values: Mapping[str, Any]) -> None:
    low = values.get("min_interval_minutes", Settings.min_interval_minutes)
    high = values.get("max_interval_minutes", Settings.max_interval_minutes)
    if low > high:
        raise ConfigError(f"min_interval_minutes ({low:g}) must not exceed "
                          f"max_interval_minutes ({high:g})")


def _config_path_from(env: Mapping[str, str]) -> Path | None:
    if CONFIG_ENV in env:
        path = Path(env[CONFIG_ENV])
        if not path.is_file():
            raise ConfigError(f"{CONFIG_ENV} points at {path}, which is not a file")
        return path
    local = Path(DEFAULT_CONFIG_NAME)
    return local if local.is_file() else None


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}): "
                          "save the config file as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
