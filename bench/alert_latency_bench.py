"""Time from an article's appearance in a feed to its alert, in the demo setting.

The demo site shows phase 1; one cycle lands it (and starts Prefect's temporary API). Then the
site reveals phase 2 — new items, some on U.S.–Mexico security — and the clock starts; the
next cycle runs at once, as `wirewatch serve` would at its next tick, and the clock stops
when the local inbox receives each new alert. With `serve`, add up to one ingest interval
(`ingest_interval_minutes`) of waiting for that tick.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def measure(workdir: Path) -> dict[str, float]:
    from flows.demo import DemoSite
    from flows.demo.inbox import AlertInbox
    from flows.ingest import ingest

    with DemoSite(phase=1) as site, AlertInbox() as inbox:
        (workdir / "outlets.toml").write_text(site.outlets_toml(), encoding="utf-8")
        os.environ["WIREWATCH_ALERT_URLS"] = inbox.apprise_url
        overrides = {"db_path": str(workdir / "ww.duckdb"),
                     "outlets_file": str(workdir / "outlets.toml"),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8}
        ingest(overrides=overrides, force=True)
        before = len(inbox.messages)
        site.set_phase(2)
        started = time.perf_counter()
        summary = ingest(overrides=overrides, force=True)
        finished = time.perf_counter()
        new = len(inbox.messages) - before
    return {"new_alerts": new, "cycle_s": finished - started,
            **{f"stage_{k}_s": v for k, v in summary.stage_seconds.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    rows = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(measure(Path(tmp)))
    cycle = [r["cycle_s"] for r in rows]
    if args.json:
        stages = sorted(k for k in rows[0] if k.startswith("stage_"))
        print(json.dumps({"rounds": len(rows), "new_alerts": rows[0]["new_alerts"],
                          "alert_latency_median_s": statistics.median(cycle),
                          "alert_latency_max_s": max(cycle),
                          **{f"{k}_median": statistics.median(r[k] for r in rows)
                             for k in stages}}))
        return
    print(f"{'measure':<42}{'value':>10}")
    print(f"{'new alerts per round':<42}{rows[0]['new_alerts']:>10}")
    print(f"{'feed change -> alert delivered, median s':<42}{statistics.median(cycle):>10.2f}")
    print(f"{'feed change -> alert delivered, max s':<42}{max(cycle):>10.2f}")
    for key in sorted(k for k in rows[0] if k.startswith("stage_")):
        label = f"  of which {key.removeprefix('stage_').removesuffix('_s')}, median s"
        print(f"{label:<42}{statistics.median(r[key] for r in rows):>10.2f}")
    print("with `wirewatch serve`, add up to one ingest interval (default 5 min) of waiting")


if __name__ == "__main__":
    main()
