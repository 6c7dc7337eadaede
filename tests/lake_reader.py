"""An analyst in its own process, querying a lake while workers write it (tests/test_scale_out.py).

    python tests/lake_reader.py <job.json>

job.json: {"warehouse": "...", "data_path": "...", "stop": "<file>", "out": "<file>"}

Until the stop file appears, it opens a reader, reads in one transaction what must hold at
every commit of a cycle, and appends one JSON line per look to `out`:
- snapshot: the lake's snapshot id it read;
- articles, distinct_ids: duplicate article rows would differ;
- unassigned: extracted articles without a story (the load commits both together);
- homeless_alerts: alerts whose story is missing (enqueued in the same transaction);
- unknown_runs: poll records of a run that does not exist (plan commits the run first).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

CHECKS = """
SELECT (SELECT max(snapshot_id) FROM ducklake_snapshots('lake')) AS snapshot,
       (SELECT count(*) FROM articles) AS articles,
       (SELECT count(DISTINCT article_id) FROM articles) AS distinct_ids,
       (SELECT count(*) FROM articles a WHERE status = 'extracted' AND NOT EXISTS
            (SELECT 1 FROM syndication s WHERE s.article_id = a.article_id)) AS unassigned,
       (SELECT count(*) FROM alerts al WHERE NOT EXISTS
            (SELECT 1 FROM syndication s WHERE s.story_id = al.story_id)) AS homeless_alerts,
       (SELECT count(*) FROM feed_polls p WHERE NOT EXISTS
            (SELECT 1 FROM runs r WHERE r.run_id = p.run_id)) AS unknown_runs
"""


def main(job_path: str) -> int:
    import duckdb

    from warehouse.connection import open_reader
    from warehouse.target import WarehouseTarget

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    target = WarehouseTarget.parse(job["warehouse"], Path("unused.duckdb"), job["data_path"])
    stop, out = Path(job["stop"]), Path(job["out"])
    while not stop.exists():
        try:
            with open_reader(target) as con:
                con.execute("BEGIN TRANSACTION")  # every check reads one snapshot
                row = con.execute(CHECKS).fetchone()
                con.execute("COMMIT")
        except duckdb.Error as exc:
            # Before the first worker created the tables this is expected; the test fails
            # on any error after the first successful look.
            with out.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]}) + "\n")
            time.sleep(0.2)
            continue
        names = ("snapshot", "articles", "distinct_ids", "unassigned", "homeless_alerts",
                 "unknown_runs")
        with out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(dict(zip(names, row, strict=True))) + "\n")
        time.sleep(0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
