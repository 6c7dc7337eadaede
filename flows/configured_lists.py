"""The outlets, alert rules and agencies the settings point at: a named file, the config file's
[[outlets]] and [[rules]] tables, or the packaged defaults (the settings themselves are
flows/settings.py)."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.agencies import AgencyCatalogue, WireOutlet, catalogue_with_wire_outlets
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


def load_agencies_for(settings: Settings) -> AgencyCatalogue:
    """The built-in agencies plus every configured `kind = "wire"` outlet, enabled or not (a
    disabled wire outlet is still credited by the copies of its stories)."""
    return agencies_for_outlets(load_outlets_for(settings))


def agencies_for_outlets(outlets: Sequence[Outlet]) -> AgencyCatalogue:
    """The built-in agencies plus the wire outlets among `outlets`."""
    return catalogue_with_wire_outlets(
        WireOutlet(o.id, o.name, o.homepage) for o in outlets if o.kind == "wire")
