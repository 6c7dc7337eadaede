"""Several workers sharing the outlets by shard on a PostgreSQL-catalog lake with S3 files.

Each worker is its own process (tests/crash_driver.py runs one ingest cycle of one shard, as a
Prefect worker would), all at once against one lake (tests/services.py starts PostgreSQL and
the S3 server), while a third process keeps running analyst queries (tests/lake_reader.py).
The outcome is compared with one process running the same phases unsharded on a DuckDB file:
the same articles, the same stories, the same alerts, each delivered once.

Rounds: the demo site's phase 1 through shards 1/2 and 2/2, then its phase 3 through 1/3, 2/3
and 3/3 (n changed between cycles: outlets move between shards). Copies of one wire story are
published by outlets of different shards, so they land through two writers in the same minute.
A second lake has one worker SIGKILLed inside its load transaction (holding the catalog's
writer turn); its shard's next run completes the work.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import stop_process
from test_crash import DRIVER, _reap_group, q

from flows.demo import DemoSite
from flows.demo.inbox import AlertInbox
from warehouse.connection import open_reader
from warehouse.target import WarehouseTarget

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.scale]

READER = Path(__file__).with_name("lake_reader.py")


@dataclass
class Lake:
    warehouse: str
    data_path: str
    db_path: Path  # only where the workers' local lock files go

    @property
    def target(self) -> WarehouseTarget:
        return WarehouseTarget.parse(self.warehouse, self.db_path, self.data_path)

    def rows(self, sql: str) -> list[tuple]:
        with open_reader(self.target) as con:
            return con.execute(sql).fetchall()


@dataclass
class Rig:
    site: DemoSite
    api_url: str
    work: Path
    outlets: Path

    def overrides(self, db: Path, lake: Lake | None) -> dict:
        values = {"db_path": str(db), "outlets_file": str(self.outlets),
                  "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                  "per_host_concurrency": 8, "lock_timeout_s": 120.0, "extract_workers": 1,
                  "publish_analyst_copy": False}
        if lake is not None:
            values |= {"warehouse": lake.warehouse, "ducklake_data_path": lake.data_path}
        return values

    def start(self, name: str, db: Path, lake: Lake | None, inbox: AlertInbox, *,
              shard: str | None = None, kill: dict | None = None) -> subprocess.Popen:
        """One worker's cycle in its own process (a new session: killed with its group)."""
        job = self.work / f"{name}.job.json"
        progress = self.work / f"{name}.progress"
        job.write_text(json.dumps({"overrides": self.overrides(db, lake), "force": True,
                                   "progress": str(progress), "kill": kill, "shard": shard}),
                       encoding="utf-8")
        env = {**os.environ, "PREFECT_API_URL": self.api_url,
               "WIREWATCH_ALERT_URLS": inbox.apprise_url}
        with (self.work / f"{name}.stderr").open("w") as err:
            return subprocess.Popen([sys.executable, str(DRIVER), str(job)], env=env,
                                    start_new_session=True, stdout=subprocess.DEVNULL,
                                    stderr=err)

    def finish(self, name: str, proc: subprocess.Popen) -> int:
        try:
            proc.wait(timeout=300)
        finally:
            _reap_group(proc)
        if proc.returncode not in (0, -signal.SIGKILL):
            log = (self.work / f"{name}.progress").read_text(encoding="utf-8")
            tail = (self.work / f"{name}.stderr").read_text(encoding="utf-8")[-3000:]
            raise AssertionError(f"{name} failed ({proc.returncode}): {log}\n{tail}")
        return proc.returncode

    def round(self, tag: str, lake: Lake, inbox: AlertInbox, shards: list[str],
              kills: dict[str, dict] | None = None) -> dict[str, int]:
        """All shards at once; returns each worker's exit code."""
        procs = {s: self.start(f"{tag}-{s.replace('/', 'of')}", lake.db_path, lake, inbox,
                               shard=s, kill=(kills or {}).get(s)) for s in shards}
        return {s: self.finish(f"{tag}-{s.replace('/', 'of')}", p) for s, p in procs.items()}


@pytest.fixture(scope="module")
def rig(prefect_harness, lake_services, tmp_path_factory) -> Iterator[Rig]:
    from prefect.settings import PREFECT_API_URL

    work = tmp_path_factory.mktemp("scale-out")
    with DemoSite(phase=1) as site:
        outlets = work / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        yield Rig(site, str(PREFECT_API_URL.value()), work, outlets)


def new_lake(services, work: Path, name: str) -> Lake:
    warehouse, data_path = services.fresh_lake()
    return Lake(warehouse, data_path, work / name / "w.duckdb")


@contextlib.contextmanager
def analyst(lake: Lake, work: Path) -> Iterator[Path]:
    """The third process: analyst queries on the lake until the block ends."""
    stop, out = work / "reader.stop", work / "reader.jsonl"
    job = work / "reader.job.json"
    job.write_text(json.dumps({"warehouse": lake.warehouse, "data_path": lake.data_path,
                               "stop": str(stop), "out": str(out)}), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(READER), str(job)], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield out
    finally:
        stop.touch()  # the reader's own way to stop: it finishes its query and exits
        stop_process(proc, timeout_s=60, first_signal=None)


Query = Callable[[str], list[tuple]]


def states(query: Query) -> set[tuple[str, str]]:
    return set(query("SELECT canonical_url, status FROM articles"))


def partition(query: Query) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for story_id, url in query("SELECT s.story_id, a.canonical_url FROM syndication s "
                               "JOIN articles a USING (article_id)"):
        groups.setdefault(story_id, set()).add(url)
    return {frozenset(members) for members in groups.values()}


def alerted(query: Query) -> list[frozenset[str]]:
    rows = query("SELECT al.alert_id, list(a.canonical_url) FROM alerts al "
                 "JOIN syndication s USING (story_id) JOIN articles a USING (article_id) "
                 "GROUP BY al.alert_id")
    return sorted((frozenset(urls) for _, urls in rows), key=sorted)


def polls_per_feed(query: Query, run_ids: set[str] | None = None) -> dict[str, int]:
    rows = query("SELECT run_id, feed_url FROM feed_polls")
    counts: dict[str, int] = {}
    for run_id, feed_url in rows:
        if run_ids is None or run_id in run_ids:
            counts[feed_url] = counts.get(feed_url, 0) + 1
    return counts


@pytest.fixture(scope="module")
def sharded(rig, lake_services) -> Iterator[dict]:
    """Phase 1 through two shards, phase 3 through three; the reference unsharded on a file."""
    lake = new_lake(lake_services, rig.work, "sharded")
    ref_db = rig.work / "reference" / "w.duckdb"
    ref_db.parent.mkdir()
    with AlertInbox() as lake_inbox, AlertInbox() as ref_inbox, \
            analyst(lake, rig.work) as looks:
        rig.site.set_phase(1)
        assert rig.finish("ref-1", rig.start("ref-1", ref_db, None, ref_inbox)) == 0
        assert set(rig.round("r1", lake, lake_inbox, ["1/2", "2/2"]).values()) == {0}
        runs_1 = {r for (r,) in lake.rows("SELECT run_id FROM runs")}
        rig.site.set_phase(3)
        assert rig.finish("ref-3", rig.start("ref-3", ref_db, None, ref_inbox)) == 0
        assert set(rig.round("r2", lake, lake_inbox, ["1/3", "2/3", "3/3"]).values()) == {0}
        yield {"lake": lake, "ref": ref_db, "runs_1": runs_1, "looks": looks,
               "lake_inbox": lake_inbox.messages, "ref_inbox": ref_inbox.messages}


def test_shards_land_the_same_articles_stories_and_alerts_as_one_process(sharded):
    lake, ref = sharded["lake"], sharded["ref"]
    counts = lake.rows("SELECT count(*), count(DISTINCT canonical_url), "
                       "count(DISTINCT article_id) FROM articles")[0]
    assert counts[0] == counts[1] == counts[2] > 0
    assert states(lake.rows) == states(lambda sql: q(ref, sql))
    assert partition(lake.rows) == partition(lambda sql: q(ref, sql))
    assert alerted(lake.rows) == alerted(lambda sql: q(ref, sql))
    once = lake.rows("SELECT count(*), count(DISTINCT (rule_name, story_id)) FROM alerts")
    assert once[0][0] == once[0][1] > 0


def test_each_alert_reaches_the_destination_once(sharded):
    keys = [m.get("idempotency_key") for m in sharded["lake_inbox"]]
    alert_ids = {a for (a,) in sharded["lake"].rows("SELECT alert_id FROM alerts")}
    assert sorted(keys) == sorted(alert_ids)
    assert len(keys) == len(sharded["ref_inbox"])


def test_no_feed_is_polled_by_two_shards_in_one_round(sharded):
    lake = sharded["lake"]
    configured = {f for (f,) in lake.rows("SELECT feed_url FROM feeds")}
    first = polls_per_feed(lake.rows, sharded["runs_1"])
    second = polls_per_feed(lake.rows, {r for (r,) in lake.rows("SELECT run_id FROM runs")}
                            - sharded["runs_1"])
    assert first == dict.fromkeys(configured, 1)
    assert second == dict.fromkeys(configured, 1)
    shards = lake.rows("SELECT shard, status FROM runs ORDER BY shard")
    assert shards == [("1/2", "ok"), ("1/3", "ok"), ("2/2", "ok"), ("2/3", "ok"),
                      ("3/3", "ok")]


def test_the_analyst_only_ever_sees_whole_snapshots(sharded):
    looks = [json.loads(line) for line in
             sharded["looks"].read_text(encoding="utf-8").splitlines()]
    first_ok = next(n for n, look in enumerate(looks) if "error" not in look)
    after = looks[first_ok:]
    assert [look for look in after if "error" in look] == []
    assert len({look["snapshot"] for look in after}) > 3  # it watched the workers commit
    for look in after:
        assert look["articles"] == look["distinct_ids"], look
        assert look["unassigned"] == look["homeless_alerts"] == look["unknown_runs"] == 0, look


def test_a_worker_killed_inside_its_load_loses_and_doubles_nothing(rig, sharded, lake_services):
    """Shard 1/2 dies by SIGKILL inside its load transaction, holding the writer turn; shard
    2/2 still finishes (the turn died with the worker); shard 1/2's next run completes."""
    lake = new_lake(lake_services, rig.work, "killed")
    ref_db = rig.work / "ref-killed" / "w.duckdb"
    ref_db.parent.mkdir()
    with AlertInbox() as inbox, AlertInbox() as ref_inbox:
        assert rig.finish("refk", rig.start("refk", ref_db, None, ref_inbox)) == 0
        codes = rig.round("k1", lake, inbox, ["1/2", "2/2"],
                          kills={"1/2": {"point": "load-enqueued", "delay_s": 0}})
        assert codes == {"1/2": -signal.SIGKILL, "2/2": 0}
        assert rig.round("k2", lake, inbox, ["1/2"]) == {"1/2": 0}
        keys = [m.get("idempotency_key") for m in inbox.messages]
        ref_count = len(ref_inbox.messages)
    assert states(lake.rows) == states(lambda sql: q(ref_db, sql))
    assert partition(lake.rows) == partition(lambda sql: q(ref_db, sql))
    assert alerted(lake.rows) == alerted(lambda sql: q(ref_db, sql))
    assert len(keys) == len(set(keys)) == ref_count
    runs = lake.rows("SELECT shard, status FROM runs ORDER BY started_at")
    assert sorted(runs) == [("1/2", "interrupted"), ("1/2", "ok"), ("2/2", "ok")]
