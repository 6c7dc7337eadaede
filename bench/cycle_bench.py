"""End-to-end cycle against its limit: bare trafilatura on the same pages, same processes.

    python -m bench cycle [--outlets 100] [--items 50] [--pages N] [--latency-ms 0]
                          [--workers N] [--json]

Starts the outlet farm (bench/farm.py) and a local Prefect API, then measures, each in a
fresh subprocess so that CPU time and memory are its own:

- bare:   trafilatura.extract with its default settings on every page (fetched beforehand,
          untimed), N processes;
- ours:   the cycle's extraction and enrichment on the same pre-fetched pages, N processes;
- direct: one cold cycle with the stages called as plain functions (no Prefect);
- flow:   one cold cycle as `run_cycle` inside a Prefect flow, then a warm cycle in the same
          process with every feed polled again (all unchanged: 304) and no page fetched.

Wall time, CPU time (the process and its waited-for children) and peak memory (resident set
of the process tree, sampled every 0.1 s) are printed as a table with the goals:
cycle <= 1.3x bare, Prefect share < 5 %, peak <= 1.3 GB, warm < 3 s with 0 pages fetched;
with --json, one JSON object instead (keys in docs/benchmarks.md). The extract stage's CPU per
page against bare's is the figure to trust on a loaded machine; wall ratios move with load.
The farm runs in this (parent) process and shares the cores; it is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.farm import FarmSpec, OutletFarm
from bench.sampling import TreeSampler

GOAL_RATIO = 1.3
GOAL_PREFECT_SHARE = 0.05
GOAL_PEAK_BYTES = 1.3e9
GOAL_WARM_S = 3.0


def run_child(args: list[str], env: dict[str, str]) -> tuple[dict[str, Any], int]:
    """Run `cycle_bench --child …`; return its JSON report and the peak RSS of its tree."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.cycle_bench", "--child", *args],
                            env=env, stdout=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed with {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), sampler.peak_rss


class Neighbours:
    """CPU spent beside a child on the same cores: this process (the outlet farm's server
    threads and the samplers) and the Prefect API server's process tree.

    The farm stands in for outlets whose servers are elsewhere; here it takes a share of the
    two cores while the child fetches (bare fetches its pages before it is timed).
    """

    def __init__(self, server_pid: int | None) -> None:
        self._server = TreeSampler(server_pid) if server_pid else None
        self._started = 0.0
        self.cpu_s: dict[str, float] = {}

    def __enter__(self) -> Neighbours:
        self._started = time.process_time()
        if self._server is not None:
            self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu_s["bench_process"] = time.process_time() - self._started
        if self._server is not None:
            self._server.__exit__(*exc)
            self.cpu_s["prefect_server"] = self._server.cpu_s


# --- the children ---------------------------------------------------------------------------


def measured(func: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds, CPU seconds of this process and its descendants."""
    wall = time.perf_counter()
    with TreeSampler(os.getpid()) as sampler:
        result = func()
    return result, time.perf_counter() - wall, sampler.cpu_s


def _extract_chunk(bodies: list[bytes]) -> int:
    import trafilatura

    return sum(1 for body in bodies if trafilatura.extract(body, include_comments=False))


def _prefetched(urls_file: str) -> tuple[list[str], list[bytes]]:
    """The farm's page URLs and their bodies, fetched before anything is timed."""
    import httpx

    urls = Path(urls_file).read_text(encoding="utf-8").split()
    with httpx.Client() as client:
        return urls, [client.get(url).content for url in urls]


def child_bare(urls_file: str, workers: int) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _, bodies = _prefetched(urls_file)
    chunks = [bodies[i:i + 4] for i in range(0, len(bodies), 4)]

    def run() -> int:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["trafilatura"])
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return sum(pool.map(_extract_chunk, chunks))

    extracted, wall, cpu = measured(run)
    return {"wall_s": wall, "cpu_s": cpu, "pages": len(bodies), "extracted": extracted}


def child_ours(urls_file: str, workers: int) -> dict[str, Any]:
    """The cycle's extraction and enrichment alone: the same pre-fetched pages through the
    cycle's page stream (trafilatura, metadata, dates, language, teasers, tags, credits,
    fingerprints) with the cycle's worker tagger (the NER model runs after the load, as in
    the cycle), the same number of processes as bare; no fetching, no load."""
    from datetime import UTC, datetime

    from flows.entity_stage import worker_tagger
    from flows.pages import PageJob, page_stream
    from flows.settings import Settings

    urls, bodies = _prefetched(urls_file)
    now = datetime.now(UTC)
    jobs = [PageJob(str(n), url, body, "utf-8", None, now)
            for n, (url, body) in enumerate(zip(urls, bodies, strict=True))]

    def run() -> int:
        with page_stream(worker_tagger(Settings()), len(jobs), workers) as stream:
            for job in jobs:
                stream.add(job)
            return sum(o.article.status == "extracted" for o in stream.results())

    extracted, wall, cpu = measured(run)
    return {"wall_s": wall, "cpu_s": cpu, "pages": len(bodies), "extracted": extracted}


def _direct_cycle(settings: Any) -> tuple[dict[str, int], dict[str, float]]:
    """flows.ingest.run_cycle's stages in order, each task's plain function (`.fn`)."""
    from flows import cycle, ingest
    from flows.configured_lists import load_rules_for
    from flows.cycle_lock import cycle_lock
    from flows.cycle_types import CycleCounts

    ctx = cycle.CycleContext.new(settings)
    rules = load_rules_for(settings)
    seconds: dict[str, float] = {}

    def timed(stage: str, func: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = func(*args)
        seconds[stage] = time.perf_counter() - started
        return result

    with cycle_lock(settings.db_path, wait_s=settings.lock_timeout_s):
        due = timed("plan", ingest.plan_task.fn, ctx, True)
        outcomes = timed("poll", ingest.poll_task.fn, ctx, due)
        discovered = timed("discover", ingest.discover_task.fn, ctx, outcomes)
        items = discovered.items
        results, pages = timed("fetch+extract", ingest.fetch_extract_task.fn, ctx, items)
        loaded = timed("load", ingest.load_task.fn, ctx, items, results, pages, rules,
                       discovered.counts, seconds)
        timed("deliver", ingest.deliver_task.fn, settings, rules)
        timed("publish", ingest.publish_task.fn, settings)
    return CycleCounts.total(discovered.counts, loaded.counts).as_dict(), seconds


def child_direct(overrides: dict[str, Any]) -> dict[str, Any]:
    from flows.settings import load_settings

    (counts, stages), wall, cpu = measured(
        lambda: _direct_cycle(load_settings(overrides=overrides)))
    return {"wall_s": wall, "cpu_s": cpu, "counts": counts, "stages": stages}


def child_flow(overrides: dict[str, Any]) -> dict[str, Any]:
    from prefect import flow

    from flows.ingest import run_cycle
    from flows.settings import load_settings

    @flow(name="bench-cycle")
    def bench_cycle(force: bool) -> Any:
        return run_cycle(load_settings(overrides=overrides), force=force)

    cold, wall, cpu = measured(lambda: bench_cycle(True))
    warm, warm_wall, _ = measured(lambda: bench_cycle(True))
    _empty_cycle(cold.counts["pages_fetched"])  # first run: registers the flow and tasks
    _, prefect_wall, _ = measured(lambda: _empty_cycle(cold.counts["pages_fetched"]))
    return {"wall_s": wall, "cpu_s": cpu, "counts": cold.counts, "stages": cold.stage_seconds,
            "warm_wall_s": warm_wall, "warm_counts": warm.counts, "warm_stages": warm.stage_seconds,
            "prefect_s": prefect_wall}


def _empty_cycle(pages: int) -> None:
    """Prefect's own cost for one cycle: a flow of the same shape (the ingest flow's seven
    stage tasks, their options, the same quote()d lists of `pages` objects) doing no work.

    Differencing two full cycles (flow minus plain calls) mixes this cost with the run-to-run
    noise of a shared machine, which is larger (several seconds either way)."""
    from prefect import flow, task

    from flows.ingest import STAGE
    from flows.task_options import quoted

    @task(**STAGE)
    def stage(*lists: list[object]) -> list[object]:
        return lists[0]

    @flow(name="bench-empty-cycle")
    def empty_cycle() -> None:
        items = [object() for _ in range(pages)]
        for _ in range(7):  # plan, poll, discover, fetch-and-extract, load, deliver, publish
            items = stage(quoted(items), quoted(items))

    empty_cycle()


def child_main(argv: list[str]) -> None:
    mode, payload = argv[0], json.loads(argv[1])
    if mode == "bare":
        report = child_bare(payload["urls_file"], payload["workers"])
    elif mode == "ours":
        report = child_ours(payload["urls_file"], payload["workers"])
    elif mode == "direct":
        report = child_direct(payload["overrides"])
    else:
        report = child_flow(payload["overrides"])
    print(json.dumps(report))


# --- the parent -------------------------------------------------------------------------------


def overrides_for(work: Path, name: str, outlets: Path, workers: int) -> dict[str, Any]:
    return {"db_path": str(work / name / "w.duckdb"), "outlets_file": str(outlets),
            "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
            "extract_workers": workers, "lock_timeout_s": 60.0}


def table(rows: list[tuple[str, str, str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join("| " + line + " |" for line in lines)


def report(results: dict[str, tuple[dict[str, Any], int]], pages: int, mean_kb: float) -> str:
    bare, bare_peak = results["bare"]
    ours, _ = results["ours"]
    direct, direct_peak = results["direct"]
    flow, flow_peak = results["flow"]
    share = flow["prefect_s"] / flow["wall_s"]
    difference = (flow["wall_s"] - direct["wall_s"]) / flow["wall_s"]
    ratio = flow["wall_s"] / bare["wall_s"]
    fetched = flow["warm_counts"]["pages_fetched"]
    rows = [("measure", "value", "goal"),
            ("pages (mean size)", f"{pages} ({mean_kb:.0f} KB)", ""),
            ("bare trafilatura: wall / CPU", f"{bare['wall_s']:.1f} s / {bare['cpu_s']:.1f} s",
             ""),
            ("bare trafilatura: peak memory", f"{bare_peak / 1e6:.0f} MB", ""),
            ("extraction + enrichment alone: wall / CPU",
             f"{ours['wall_s']:.1f} s / {ours['cpu_s']:.1f} s "
             f"({ours['wall_s'] / bare['wall_s']:.2f}x bare)", ""),
            ("cycle, plain calls: wall / CPU",
             f"{direct['wall_s']:.1f} s / {direct['cpu_s']:.1f} s", ""),
            ("cycle, Prefect flow: wall / CPU", f"{flow['wall_s']:.1f} s / {flow['cpu_s']:.1f} s",
             ""),
            ("cycle / bare extraction (wall)", f"{ratio:.2f}x",
             f"<= {GOAL_RATIO}x {'ok' if ratio <= GOAL_RATIO else 'MISSED'}"),
            ("cycle without the entities stage (after alerts) / bare (wall)",
             f"{(flow['wall_s'] - flow['stages'].get('entities', 0.0)) / bare['wall_s']:.2f}x",
             ""),
            ("Prefect's own cost per cycle (empty flow)", f"{flow['prefect_s']:.2f} s", ""),
            ("Prefect share (own cost / flow)", f"{share * 100:.1f} %",
             f"< 5 % {'ok' if share < GOAL_PREFECT_SHARE else 'MISSED'}"),
            ("(flow - plain) / flow, run-to-run noise incl.", f"{difference * 100:.1f} %", ""),
            ("peak memory, cycle incl. children", f"{max(direct_peak, flow_peak) / 1e6:.0f} MB",
             f"<= 1300 MB {'ok' if max(direct_peak, flow_peak) < GOAL_PEAK_BYTES else 'MISSED'}"),
            ("warm cycle wall (all feeds 304)", f"{flow['warm_wall_s']:.2f} s",
             f"< 3 s {'ok' if flow['warm_wall_s'] < GOAL_WARM_S else 'MISSED'}"),
            ("warm cycle pages fetched", str(fetched), f"0 {'ok' if fetched == 0 else 'MISSED'}")]
    stages = ", ".join(f"{k} {v:.1f}" for k, v in flow["stages"].items())
    direct_stages = ", ".join(f"{k} {v:.1f}" for k, v in direct["stages"].items())
    warm_stages = ", ".join(f"{k} {v:.2f}" for k, v in flow["warm_stages"].items())
    return (table(rows) + f"\n\ncold stages in the flow (s): {stages}\n"
            f"cold stages, plain calls (s): {direct_stages}\n"
            f"warm stages (s): {warm_stages}\n"
            f"bare: {bare['extracted']} of {bare['pages']} pages gave text\n"
            f"cold counts: {flow['counts']}")


def figures(results: dict[str, tuple[dict[str, Any], int]]) -> dict[str, Any]:
    """The bench's figures as one flat object (documented in docs/benchmarks.md)."""
    bare, bare_peak = results["bare"]
    ours, ours_peak = results["ours"]
    direct, direct_peak = results["direct"]
    flow, flow_peak = results["flow"]
    peak = max(direct_peak, flow_peak)
    extract_ratio = (ours["cpu_s"] / ours["pages"]) / (bare["cpu_s"] / bare["pages"])
    out = {
        "pages": bare["pages"], "bare_extracted": bare["extracted"],
        "ours_extracted": ours["extracted"],
        "bare_wall_s": bare["wall_s"], "bare_cpu_s": bare["cpu_s"],
        "bare_peak_rss_mb": bare_peak / 1e6,
        "extract_wall_s": ours["wall_s"], "extract_cpu_s": ours["cpu_s"],
        "extract_peak_rss_mb": ours_peak / 1e6,
        "extract_cpu_per_page_over_bare": extract_ratio,
        "extract_wall_over_bare": ours["wall_s"] / bare["wall_s"],
        "direct_cycle_wall_s": direct["wall_s"], "direct_cycle_cpu_s": direct["cpu_s"],
        "cycle_wall_s": flow["wall_s"], "cycle_cpu_s": flow["cpu_s"],
        "cycle_over_bare_wall": flow["wall_s"] / bare["wall_s"],
        # The entities stage (the NER model) runs after alerts are delivered: this is the
        # cycle as far as an alert waits for it.
        "cycle_before_entities_over_bare_wall":
            (flow["wall_s"] - flow["stages"].get("entities", 0.0)) / bare["wall_s"],
        "cycle_over_bare_cpu": flow["cpu_s"] / bare["cpu_s"],
        "prefect_s": flow["prefect_s"], "prefect_share": flow["prefect_s"] / flow["wall_s"],
        "peak_rss_mb": peak / 1e6,
        "warm_cycle_s": flow["warm_wall_s"],
        "warm_pages_fetched": flow["warm_counts"]["pages_fetched"],
        "cold_stage_s": flow["stages"], "cold_counts": flow["counts"],
    }
    out["goals_met"] = {
        "cycle_over_bare_wall": out["cycle_over_bare_wall"] <= GOAL_RATIO,
        "extract_cpu_per_page_over_bare": extract_ratio <= 1.0,
        "prefect_share": out["prefect_share"] < GOAL_PREFECT_SHARE,
        "peak_rss_mb": peak <= GOAL_PEAK_BYTES,
        "warm_cycle_s": out["warm_cycle_s"] < GOAL_WARM_S,
        "warm_pages_fetched": out["warm_pages_fetched"] == 0,
    }
    return out


def farm_spec(args: argparse.Namespace) -> FarmSpec:
    """--pages N: a quick check on about N pages (fewer outlets and items per feed)."""
    outlets, items = args.outlets, args.items
    if args.pages:
        outlets = max(1, min(outlets, args.pages // 10 or 1))
        items = max(1, -(-args.pages // outlets))
    return FarmSpec(outlets=outlets, items_per_feed=items, latency_s=args.latency_ms / 1000)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description="End-to-end cycle vs bare extraction.")
    parser.add_argument("--outlets", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pages", type=int, default=0,
                        help="about this many pages instead of outlets x items (quick check)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from flows.serve import prefect_api

    spec = farm_spec(args)
    with tempfile.TemporaryDirectory() as tmp, OutletFarm(spec) as farm, prefect_api() as api:
        work = Path(tmp)
        outlets = work / "outlets.toml"
        outlets.write_text(farm.outlets_toml(), encoding="utf-8")
        urls = work / "urls.txt"
        urls.write_text("\n".join(farm.page_urls()), encoding="utf-8")
        env = {**os.environ, "PREFECT_API_URL": api.api_url}
        results, neighbours = {}, {}
        for mode in ("bare", "ours", "direct", "flow"):
            payload = {"urls_file": str(urls), "workers": args.workers,
                       "overrides": overrides_for(work, mode, outlets, args.workers)}
            print(f"running {mode} …", file=sys.stderr, flush=True)
            with Neighbours(api.process.pid if api.process else None) as beside:
                results[mode] = run_child([mode, json.dumps(payload)], env)
            neighbours[mode] = beside.cpu_s
        sizes = farm.page_bytes()
        if args.json:
            print(json.dumps({**figures(results), "mean_page_kb": sum(sizes) / len(sizes) / 1000,
                              "farm_requests": farm.counter.snapshot(),
                              "neighbour_cpu_s": neighbours}))
            return
        print(report(results, len(sizes), sum(sizes) / len(sizes) / 1000))
        print(f"extract stage CPU per page / bare: "
              f"{figures(results)['extract_cpu_per_page_over_bare']:.2f}x (goal <= 1.0x)")
        print(f"farm requests: {farm.counter.snapshot()}")


if __name__ == "__main__":
    main()
