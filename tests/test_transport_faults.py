"""Every page fault the fault server can produce ends in the right error, and a batch
mixing good and bad URLs still returns the good ones."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Iterator

import pytest

from flows.errors import HTTPStatusError, NetworkError, ResponseRejected
from flows.transport import Fetcher, FetchRequest, FetchResult, fetch_all_sync
from tests.faultserver import (
    ARTICLE_HTML,
    ETAG,
    LAST_MODIFIED,
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


def test_article_is_fetched_with_its_metadata(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/article"))
    assert result.ok
    assert result.status == 200
    assert result.body == ARTICLE_HTML
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.final_url == server.url("/article")
    assert result.redirects == ()


@pytest.mark.parametrize(
    ("status", "transient"),
    [(404, False), (410, False), (429, True), (500, True), (503, True)],
)
@pytest.mark.parametrize("retry_after", [None, "7"])
def test_error_statuses_are_classified(
    server: FaultServer, status: int, transient: bool, retry_after: str | None
) -> None:
    query = f"?retry_after={retry_after}" if retry_after else ""
    result, _ = fetch_one(local_policy(), server.url(f"/status/{status}{query}"))
    assert not result.ok
    assert isinstance(result.error, HTTPStatusError)
    assert result.error.code == "http_status"
    assert result.status == status
    assert result.error.transient is transient
    assert result.retry_after_s == (7.0 if retry_after else None)
    assert result.body is None


def test_retry_after_as_http_date_becomes_seconds(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/status/503?retry_date=30"))
    assert result.error is not None and result.error.transient
    # An HTTP-date has one-second resolution and the request takes a moment.
    assert result.retry_after_s is not None and 27.0 <= result.retry_after_s <= 30.0


@pytest.mark.parametrize(
    ("path", "code"),
    [("/reset", "reset"), ("/truncated", "protocol")],
)
def test_broken_connections_are_transient_network_errors(
    server: FaultServer, path: str, code: str
) -> None:
    result, _ = fetch_one(local_policy(), server.url(path))
    assert isinstance(result.error, NetworkError)
    assert result.error.code == code
    assert result.error.transient


def test_one_byte_per_second_hits_the_total_timeout(server: FaultServer) -> None:
    # The read timeout alone would never fire: a byte arrives every second.
    policy = local_policy(read_timeout_s=5.0, total_timeout_s=1.0)
    result, _ = fetch_one(policy, server.url("/slow"))
    assert isinstance(result.error, NetworkError)
    assert result.error.code == "timeout"
    assert result.error.transient


@pytest.mark.parametrize("path", ["/endless", "/gzip-bomb"])
def test_oversized_bodies_stop_at_the_cap(server: FaultServer, path: str) -> None:
    result, _ = fetch_one(local_policy(max_bytes=200_000), server.url(path))
    assert isinstance(result.error, ResponseRejected)
    assert result.error.code == "too_large"
    assert not result.error.transient


@pytest.mark.parametrize("path", ["/gzip", "/deflate"])
def test_compressed_pages_are_decoded(server: FaultServer, path: str) -> None:
    result, _ = fetch_one(local_policy(), server.url(path))
    assert result.ok
    assert result.body == ARTICLE_HTML


@pytest.mark.parametrize("path", ["/pdf", "/png", "/pdf-as-html"])
def test_binary_where_a_page_was_promised_is_refused(server: FaultServer, path: str) -> None:
    result, _ = fetch_one(local_policy(), server.url(path))
    assert result.error is not None
    assert result.error.code == "content_type"
    assert not result.error.transient


def test_pdf_is_also_refused_as_a_feed(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), FetchRequest(server.url("/pdf"), kind="feed"))
    assert result.error is not None and result.error.code == "content_type"


def test_html_is_accepted_as_a_feed_body(server: FaultServer) -> None:
    # Servers mislabel feeds as text/html; the feed parser, not the fetcher, judges them.
    result, _ = fetch_one(local_policy(), FetchRequest(server.url("/article"), kind="feed"))
    assert result.ok


def test_page_without_an_article_is_delivered_for_extraction_to_judge(
    server: FaultServer,
) -> None:
    result, _ = fetch_one(local_policy(), server.url("/no-article"))
    assert result.ok
    assert result.body is not None and b"<article" not in result.body


def test_redirect_loop_is_detected_without_revisiting(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/loop/a"))
    assert result.error is not None and result.error.code == "redirect_loop"
    assert server.hits("/loop/a") == 1
    assert server.hits("/loop/b") == 1


def test_six_redirects_exceed_the_limit_of_five(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/chain/6"))
    assert result.error is not None and result.error.code == "redirect_limit"
    assert len(result.redirects) == 5
    assert server.hits("/chain/1") == 1
    assert server.hits("/chain/0") == 0  # the sixth redirect was never followed


def test_five_redirects_are_followed(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/chain/5"))
    assert result.ok
    assert result.final_url == server.url("/chain/0")
    assert result.redirects == tuple(server.url(f"/chain/{n}") for n in range(4, -1, -1))


def test_cookie_bounce_back_to_the_same_page_is_not_a_loop(server: FaultServer) -> None:
    result, _ = fetch_one(local_policy(), server.url("/gate"))
    assert result.ok
    assert result.body == ARTICLE_HTML
    assert result.redirects == (server.url("/consent"), server.url("/gate"))


def test_conditional_get_turns_into_not_modified(server: FaultServer) -> None:
    first, _ = fetch_one(local_policy(), server.url("/validators"))
    assert first.ok and first.etag == ETAG and first.last_modified == LAST_MODIFIED
    by_etag, _ = fetch_one(local_policy(), FetchRequest(server.url("/validators"), etag=ETAG))
    by_date, _ = fetch_one(
        local_policy(), FetchRequest(server.url("/validators"), last_modified=LAST_MODIFIED)
    )
    for result in (by_etag, by_date):
        assert result.ok
        assert result.not_modified
        assert result.status == 304
        assert result.body is None


def test_user_agent_names_the_project_and_the_contact(server: FaultServer) -> None:
    policy = local_policy(contact="newsroom-ops@example.org")
    result, _ = fetch_one(policy, server.url("/echo"))
    assert result.body is not None
    sent = result.body.decode()
    assert "User-Agent: wirewatch/0.1" in sent
    assert "contact: newsroom-ops@example.org" in sent
    assert "Accept-Encoding: gzip, deflate" in sent


def test_a_mixed_batch_keeps_order_and_returns_every_good_page(server: FaultServer) -> None:
    paths = [
        "/article",
        "/status/404",
        "/reset",
        "/gzip",
        "/pdf",
        "/to/ten",
        "/loop/a",
        "/status/503",
        "/chain/2",
        "/endless",
    ]
    seen: list[str] = []
    results = fetch_all_sync(
        local_policy(max_bytes=200_000),
        [FetchRequest(server.url(path)) for path in paths],
        on_result=lambda result: seen.append(result.request.url),
    )
    assert [r.request.url for r in results] == [server.url(p) for p in paths]
    assert sorted(seen) == sorted(server.url(p) for p in paths)
    codes = [r.error.code if r.error else "ok" for r in results]
    outcome = dict(zip(paths, codes, strict=True))
    assert outcome == {
        "/article": "ok",
        "/status/404": "http_status",
        "/reset": "reset",
        "/gzip": "ok",
        "/pdf": "content_type",
        "/to/ten": "blocked_address",
        "/loop/a": "redirect_loop",
        "/status/503": "http_status",
        "/chain/2": "ok",
        "/endless": "too_large",
    }
    good = [r for r in results if r.ok]
    assert all(r.body == ARTICLE_HTML for r in good)


def test_fetch_all_sync_also_works_inside_a_running_event_loop(server: FaultServer) -> None:
    async def caller() -> list[FetchResult]:
        return fetch_all_sync(local_policy(), [FetchRequest(server.url("/article"))])

    (result,) = asyncio.run(caller())
    assert result.ok


def test_results_with_errors_survive_pickling(server: FaultServer) -> None:
    results, _ = fetch_many(local_policy(), [server.url("/status/503?retry_after=3")])
    copy = pickle.loads(pickle.dumps(results[0]))
    assert isinstance(copy.error, HTTPStatusError)
    assert (copy.error.code, copy.error.status, copy.error.transient) == ("http_status", 503, True)
    assert copy.error.retry_after_s == 3.0
    assert copy.error.reason == results[0].error.reason


def test_fetch_outside_the_context_manager_is_a_usage_error(server: FaultServer) -> None:
    fetcher = Fetcher(local_policy())
    with pytest.raises(RuntimeError):
        asyncio.run(fetcher.fetch(FetchRequest(server.url("/article"))))
    assert server.total_hits() == 0
