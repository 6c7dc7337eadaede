"""Extract-stage CPU per page against bare trafilatura (default settings), on the same pages.

    .venv/bin/python -m bench extract [--workers 2] [--repeat 3] [--corpus PATH]
                                      [--wcxb PATH] [--every K] [--interleave] [--json]

Page sets: tests/fixtures/pages; the shared corpus pages when present (WIREWATCH_CORPUS or
../shared/corpus); the WCXB development article pages when present (../shared/extraction/
wcxb-dev-articles, every K-th page with --every). Per set, in this one process, CPU time
(time.process_time, so the load of a shared machine does not count) per page of:

- bare:    trafilatura.extract(html, url=url, include_comments=False), default settings;
- extract: extract_article (body, metadata, dates, language, teasers);
- stage:   the cycle's per-page work (flows.pages.process_page: extract_article, then
           tags, credits, fingerprint and content hash) with the tagger the cycle's workers
           use (linker and topics; the NER model runs after the load, flows/entity_stage.py):
           what the extract stage costs;

and the wall pages/s of the stage's page stream on N workers (flows.pages.page_stream, the
very call the cycle's fetch-and-extract task makes, with every page already in hand). Also
parse_feed on a 10,000-item feed. With --interleave the three CPU rows are taken one after
another on each page instead of each over the whole set in turn: the machine's slower and
faster stretches then fall on all three alike, which steadies the ratios.
The process is first settled as an extraction worker is (flows.pages.settle_worker: the
taggers' tables loaded, the heap frozen), so every row runs in the state a worker's pages do.
Prints a table, or one JSON object with --json (keys in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trafilatura

from bench.page_args import add_page_arguments, corpus_pages, wcxb_pages
from extractors.article import extract_article
from extractors.feeds import parse_feed
from extractors.tagging import TaggerConfig
from flows.entity_stage import worker_tagger
from flows.pages import PageJob, load_models, page_stream, process_page, settle_worker
from flows.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def page_job(html: bytes, url: str) -> PageJob:
    return PageJob(article_id="bench", url=url, body=html, charset=None, feed_item=None,
                   now=datetime.now(UTC))


def load_pages(corpus: Path, wcxb: Path, every: int) -> dict[str, list[PageJob]]:
    fixtures = [page_job(p.read_bytes(), f"https://fixture.example/{p.stem}")
                for p in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))]
    sets = {"fixtures": fixtures}
    if (corpus / "pages").is_dir():
        sets["corpus"] = [page_job(body, url) for body, url in corpus_pages(corpus)]
    if (wcxb / "html").is_dir():
        sets["wcxb-dev"] = [page_job(body, url) for body, url in wcxb_pages(wcxb, every)]
    return sets


def cpu_per_page(jobs: list[PageJob], work: Callable[[PageJob], object]) -> float:
    """CPU milliseconds per page of `work(job)` over all jobs, in this process."""
    started = time.process_time()
    for job in jobs:
        work(job)
    return 1000 * (time.process_time() - started) / len(jobs)


def cpu_per_page_interleaved(jobs: list[PageJob],
                              works: dict[str, Callable[[PageJob], object]]) -> dict[str, float]:
    """CPU milliseconds per page of each work, the works run one after another on each page
    (so a slower or faster stretch of the machine falls on all of them alike)."""
    spent = dict.fromkeys(works, 0.0)
    for job in jobs:
        for name, work in works.items():
            started = time.process_time()
            work(job)
            spent[name] += time.process_time() - started
    return {name: 1000 * seconds / len(jobs) for name, seconds in spent.items()}


def stream_pages_per_s(jobs: list[PageJob], workers: int, tagger: TaggerConfig) -> float:
    """Wall pages/s through the cycle's page stream, pool start-up included (as in a cycle)."""
    wall = time.perf_counter()
    with page_stream(tagger, len(jobs), workers) as stream:
        for job in jobs:
            stream.add(job)
        stream.results()
    return len(jobs) / (time.perf_counter() - wall)


def measure_set(jobs: list[PageJob], workers: int, interleave: bool = False) -> dict[str, Any]:
    tagger = worker_tagger(Settings())
    works: dict[str, Callable[[PageJob], object]] = {
        "bare": lambda j: trafilatura.extract(j.body, url=j.url, include_comments=False),
        "extract": lambda j: extract_article(j.body, j.url, now=j.now),
        "stage": lambda j: process_page(j, tagger),
    }
    if interleave:
        cpu = cpu_per_page_interleaved(jobs, works)
    else:
        cpu = {name: cpu_per_page(jobs, work) for name, work in works.items()}
    bare, extract, stage = cpu["bare"], cpu["extract"], cpu["stage"]
    parallel = stream_pages_per_s(jobs, workers, tagger)
    return {"pages": len(jobs), "mb": sum(len(j.body) for j in jobs) / 1e6,
            "bare_cpu_ms_per_page": bare, "extract_cpu_ms_per_page": extract,
            "stage_cpu_ms_per_page": stage, "stage_over_bare_cpu": stage / bare,
            "extract_over_bare_cpu": extract / bare, "stream_pages_per_s": parallel}


def big_feed(count: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://big.example/a/{i}</link><guid>g{i}</guid>"
        f"<pubDate>Tue, 15 Oct 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Summary {i}"
        f"&lt;/p&gt;</description></item>" for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def feed_figures() -> dict[str, float]:
    body = big_feed(10_000)
    started = time.process_time()
    parse_feed(body, "https://big.example/rss", max_items=5000)
    capped = time.process_time() - started
    started = time.process_time()
    parse_feed(body, "https://big.example/rss", max_items=10_000)
    return {"feed_mb": len(body) / 1e6, "parse_feed_capped_5000_cpu_s": capped,
            "parse_feed_all_10000_cpu_s": time.process_time() - started}


def print_table(sets: dict[str, dict[str, Any]], feed: dict[str, float], workers: int) -> None:
    print(f"{'pages':<10}{'n':>6}{'MB':>7}{'bare ms':>9}{'extract ms':>12}{'stage ms':>10}"
          f"{'stage/bare':>12}{f'x{workers} pages/s':>14}   (CPU ms per page, one process)")
    for name, r in sets.items():
        print(f"{name:<10}{r['pages']:>6}{r['mb']:>7.1f}{r['bare_cpu_ms_per_page']:>9.1f}"
              f"{r['extract_cpu_ms_per_page']:>12.1f}{r['stage_cpu_ms_per_page']:>10.1f}"
              f"{r['stage_over_bare_cpu']:>11.2f}x{r['stream_pages_per_s']:>14.1f}")
    print(f"\nparse_feed, 10,000-item RSS ({feed['feed_mb']:.1f} MB): capped at 5,000 "
          f"{feed['parse_feed_capped_5000_cpu_s']:.2f} s; all 10,000 "
          f"{feed['parse_feed_all_10000_cpu_s']:.2f} s (CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="copies of the fixture set")
    add_page_arguments(parser, every=1)
    parser.add_argument("--interleave", action="store_true",
                        help="time bare, extract and stage page by page instead of set by set")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    load_models()
    warm = load_pages(args.corpus, args.wcxb, args.every)
    # One untimed page first: imports, the language model and the taggers' data load once.
    process_page(warm["fixtures"][0], worker_tagger(Settings()))
    # As an extraction worker does before its first page: tables loaded, heap frozen.
    settle_worker(worker_tagger(Settings()), None)
    sets = {}
    for name, jobs in warm.items():
        if name == "fixtures":
            jobs = jobs * max(1, args.repeat) * 4
        sets[name] = measure_set(jobs, args.workers, args.interleave)
    feed = feed_figures()
    if args.json:
        print(json.dumps({"sets": sets, **feed, "workers": args.workers}))
    else:
        print_table(sets, feed, args.workers)


if __name__ == "__main__":
    main()
