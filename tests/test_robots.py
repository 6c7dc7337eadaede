"""robots.txt decisions: what each outcome of fetching it means for the host's pages."""

from __future__ import annotations

import asyncio

import pytest

from flows.errors import (
    BlockedTarget,
    FetchError,
    HTTPStatusError,
    NetworkError,
    RedirectError,
    RobotsRefused,
    RobotsUnavailable,
)
from flows.transport.robots import RobotsCache, RobotsRules, RobotsVerdict, rules_from_response

BODY = b"""\xef\xbb\xbfUser-agent: *
Disallow: /private/
Crawl-delay: 3

User-agent: wirewatch
Disallow: /wire-only/
"""


def test_rules_apply_to_the_matching_agent_group() -> None:
    rules = rules_from_response(200, BODY, None)
    assert rules.verdict is RobotsVerdict.RULES
    with pytest.raises(RobotsRefused):
        rules.check("https://news.example/wire-only/story", "wirewatch")
    # wirewatch has its own group, so the "*" group's /private/ rule is not ours.
    rules.check("https://news.example/private/x", "wirewatch")
    with pytest.raises(RobotsRefused):
        rules.check("https://news.example/private/x", "otherbot")
    assert rules.crawl_delay("otherbot") == 3.0


def test_an_empty_or_unparseable_file_allows_everything() -> None:
    for body in (b"", b"<html>not robots</html>", b"\xff\xfe\x00garbage"):
        rules_from_response(200, body, None).check("https://news.example/a", "wirewatch")


@pytest.mark.parametrize("status", [401, 403])
def test_refusing_statuses_disallow_the_whole_host(status: int) -> None:
    error = HTTPStatusError("http_status", f"HTTP {status}", status=status)
    rules = rules_from_response(status, None, error)
    assert rules.verdict is RobotsVerdict.DISALLOW_ALL
    with pytest.raises(RobotsRefused) as raised:
        rules.check("https://news.example/", "wirewatch")
    assert not raised.value.transient


@pytest.mark.parametrize("status", [404, 410, 400])
def test_missing_robots_allows_everything(status: int) -> None:
    error = HTTPStatusError("http_status", f"HTTP {status}", status=status)
    rules = rules_from_response(status, None, error)
    assert rules.verdict is RobotsVerdict.ALLOW_ALL
    rules.check("https://news.example/private/x", "wirewatch")


@pytest.mark.parametrize(
    "error",
    [
        HTTPStatusError("http_status", "HTTP 503", status=503),
        HTTPStatusError("http_status", "HTTP 429", status=429),
        NetworkError("timeout", "timed out"),
        NetworkError("reset", "reset"),
        NetworkError("dns", "no such host"),
    ],
)
def test_transient_failures_keep_us_away_for_now(error: FetchError) -> None:
    rules = rules_from_response(error.status, None, error)
    assert rules.verdict is RobotsVerdict.UNAVAILABLE
    with pytest.raises(RobotsUnavailable) as raised:
        rules.check("https://news.example/a", "wirewatch")
    assert raised.value.transient
    assert raised.value.code == "robots_unavailable"


@pytest.mark.parametrize(
    "error",
    [
        RedirectError("redirect_loop", "loop"),
        BlockedTarget("blocked_address", "private address"),
    ],
)
def test_other_terminal_failures_count_as_no_robots_file(error: FetchError) -> None:
    rules = rules_from_response(None, None, error)
    assert rules.verdict is RobotsVerdict.ALLOW_ALL


def test_the_cache_loads_each_origin_once_for_concurrent_askers() -> None:
    loads: list[str] = []

    async def load(origin: str) -> RobotsRules:
        loads.append(origin)
        await asyncio.sleep(0.01)
        return rules_from_response(200, b"User-agent: *\nDisallow: /x\n", None)

    async def ask() -> list[RobotsRules]:
        cache = RobotsCache(load)
        origins = ["https://a.example"] * 5 + ["https://b.example"] * 3
        return await asyncio.gather(*(cache.rules_for(origin) for origin in origins))

    answers = asyncio.run(ask())
    assert sorted(loads) == ["https://a.example", "https://b.example"]
    assert len({id(rules) for rules in answers}) == 2
