"""Politeness as the server sees it: spacing between request starts, Retry-After, and
robots.txt loaded once per host and obeyed.

Times are the fault server's own arrival times: the assertions are about what reached
the server (behaviour), never about how fast wirewatch is.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from flows.errors import Deferred, RobotsRefused, RobotsUnavailable
from flows.transport import FetchRequest
from tests.faultserver import (
    FaultHandler,
    FaultServer,
    RouteHandler,
    fetch_many,
    fetch_one,
    local_policy,
    reset_mid_body,
    running_fault_server,
    send,
)

DELAY_S = 0.2
# Arrival times include each request's trip to the server and the server thread's
# wake-up, which vary by milliseconds (more on a busy machine) from one request to the
# next. The jitter does not accumulate, so the whole span is checked with the same margin.
ARRIVAL_JITTER_S = 0.03


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with running_fault_server() as running:
        yield running


def robots_status(code: int) -> RouteHandler:
    def handler(request: FaultHandler) -> None:
        send(request, code, b"", "text/plain")

    return handler


def test_request_starts_to_one_host_are_spaced(server: FaultServer) -> None:
    urls = [server.url(f"/article?n={n}") for n in range(5)]
    policy = local_policy(per_host_delay_s=DELAY_S, per_host_concurrency=2)
    results, _ = fetch_many(policy, urls)
    assert all(result.ok for result in results)
    assert server.hits("/robots.txt") == 1
    # The pages only: the robots.txt request before them paid for the first connection
    # (handshake, the client's first use of its thread pool), tens of milliseconds the
    # pages do not pay, so its arrival says little about when the client started it.
    starts = server.starts("/article")
    assert len(starts) == 5
    gaps = [later - earlier for earlier, later in pairwise(starts)]
    assert min(gaps) >= DELAY_S - ARRIVAL_JITTER_S
    assert starts[-1] - starts[0] >= 4 * DELAY_S - ARRIVAL_JITTER_S


def test_without_spacing_requests_overlap(server: FaultServer) -> None:
    # The control for the test above: the same batch with no delay is not spaced out,
    # so the spacing seen there is the scheduler's doing.
    urls = [server.url(f"/article?n={n}") for n in range(5)]
    fetch_many(local_policy(per_host_delay_s=0.0, per_host_concurrency=4), urls)
    starts = server.starts("/article")
    assert starts[-1] - starts[0] < DELAY_S


def test_retry_after_holds_the_host_within_a_batch(server: FaultServer) -> None:
    policy = local_policy(per_host_concurrency=1, respect_robots=False)
    results, _ = fetch_many(
        policy, [server.url("/status/429?retry_after=1"), server.url("/article")]
    )
    assert results[0].retry_after_s == 1.0
    assert results[1].ok
    (refused_at,) = server.starts("/status/429")
    (next_at,) = server.starts("/article")
    assert next_at - refused_at >= 1.0


def test_a_long_retry_after_defers_the_rest_of_the_host(server: FaultServer) -> None:
    policy = local_policy(per_host_concurrency=1, respect_robots=False, max_retry_wait_s=2.0)
    results, _ = fetch_many(
        policy,
        [server.url("/status/503?retry_after=120"), server.url("/article"), server.url("/gzip")],
    )
    assert results[0].error is not None and results[0].error.code == "http_status"
    for deferred in results[1:]:
        assert isinstance(deferred.error, Deferred)
        assert deferred.error.code == "deferred"
        assert deferred.error.transient
        assert deferred.retry_after_s is not None and 100.0 < deferred.retry_after_s <= 120.0
    assert server.hits("/article") == 0
    assert server.hits("/gzip") == 0


def test_robots_txt_is_fetched_once_per_host(server: FaultServer) -> None:
    urls = [server.url(f"/article?n={n}") for n in range(6)] + [server.url("/gzip")]
    results, _ = fetch_many(local_policy(per_host_concurrency=4), urls)
    assert all(result.ok for result in results)
    assert server.hits("/robots.txt") == 1


def test_a_disallowed_path_is_never_requested(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/private/report"))
    assert isinstance(result.error, RobotsRefused)
    assert result.error.code == "robots"
    assert not result.error.transient
    assert server.hits("/private/report") == 0


def test_a_redirect_into_a_disallowed_path_is_not_followed(server: FaultServer) -> None:
    def to_private(request: FaultHandler) -> None:
        send(request, 302, b"", None, {"Location": "/private/report"})

    server.add_route("/moved", to_private)
    result, _ = fetch_one(local_policy(), server.url("/moved"))
    assert result.error is not None and result.error.code == "robots"
    assert server.hits("/private/report") == 0


def test_feeds_are_not_subject_to_robots(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), FetchRequest(server.url("/private/feed"), kind="feed"))
    assert result.ok
    assert server.hits("/robots.txt") == 0


def test_robots_can_be_switched_off(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(respect_robots=False), server.url("/private/report"))
    assert result.ok
    assert server.hits("/robots.txt") == 0


@pytest.mark.parametrize(
    ("robots_code", "page_code", "transient"),
    [
        (404, None, None),
        (410, None, None),
        (401, "robots", False),
        (403, "robots", False),
        (500, "robots_unavailable", True),
        (503, "robots_unavailable", True),
        (429, "robots_unavailable", True),
    ],
)
def test_robots_status_decides_for_the_whole_host(
    robots_code: int, page_code: str | None, transient: bool | None
) -> None:
    with running_fault_server({"/robots.txt": robots_status(robots_code)}) as server:
        results, _ = fetch_many(
            local_policy(), [server.url("/article"), server.url("/gzip")]
        )
        assert server.hits("/robots.txt") == 1
        for result in results:
            if page_code is None:
                assert result.ok
            else:
                assert result.error is not None
                assert result.error.code == page_code
                assert result.error.transient is transient
        pages_requested = server.hits("/article") + server.hits("/gzip")
        assert pages_requested == (2 if page_code is None else 0)


def test_unreachable_robots_refuses_as_transient(server: FaultServer) -> None:
    server.add_route("/robots.txt", reset_mid_body)
    result, _ = fetch_one(local_policy(), server.url("/article"))
    assert isinstance(result.error, RobotsUnavailable)
    assert result.error.transient
    assert server.hits("/article") == 0


def robots_with_crawl_delay(seconds: int) -> RouteHandler:
    def handler(request: FaultHandler) -> None:
        send(request, 200, f"User-agent: *\nCrawl-delay: {seconds}\n".encode(), "text/plain")

    return handler


def test_crawl_delay_from_robots_spaces_the_host() -> None:
    with running_fault_server({"/robots.txt": robots_with_crawl_delay(1)}) as server:
        urls = [server.url(f"/article?n={n}") for n in range(3)]
        results, _ = fetch_many(local_policy(per_host_delay_s=0.0), urls)
        assert all(result.ok for result in results)
        gaps = [b - a for a, b in pairwise(server.starts("/article"))]
        assert len(gaps) == 2
        assert min(gaps) >= 1.0 - ARRIVAL_JITTER_S


def test_crawl_delay_is_capped_by_the_policy() -> None:
    # Crawl-delay 30 s capped to 0.3 s: the pages come 0.3 s apart, far sooner than 30 s (the
    # wide margin keeps a loaded machine's scheduling pauses from looking like the delay).
    with running_fault_server({"/robots.txt": robots_with_crawl_delay(30)}) as server:
        urls = [server.url(f"/article?n={n}") for n in range(3)]
        policy = local_policy(per_host_delay_s=0.0, max_crawl_delay_s=0.3)
        results, _ = fetch_many(policy, urls)
        assert all(result.ok for result in results)
        gaps = [b - a for a, b in pairwise(server.starts("/article"))]
        assert min(gaps) >= 0.3 - ARRIVAL_JITTER_S
        assert max(gaps) < 10.0


def test_an_oversized_robots_txt_is_read_up_to_the_cap() -> None:
    def huge_robots(request: FaultHandler) -> None:
        body = b"User-agent: *\nDisallow: /private/\n" + b"# padding line\n" * 60_000
        send(request, 200, body, "text/plain")

    with running_fault_server({"/robots.txt": huge_robots}) as server:
        results, _ = fetch_many(
            local_policy(robots_max_bytes=100_000),
            [server.url("/private/report"), server.url("/article")],
        )
        assert results[0].error is not None and results[0].error.code == "robots"
        assert results[1].ok
        assert server.hits("/private/report") == 0


def test_connections_stay_open_per_host_across_an_interleaved_batch(server: FaultServer) -> None:
    # Eight host names for the one server; 160 requests interleaved across them, more hosts
    # than the global limit. Each host keeps its own connections for the whole batch.
    hosts = [f"outlet{n}.example" for n in range(8)]
    table = {host: ["127.0.0.1"] for host in hosts}
    urls = [f"http://{hosts[n % 8]}:{server.port}/article?n={n}" for n in range(160)]
    policy = local_policy(per_host_concurrency=2, total_concurrency=4, respect_robots=False)
    results, connections = fetch_many(policy, urls, resolver=lambda host: table[host])
    assert all(r.ok for r in results)
    per_host = {host: sum(c.host == host for c in connections) for host in hosts}
    assert all(1 <= count <= 2 for count in per_host.values()), per_host


def test_a_304_leaves_its_connection_open_for_the_next_poll(server: FaultServer) -> None:
    # A warm cycle is mostly 304s; each used to close its connection (the empty response was
    # never read to its end), so every poll of a host paid for a new TCP (and TLS) connection.
    from tests.faultserver import ETAG

    url = server.url("/validators")
    requests = [FetchRequest(url, kind="page", etag=ETAG) for _ in range(40)]
    policy = local_policy(per_host_concurrency=2, total_concurrency=2, respect_robots=False)
    results, connections = fetch_many(policy, requests)
    assert [r.status for r in results] == [304] * 40
    assert 1 <= len(connections) <= 2
