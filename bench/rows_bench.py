"""Staging article rows as Arrow: typed records (warehouse/rows.py) against plain dicts.

    .venv/bin/python -m bench rows [--articles 10000] [--repeat 3] [--json]

The load writes every batch through an Arrow table built column by column. This compares the
CPU time (`time.process_time`, all threads of this process) of building that table from typed
records (`rows.to_table`, what the cycle does) and from dicts with the same values (the
mapping path `staging.to_arrow` keeps for other tables), and of the whole load of the
records (`insert_pending` then `save_results`, 500 per transaction) into a new DuckDB file.
The rows are the synthetic articles of bench/warehouse_bench.py. Best of `--repeat` runs.
Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.warehouse_bench import ArticleFactory
from warehouse import articles as arts
from warehouse import staging
from warehouse.connection import open_writer, transaction
from warehouse.rows import PendingRow, ResultRow, to_table

BATCH = 500


def cpu_seconds(func: Callable[[], Any], repeat: int) -> float:
    """The least process CPU time of `repeat` calls."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        func()
        best = min(best, time.process_time() - started)
    return best


def load_all(pending: list[PendingRow], results: list[ResultRow]) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_writer(Path(tmp) / "w.duckdb") as con:
        for first in range(0, len(pending), BATCH):
            with transaction(con):
                arts.insert_pending(con, pending[first:first + BATCH])
            with transaction(con):
                arts.save_results(con, results[first:first + BATCH])


def measure(articles: int, repeat: int) -> dict[str, float | int]:
    pending, results = ArticleFactory().batch(0, articles)
    as_dicts = [dataclasses.asdict(r) for r in results]
    return {
        "articles": articles,
        "records_to_arrow_cpu_s": cpu_seconds(lambda: to_table(results, ResultRow), repeat),
        "dicts_to_arrow_cpu_s": cpu_seconds(
            lambda: staging.to_arrow(as_dicts, ResultRow.SCHEMA), repeat),
        "load_cpu_s": cpu_seconds(lambda: load_all(pending, results), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench rows",
                                     description="Arrow staging of typed article rows")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.articles, args.repeat)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.articles:,} result rows, CPU seconds (best of {args.repeat})")
    print(f"{'Arrow table from records':<34}{figures['records_to_arrow_cpu_s']:>8.3f}")
    print(f"{'Arrow table from dicts':<34}{figures['dicts_to_arrow_cpu_s']:>8.3f}")
    print(f"{'load (insert_pending+save_results)':<34}{figures['load_cpu_s']:>8.3f}")


if __name__ == "__main__":
    main()
