"""The address and scheme policy, as pure functions."""

from __future__ import annotations

import re

import pytest

from flows.errors import ConfigError
from flows.transport import FetchPolicy
from flows.transport.netpolicy import check_scheme, is_target_allowed, parse_networks

DEFAULT = FetchPolicy()


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_non_public_addresses_are_refused_by_default(address: str, category: str) -> None:
    decision = is_target_allowed("example.org", [address], DEFAULT)
    assert not decision.allowed
    assert category in decision.reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_target_allowed("example.org", [address], DEFAULT).allowed


def test_one_refused_address_refuses_the_host() -> None:
    decision = is_target_allowed("example.org", ["93.184.216.34", "10.0.0.7"], DEFAULT)
    assert not decision.allowed
    assert "10.0.0.7" in decision.reason


def test_no_addresses_is_refused() -> None:
    assert not is_target_allowed("example.org", [], DEFAULT).allowed


def test_garbage_from_a_resolver_is_refused() -> None:
    decision = is_target_allowed("example.org", ["not-an-ip"], DEFAULT)
    assert not decision.allowed
    assert "not an IP address" in decision.reason


def test_allowed_networks_admit_only_their_range() -> None:
    policy = FetchPolicy(allowed_networks=("127.0.0.0/8",))
    assert is_target_allowed("localhost", ["127.0.0.1"], policy).allowed
    assert is_target_allowed("x", ["::ffff:127.0.0.1"], policy).allowed
    assert not is_target_allowed("localhost", ["127.0.0.1", "::1"], policy).allowed
    assert not is_target_allowed("router", ["192.168.1.1"], policy).allowed


def test_allowed_hosts_match_the_name_case_insensitively() -> None:
    policy = FetchPolicy(allowed_hosts=("Fixtures.Test",))
    assert is_target_allowed("fixtures.test", ["10.0.0.5"], policy).allowed
    assert is_target_allowed("FIXTURES.TEST.", ["10.0.0.5"], policy).allowed
    assert not is_target_allowed("other.test", ["10.0.0.5"], policy).allowed
    assert not is_target_allowed("sub.fixtures.test", ["10.0.0.5"], policy).allowed


@pytest.mark.parametrize("scheme", ["http", "https", "HTTPS"])
def test_web_schemes_are_allowed(scheme: str) -> None:
    assert check_scheme(scheme).allowed


@pytest.mark.parametrize("scheme", ["file", "ftp", "gopher", "javascript", "data", ""])
def test_other_schemes_are_refused(scheme: str) -> None:
    decision = check_scheme(scheme)
    assert not decision.allowed
    assert "not http or https" in decision.reason


def test_a_bad_network_setting_names_the_value() -> None:
    with pytest.raises(ConfigError, match=re.escape("'10.0.0.0/33'")):
        parse_networks(["10.0.0.0/33"])
    with pytest.raises(ConfigError, match="allowed_networks"):
        FetchPolicy(allowed_networks=("localhost",))
