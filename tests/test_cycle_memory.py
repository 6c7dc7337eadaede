"""What keeps the cycle's peak memory down: each page body is held only until its page is
extracted (docs/benchmarks.md, "Memory"), and the outputs are those of the unbounded path."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from extractors.batch import ProcessStream
from flows.heap import release_free_memory
from flows.pages import PageJob, without_body
from flows.transport import FetchRequest, fetch_all_sync
from tests.faultserver import ARTICLE_HTML, FaultServer, local_policy, running_fault_server


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with running_fault_server() as running:
        yield running


def test_results_come_back_without_bodies_the_callback_saw(server: FaultServer) -> None:
    paths = ["/article", "/status/404", "/gzip", "/article?again=1"]
    seen: dict[str, bytes | None] = {}
    results = fetch_all_sync(local_policy(), [FetchRequest(server.url(p)) for p in paths],
                             on_result=lambda r: seen.update({r.request.url: r.body}),
                             keep_bodies=False)
    assert [r.request.url for r in results] == [server.url(p) for p in paths]
    assert all(r.body is None for r in results)
    assert [r.status for r in results] == [200, 404, 200, 200]
    assert seen[server.url("/article")] == ARTICLE_HTML
    assert seen[server.url("/gzip")] == ARTICLE_HTML
    kept = fetch_all_sync(local_policy(), [FetchRequest(server.url("/article"))])
    assert kept[0].body == ARTICLE_HTML  # the default is unchanged


def _slow_double(n: int) -> int:
    time.sleep(0.02)
    return 2 * n


def _die_on_five(n: int) -> int:
    if n == 5:
        os._exit(1)
    return n


def _lost(item: object, reason: str) -> str:
    return f"lost {item}"


def test_a_bounded_stream_waits_for_the_workers_and_keeps_every_result_in_order() -> None:
    with ProcessStream(_slow_double, lost=_lost, expected=24, workers=2, min_parallel=4,
                       preload=(), chunk=2, queued_per_worker=1) as stream:
        most_unfinished = 0
        for n in range(24):
            stream.add(n)
            most_unfinished = max(most_unfinished, stream.unfinished_chunks)
        # add() returned each time with fewer than 2 workers x 1 chunk still unfinished:
        # the producer was held back instead of piling up twelve chunks.
        assert most_unfinished < 2
        assert stream.results() == [2 * n for n in range(24)]


def test_a_stream_keeps_only_the_slim_item_to_report_a_lost_one() -> None:
    with ProcessStream(_die_on_five, lost=_lost, expected=8, workers=2, min_parallel=4,
                       preload=(), chunk=1, slim=lambda n: -n) as stream:
        for n in range(8):
            stream.add(n)
        results = stream.results()
    assert results[5] == "lost -5"  # what `lost` got is what `slim` kept
    assert all(r == n or r == f"lost {-n}" for n, r in enumerate(results))


def test_a_sent_page_job_keeps_everything_but_its_body() -> None:
    job = PageJob("a1", "https://site.example/a", b"<html>" * 1000, "utf-8", None,
                  now=datetime(2026, 1, 1, tzinfo=UTC))
    slim = without_body(job)
    assert slim.body == b""
    assert (slim.article_id, slim.url, slim.charset, slim.now) == (
        job.article_id, job.url, job.charset, job.now)


def _resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    # 100 KB blocks come from the heap (below glibc's mmap threshold); freeing every other
    # one leaves holes that free() keeps, since the blocks above them are still in use.
    blocks = [bytearray(100_000) for _ in range(600)]
    del blocks[::2]
    before = _resident_kb()
    assert release_free_memory()
    assert _resident_kb() < before - 10_000  # most of the 30 MB of holes returned
    assert len(blocks) == 300
