"""The HTML brief over a large synthetic warehouse: time to build it and size of the page.

    .venv/bin/python -m bench report [--articles 100000] [--days 14] [--json] [--keep DIR]

Builds the warehouse in DuckDB itself (`INSERT … SELECT` over `range()`, a few seconds for
100,000 articles): 40 outlets (4 of them wires), articles spread evenly over `--days`, three
articles per story (an original, a copy or a translation, a credited copy), six topics (a
third of the stories on us_mexico_security), 2,000 entities (a third of them places with
coordinates) and five mentions per article, feeds with a few failing or silent. Then writes
the brief for the last 24 hours and for the last 7 days (the size budget is for a week) and
reports CPU seconds (the figure that does not depend on how loaded the shared machine is),
wall seconds and bytes. Prints a table; `--json` prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from flows.report import brief_options, write_report
from flows.settings import Settings
from warehouse.migrate import migrate

END = datetime(2026, 3, 1, tzinfo=UTC)
OUTLETS, WIRES, ENTITIES = 40, 4, 2000
TOPICS = ["us_mexico_security", "trade", "migration", "security_other", "weather", "sports"]


def build_warehouse(path: Path, articles: int, days: int) -> float:
    """The synthetic warehouse; returns the seconds it took."""
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    try:
        migrate(con)
        params = {"n": articles, "start": END - timedelta(days=days),
                  "step": days * 86400.0 / articles, "end": END}
        for statement in _GENERATE:
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - started


_GENERATE = [
    f"""INSERT INTO outlets SELECT 'outlet' || i, 'Outlet ' || i, NULL,
            CASE WHEN i % 2 = 0 THEN 'es' ELSE 'en' END,
            CASE WHEN i % 2 = 0 THEN 'MX' ELSE 'US' END,
            CASE WHEN i < {WIRES} THEN 'wire' ELSE 'outlet' END, $end
        FROM range({OUTLETS}) t(i)""",
    f"""INSERT INTO feeds (feed_url, outlet_id, last_status, last_error, last_polled_at,
            last_success_at, last_new_item_at, consecutive_failures, interval_seconds)
        SELECT 'http://outlet' || i || '.example/feed', 'outlet' || i,
               CASE WHEN i % 13 = 5 THEN 'failed' ELSE 'ok' END,
               CASE WHEN i % 13 = 5 THEN 'http 503' END, $end,
               CASE WHEN i % 13 = 5 THEN $end - INTERVAL 2 DAY ELSE $end END,
               CASE WHEN i % 17 = 3 THEN $end - INTERVAL 9 DAY ELSE $end END,
               CASE WHEN i % 13 = 5 THEN 4 ELSE 0 END, 900
        FROM range({OUTLETS}) t(i)""",
    f"""INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, title, language,
            published_at, discovered_at, attempts)
        SELECT 'a' || i, 'outlet' || ((i * 7 + i // 3) % {OUTLETS}),
               'http://x.example/' || i, 'http://x.example/' || i, 'extracted',
               'Headline number ' || i || ' about the border and the cartel',
               CASE WHEN i % 3 = 1 THEN 'es' ELSE 'en' END,
               $start + to_seconds(i * $step), $start + to_seconds(i * $step + 60), 1
        FROM range($n) t(i)""",
    """INSERT INTO syndication SELECT 'a' || i, 's' || (i // 3),
            CASE WHEN i % 3 = 0 THEN NULL ELSE 'a' || (i - i % 3) END,
            CASE i % 3 WHEN 0 THEN 'original' WHEN 1 THEN 'translation' ELSE 'near_duplicate' END,
            0.9, CASE WHEN (i // 3) % 4 = 0 AND i % 3 = 2 THEN 'agency' || ((i // 3) % 3) END,
            NULL, $end
        FROM range($n) t(i)""",
    """INSERT INTO article_credits SELECT 'a' || i, 'agency' || ((i // 3) % 3),
            'Agency ' || ((i // 3) % 3), 'credit', NULL, NULL, NULL
        FROM range($n) t(i) WHERE (i // 3) % 4 = 0 AND i % 3 = 2""",
    """INSERT INTO stories SELECT 's' || (i // 3), 'a' || i, 'Headline number ' || i,
            a.discovered_at, a.discovered_at, 3, 3, ['en', 'es'], a.published_at,
            CASE WHEN (i // 3) % 4 = 0 THEN ['agency' || ((i // 3) % 3)] ELSE [] END, []
        FROM range($n) t(i) JOIN articles a ON a.article_id = 'a' || i WHERE i % 3 = 0""",
    f"""INSERT INTO article_topics SELECT 'a' || i,
            CASE WHEN (i // 3) % 3 = 0 THEN 'us_mexico_security'
                 ELSE {TOPICS!r}[1 + (i // 3) % {len(TOPICS)}] END,
            0.8, ['term:frontera']
        FROM range($n) t(i)""",
    f"""INSERT INTO entities SELECT 'E' || i, 'Entity ' || i,
            CASE i % 3 WHEN 0 THEN 'GPE' WHEN 1 THEN 'PERSON' ELSE 'ORG' END, true,
            CASE WHEN i % 2 = 0 THEN 'MX' ELSE 'US' END,
            CASE WHEN i % 3 = 0 AND i % 9 <> 0 THEN 'MX-SIN' END,
            CASE WHEN i % 3 = 0 THEN 18 + (i * 37 % 200) / 10.0 END,
            CASE WHEN i % 3 = 0 THEN -118 + (i * 53 % 300) / 10.0 END,
            NULL, NULL, [], $end
        FROM range({ENTITIES}) t(i)""",
    f"""INSERT INTO article_entities SELECT 'a' || i, 'E' || ((i * 31 + k * 97) % {ENTITIES}),
            CASE ((i * 31 + k * 97) % {ENTITIES}) % 3 WHEN 0 THEN 'GPE' WHEN 1 THEN 'PERSON'
                 ELSE 'ORG' END, 'surface', k * 10, k * 10 + 6, true
        FROM range($n) t(i), range(5) r(k)""",
]


def measure(settings: Settings, since: str, output: Path) -> dict:
    options = brief_options(settings, since, ("us_mexico_security",), now=END)
    cpu, wall = time.process_time(), time.perf_counter()
    written = write_report(settings, options, output)
    return {"window": since, "cpu_s": round(time.process_time() - cpu, 3),
            "wall_s": round(time.perf_counter() - wall, 3), "bytes": written.bytes,
            "stories": written.stories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", type=Path, help="build the warehouse here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wirewatch-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.duckdb"
    db.unlink(missing_ok=True)
    try:
        build_s = build_warehouse(db, args.articles, args.days)
        settings = Settings(db_path=db, publish_analyst_copy=False)
        rows = [measure(settings, since, folder / f"brief-{since}.html") for since in ("24h", "7d")]
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    result = {"articles": args.articles, "days": args.days, "build_warehouse_s": round(build_s, 2),
              "briefs": rows}
    if args.json:
        print(json.dumps(result))
        return
    print(f"synthetic warehouse: {args.articles:,} articles over {args.days} days, "
          f"built in {build_s:.1f} s")
    print(f"{'window':<7} {'stories':>8} {'cpu s':>7} {'wall s':>7} {'HTML KB':>8}")
    for row in rows:
        print(f"{row['window']:<7} {row['stories']:>8} {row['cpu_s']:>7.2f} "
              f"{row['wall_s']:>7.2f} {row['bytes'] / 1024:>8.0f}")


if __name__ == "__main__":
    main()
