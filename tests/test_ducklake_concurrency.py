"""Several processes on one machine reading and writing one DuckLake (SQLite catalog) at once."""

import multiprocessing
import time
from datetime import UTC, datetime

import duckdb
from backends import make_target

from warehouse import articles as arts
from warehouse.connection import open_reader, write_transaction
from warehouse.rows import PendingRow, ResultRow
from warehouse.target import WarehouseTarget

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
BATCHES = 6
BATCH_SIZE = 40


def _write_batches(target: WarehouseTarget, tag: str) -> None:
    """One writer process: pending rows, then their results, one transaction per batch."""
    for batch in range(BATCHES):
        ids = [f"{tag}-{batch}-{i}" for i in range(BATCH_SIZE)]
        with write_transaction(target, wait_s=120) as con:
            arts.insert_pending(con, [
                PendingRow(article_id=a, outlet_id=tag, url=f"https://x.example/{a}",
                 canonical_url=f"https://x.example/{a}", status="pending",
                 discovered_at=NOW, attempts=0, run_id=tag) for a in ids])
            arts.save_results(con, [
                ResultRow(article_id=a, status="extracted", text=f"text of {a} " * 200,
                 attempts=1, retryable=False) for a in ids])


def _read_while_writing(target: WarehouseTarget, rounds: int, out: multiprocessing.Queue) -> None:
    """A reader process: every snapshot it sees holds whole batches, never half of one."""
    seen = []
    _wait_for_articles(target)
    for _ in range(rounds):
        with open_reader(target) as con:
            rows = con.execute(
                "SELECT count(*), count(*) FILTER (status = 'extracted') FROM articles"
            ).fetchone()
        seen.append(rows)
    out.put(seen)


def _wait_for_articles(target: WarehouseTarget) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with open_reader(target) as con:
                con.execute("SELECT count(*) FROM articles").fetchone()
            return
        except (FileNotFoundError, duckdb.Error):
            # The writers have not created the catalog or its tables yet.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _run(processes):
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=180)
    return [process.exitcode for process in processes]


def test_fresh_lake_two_writers_and_a_reader_lose_nothing(tmp_path):
    target = make_target("ducklake-sqlite", tmp_path)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    # Both writers start on an empty catalog: they also race to apply the migrations.
    writers = [ctx.Process(target=_write_batches, args=(target, tag)) for tag in ("A", "B")]
    reader = ctx.Process(target=_read_while_writing, args=(target, 15, out))
    assert _run([*writers, reader]) == [0, 0, 0]

    with open_reader(target) as con:
        rows = con.execute(
            "SELECT outlet_id, count(*), count(DISTINCT article_id), "
            "count(*) FILTER (status = 'extracted' AND length(text) > 0) "
            "FROM articles GROUP BY outlet_id ORDER BY outlet_id"
        ).fetchall()
        migrations = con.execute(
            "SELECT name, count(*) FROM schema_migrations GROUP BY name HAVING count(*) > 1"
        ).fetchall()
    expected = BATCHES * BATCH_SIZE
    assert rows == [("A", expected, expected, expected), ("B", expected, expected, expected)]
    assert migrations == []  # every migration recorded exactly once
    snapshots = out.get(timeout=10)
    assert all(total % BATCH_SIZE == 0 and total == extracted for total, extracted in snapshots)
