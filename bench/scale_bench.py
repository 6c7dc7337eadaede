"""10,000 feeds through the real cycle, and two workers on a PostgreSQL-catalog lake.

    python -m bench scale [--feeds 10000] [--cold-feeds 1000] [--cold-items 20] [--json]

1. Warm cycle: a farm of `--feeds` feeds on loopback (bench/feedfarm.py: 50 hosts; six in
   seven answer 304, the seventh sends no validator and the identical body again). A first
   (priming) cycle polls them all on a DuckDB file; then a warm cycle polls every feed again,
   once as plain stage calls and once as the Prefect flow: CPU per unchanged feed (goal
   <= 5 ms), wall of the warm cycle (goal < 60 s), the feed_polls rows it adds, and Prefect's
   share (flow minus plain calls).
2. Cold cycle: `--cold-feeds` feeds x `--cold-items` items (small article pages), once by one
   process on a DuckDB file, once by two workers (shards 1/2 and 2/2 at once, separate
   processes) on DuckLake with its catalog in PostgreSQL and its files in S3 (tests/services.py
   starts both; skipped without the PostgreSQL binaries).

Every cycle runs in a fresh subprocess; CPU is that process tree's (bench/cycle_bench.py's
sampler), so the farm's own CPU is not counted. The machine may be shared: prefer the CPU
figures, which load changes far less than wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.cycle_bench import TreeSampler, measured, table

GOAL_CPU_MS_PER_FEED = 5.0
GOAL_WARM_S = 60.0
TESTS = Path(__file__).resolve().parent.parent / "tests"


# --- children -------------------------------------------------------------------------------


def _plain_cycle(overrides: dict[str, Any]) -> tuple[dict, dict]:
    from bench.cycle_bench import _direct_cycle
    from flows.settings import load_settings

    return _direct_cycle(load_settings(overrides=overrides))


def _flow_cycle(overrides: dict[str, Any], shard: str | None = None) -> Any:
    from prefect import flow

    from flows.ingest import run_cycle
    from flows.settings import load_settings
    from flows.shard import parse_shard

    @flow(name="bench-scale-cycle")
    def bench_cycle() -> Any:
        return run_cycle(load_settings(overrides=overrides), force=True,
                         shard=parse_shard(shard))

    return bench_cycle()


def _poll_rows(overrides: dict[str, Any]) -> int:
    from flows.settings import load_settings
    from warehouse.connection import open_reader
    from warehouse.results import single_count

    with open_reader(load_settings(overrides=overrides).warehouse_target) as con:
        return single_count(con.execute("SELECT count(*) FROM feed_polls"))


def child_warm(overrides: dict[str, Any]) -> dict[str, Any]:
    (prime, _), prime_wall, prime_cpu = measured(lambda: _plain_cycle(overrides))
    polls_before = _poll_rows(overrides)
    (counts, stages), wall, cpu = measured(lambda: _plain_cycle(overrides))
    polls_after = _poll_rows(overrides)
    _flow_cycle(overrides)  # the first flow run registers the flow and its tasks
    summary, flow_wall, flow_cpu = measured(lambda: _flow_cycle(overrides))
    return {"prime": {"wall_s": prime_wall, "cpu_s": prime_cpu, "counts": prime},
            "wall_s": wall, "cpu_s": cpu, "counts": counts, "stages": stages,
            "polls_added": polls_after - polls_before, "polls_total": _poll_rows(overrides),
            "flow_wall_s": flow_wall, "flow_cpu_s": flow_cpu, "flow_counts": summary.counts,
            "flow_stages": summary.stage_seconds}


def child_cold(overrides: dict[str, Any], shard: str | None) -> dict[str, Any]:
    summary, wall, cpu = measured(lambda: _flow_cycle(overrides, shard))
    return {"wall_s": wall, "cpu_s": cpu, "counts": summary.counts,
            "stages": summary.stage_seconds}


def child_main(argv: list[str]) -> None:
    mode, payload = argv[0], json.loads(argv[1])
    if mode == "warm":
        report = child_warm(payload["overrides"])
    else:
        report = child_cold(payload["overrides"], payload.get("shard"))
    print(json.dumps(report))


# --- the parent -----------------------------------------------------------------------------


def start_child(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bench.scale_bench", "--child", *args],
                            env=env, stdout=subprocess.PIPE, text=True)


def finish_child(proc: subprocess.Popen) -> dict[str, Any]:
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"a bench cycle failed with {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def feed_farm(work: Path, feeds: int, items: int) -> Iterator[list[list[str]]]:
    ready = work / f"farm-{feeds}-{items}.json"
    proc = subprocess.Popen([sys.executable, "-m", "bench.feedfarm", "--feeds", str(feeds),
                             "--items", str(items), "--ready", str(ready)])
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the feed farm did not start")
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written in one call; let it land whole
        yield json.loads(ready.read_text(encoding="utf-8"))["feeds"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def outlets_file(work: Path, feeds: list[list[str]], name: str) -> Path:
    path = work / f"{name}.toml"
    path.write_text("".join(
        f'[[outlets]]\nid = "{oid}"\nname = "Farm {oid}"\nhomepage = "{url.rsplit("/f/", 1)[0]}/"'
        f'\nlanguage = "en"\ncountry = "US"\nkind = "outlet"\nfeeds = ["{url}"]\n\n'
        for oid, url in feeds), encoding="utf-8")
    return path


def overrides_for(work: Path, name: str, outlets: Path) -> dict[str, Any]:
    return {"db_path": str(work / name / "w.duckdb"), "outlets_file": str(outlets),
            "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
            "per_host_concurrency": 8, "total_concurrency": 64, "lock_timeout_s": 300.0,
            "publish_analyst_copy": False, "respect_robots": False}


def run_warm(work: Path, feeds: int, env: dict[str, str]) -> dict[str, Any]:
    with feed_farm(work, feeds, 0) as farm:
        outlets = outlets_file(work, farm, "warm")
        payload = {"overrides": overrides_for(work, "warm", outlets)}
        proc = start_child(["warm", json.dumps(payload)], env)
        with TreeSampler(proc.pid) as sampler:
            report = finish_child(proc)
        report["peak_rss"] = sampler.peak_rss
        return report


def run_cold(work: Path, feeds: int, items: int, env: dict[str, str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with feed_farm(work, feeds, items) as farm:
        outlets = outlets_file(work, farm, "cold")
        payload = {"overrides": overrides_for(work, "cold-file", outlets)}
        results["file"] = finish_child(start_child(["cold", json.dumps(payload)], env))
        results["lake"] = _cold_on_lake(work, outlets, env)
    return results


def _cold_on_lake(work: Path, outlets: Path, env: dict[str, str]) -> dict[str, Any] | None:
    sys.path.insert(0, str(TESTS))
    from services import lake_services, pg_missing_reason

    if pg_missing_reason():
        return None
    with lake_services() as services:
        warehouse, data_path = services.fresh_lake()
        overrides = {**overrides_for(work, "cold-lake", outlets), "warehouse": warehouse,
                     "ducklake_data_path": data_path}
        lake_env = {**env, **services.env()}
        # The lake's tables are created once before the race, as a deployed lake would be.
        from flows.settings import load_settings
        from warehouse.connection import open_writer

        with open_writer(load_settings(overrides=overrides).warehouse_target):
            pass
        started = time.perf_counter()
        procs = [start_child(["cold", json.dumps({"overrides": overrides, "shard": s})],
                             lake_env) for s in ("1/2", "2/2")]
        workers = [finish_child(p) for p in procs]
        wall = time.perf_counter() - started
    counts = {k: sum(w["counts"].get(k, 0) for w in workers) for k in workers[0]["counts"]}
    return {"wall_s": wall, "cpu_s": sum(w["cpu_s"] for w in workers), "counts": counts,
            "workers": workers}


def summary(warm: dict[str, Any], cold: dict[str, Any], feeds: int) -> dict[str, Any]:
    polled = warm["counts"]["feeds_polled"]
    result = {
        "feeds": feeds, "feeds_polled": polled,
        "feeds_not_modified": warm["counts"]["feeds_not_modified"],
        "cpu_ms_per_unchanged_feed": warm["cpu_s"] * 1000 / max(polled, 1),
        "warm_cycle_s": warm["wall_s"], "warm_cpu_s": warm["cpu_s"],
        "warm_stages_s": warm["stages"], "warm_flow_s": warm["flow_wall_s"],
        "warm_flow_cpu_s": warm["flow_cpu_s"],
        "prefect_overhead_s": warm["flow_wall_s"] - warm["wall_s"],
        "feed_polls_rows_added": warm["polls_added"], "feed_polls_rows": warm["polls_total"],
        "prime_cycle_s": warm["prime"]["wall_s"], "warm_peak_mb": warm["peak_rss"] / 1e6,
    }
    if cold.get("file"):
        result |= {"cold_file_s": cold["file"]["wall_s"], "cold_file_cpu_s": cold["file"]["cpu_s"],
                   "cold_file_counts": cold["file"]["counts"],
                   "cold_file_stages": cold["file"]["stages"]}
    if cold.get("lake"):
        lake = cold["lake"]
        result |= {"cold_lake_two_workers_s": lake["wall_s"], "cold_lake_cpu_s": lake["cpu_s"],
                   "cold_lake_counts": lake["counts"],
                   "cold_lake_stages": [w["stages"] for w in lake["workers"]]}
    return result


def report_table(s: dict[str, Any]) -> str:
    cpu, warm = s["cpu_ms_per_unchanged_feed"], s["warm_cycle_s"]
    rows = [("measure", "value", "goal"),
            ("feeds polled (not modified)", f"{s['feeds_polled']} ({s['feeds_not_modified']})",
             f"{s['feeds']}"),
            ("CPU per unchanged feed", f"{cpu:.2f} ms",
             f"<= {GOAL_CPU_MS_PER_FEED} ms {'ok' if cpu <= GOAL_CPU_MS_PER_FEED else 'MISSED'}"),
            ("warm cycle wall (plain calls) / CPU", f"{warm:.1f} s / {s['warm_cpu_s']:.1f} s",
             f"< {GOAL_WARM_S:.0f} s {'ok' if warm < GOAL_WARM_S else 'MISSED'}"),
            ("warm cycle as Prefect flow: wall / CPU",
             f"{s['warm_flow_s']:.1f} s / {s['warm_flow_cpu_s']:.1f} s", ""),
            ("Prefect overhead (flow - plain, noise incl.)", f"{s['prefect_overhead_s']:.1f} s",
             ""),
            ("feed_polls rows added per warm cycle", str(s["feed_polls_rows_added"]), "")]
    if "cold_file_s" in s:
        rows.append(("cold, one process, DuckDB file: wall / CPU",
                     f"{s['cold_file_s']:.1f} s / {s['cold_file_cpu_s']:.1f} s", ""))
    if "cold_lake_two_workers_s" in s:
        rows.append(("cold, two workers, PostgreSQL lake: wall / CPU",
                     f"{s['cold_lake_two_workers_s']:.1f} s / {s['cold_lake_cpu_s']:.1f} s", ""))
    stages = ", ".join(f"{k} {v:.2f}" for k, v in s["warm_stages_s"].items())
    return table(rows) + f"\n\nwarm stages (s): {stages}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--cold-feeds", type=int, default=1000)
    parser.add_argument("--cold-items", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from flows.serve import prefect_api

    load_at_start = os.getloadavg()  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory() as tmp, prefect_api() as api:
        work = Path(tmp)
        env = {**os.environ, "PREFECT_API_URL": api.api_url}
        print("warm cycle …", file=sys.stderr, flush=True)
        warm = run_warm(work, args.feeds, env)
        cold: dict[str, Any] = {}
        if args.cold_feeds > 0:  # --cold-feeds 0: the warm cycle only
            print("cold cycles …", file=sys.stderr, flush=True)
            cold = run_cold(work, args.cold_feeds, args.cold_items, env)
    result = summary(warm, cold, args.feeds) | {
        "load_average_start": list(load_at_start), "load_average_end": list(os.getloadavg())}
    print(json.dumps(result) if args.json else report_table(result))


if __name__ == "__main__":
    main()
