"""ProcessStream and chunking: in order, across processes, nothing lost to a dead worker.

Pages through the cycle's own stream: tests/test_page_stream.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from extractors.batch import ProcessStream, chunk_size


@pytest.mark.parametrize(("jobs_count", "workers", "expected"),
                         [(1, 2, 1), (16, 2, 2), (1000, 2, 16), (100, 8, 3)])
def test_chunk_size(jobs_count, workers, expected):
    assert chunk_size(jobs_count, workers) == expected


# --- ProcessStream: items handed over while they still arrive -------------------------------


def _square_and_mark(item: tuple[int, str]) -> int:
    number, folder = item
    Path(folder, f"done-{number}").touch()
    return number * number


def _die_on_seven(item: int) -> int:
    if item == 7:
        os._exit(1)  # a worker killed mid-batch (the OOM killer, a segfault in a parser)
    return item


def _lost(item: object, reason: str) -> str:
    return f"lost {item}: {reason}"


def _marked(folder: Path, count: int) -> int:
    """How many items were done, waiting up to a minute for `count` of them."""
    deadline = time.monotonic() + 60
    while len(list(folder.glob("done-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(list(folder.glob("done-*")))


def _marking_stream(folder: Path, count: int) -> tuple[list[tuple[int, str]], ProcessStream]:
    """`count` items for _square_and_mark and a two-worker stream in chunks of 4."""
    items = [(n, str(folder)) for n in range(count)]
    return items, ProcessStream(_square_and_mark, lost=_lost, expected=count, workers=2,
                                min_parallel=4, preload=(), chunk=4)


def test_a_stream_works_on_full_chunks_before_results_are_asked_for(tmp_path):
    items, stream = _marking_stream(tmp_path, 12)
    with stream:
        for item in items[:8]:
            stream.add(item)
        # Two full chunks were processed while the producer still held the rest.
        assert _marked(tmp_path, 8) == 8
        for item in items[8:]:
            stream.add(item)
        assert stream.results() == [n * n for n in range(12)]


def test_results_of_the_oldest_items_leave_the_later_ones_running(tmp_path):
    # The entities stage stores one batch while the workers tag the next: results(count)
    # returns the oldest items only, and the items sent after them finish without a call.
    items, stream = _marking_stream(tmp_path, 10)
    with stream:
        for item in items[:5]:
            stream.add(item)
        stream.flush()  # a chunk of 4 and one of 1
        for item in items[5:]:
            stream.add(item)
        stream.flush()
        assert stream.results(5) == [n * n for n in range(5)]
        assert _marked(tmp_path, 10) == 10
        assert stream.results() == [n * n for n in range(5, 10)]


def test_a_count_that_splits_a_sent_chunk_is_refused():
    with ProcessStream(_die_on_seven, lost=_lost, expected=8, workers=2, min_parallel=4,
                       preload=(), chunk=4) as stream:
        for n in (0, 1, 2, 3, 4, 5, 6, 8):
            stream.add(n)
        with pytest.raises(ValueError, match="does not end where"):
            stream.results(3)


def test_a_small_stream_returns_the_oldest_items_first():
    with ProcessStream(lambda n: n * 10, lost=_lost, expected=3, workers=2,
                       min_parallel=8) as stream:
        for n in (5, 1, 3):
            stream.add(n)
        stream.flush()
        assert stream.results(2) == [50, 10]
        stream.add(7)
        assert stream.results() == [30, 70]


def test_a_small_stream_runs_in_this_process_in_order():
    with ProcessStream(lambda n: n + 1, lost=_lost, expected=3, workers=2,
                       min_parallel=8) as stream:
        for n in (5, 1, 3):
            stream.add(n)
        assert stream.results() == [6, 2, 4]


def test_a_dead_worker_loses_its_chunk_and_later_ones_but_nothing_vanishes():
    with ProcessStream(_die_on_seven, lost=_lost, expected=12, workers=2, min_parallel=4,
                       preload=(), chunk=2) as stream:
        for n in range(12):
            stream.add(n)
        results = stream.results()
    assert len(results) == 12
    assert results[7].startswith("lost 7: extraction worker died")
    survivors = [r for r in results if isinstance(r, int)]
    assert survivors == sorted(survivors) and all(results[r] == r for r in survivors)
    assert all(isinstance(r, int) or "worker died" in r for r in results)
