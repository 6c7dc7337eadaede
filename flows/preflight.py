"""Everything a cycle will need from the configuration, checked before Prefect starts.

`run`, `demo` and `serve` call `check_configuration` first: a duplicate outlet id, a bad
rule, `allowed_networks = banana` or `total_concurrency = 0` is then one line and exit code 3,
not a failed flow run after Prefect's start-up output and a traceback. `wait_until_free` does
the same for a cycle lock or warehouse that another process holds (exit code 4 after
`lock_timeout_s`), so a busy warehouse never costs a Prefect start and three task attempts.
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import duckdb

from flows.configured_lists import load_outlets_for, load_rules_for
from flows.cycle_lock import CycleAlreadyRunning
from flows.errors import ConfigError
from flows.settings import Settings
from warehouse.connection import WarehouseBusy
from warehouse.filelock import flock_with_wait
from warehouse.target import WarehouseConfigError, WarehouseTarget


def check_configuration(settings: Settings, *, cron: bool = False) -> None:
    """Raise the first configuration problem a cycle would meet (ConfigError or the
    tagging files' own errors, all mapped to exit code 3)."""
    from flows.cycle import interval_policy

    try:
        WarehouseTarget.from_settings(settings)
    except WarehouseConfigError as exc:
        raise ConfigError(f"warehouse: {exc}") from exc
    load_outlets_for(settings)
    load_rules_for(settings)
    interval_policy(settings)
    _check_tagging_files(settings)
    if settings.ner == "spacy" and importlib.util.find_spec("spacy") is None:
        raise ConfigError("ner = 'spacy' but spaCy is not installed: install it with a model, "
                          "or set ner to 'auto' or 'off'")
    if cron:
        _check_cron(settings.maintenance_cron)


def _check_tagging_files(settings: Settings) -> None:
    from extractors.entity_gazetteer import parse_entity_file
    from extractors.topics import parse_taxonomy_text

    for name, path, parse in (("extra_entities_path", settings.extra_entities_path,
                               parse_entity_file),
                              ("extra_topics_path", settings.extra_topics_path,
                               parse_taxonomy_text)):
        if path is None:
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: cannot read {path}: {exc}") from exc
        parse(text, str(path))  # raises GazetteerError / TaxonomyError naming the entry


def _check_cron(expression: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=expression)
    except ValueError as exc:
        raise ConfigError(f"maintenance_cron {expression!r} is not a valid cron expression"
                          ) from exc


def wait_until_free(settings: Settings) -> None:
    """Wait up to `lock_timeout_s` for the cycle lock and the warehouse file, then let go.

    Only a probe: the cycle takes both again itself. Raises CycleAlreadyRunning or
    WarehouseBusy (exit code 4) naming what is held.
    """
    deadline = time.monotonic() + settings.lock_timeout_s
    _probe_cycle_lock(settings.db_path, settings.lock_timeout_s)
    target = settings.warehouse_target
    if not target.is_lake and target.db_path.exists():
        _probe_warehouse(target.db_path, max(0.0, deadline - time.monotonic()),
                         settings.lock_timeout_s)


def _probe_cycle_lock(db_path: Path, wait_s: float) -> None:
    lock_path = db_path.with_name(db_path.name + ".lock")
    if not lock_path.exists():
        return
    fd = os.open(lock_path, os.O_RDWR)
    try:
        if not flock_with_wait(fd, wait_s):
            raise CycleAlreadyRunning(
                f"another cycle holds {lock_path}; waited {wait_s:g} s (lock_timeout_s), "
                "skipping this one")
    finally:
        os.close(fd)


def _probe_warehouse(path: Path, wait_s: float, setting_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            duckdb.connect(str(path)).close()
            return
        except duckdb.IOException as exc:
            # DuckDB reports a file held by another process as IOException at connect time.
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is held by another process; waited {setting_s:g} s "
                    "(lock_timeout_s)") from exc
            time.sleep(0.2)
