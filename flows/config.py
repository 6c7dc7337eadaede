"""Where outlets and alert rules come from: a named file, the config file, or the defaults."""

from __future__ import annotations

from flows.alerts.rules import AlertRule, rules_from_config
from flows.outlets import Outlet, default_outlets_path, load_outlets, outlets_from_data
from flows.settings import Settings


def load_outlets_for(settings: Settings) -> list[Outlet]:
    """`outlets_file` if set, else `[[outlets]]` in the config file, else the packaged list."""
    if settings.outlets_file is not None:
        return load_outlets(settings.outlets_file)
    inline = settings.extra.get("outlets")
    if inline:
        return outlets_from_data(inline, source="config file [[outlets]]")
    return load_outlets(default_outlets_path())


def load_rules_for(settings: Settings) -> list[AlertRule]:
    """`[[rules]]` of the config file, else the packaged default rule."""
    return rules_from_config(settings.extra, source="config file [[rules]]")
