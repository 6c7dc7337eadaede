"""Typed settings with one documented lookup order: environment, then config file, then defaults.

Environment variables are `WIREWATCH_<FIELD>` (upper case). The config file is TOML, found at
`$WIREWATCH_CONFIG` or `./wirewatch.toml`; its `[wirewatch]` table holds settings, `[[outlets]]`
may hold outlets inline and `[[rules]]` alert rules. Secrets (alert destination URLs) are never
read from the file: rules name the environment variables that hold them.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from flows.errors import ConfigError
from warehouse.target import WarehouseTarget

ENV_PREFIX = "WIREWATCH_"
CONFIG_ENV = "WIREWATCH_CONFIG"
DEFAULT_CONFIG_NAME = "wirewatch.toml"


@dataclass(frozen=True)
class Settings:
    """Every tunable of a cycle. Field names double as env var and config keys."""

    db_path: Path = Path("wirewatch.duckdb")
    # "" = the DuckDB file at db_path; or ducklake:sqlite:PATH / ducklake:postgres:DSN
    warehouse: str = ""
    ducklake_data_path: str | None = None  # a str: s3://… must not become a Path
    analyst_db_path: Path | None = None  # default: <db_path stem>.analyst.duckdb beside it
    outlets_file: Path | None = None  # default: the packaged list of real outlets
    contact: str | None = None  # appended to the User-Agent
    user_agent: str = "wirewatch/0.1"
    allowed_hosts: tuple[str, ...] = ()
    allowed_networks: tuple[str, ...] = ()  # e.g. 127.0.0.0/8 for local tests; never by default
    per_host_concurrency: int = 2
    per_host_delay_s: float = 1.0
    total_concurrency: int = 32
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    respect_robots: bool = True
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
        return dataclasses.replace(self, **changes)


def load_settings(
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build settings: explicit overrides, then environment, then config file, then defaults."""
    env = os.environ if env is None else env
    path = config_path or _config_path_from(env)
    file_data = _read_config_file(path) if path is not None else {}
    table = file_data.get("wirewatch", {})
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "extra":
            continue
        env_key = ENV_PREFIX + f.name.upper()
        if overrides and f.name in overrides:
            values[f.name] = _coerce(f, overrides[f.name], source=f"override {f.name}")
        elif env_key in env:
            values[f.name] = _coerce(f, env[env_key], source=env_key)
        elif f.name in table:
            values[f.name] = _coerce(f, table[f.name], source=f"{path}: wirewatch.{f.name}")
    unknown = sorted(set(table) - {f.name for f in fields(Settings)})
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) in [wirewatch]: {', '.join(unknown)}")
    extra = {key: value for key, value in file_data.items() if key != "wirewatch"}
    return Settings(**values, extra=extra)


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
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _coerce(f: dataclasses.Field[Any], raw: Any, *, source: str) -> Any:
    """Turn an env string or TOML value into the field's type, naming the source on failure."""
    kind = str(f.type)
    try:
        if raw is None:
            return None
        if "tuple" in kind:
            if isinstance(raw, str):
                return tuple(part.strip() for part in raw.replace(",", " ").split() if part.strip())
            return tuple(str(item) for item in raw)
        if "Path" in kind:
            return Path(str(raw)).expanduser()
        if kind.startswith("bool"):
            return _as_bool(raw)
        if "int" in kind and "float" not in kind:
            return int(raw)
        if "float" in kind:
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: {raw!r} is not a valid {kind}") from exc


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(text)
