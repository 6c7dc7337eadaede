"""Extraction throughput: pages per second, one core inline vs extract_many on N workers.

    .venv/bin/python bench/extract_bench.py [--workers 2] [--repeat 3] [--corpus PATH]

Uses tests/fixtures/pages and, when present, the shared corpus pages (WIREWATCH_CORPUS or
../shared/corpus). Also times bare trafilatura on the same pages (the floor) and parse_feed
on a generated 10,000-item feed. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import trafilatura

from extractors.batch import ExtractJob, extract_many
from extractors.feeds import parse_feed

ROOT = Path(__file__).resolve().parents[1]


def load_pages(corpus: Path) -> dict[str, list[ExtractJob]]:
    fixtures = [ExtractJob(html=p.read_bytes(), url=f"https://fixture.example/{p.stem}")
                for p in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))]
    sets = {"fixtures": fixtures}
    if (corpus / "pages").is_dir():
        sets["corpus"] = [ExtractJob(html=p.read_bytes(), url=f"https://{p.parent.name}.example/a")
                          for p in sorted((corpus / "pages").rglob("*.html"))]
    return sets


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def bare_trafilatura(jobs: list[ExtractJob]) -> None:
    for job in jobs:
        trafilatura.bare_extraction(job.html, url=job.url, include_comments=False,
                                    with_metadata=True, include_tables=False)


def big_feed(count: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://big.example/a/{i}</link><guid>g{i}</guid>"
        f"<pubDate>Tue, 15 Oct 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Summary {i}"
        f"&lt;/p&gt;</description></item>" for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="copies of the fixture set")
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get(
        "WIREWATCH_CORPUS", ROOT.parent / "shared" / "corpus")))
    args = parser.parse_args()
    rows = []
    for name, jobs in load_pages(args.corpus).items():
        if name == "fixtures":
            jobs = jobs * max(1, args.repeat) * 4
        megabytes = sum(len(j.html) for j in jobs) / 1e6
        bare = timed(lambda jobs=jobs: bare_trafilatura(jobs))
        inline = timed(lambda jobs=jobs: extract_many(jobs, workers=1))
        parallel = timed(lambda jobs=jobs: extract_many(jobs, workers=args.workers,
                                                        min_parallel=1))
        rows.append((name, len(jobs), megabytes, len(jobs) / bare, len(jobs) / inline,
                     len(jobs) / parallel))
    print(f"{'pages':<10}{'n':>6}{'MB':>8}{'bare traf. 1 core':>19}{'extract 1 core':>16}"
          f"{f'extract_many x{args.workers}':>20}   (pages/s)")
    for name, count, megabytes, bare, inline, parallel in rows:
        print(f"{name:<10}{count:>6}{megabytes:>8.1f}{bare:>19.1f}{inline:>16.1f}{parallel:>20.1f}")
    body = big_feed(10_000)
    seconds = timed(lambda: parse_feed(body, "https://big.example/rss", max_items=5000))
    full = timed(lambda: parse_feed(body, "https://big.example/rss", max_items=10_000))
    print(f"\nparse_feed, 10,000-item RSS ({len(body) / 1e6:.1f} MB): capped at 5,000 "
          f"{seconds:.2f} s; all 10,000 {full:.2f} s")


if __name__ == "__main__":
    main()
