"""The load stage with N near-identical articles: does its CPU grow with N, or faster?

    python -m bench load [--sizes 1000 2000 5000 10000] [--cycles 1] [--json]

The articles are the scale bench's farm pages (bench/feedfarm.py `page_body`: one sentence
repeated, only "Paragraph n of story f-i" differs; 20 items per feed, one outlet per feed),
so every article is a near-copy of every other: the worst case for story assignment. The
pages go through the cycle's real extraction (flows/pages.py, untimed, done once for the
largest size), then, per size and in a fresh process, through the real load
(`flows.loading.load`: articles, tags, stories, alerts) into a fresh DuckDB file, as
`--cycles` equal loads one after another. The figure is the load's CPU time
(time.process_time), which a loaded machine changes far less than wall time.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.feedfarm import page_body

ITEMS_PER_FEED = 20
HOST = "http://127.0.1.1:8000"
PUBLISHED = datetime(2026, 1, 12, 12, tzinfo=UTC)


def farm_url(n: int) -> str:
    return f"{HOST}/p/{n // ITEMS_PER_FEED}/{n % ITEMS_PER_FEED}"


def feed_item(n: int) -> Any:
    from extractors.records import FeedItem

    feed, item = divmod(n, ITEMS_PER_FEED)
    return FeedItem(feed_url=f"{HOST}/f/{feed}.xml", url=farm_url(n), guid=farm_url(n),
                    title=f"Story {feed}-{item} from the farm",
                    summary=f"Summary of story {feed}-{item}.",
                    published=PUBLISHED + timedelta(minutes=item % 60))


def extract_pages(count: int, path: Path) -> None:
    """The farm's first `count` pages through the cycle's extraction, pickled to `path`."""
    from flows.entity_stage import worker_tagger
    from flows.pages import PageJob, page_stream
    from flows.settings import Settings

    now = datetime.now(UTC)
    with page_stream(worker_tagger(Settings()), count) as stream:
        for n in range(count):
            feed, item = divmod(n, ITEMS_PER_FEED)
            stream.add(PageJob(f"farm-{n:06d}", farm_url(n), page_body(feed, item), "utf-8",
                               feed_item(n), now, f"Farm farm{feed}"))
        outcomes = stream.results()
    path.write_bytes(pickle.dumps(outcomes))


def _stage(con: Any, ctx: Any, first: int, count: int) -> tuple[list, list]:
    """Outlets, feeds and pending rows for pages first..first+count, as plan and discover
    would write them; returns the fetch plan and its fetch results."""
    from flows.cycle_types import FetchPlanItem
    from flows.transport.policy import FetchRequest, FetchResult
    from warehouse import articles as arts
    from warehouse.rows import PendingRow

    now = datetime.now(UTC)
    pending, items, results = [], [], []
    for n in range(first, first + count):
        article_id, url, outlet = f"farm-{n:06d}", farm_url(n), f"farm{n // ITEMS_PER_FEED}"
        item = feed_item(n)
        pending.append(PendingRow(article_id=article_id, outlet_id=outlet, url=url,
                                  canonical_url=url, status="pending", discovered_at=now,
                                  run_id=ctx.run_id, feed_url=item.feed_url, guid=url,
                                  feed_title=item.title, feed_summary=item.summary,
                                  published_at=item.published, published_source="feed"))
        items.append(FetchPlanItem(article_id, url, 0, item, outlet))
        results.append(FetchResult(
            request=FetchRequest(url=url), final_url=url, status=200, body=None,
            content_type="text/html", charset="utf-8", etag=None, last_modified=None,
            not_modified=False, retry_after_s=None, redirects=(), elapsed_s=0.0, error=None))
    arts.insert_pending(con, pending)
    return items, results


def _outlets(con: Any, size: int) -> None:
    from warehouse import feedstate
    from warehouse.rows import NewFeedRow, OutletRow

    now = datetime.now(UTC)
    feeds = range((size + ITEMS_PER_FEED - 1) // ITEMS_PER_FEED)
    feedstate.sync_outlets(
        con,
        [OutletRow(outlet_id=f"farm{f}", name=f"Farm farm{f}", homepage=f"{HOST}/",
                   language="en", country="US", kind="outlet", updated_at=now) for f in feeds],
        [NewFeedRow(feed_url=f"{HOST}/f/{f}.xml", outlet_id=f"farm{f}",
                    interval_seconds=600) for f in feeds])


def run_size(size: int, cycles: int, outcomes_path: Path, profile: str | None) -> dict:
    """Load `size` pages in `cycles` equal loads into a fresh DuckDB file; CPU per load."""
    from flows import loading
    from flows.configured_lists import load_rules_for
    from flows.cycle_types import CycleContext, DiscoverCounts
    from flows.settings import load_settings
    from warehouse import runs
    from warehouse.results import single_count

    outcomes = pickle.loads(outcomes_path.read_bytes())[:size]
    with tempfile.TemporaryDirectory(prefix="wirewatch-load-bench-") as tmp:
        settings = load_settings(overrides={"db_path": str(Path(tmp) / "w.duckdb"),
                                            "publish_analyst_copy": False})
        rules = load_rules_for(settings)
        per_cycle = size // cycles
        cpu, wall = [], []
        for c in range(cycles):
            ctx = CycleContext.new(settings)
            chunk = outcomes[c * per_cycle:(c + 1) * per_cycle]
            with loading.writer(settings) as con:
                if c == 0:
                    _outlets(con, size)
                runs.start_run(con, ctx.run_id, ctx.started_at, None, None)
                items, results = _stage(con, ctx, c * per_cycle, len(chunk))
            started, wall_started = time.process_time(), time.perf_counter()
            if profile:
                import cProfile

                cProfile.runctx("loading.load(ctx, items, results, chunk, rules, "
                                "DiscoverCounts(), {})", globals(),
                                {"loading": loading, "ctx": ctx, "items": items,
                                 "results": results, "chunk": chunk, "rules": rules,
                                 "DiscoverCounts": DiscoverCounts}, f"{profile}.{size}.{c}")
            else:
                loading.load(ctx, items, results, chunk, rules, DiscoverCounts(), {})
            cpu.append(time.process_time() - started)
            wall.append(time.perf_counter() - wall_started)
        with loading.writer(settings) as con:
            stories = single_count(con.execute("SELECT count(*) FROM stories"))
            assigned = single_count(con.execute("SELECT count(*) FROM syndication"))
    return {"articles": size, "cycles": cycles, "load_cpu_s": sum(cpu), "load_wall_s": sum(wall),
            "cycle_cpu_s": cpu, "stories": stories, "assigned": assigned}


def print_table(results: list[dict]) -> None:
    header = (f"{'articles':>8}  {'loads':>5}  {'load CPU s':>10}  {'CPU ms/article':>14}  "
              f"{'wall s':>7}  {'stories':>7}  {'assigned':>8}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['articles']:>8}  {r['cycles']:>5}  {r['load_cpu_s']:>10.2f}  "
              f"{1000 * r['load_cpu_s'] / r['articles']:>14.2f}  {r['load_wall_s']:>7.1f}  "
              f"{r['stories']:>7}  {r['assigned']:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10_000])
    parser.add_argument("--cycles", type=int, default=1, help="loads per size (equal parts)")
    parser.add_argument("--outcomes", type=Path,
                        help="reuse (or write) the extracted pages pickled here")
    parser.add_argument("--profile", help="write cProfile stats to PREFIX.SIZE.CYCLE")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.cycles, args.outcomes, args.profile)))
        return
    with tempfile.TemporaryDirectory(prefix="wirewatch-load-pages-") as tmp:
        outcomes = args.outcomes or Path(tmp) / "outcomes.pickle"
        if not outcomes.exists() or len(pickle.loads(outcomes.read_bytes())) < max(args.sizes):
            print(f"extracting {max(args.sizes)} farm pages …", file=sys.stderr, flush=True)
            extract_pages(max(args.sizes), outcomes)
        results = []
        for size in args.sizes:
            command = [sys.executable, "-m", "bench.load_bench", "--one", str(size),
                       "--cycles", str(args.cycles), "--outcomes", str(outcomes)]
            if args.profile:
                command += ["--profile", args.profile]
            out = subprocess.run(command, check=True, capture_output=True, text=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps({"results": results}))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
