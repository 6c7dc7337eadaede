"""Run one ingest cycle in this process, optionally dying by SIGKILL at a chosen point.

Used by tests/test_crash.py and tests/test_faults_pipeline.py as a subprocess:

    python tests/crash_driver.py <job.json>

job.json: {"overrides": {...settings...}, "force": bool, "progress": "<file>", "shard": "k/n",
           "kill": {"point": "<point>", "delay_s": <float>} | null,
           "fsize_limit": <bytes> | null}

Kill points (the instrumentation lives here, not in the pipeline):
- "stage:<name>"    SIGKILL `delay_s` after stage <name> starts (plan, poll, discover, fetch,
                    extract, load, deliver, publish): a random point in or after that stage;
- "discover-written" after the pending rows are inserted, before discover commits;
- "extract-pool"    once the extraction pool has returned its first chunk (workers running);
- "load-saved"      inside the load transaction, after the article rows are written;
- "load-stories"    inside the load transaction, after stories are assigned;
- "load-enqueued"   inside the load transaction, after the alert outbox rows, before COMMIT;
- "alert-sent"      right after a destination acknowledged an alert, before it is recorded.

`fsize_limit` sets RLIMIT_FSIZE (with SIGXFSZ ignored, so writes fail with EFBIG): a disk that
fills up. The cycle's PREFECT_API_URL comes from the environment (a server the test started).
Progress lines ("stage <name>", "done <counts json>", "error <type>: <message>") are appended
to `progress` and flushed, so the parent knows how far the cycle got.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class Progress:
    def __init__(self, path: str) -> None:
        self._path = path

    def write(self, line: str) -> None:
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


def _after(func: Callable[..., Any], progress: Progress, point: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        progress.write(f"kill {point}")
        _die()
        return result
    return wrapper


def _after_ack(func: Callable[..., bool], progress: Progress) -> Callable[..., bool]:
    def wrapper(*args: Any, **kwargs: Any) -> bool:
        ok = func(*args, **kwargs)
        if ok:
            progress.write("kill alert-sent")
            _die()
        return ok
    return wrapper


def watch_pool(progress: Progress, die: bool) -> None:
    """Log "pool-ready" when the extraction pool finishes its first chunk (and die there)."""
    import threading

    import extractors.batch as pages

    first = threading.Event()

    def on_done(future: Any) -> None:
        if future.exception() is None and not first.is_set():
            first.set()
            progress.write("pool-ready")
            if die:
                progress.write("kill extract-pool")
                _die()

    class WatchedPool(pages.ProcessPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any):
            future = super().submit(*args, **kwargs)
            future.add_done_callback(on_done)
            return future

    pages.ProcessPoolExecutor = WatchedPool


def install_kill_point(point: str, progress: Progress) -> None:
    """Patch the named seam so the process dies there (module attributes looked up at call)."""
    import flows.alerts.send as send
    import flows.cycle as cycle
    import flows.loading as loading
    import warehouse.articles as arts

    if point == "discover-written":
        cycle.arts.insert_pending = _after(arts.insert_pending, progress, point)
    elif point == "load-saved":
        loading.arts.save_results = _after(arts.save_results, progress, point)
    elif point == "load-stories":
        loading.assign_stories = _after(loading.assign_stories, progress, point)
    elif point == "load-enqueued":
        loading.enqueue_alerts = _after(loading.enqueue_alerts, progress, point)
    elif point == "alert-sent":
        send._notify = _after_ack(send._notify, progress)
    elif point == "extract-pool":
        watch_pool(progress, die=True)
    elif not point.startswith("stage:"):
        raise SystemExit(f"unknown kill point {point!r}")


def stage_hook(kill: dict | None, progress: Progress) -> Callable[[str], None]:
    target = kill["point"].removeprefix("stage:") if kill and kill["point"].startswith(
        "stage:") else None

    def on_stage(stage: str) -> None:
        progress.write(f"stage {stage}")
        if stage == target:
            timer = threading.Timer(float(kill["delay_s"]), _die)
            timer.daemon = True
            timer.start()
    return on_stage


def limit_file_size(limit: int) -> None:
    # Without this, exceeding the limit kills the process with SIGXFSZ instead of failing
    # the write with EFBIG, which is what a full disk looks like to the program.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    progress = Progress(job["progress"])
    from prefect import flow

    from flows.ingest import run_cycle
    from flows.settings import load_settings
    from flows.shard import parse_shard

    kill = job.get("kill")
    if kill:
        install_kill_point(kill["point"], progress)
    if not kill or kill["point"] != "extract-pool":
        watch_pool(progress, die=False)

    @flow(name="crash-trial", log_prints=False)
    def trial() -> dict[str, int]:
        settings = load_settings(overrides=job["overrides"])
        return run_cycle(settings, force=job.get("force", False),
                         on_stage=stage_hook(kill, progress),
                         shard=parse_shard(job.get("shard"))).counts

    if job.get("fsize_limit"):
        limit_file_size(int(job["fsize_limit"]))
    try:
        counts = trial()
    except Exception as exc:
        progress.write(f"error {type(exc).__module__}.{type(exc).__name__}: {exc}")
        return 1
    progress.write("done " + json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
