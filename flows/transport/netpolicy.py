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


# Forms of IPv6 address that carry an IPv4 address inside them (RFC 6052 NAT64, RFC 4291
# IPv4-compatible), and the local-use NAT64 prefix (RFC 8215), which is never public.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def address_category(address: IPAddress) -> str | None:
    """Why an address is not public (loopback, private, ...), or None when it is public.

    IPv6 forms that embed an IPv4 address (IPv4-mapped, 6to4, NAT64, IPv4-compatible) are
    judged by the IPv4 address they lead to: `[2002:a9fe:a9fe::]` is 169.254.169.254. Teredo
    tunnels and the deprecated site-local range are refused outright.
    """
    if isinstance(address, ipaddress.IPv6Address):
        verdict = _ipv6_special(address)
        if verdict is not None:
            return verdict or None
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


def _ipv6_special(address: ipaddress.IPv6Address) -> str | None:
    """The verdict on the IPv6 forms Python's flags misjudge: a category, "" for public, or
    None when the address is not one of them."""
    if address.ipv4_mapped is not None:
        # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it carries.
        return address_category(address.ipv4_mapped) or ""
    if address.teredo is not None:
        _server, client = address.teredo  # the client address, already de-obfuscated
        return f"teredo (client {client})"
    if address.is_site_local:
        return "site-local"
    if address in _NAT64_LOCAL:
        return "nat64-local"
    embedded = _embedded_ipv4(address)
    if embedded is None:
        return None
    form, ipv4 = embedded
    category = address_category(ipv4)
    if category is not None:
        return f"{form} of {category} {ipv4}"
    # A public IPv4 address through NAT64 or 6to4 is a public site; IPv4-compatible
    # addresses are deprecated (RFC 4291) and never used: reserved.
    return "reserved" if form == "ipv4-compatible" else ""


def _embedded_ipv4(
    address: ipaddress.IPv6Address,
) -> tuple[str, ipaddress.IPv4Address] | None:
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address in _NAT64:
        return "nat64", ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # not :: or ::1
        return "ipv4-compatible", ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


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
