"""Shard selection: every outlet in exactly one shard, the same everywhere, SQL = Python."""

from datetime import UTC, datetime

import duckdb
import pytest

from flows.shard import ShardError, parse_shard, partition, select, shard_of, sql_condition
from warehouse import runs
from warehouse.migrate import migrate

OUTLETS = [f"outlet-{n}" for n in range(2000)]


def flat(parts) -> list[str]:
    return [item for part in parts for item in part]


def test_each_outlet_is_in_exactly_one_shard_and_shards_are_balanced():
    for count in (1, 2, 3, 7):
        shards = [parse_shard(f"{k}/{count}") for k in range(1, count + 1)]
        chosen = [select(OUTLETS, shard, str) for shard in shards]
        assert sorted(flat(chosen)) == sorted(OUTLETS)
        assert all(len(part) > len(OUTLETS) / count * 0.8 for part in chosen), count


def test_the_choice_is_a_fixed_function_of_the_outlet_id():
    # Pinned values: a change of hash would silently move outlets between running workers.
    names = ("borderledger", "gulfcoastcourier", "continentalwire", "outlet-1", "outlet-2")
    assert [shard_of(o, 3) for o in names] == [2, 1, 1, 2, 1]
    assert shard_of("outlet-0", 1) == 1
    assert partition(OUTLETS[:50], 4) == {
        k: [o for o in OUTLETS[:50] if shard_of(o, 4) == k] for k in range(1, 5)}


def test_changing_n_moves_outlets_but_never_loses_or_doubles_one():
    before, after = partition(OUTLETS, 2), partition(OUTLETS, 3)
    assert sorted(flat(before.values())) == sorted(flat(after.values())) == sorted(OUTLETS)
    moved = sum(shard_of(o, 2) != shard_of(o, 3) for o in OUTLETS)
    assert 0 < moved < len(OUTLETS)


def test_sql_selection_matches_python():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest(?) AS outlet_id", [OUTLETS])
    for text in ("1/2", "2/2", "3/5"):
        shard = parse_shard(text)
        condition, params = sql_condition(shard)
        in_sql = {r[0] for r in con.execute(f"SELECT outlet_id FROM t WHERE {condition}",
                                            params).fetchall()}
        assert in_sql == set(select(OUTLETS, shard, str)), text
    assert sql_condition(None) == ("TRUE", [])


@pytest.mark.parametrize("text", ["", "all", " ALL ", None])
def test_all_means_every_outlet(text):
    assert parse_shard(text) is None


@pytest.mark.parametrize("text,reason", [
    ("2", "k/n"), ("0/2", "counts from 1"), ("3/2", "counts from 1"), ("1/0", "between"),
    ("a/b", "k/n"), ("-1/2", "k/n"), ("1/2000", "between")])
def test_unusable_shards_say_why(text, reason):
    with pytest.raises(ShardError, match=reason):
        parse_shard(text)


def test_a_shard_closes_only_its_own_interrupted_runs():
    con = duckdb.connect()
    migrate(con)
    now = datetime(2026, 1, 12, tzinfo=UTC)
    for run_id, shard in [("a", "1/2"), ("b", "2/2"), ("c", None), ("d", "1/3")]:
        runs.start_run(con, run_id, now, None, shard)
    assert runs.close_interrupted_runs(con, now, "1/2") == 3  # its own, all, and old n=3
    left = con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()
    assert left == [("b",)]


def test_shards_of_one_machine_run_side_by_side_but_a_shard_runs_once(tmp_path):
    from flows.cycle_lock import CycleAlreadyRunning, cycle_lock
    from flows.ingest import _shard_lock_path

    db = tmp_path / "w.duckdb"
    first, second = parse_shard("1/2"), parse_shard("2/2")
    with cycle_lock(_shard_lock_path(db, first), wait_s=0):
        with cycle_lock(_shard_lock_path(db, second), wait_s=0):
            pass  # the other shard is not held up
        with pytest.raises(CycleAlreadyRunning), \
                cycle_lock(_shard_lock_path(db, first), wait_s=0):
            pass
    assert _shard_lock_path(db, None) == db
