"""Where the cycle's peak memory is: each process of the cycle bench's tree, at the peak.

    python -m bench.memory_probe [--mode flow|direct|ours] [--pages N] [--env NAME=VALUE]

Runs one child of `python -m bench cycle` (the cold and warm cycle in the Prefect flow by
default) against the outlet farm and reads /proc/<pid>/status of every process of its tree
every 0.1 s (the bench's own sampler reads the same resident totals). Prints the tree's peak,
each process's VmRSS, RssAnon, RssFile and RssShmem at that moment (MB), and the tree's total
every few seconds, so a stage's growth shows (fetch, extract, load, entities). A diagnostic:
the figures docs/benchmarks.md quotes come from `python -m bench cycle --json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.cycle_bench import farm_spec, overrides_for
from bench.farm import OutletFarm

FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem")


def process_status(pid: int) -> dict[str, int | str] | None:
    """A process's resident figures (kB) and the tail of its command line; None once gone."""
    found: dict[str, int | str] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in FIELDS:
                    found[key] = int(value.split()[0])
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            found["cmd"] = f.read().replace(b"\0", b" ").decode(errors="replace")[:70]
    except OSError:
        return None
    return found if "VmRSS" in found else None  # a zombie has no memory figures


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, []))
    return pids


class Probe:
    """The tree's total every 0.1 s, and every process's figures at the largest total."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kb = 0
        self.at_peak: dict[int, dict[str, int | str]] = {}
        self.timeline: list[tuple[float, int]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.monotonic()

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            snapshot = {pid: s for pid in tree(self.root) if (s := process_status(pid))}
            total = sum(int(s["VmRSS"]) for s in snapshot.values())
            self.timeline.append((time.monotonic() - self._started, total))
            if total > self.peak_kb:
                self.peak_kb, self.at_peak = total, snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description="Per-process memory of a cycle bench child.")
    parser.add_argument("--mode", choices=("flow", "direct", "ours"), default="flow")
    parser.add_argument("--outlets", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--pages", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the child")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.serve import prefect_api

    with tempfile.TemporaryDirectory() as tmp, OutletFarm(farm_spec(args)) as farm, \
            prefect_api() as api:
        work = Path(tmp)
        (work / "outlets.toml").write_text(farm.outlets_toml(), encoding="utf-8")
        (work / "urls.txt").write_text("\n".join(farm.page_urls()), encoding="utf-8")
        env = {**os.environ, "PREFECT_API_URL": api.api_url,
               **dict(pair.split("=", 1) for pair in args.env)}
        payload = {"urls_file": str(work / "urls.txt"), "workers": args.workers,
                   "overrides": overrides_for(work, args.mode, work / "outlets.toml",
                                              args.workers)}
        child = subprocess.Popen([sys.executable, "-m", "bench.cycle_bench", "--child",
                                  args.mode, json.dumps(payload)],
                                 env=env, stdout=subprocess.PIPE, text=True)
        with Probe(child.pid) as probe:
            out, _ = child.communicate()
    report = json.loads(out.strip().splitlines()[-1])
    print(f"stages (s): {report.get('stages')}")
    print(f"tree peak: {probe.peak_kb / 1024:.0f} MB")
    for pid, s in sorted(probe.at_peak.items()):
        figures = " ".join(f"{k} {int(s.get(k, 0)) / 1024:.0f}" for k in FIELDS)
        print(f"  pid {pid}: {figures}  {s['cmd']}")
    step = max(1, len(probe.timeline) // 50)
    print("tree total (s: MB): " + ", ".join(
        f"{t:.0f}: {kb / 1024:.0f}" for t, kb in probe.timeline[::step]))


if __name__ == "__main__":
    main()
