"""The address policy as the fetcher applies it: checked after DNS, before any connection,
on every redirect hop, and pinned so that what was checked is what is connected to.

No test here sends a packet outside 127.0.0.0/8: the refusals are proven by the record of
connection attempts (`Fetcher.connections`) and by the fault server's request counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from flows.errors import BlockedTarget, InvalidTarget
from flows.transport import ConnectAttempt, FetchPolicy
from flows.transport.pinning import PinnedBackend, UnpinnedHost
from tests.faultserver import (
    ARTICLE_HTML,
    PRIVATE_TARGETS,
    FaultServer,
    fetch_many,
    fetch_one,
    local_policy,
    running_fault_server,
)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with running_fault_server() as running:
        yield running


class CountingResolver:
    """A resolver from a fixed table, counting lookups per name."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: dict[str, int] = {}

    def __call__(self, host: str) -> list[str]:
        self.calls[host] = self.calls.get(host, 0) + 1
        return list(self.table[host])


@pytest.mark.parametrize("name", ["ten", "metadata", "home-router"])
def test_redirect_to_a_private_address_is_refused_before_connecting(
    server: FaultServer, name: str
) -> None:
    result, connections = fetch_one(local_policy(), server.url(f"/to/{name}"))
    assert isinstance(result.error, BlockedTarget)
    assert result.error.code == "blocked_address"
    assert result.redirects == (PRIVATE_TARGETS[name],)
    assert connections, "the first hop did connect to the fault server"
    assert {attempt.address for attempt in connections} == {"127.0.0.1"}


@pytest.mark.parametrize("name", ["file", "ftp"])
def test_redirect_to_another_scheme_is_refused(server: FaultServer, name: str) -> None:
    result, connections = fetch_one(local_policy(), server.url(f"/to/{name}"))
    assert result.error is not None and result.error.code == "blocked_scheme"
    assert {attempt.address for attempt in connections} == {"127.0.0.1"}


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/pub/", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_non_http_schemes_are_refused_without_any_connection(url: str) -> None:
    result, connections = fetch_one(local_policy(), url)
    assert isinstance(result.error, BlockedTarget)
    assert result.error.code == "blocked_scheme"
    assert connections == ()


@pytest.mark.parametrize("url", ["not a url", "http://", "//127.0.0.1/article"])
def test_unusable_urls_are_invalid(url: str) -> None:
    result, connections = fetch_one(local_policy(), url)
    assert isinstance(result.error, InvalidTarget)
    assert result.error.code == "invalid_url"
    assert connections == ()


def test_loopback_is_refused_by_default(server: FaultServer) -> None:
    result, connections = fetch_one(FetchPolicy(), server.url("/article"))
    assert result.error is not None and result.error.code == "blocked_address"
    assert not result.error.transient
    assert connections == ()
    assert server.total_hits() == 0


def test_ipv6_loopback_literal_is_refused_by_default(server: FaultServer) -> None:
    result, connections = fetch_one(FetchPolicy(), f"http://[::1]:{server.port}/article")
    assert result.error is not None and result.error.code == "blocked_address"
    assert connections == ()


def test_loopback_is_allowed_by_network_setting(server: FaultServer) -> None:
    policy = FetchPolicy(allowed_networks=("127.0.0.0/8",), per_host_delay_s=0.0)
    result, connections = fetch_one(policy, server.url("/article"))
    assert result.ok and result.body == ARTICLE_HTML
    assert {attempt.address for attempt in connections} == {"127.0.0.1"}


def test_a_public_looking_name_resolving_to_loopback_is_refused(server: FaultServer) -> None:
    resolver = CountingResolver({"news.example": ["127.0.0.1"]})
    url = f"http://news.example:{server.port}/article"
    result, connections = fetch_one(FetchPolicy(), url, resolver)
    assert result.error is not None and result.error.code == "blocked_address"
    assert "loopback" in result.error.message
    assert connections == ()
    assert server.total_hits() == 0


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    server: FaultServer,
) -> None:
    resolver = CountingResolver({"mixed.example": ["93.184.216.34", "10.1.2.3"]})
    result, connections = fetch_one(
        FetchPolicy(), f"http://mixed.example:{server.port}/article", resolver
    )
    assert result.error is not None and result.error.code == "blocked_address"
    assert connections == ()


def test_allowed_hosts_admits_a_named_host_only(server: FaultServer) -> None:
    resolver = CountingResolver({"fixtures.test": ["127.0.0.1"]})
    policy = FetchPolicy(allowed_hosts=("fixtures.test",), per_host_delay_s=0.0)
    named, named_connections = fetch_one(
        policy, f"http://fixtures.test:{server.port}/article", resolver
    )
    literal, literal_connections = fetch_one(policy, server.url("/article"), resolver)
    assert named.ok and named.body == ARTICLE_HTML
    assert [(a.host, a.address) for a in named_connections] == [("fixtures.test", "127.0.0.1")]
    assert literal.error is not None and literal.error.code == "blocked_address"
    assert literal_connections == ()


def test_connections_go_to_the_checked_address_and_names_resolve_once(
    server: FaultServer,
) -> None:
    # "pinned.example" cannot be resolved by the system: reaching the server proves the
    # connection used the address the policy approved, not a second lookup.
    resolver = CountingResolver({"pinned.example": ["127.0.0.1"]})
    urls = [f"http://pinned.example:{server.port}/article?n={n}" for n in range(3)]
    results, connections = fetch_many(local_policy(), urls, resolver)
    assert all(result.ok for result in results)
    assert resolver.calls == {"pinned.example": 1}
    assert {(a.host, a.address) for a in connections} == {("pinned.example", "127.0.0.1")}
    assert server.hits("/article") == 3


def test_resolution_failure_is_a_transient_dns_error(server: FaultServer) -> None:
    def failing_resolver(host: str) -> list[str]:
        raise OSError(f"no such host {host}")

    result, connections = fetch_one(
        local_policy(), "http://missing.example/article", failing_resolver
    )
    assert result.error is not None and result.error.code == "dns"
    assert result.error.transient
    assert connections == ()


def test_redirect_to_a_refused_name_sends_nothing_there(server: FaultServer) -> None:
    # Allowed: the fault server's literal address. Refused: "localhost", because here it
    # resolves (by table) to an address outside the allowed network.
    resolver = CountingResolver({"localhost": ["127.0.0.2"]})
    policy = local_policy(allowed_networks=("127.0.0.1/32",))
    result, connections = fetch_one(policy, server.url("/to-localhost"), resolver)
    assert result.error is not None and result.error.code == "blocked_address"
    assert result.redirects == (f"http://localhost:{server.port}/article",)
    assert {a.host for a in connections} == {"127.0.0.1"}
    assert server.hits("/article") == 0


def test_the_next_approved_address_is_tried_when_one_refuses(server: FaultServer) -> None:
    # Nothing listens on 127.0.0.2 (the server binds 127.0.0.1 only): the first address
    # refuses the connection and the second, also approved, serves the page.
    resolver = CountingResolver({"multi.test": ["127.0.0.2", "127.0.0.1"]})
    result, connections = fetch_one(
        local_policy(respect_robots=False), f"http://multi.test:{server.port}/article", resolver
    )
    assert result.ok
    assert [a.address for a in connections] == ["127.0.0.2", "127.0.0.1"]


def test_the_connection_layer_refuses_hosts_without_approved_addresses() -> None:
    attempts: list[ConnectAttempt] = []
    backend = PinnedBackend({"approved.test": ("127.0.0.1",)}, attempts)
    with pytest.raises(UnpinnedHost):
        asyncio.run(backend.connect_tcp("unvetted.test", 80))
    assert attempts == []
