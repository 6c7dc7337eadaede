"""Which network targets wirewatch may contact. Pure functions: no I/O.

The fetcher resolves a host name first and asks `is_target_allowed` about the *addresses*
it will connect to, so a public-looking name that resolves to 127.0.0.1 or 169.254.169.254
is refused exactly like the literal address. Only the public internet is allowed by
default; named hosts (`allowed_hosts`) or networks (`allowed_networks`, CIDR strings) are
the only ways to reach anything else — tests and the demo allow 127.0.0.0/8 that way.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from flows.errors import ConfigError

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class AllowLists(Protocol):
    """What the policy needs from the settings (FetchPolicy satisfies it)."""

    @property
    def allowed_hosts(self) -> tuple[str, ...]: ...

    @property
    def allowed_networks(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Decision:
    """The verdict on one target; `reason` says why, for the record, either way."""

    allowed: bool
    reason: str


def parse_networks(networks: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR strings to networks; a bad entry raises ConfigError naming it."""
    parsed: list[IPNetwork] = []
    for text in networks:
        try:
            parsed.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"allowed_networks: {text!r} is not a CIDR network") from exc
    return tuple(parsed)


def parse_address(text: str) -> IPAddress | None:
    """An IP address from text (brackets and IPv6 zone ids tolerated), or None."""
    candidate = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


def address_category(address: IPAddress) -> str | None:
    """Why an address is not public (loopback, private, ...), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it carries.
        return address_category(address.ipv4_mapped)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for name, matched in checks:
        if matched:
            return name
    # Shared (100.64/10), documentation and benchmarking ranges are neither private nor
    # global; anything that is not globally routable stays out.
    return None if address.is_global else "non-global"


def check_scheme(scheme: str) -> Decision:
    """Only http and https are ever fetched."""
    name = scheme.lower()
    if name in ALLOWED_SCHEMES:
        return Decision(True, f"scheme {name} allowed")
    return Decision(False, f"scheme {name or '(none)'!s} is not http or https")


def is_target_allowed(host: str, addresses: Sequence[str], policy: AllowLists) -> Decision:
    """May we connect to `host` at these resolved `addresses`?

    Allowed when the host is named in `policy.allowed_hosts`, or when every address is
    public or inside `policy.allowed_networks`. One refused address refuses the host:
    the connection could land on any of them.
    """
    name = host.strip().strip("[]").lower().rstrip(".")
    allowed_hosts = {entry.strip().lower().rstrip(".") for entry in policy.allowed_hosts}
    if name in allowed_hosts:
        return Decision(True, f"host {name} is in allowed_hosts")
    if not addresses:
        return Decision(False, f"host {name} has no addresses")
    networks = parse_networks(policy.allowed_networks)
    for text in addresses:
        verdict = _judge_address(text, networks)
        if not verdict.allowed:
            return Decision(False, f"host {name}: {verdict.reason}")
    return Decision(True, f"host {name}: every address allowed")


def _judge_address(text: str, networks: Sequence[IPNetwork]) -> Decision:
    address = parse_address(text)
    if address is None:
        return Decision(False, f"{text!r} is not an IP address")
    if any(_network_contains(network, address) for network in networks):
        return Decision(True, f"{address} is in allowed_networks")
    category = address_category(address)
    if category is None:
        return Decision(True, f"{address} is public")
    return Decision(False, f"{category} address {address} refused")


def _network_contains(network: IPNetwork, address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.version == network.version and address in network
