"""Warehouse load rates and analyst-copy publishing, at 10k and 100k articles.

    .venv/bin/python -m bench warehouse [--sizes 10000 100000] [--batch 500]
                                        [--backends duckdb ducklake-sqlite] [--keep DIR]

Generates synthetic articles (3-5 KB of text each, words drawn from a Zipf-like vocabulary so
the text compresses like prose, not like repeats), then loads them the way cycles do: one
transaction per batch, `insert_pending` for the discovered rows, then `save_results` for their
extraction results, both through the project's Arrow loaders. Row-by-row `executemany` on a
small sample is the reference. For the DuckDB file it also publishes the analyst copy twice
and reports both times and its size: the copy alone (no full-text index) and the copy with
every article in the full-text index (what `search_index_days` bounds). Prints a table;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from backends import make_target  # noqa: E402  (tests/backends.py: the same two backends)

from warehouse import articles as arts  # noqa: E402
from warehouse.connection import open_writer, transaction  # noqa: E402
from warehouse.publish import publish  # noqa: E402
from warehouse.rows import PendingRow, ResultRow  # noqa: E402
from warehouse.target import WarehouseTarget  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)
VOCABULARY_SIZE = 20_000
EXECUTEMANY_SAMPLE = 300


@dataclass(frozen=True, slots=True)
class LoadFigures:
    backend: str
    articles: int
    pending_rows_s: float
    results_rows_s: float
    load_seconds: float
    size_bytes: int
    publish_seconds: float | None = None  # the copy alone (search_index_days = 0)
    indexed_seconds: float | None = None  # the copy with every article in the search index
    copy_bytes: int | None = None


class ArticleFactory:
    """Deterministic synthetic articles: pending rows and their extraction results."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        letters = string.ascii_lowercase
        self.words = ["".join(self.rng.choices(letters, k=self.rng.randint(2, 11)))
                      for _ in range(VOCABULARY_SIZE)]
        weights = [1 / (rank + 1) for rank in range(VOCABULARY_SIZE)]  # Zipf's law, s = 1
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative,
                                 k=self.rng.randint(500, 830))  # about 3-5 KB
        sentences = [" ".join(words[i:i + 18]).capitalize() + "." for i in range(0, len(words), 18)]
        paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
        return "\n\n".join(paragraphs)

    def batch(self, first: int, size: int) -> tuple[list[PendingRow], list[ResultRow]]:
        pending, results = [], []
        for n in range(first, first + size):
            outlet = f"outlet-{n % 100:03d}"
            url = f"https://{outlet}.example/news/{n}"
            when = START + timedelta(minutes=n)
            title = " ".join(self.rng.choices(self.words, k=9)).capitalize()
            pending.append(PendingRow(
                article_id=f"art-{n:09d}", outlet_id=outlet,
                feed_url=f"https://{outlet}.example/rss", guid=str(n), url=url,
                canonical_url=url, status="pending", feed_title=title,
                feed_summary=title, title=title, published_at=when,
                published_source="feed", discovered_at=when, attempts=0,
                run_id=f"run-{n // 500}"))
            text = self.text()
            results.append(ResultRow(
                article_id=f"art-{n:09d}", status="extracted", retryable=False,
                extraction_method="trafilatura", canonical_url=url, final_url=url,
                title=title, author="Staff", site_name=outlet, text=text,
                language="en" if n % 3 else "es", declared_language="en",
                word_count=text.count(" ") + 1, published_at=when,
                published_source="json-ld", http_status=200,
                content_hash=f"{n:016x}", fetched_at=when, attempts=1,
                run_id=f"run-{n // 500}"))
        return pending, results


def batches(factory: ArticleFactory, total: int,
            size: int) -> Iterator[tuple[list[PendingRow], list[ResultRow]]]:
    for first in range(0, total, size):
        yield factory.batch(first, min(size, total - first))


def load(target: WarehouseTarget, backend: str, total: int, batch: int) -> LoadFigures:
    factory = ArticleFactory()
    pending_s = results_s = 0.0
    with open_writer(target, wait_s=600) as con:
        for pending, results in batches(factory, total, batch):
            # Generation is not timed: only the two loader calls and their commit.
            t0 = time.perf_counter()
            with transaction(con):
                arts.insert_pending(con, pending)
            t1 = time.perf_counter()
            with transaction(con):
                arts.save_results(con, results)
            pending_s += t1 - t0
            results_s += time.perf_counter() - t1
    return LoadFigures(backend, total, total / pending_s, total / results_s,
                       pending_s + results_s, stored_bytes(target))


def stored_bytes(target: WarehouseTarget) -> int:
    if not target.is_lake:
        return target.db_path.stat().st_size
    catalog = target.sqlite_catalog_path
    files = [p for p in Path(target.data_path or ".").rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) + (catalog.stat().st_size if catalog else 0)


def executemany_rate(target: WarehouseTarget) -> float:
    """Row-by-row inserts of the same pending rows: the slow reference."""
    pending, _ = ArticleFactory(seed=11).batch(0, EXECUTEMANY_SAMPLE)
    columns = list(arts.PENDING_SCHEMA.names)
    sql = (f"INSERT INTO articles ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    with open_writer(target, wait_s=600) as con, transaction(con):
        t0 = time.perf_counter()
        con.executemany(sql, [[getattr(row, c) for c in columns] for row in pending])
        return EXECUTEMANY_SAMPLE / (time.perf_counter() - t0)


def run_backend(backend: str, size: int, batch: int, workdir: Path) -> LoadFigures:
    root = workdir / f"{backend}-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    target = make_target(backend, root)
    figures = load(target, backend, size, batch)
    if target.is_lake:
        return figures
    copy_only = publish(target, root / "wirewatch.analyst.duckdb", wait_s=600, search_days=0)
    # The synthetic articles were discovered from START on: a window back to it indexes all.
    everything = (datetime.now(UTC) - START).days + 1
    indexed = publish(target, root / "wirewatch.analyst.duckdb", wait_s=600,
                      search_days=everything)
    return dataclasses.replace(figures, publish_seconds=copy_only.seconds,
                               indexed_seconds=indexed.seconds, copy_bytes=indexed.bytes)


def print_table(rows: list[LoadFigures], reference: dict[str, float], batch: int) -> None:
    header = (f"{'backend':<16}{'articles':>9}{'pending rows/s':>16}{'results rows/s':>16}"
              f"{'load s':>9}{'stored MB':>11}{'publish s':>11}{'+ index all s':>15}"
              f"{'copy MB':>9}")
    print(f"batch = {batch} articles per transaction, text 3-5 KB per article")
    print(header)
    print("-" * len(header))
    for r in rows:
        publish_s = f"{r.publish_seconds:.2f}" if r.publish_seconds is not None else "-"
        indexed_s = f"{r.indexed_seconds:.2f}" if r.indexed_seconds is not None else "-"
        copy_mb = f"{r.copy_bytes / 1e6:.0f}" if r.copy_bytes is not None else "-"
        print(f"{r.backend:<16}{r.articles:>9,}{r.pending_rows_s:>16,.0f}"
              f"{r.results_rows_s:>16,.0f}{r.load_seconds:>9.1f}{r.size_bytes / 1e6:>11.0f}"
              f"{publish_s:>11}{indexed_s:>15}{copy_mb:>9}")
    for backend, rate in reference.items():
        print(f"reference: executemany on {backend}, {EXECUTEMANY_SAMPLE} pending rows: "
              f"{rate:,.0f} rows/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--backends", nargs="+", default=["duckdb", "ducklake-sqlite"])
    parser.add_argument("--keep", type=Path, help="keep the warehouses in this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
    try:
        rows = [run_backend(b, size, args.batch, workdir)
                for b in args.backends for size in args.sizes]
        reference = {}
        for backend in args.backends:
            root = workdir / f"{backend}-executemany"
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            reference[backend] = executemany_rate(make_target(backend, root))
        if args.json:
            print(json.dumps({"batch": args.batch, "rows": [dataclasses.asdict(r) for r in rows],
                              "executemany_rows_per_s": reference}))
        else:
            print_table(rows, reference, args.batch)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
