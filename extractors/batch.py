"""Work over many items across all cores, order preserved, nothing lost to a dead worker.

The cycle's extract stage streams fetched pages through `ProcessStream`
(flows.pages.page_stream); the entity stage maps article chunks with `map_in_processes`.
There is deliberately no page-only batch API beside them: extraction is measured and tested
through the stage's own stream, the path production runs (bench/extract_bench.py).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

# forkserver: workers fork from a clean single-threaded server process, not from a caller
# that may run Prefect's or httpx's threads (forking those can deadlock); preloading the
# extractor module makes each worker start warm (callers pass their own modules).
START_METHOD = "forkserver"
PRELOAD = ("extractors.article",)
MIN_CHUNK = 1
MAX_CHUNK = 16
STREAM_CHUNK = 4  # pages per task handed to a worker while a batch is still arriving
WORKER_DIED = "extraction worker died (BrokenProcessPool)"
T = TypeVar("T")
R = TypeVar("R")


def map_in_processes(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    lost: Callable[[T, str], R],
    workers: int | None = None,
    min_parallel: int = 8,
    preload: Sequence[str] = PRELOAD,
) -> list[R]:
    """`fn` over `items` in order, across all cores when there are enough items to pay for
    the pool. `fn` must be picklable (a module-level function or a partial of one). If a
    worker dies, the items without a result become `lost(item, reason)`: nothing vanishes."""
    count = workers or os.cpu_count() or 1
    with ProcessStream(fn, lost=lost, expected=len(items), workers=workers,
                       min_parallel=min_parallel, preload=preload,
                       chunk=chunk_size(len(items), count)) as stream:
        for item in items:
            stream.add(item)
        return stream.results()


class ProcessStream(Generic[T, R]):
    """`fn` over items that arrive one by one (pages as they are fetched), across all cores.

    Items go to the workers in chunks of `chunk` as soon as a chunk is full, so the work
    overlaps whatever produces the items; `results()` returns one result per item in the
    order added. With fewer than `min_parallel` expected items, or one core, everything runs
    in this process when `results()` is called. As with map_in_processes, a worker that dies
    turns the items without a result into `lost(item, reason)`.
    """

    def __init__(self, fn: Callable[[T], R], *, lost: Callable[[T, str], R],
                 expected: int, workers: int | None = None, min_parallel: int = 8,
                 preload: Sequence[str] = PRELOAD, chunk: int = STREAM_CHUNK,
                 slim: Callable[[T], T] | None = None,
                 on_chunk_done: Callable[[int], None] | None = None) -> None:
        self._fn, self._lost, self._chunk = fn, lost, max(1, chunk)
        # What is kept of each sent item until its result is in: only `lost` reads it, and
        # the full item (a page's body) would otherwise live until the last result.
        self._slim = slim
        count = workers or os.cpu_count() or 1
        self._workers = min(count, expected) if expected >= min_parallel and count > 1 else 0
        # Told (from a pool thread) how many items a chunk had once its results are in, so
        # a producer can hold back items that would only wait (flows.cycle.ExtractionGate).
        self._on_chunk_done = on_chunk_done
        self._preload = list(preload)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[T] = []
        self._submitted: list[tuple[list[T], Future[list[R]] | None]] = []

    def __enter__(self) -> ProcessStream[T, R]:
        if self._workers:
            context = multiprocessing.get_context(START_METHOD)
            context.set_forkserver_preload(self._preload)
            self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=context,
                                             initializer=ignore_interrupts)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def add(self, item: T) -> None:
        self._pending.append(item)
        if self._pool is not None and len(self._pending) >= self._chunk:
            self._send()

    @property
    def parallel(self) -> bool:
        """True when items go to worker processes as they are added (False: all of them
        run in this process when results() is called)."""
        return self._workers > 0

    @property
    def unfinished_chunks(self) -> int:
        """Chunks sent to the workers whose results are not in yet."""
        return sum(1 for _, future in self._submitted if future is not None and not future.done())

    def flush(self) -> None:
        """Send the items added so far to the workers, even fewer than a chunk, so that a
        later `results(count)` can end exactly after them."""
        if self._pool is not None:
            self._send()

    def results(self, count: int | None = None) -> list[R]:
        """The results of the oldest `count` items not returned yet (default: all), in the
        order added; waits for the workers. Items added after them keep running, so a
        caller can store one batch while the next is computed; `count` must then end where
        a `flush()` ended the items sent (ValueError otherwise)."""
        if self._pool is None:
            count = len(self._pending) if count is None else count
            items, self._pending = self._pending[:count], self._pending[count:]
            return [self._fn(item) for item in items]
        if count is None:
            self._send()
            count = sum(len(items) for items, _ in self._submitted)
        results: list[R] = []
        while len(results) < count and self._submitted:
            items, future = self._submitted.pop(0)
            results.extend(self._collect(items, future))
        if len(results) != count:
            raise ValueError(f"results({count}) does not end where the items sent end")
        return results

    def _send(self) -> None:
        if not self._pending:
            return
        items, self._pending = self._pending, []
        assert self._pool is not None
        try:
            future: Future[list[R]] | None = self._pool.submit(_run_chunk, self._fn, items)
        except BrokenProcessPool:
            future = None  # an earlier worker died: these items are lost, not dropped
        kept = items if self._slim is None else [self._slim(item) for item in items]
        self._submitted.append((kept, future))
        if self._on_chunk_done is not None:
            done, count = self._on_chunk_done, len(items)
            if future is None:
                done(count)
            else:
                future.add_done_callback(lambda _: done(count))

    def _collect(self, items: list[T], future: Future[list[R]] | None) -> list[R]:
        """A chunk's results; its items handed back as lost when its worker died (a killed
        process, the OOM killer) or the pool had broken before the chunk could be sent."""
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                pass
        return [self._lost(item, WORKER_DIED) for item in items]


def ignore_interrupts() -> None:
    """Workers leave Ctrl-C to their owner, which stops the pool: otherwise every worker
    of the terminal's process group prints its own KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(fn: Callable[[T], R], items: list[T]) -> list[R]:
    return [fn(item) for item in items]


def chunk_size(jobs: int, workers: int) -> int:
    """About four chunks per worker: low pickling overhead, still balanced across workers."""
    return max(MIN_CHUNK, min(MAX_CHUNK, jobs // (workers * 4) or 1))
