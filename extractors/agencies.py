"""Which agencies exist: the built-in list beside the configured wire outlets, as one value.

The built-in list (extractors/data/agencies.toml) names the agencies copies credit, with their
spellings and their sites' hosts. Every outlet configured with `kind = "wire"` is an agency
too: `catalogue_with_wire_outlets` adds it (its name, id and homepage host), or, when it is one
of the built-in agencies (same id, host or name), merges the two under the outlet's id, so that
credits point at the outlet whose articles are the originals.

A catalogue is an immutable, hashable value: extraction workers receive it with each job and
the compiled patterns are cached per catalogue value, so nothing mutable lives at module level.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

GENERIC_KIND = "generic"
WIRE_KIND = "wire"
# Names this short and in capitals ("ACN", "EFE") only match in that case: "acn" or "Efe"
# in running text is not the agency.
MAX_ACRONYM = 5


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency or outlet that copies credit, with the spellings that name it."""

    agency_id: str
    name: str
    kind: str  # wire | outlet | generic
    aliases: tuple[str, ...]  # whole words, any case
    case_sensitive: tuple[str, ...]  # whole words, exactly this case (acronyms)
    hosts: tuple[str, ...] = ()  # its sites, without "www."
    codes: tuple[str, ...] = ()  # short forms only read inside "(efe, afp, rtr)"


@dataclass(frozen=True, slots=True)
class WireOutlet:
    """A configured outlet of kind "wire", as the credit recogniser needs it."""

    outlet_id: str
    name: str
    homepage: str


@dataclass(frozen=True, slots=True)
class AgencyCatalogue:
    """Every agency credits may name, in a fixed order (the built-ins first)."""

    agencies: tuple[Agency, ...]

    def get(self, agency_id: str) -> Agency | None:
        return _by_id(self).get(agency_id)


def builtin_catalogue() -> AgencyCatalogue:
    """The maintained agency list (extractors/data/agencies.toml)."""
    return _builtin()


@lru_cache(maxsize=1)
def _builtin() -> AgencyCatalogue:
    raw = resources.files("extractors").joinpath("data/agencies.toml").read_text("utf-8")
    return AgencyCatalogue(tuple(
        Agency(
            agency_id=e["id"],
            name=e["name"],
            kind=e["kind"],
            aliases=tuple(e.get("aliases", ())),
            case_sensitive=tuple(e.get("case_sensitive", ())),
            hosts=tuple(e.get("hosts", ())),
            codes=tuple(e.get("codes", ())),
        )
        for e in tomllib.loads(raw)["agency"]
    ))


def catalogue_with_wire_outlets(
    outlets: Iterable[WireOutlet], base: AgencyCatalogue | None = None
) -> AgencyCatalogue:
    """`base` (the built-in list by default) with each configured wire outlet as an agency.

    A wire outlet that is a built-in agency (the same id, a homepage host the agency is known
    by, or its name among the agency's spellings) replaces that agency under the outlet's id
    and keeps every spelling of both; any other wire outlet is added after the built-ins.
    """
    agencies = list((base or builtin_catalogue()).agencies)
    for outlet in outlets:
        own = wire_outlet_agency(outlet)
        match = next((n for n, a in enumerate(agencies) if _same_agency(a, own)), None)
        if match is None:
            agencies.append(own)
        else:
            agencies[match] = _merged(agencies[match], own)
    return AgencyCatalogue(tuple(agencies))


def wire_outlet_agency(outlet: WireOutlet) -> Agency:
    """The agency a configured wire outlet stands for: its name, id and host as spellings."""
    host = host_of(outlet.homepage)
    spellings = [outlet.name, outlet.outlet_id.replace("_", " "), host]
    aliases: list[str] = []
    exact: list[str] = []
    for spelling in spellings:
        if not spelling:
            continue
        if len(spelling) <= MAX_ACRONYM and "." not in spelling:
            # "ACN", or an id such as "cpw": only its capitalised form names the agency
            _add(exact, spelling.upper())
        else:
            _add(aliases, spelling)
    return Agency(outlet.outlet_id, outlet.name, WIRE_KIND, tuple(aliases), tuple(exact),
                  (host,) if host else ())


def agency_for_host(url_or_host: str, catalogue: AgencyCatalogue | None = None) -> str | None:
    """The id of the agency that owns a URL or host name, or None.

    `url_or_host` is a URL ("https://apnews.com/article/x") or a bare host ("www.efe.com").
    A host belongs to an agency when it is one of the agency's hosts or a subdomain of one
    ("faktencheck.afp.com" is AFP's); the longest matching host wins. `catalogue` is the
    built-in list by default; pass `catalogue_with_wire_outlets(...)` so configured wire
    outlets' homepage hosts are known too. Use it to name the agency of a cross-site
    rel=canonical target.
    """
    host = host_of(url_or_host)
    if not host:
        return None
    owners = _host_owners(catalogue or builtin_catalogue())
    labels = host.split(".")
    for start in range(len(labels) - 1):  # longest suffix first, never the bare TLD
        owner = owners.get(".".join(labels[start:]))
        if owner is not None:
            return owner
    return None


def host_of(url_or_host: str) -> str:
    """The lower-cased host of a URL or bare host name, without "www." and any port."""
    text = (url_or_host or "").strip()
    if not text:
        return ""
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=16)
def _by_id(catalogue: AgencyCatalogue) -> dict[str, Agency]:
    return {a.agency_id: a for a in catalogue.agencies}


@lru_cache(maxsize=16)
def _host_owners(catalogue: AgencyCatalogue) -> dict[str, str]:
    owners: dict[str, str] = {}
    for agency in catalogue.agencies:
        for host in agency.hosts:
            owners.setdefault(host_of(host), agency.agency_id)
    return owners


def _same_agency(known: Agency, outlet: Agency) -> bool:
    if known.kind == GENERIC_KIND:
        return False
    if known.agency_id == outlet.agency_id or set(known.hosts) & set(outlet.hosts):
        return True
    spellings = {a.casefold() for a in known.aliases} | {known.name.casefold()}
    return outlet.name.casefold() in spellings


def _merged(known: Agency, outlet: Agency) -> Agency:
    aliases = list(known.aliases)
    exact = list(known.case_sensitive)
    for alias in outlet.aliases:
        _add(aliases, alias)
    for alias in outlet.case_sensitive:
        _add(exact, alias)
    hosts = list(known.hosts)
    for host in outlet.hosts:
        _add(hosts, host)
    return replace(known, agency_id=outlet.agency_id, kind=WIRE_KIND, aliases=tuple(aliases),
                   case_sensitive=tuple(exact), hosts=tuple(hosts))


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
