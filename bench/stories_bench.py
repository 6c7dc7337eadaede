"""Story assignment at scale: docs/s, peak memory and index reload with N articles stored.

Synthetic articles (random prose over a fixed vocabulary, names and numbers; about one in
six a trimmed copy, teaser or re-led copy of an earlier one; English and Spanish) fill a
fresh DuckDB file through the real `assign_stories`, then a further 1,000 articles are
assigned in cycles of 200 and timed. Each size runs in its own process so peak memory
(ru_maxrss) belongs to that size alone.

    .venv/bin/python bench/stories_bench.py                # 10k and 100k
    .venv/bin/python bench/stories_bench.py --sizes 10000  # one size
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.migrate import migrate
from warehouse.results import single_count
from warehouse.stories import assign_stories
from warehouse.story_index import key_candidates

FILL_BATCH = 2000
MEASURED = 1000
CYCLE = 200
START = datetime(2026, 1, 1, tzinfo=UTC)


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    letters = "abcdefghilmnoprstuvz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(6000)]
    names = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 9))).title()
             for _ in range(800)]
    return words, names


def _paragraph(rng: random.Random, words: list[str], names: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        body = rng.choices(words, k=rng.randint(12, 24))
        body.insert(rng.randint(1, len(body) - 1), rng.choice(names))
        if rng.random() < 0.4:
            body.insert(rng.randint(1, len(body) - 1), str(rng.randint(10, 99999)))
        sentences.append(" ".join(body).capitalize() + ".")
    return " ".join(sentences)


def synthetic_articles(n: int, offset: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    words, names = _vocabulary(random.Random(7))
    made: list[dict] = []
    for i in range(offset, offset + n):
        when = START + timedelta(minutes=3 * i)
        lang = "en" if i % 2 else "es"
        if made and rng.random() < 0.17:  # a copy of a recent article
            source = rng.choice(made[-300:])
            paras = source["text"].split("\n")
            kind = rng.choice(["trimmed", "teaser", "relead"])
            if kind == "trimmed":
                paras = paras[: max(2, len(paras) * 2 // 3)]
            elif kind == "teaser":
                paras = [paras[0].split(". ")[0] + "."]
            else:
                paras = [_paragraph(rng, words, names), *paras[1:]]
            text, lang = "\n".join(paras), source["language"]
        else:
            text = "\n".join(_paragraph(rng, words, names) for _ in range(rng.randint(4, 9)))
        made.append({"article_id": f"b{i:07d}", "outlet_id": f"o{rng.randint(0, 199)}",
                     "url": f"http://127.0.0.1/{i}", "canonical_url": f"http://127.0.0.1/{i}",
                     "status": "extracted", "title": " ".join(rng.choices(names, k=2)) + " "
                     + " ".join(rng.choices(words, k=6)), "text": text, "language": lang,
                     "published_at": when, "discovered_at": when})
    return made


def _insert(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    con.register("bench_rows", pa.Table.from_pylist(rows))
    con.execute("INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, title,"
                " text, language, published_at, discovered_at) SELECT * FROM bench_rows")
    con.unregister("bench_rows")


def _assign(con: duckdb.DuckDBPyConnection, rows: list[dict], batch: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        _insert(con, chunk)
        con.execute("BEGIN TRANSACTION")
        assign_stories(con, [r["article_id"] for r in chunk], now=chunk[-1]["discovered_at"])
        con.execute("COMMIT")
    return time.perf_counter() - started


def run_size(stored: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="wirewatch-bench-") as tmp:
        path = str(Path(tmp) / "bench.duckdb")
        con = duckdb.connect(path)
        migrate(con)
        fill_seconds = _assign(con, synthetic_articles(stored, 0, seed=1), FILL_BATCH)
        con.close()
        started = time.perf_counter()
        con = duckdb.connect(path)  # a new process's first cycle: open + one candidate lookup
        key_candidates(con, [(0, 1 << 32), (0, 12345)])
        reload_seconds = time.perf_counter() - started
        measured = synthetic_articles(MEASURED, stored, seed=2)
        seconds = _assign(con, measured, CYCLE)
        copies = single_count(con.execute(
            "SELECT count(*) FROM syndication WHERE method <> 'original'"))
        con.close()
        size_mb = Path(path).stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stored": stored, "fill_docs_per_s": stored / fill_seconds,
            "docs_per_s": MEASURED / seconds, "peak_mb": peak_mb, "reload_s": reload_seconds,
            "db_mb": size_mb, "copies_found": copies}


def print_table(results: list[dict]) -> None:
    header = (f"{'stored':>8}  {'fill docs/s':>11}  {'docs/s (cycles of 200)':>22}  "
              f"{'peak MB':>8}  {'reload s':>8}  {'db MB':>7}  {'copies':>7}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['stored']:>8}  {r['fill_docs_per_s']:>11.0f}  {r['docs_per_s']:>22.0f}  "
              f"{r['peak_mb']:>8.0f}  {r['reload_s']:>8.3f}  {r['db_mb']:>7.0f}  "
              f"{r['copies_found']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one)))
        return
    results = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True,
                             capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps({"sizes": results}))
        return
    print_table(results)


if __name__ == "__main__":
    main()
