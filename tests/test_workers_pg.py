"""The scale-out recipe end to end: a Prefect server on PostgreSQL, a process work pool, the
shard deployments of prefect.yaml, and two workers as separate processes sharing the outlets.

Everything goes through Prefect's own command line and HTTP API, as docs/scale-out.md tells an
operator to do; the workers get their settings and credentials from the environment only.

A second test kills one worker's machine (the worker and every process it started, by
SIGKILL) while its shard's flow run fetches, and checks what docs/scale-out.md promises: the
other shard finishes, Prefect leaves the dead run Running and holding the shard's slot until
it is marked crashed, and the shard's next run lands the same outcome as one process would.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from services import LakeServices, free_port
from test_crash import DRIVER, q
from test_scale_out import alerted, partition, states

from flows.demo import DemoSite
from flows.demo.inbox import AlertInbox
from warehouse.connection import open_reader
from warehouse.target import WarehouseTarget

pytestmark = [pytest.mark.slow, pytest.mark.scale]

ROOT = Path(__file__).resolve().parent.parent
PREFECT = str(Path(sys.executable).with_name("prefect"))
SHARDS = ("ingest-1-of-2", "ingest-2-of-2")


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextlib.contextmanager
def prefect_server(lake_services: LakeServices, work: Path) -> Iterator[dict[str, str]]:
    """`prefect server start` with its database in the session's PostgreSQL."""
    dbname = lake_services.pg.create_database("prefect")
    port = free_port()
    env = {**os.environ, "PREFECT_API_DATABASE_CONNECTION_URL": lake_services.pg.url(dbname),
           "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED":
           "false", "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           # A run that finds its deployment's slot taken retries after this (default 30 s).
           "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "3"}
    log = (work / "server.log").open("w")
    proc = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port",
                             str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_healthy(env["PREFECT_API_URL"], proc, work / "server.log")
        yield {key: env[key] for key in ("PREFECT_API_URL", "PREFECT_HOME")}
    finally:
        _stop(proc)
        log.close()


def _wait_healthy(api: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"prefect server exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api}/health", timeout=5).status_code == 200:
                return
        time.sleep(1)
    raise AssertionError(f"prefect server did not start: {log.read_text()[-2000:]}")


def prefect_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([PREFECT, "--no-prompt", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def deploy(name: str, env: dict[str, str]) -> None:
    """`prefect deploy --name NAME` from prefect.yaml, one at a time.

    Prefect 3.8.8's deploy saves the deployment, then asks the server which workers are
    online to print a hint, and that request fails (422: it sends limit=null): the command
    exits 1 after its work is done and skips the deployments after the first. So each one is
    deployed on its own and checked through the API (docs/scale-out.md says the same).
    """
    result = prefect_cli(["deploy", "--name", name], env)
    found = httpx.get(f"{env['PREFECT_API_URL']}/deployments/name/ingest/{name}", timeout=30)
    assert found.status_code == 200, f"deploy {name}: {result.stdout}{result.stderr}"


def run_shard(api: str, name: str) -> str:
    """Start one run of a shard deployment (forced: every feed of the shard is polled)."""
    deployment = httpx.get(f"{api}/deployments/name/ingest/{name}", timeout=30).json()
    run = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run",
                     json={"parameters": {"force": True}}, timeout=30)
    run.raise_for_status()
    return run.json()["id"]


def wait_final(api: str, run_ids: list[str], timeout_s: float = 600) -> dict[str, str]:
    deadline = time.monotonic() + timeout_s
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = {r: httpx.get(f"{api}/flow_runs/{r}", timeout=30).json()["state_type"]
                  for r in run_ids}
        if all(s in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} for s in states.values()):
            return states
        time.sleep(2)
    return states


@dataclass
class Pool:
    """The Prefect server on PostgreSQL with the work pool and the shard deployments."""

    env: dict[str, str]
    api: str


@pytest.fixture(scope="module")
def pool(lake_services: LakeServices,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    work = tmp_path_factory.mktemp("prefect-pg")
    with prefect_server(lake_services, work) as prefect_env:
        env = {**os.environ, **prefect_env, "WIREWATCH_HOME": str(ROOT)}
        created = prefect_cli(["work-pool", "create", "wirewatch", "--type", "process"], env)
        assert created.returncode == 0, created.stdout + created.stderr
        for name in SHARDS:
            deploy(name, env)
        api = prefect_env["PREFECT_API_URL"]
        for name in SHARDS:  # the tests start the runs themselves, not the 5-minute schedule
            deployment = httpx.get(f"{api}/deployments/name/ingest/{name}", timeout=30).json()
            httpx.patch(f"{api}/deployments/{deployment['id']}", json={"paused": True},
                        timeout=30).raise_for_status()
        yield Pool(env, api)


def worker_env(pool: Pool, lake: tuple[str, str], outlets: Path, inbox: AlertInbox,
               **extra: str) -> dict[str, str]:
    """What every machine's worker gets: settings and credentials from the environment."""
    warehouse, data_path = lake
    return {**pool.env, "WIREWATCH_WAREHOUSE": warehouse,
            "WIREWATCH_DUCKLAKE_DATA_PATH": data_path, "WIREWATCH_OUTLETS_FILE": str(outlets),
            "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "WIREWATCH_PER_HOST_DELAY_S": "0",
            "WIREWATCH_EXTRACT_WORKERS": "1", "WIREWATCH_LOCK_TIMEOUT_S": "120",
            "WIREWATCH_ALERT_URLS": inbox.apprise_url, **extra}


@contextlib.contextmanager
def workers(env: dict[str, str], work: Path) -> Iterator[list[subprocess.Popen]]:
    """Two `prefect worker` processes, each in its own process group and local folder, as on
    two machines; stopped (the whole group) when the block ends."""
    procs = []
    try:
        for n in (1, 2):
            home = work / f"machine{n}"
            home.mkdir()
            env_n = {**env, "WIREWATCH_DB_PATH": str(home / "wirewatch.duckdb")}
            with (work / f"worker{n}.log").open("w") as log:
                procs.append(subprocess.Popen(
                    [PREFECT, "worker", "start", "--pool", "wirewatch", "--name",
                     f"machine{n}", "--limit", "1"], env=env_n, cwd=home, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True))
        yield procs
    finally:
        for proc in procs:
            _stop(proc)


def lake_outcome(lake: tuple[str, str], work: Path) -> Callable[[str], list[tuple]]:
    target = WarehouseTarget.parse(lake[0], work / "unused.duckdb", lake[1])

    def rows(sql: str) -> list[tuple]:
        with open_reader(target) as con:
            return con.execute(sql).fetchall()
    return rows


def test_two_workers_run_the_shard_deployments_from_prefect_yaml(
        pool: Pool, lake_services: LakeServices, tmp_path: Path) -> None:
    with DemoSite(phase=3) as site, AlertInbox() as inbox:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        lake = lake_services.fresh_lake()
        with workers(worker_env(pool, lake, outlets, inbox), tmp_path):
            final = wait_final(pool.api, [run_shard(pool.api, name) for name in SHARDS])
        assert set(final.values()) == {"COMPLETED"}, final
        keys = [m.get("idempotency_key") for m in inbox.messages]
    rows = lake_outcome(lake, tmp_path)
    runs = rows("SELECT shard, status FROM runs ORDER BY shard")
    counts = rows("SELECT count(*), count(DISTINCT canonical_url), "
                  "count(*) FILTER (status = 'extracted') FROM articles")[0]
    polled = rows("SELECT count(*), count(DISTINCT feed_url) FROM feed_polls")[0]
    configured = rows("SELECT count(*) FROM feeds")[0][0]
    alerts = {a for (a,) in rows("SELECT alert_id FROM alerts")}
    assert runs == [("1/2", "ok"), ("2/2", "ok")]
    assert counts[0] == counts[1] and counts[2] > 0
    assert polled == (configured, configured)  # every feed once, by one of the two shards
    assert sorted(keys) == sorted(alerts) and len(alerts) > 0


# --- a worker dies mid-cycle ------------------------------------------------------------------


def flow_run(api: str, run_id: str) -> dict:
    return httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json()


def wait_for(what: str, check: Callable[[], bool], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def task_state(api: str, run_id: str, task_name: str) -> str | None:
    """The state of the flow run's task run `task_name` (None before it starts)."""
    found = httpx.post(f"{api}/task_runs/filter", json={
        "flow_runs": {"id": {"any_": [run_id]}}}, timeout=30).json()
    states = [t["state_type"] for t in found if t["name"].startswith(task_name)]
    return states[0] if states else None


def children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")"
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
            tree.setdefault(ppid, []).append(int(stat.parent.name))
    return tree


def machine_of(procs: list[subprocess.Popen], pid: int) -> tuple[subprocess.Popen, list[int]]:
    """The worker that started process `pid`, and every process below that worker."""
    tree = children_by_parent()
    for proc in procs:
        below, todo = [], [proc.pid]
        while todo:
            kids = tree.get(todo.pop(), [])
            below += kids
            todo += kids
        if pid in below:
            return proc, below
    raise AssertionError(f"no worker started process {pid}")


def kill_machine(procs: list[subprocess.Popen], api: str, run_id: str) -> subprocess.Popen:
    """SIGKILL the worker running the flow run and everything it started, process groups
    and all, as when its machine dies. Prefect's process worker starts a flow run in a
    session of its own, so killing the worker's group alone would leave the run going."""
    worker, below = machine_of(procs, int(flow_run(api, run_id)["infrastructure_pid"]))
    groups = {worker.pid} | {g for g in map(_group_of, below) if g is not None}
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    worker.wait()
    wait_for("the dead machine's processes to go", lambda: not any(
        Path(f"/proc/{pid}").exists() for pid in below), 60)
    return worker


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def mark_crashed(api: str, run_id: str) -> None:
    """What an operator, or an automation on missing heartbeats, does with a run whose
    machine died: Prefect itself never hears from it again and leaves it RUNNING."""
    httpx.post(f"{api}/flow_runs/{run_id}/set_state", json={
        "state": {"type": "CRASHED", "message": "its worker's machine died"}, "force": True},
               timeout=30).raise_for_status()


def reference(env: dict[str, str], outlets: Path, work: Path) -> Path:
    """The same demo phase by one unsharded cycle on a DuckDB file (tests/crash_driver.py)."""
    db = work / "reference" / "w.duckdb"
    job = work / "reference.job.json"
    job.write_text(json.dumps({"overrides": {
        "db_path": str(db), "outlets_file": str(outlets), "allowed_networks": ["127.0.0.0/8"],
        "per_host_delay_s": 0.0, "extract_workers": 1, "publish_analyst_copy": False},
        "force": True, "progress": str(work / "reference.progress")}), encoding="utf-8")
    done = subprocess.run([sys.executable, str(DRIVER), str(job)], env=env, timeout=300,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return db


def test_a_sigkilled_worker_leaves_its_shard_to_the_next_run(
        pool: Pool, lake_services: LakeServices, tmp_path: Path) -> None:
    """SIGKILL the process group of the worker running shard 1/2 (the worker and the flow run
    it started: a machine dying) while its cycle fetches pages it has discovered. Shard 2/2
    completes on the other worker; the dead run stays RUNNING in Prefect and holds the shard
    deployment's slot, so the next 1/2 run waits until the dead run is marked crashed, then
    runs on the surviving worker and lands what the dead one left: nothing lost, nothing
    doubled, each alert sent once, the same outcome as one process on a DuckDB file."""
    with DemoSite(phase=3) as site, AlertInbox() as inbox, AlertInbox() as ref_inbox:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        ref_db = reference({**pool.env, "WIREWATCH_ALERT_URLS": ref_inbox.apprise_url},
                           outlets, tmp_path)
        lake = lake_services.fresh_lake()
        # A per-host delay keeps the fetch stage long enough to be killed inside it; workers
        # look for runs every 2 s instead of 10 to keep the test short.
        env = worker_env(pool, lake, outlets, inbox, WIREWATCH_PER_HOST_DELAY_S="0.4",
                         PREFECT_WORKER_QUERY_SECONDS="2")
        with workers(env, tmp_path) as procs:
            first = {name: run_shard(pool.api, name) for name in SHARDS}
            victim = first["ingest-1-of-2"]
            wait_for("shard 1/2 to fetch", lambda: task_state(
                pool.api, victim, "fetch-and-extract") == "RUNNING")
            kill_machine(procs, pool.api, victim)
            survivor = first["ingest-2-of-2"]
            assert wait_final(pool.api, [survivor]) == {survivor: "COMPLETED"}
            again = run_shard(pool.api, "ingest-1-of-2")
            wait_for("the next run to wait for the shard's slot", lambda: flow_run(
                pool.api, again)["state_name"] == "AwaitingConcurrencySlot", 120)
            assert flow_run(pool.api, victim)["state_type"] == "RUNNING"
            mark_crashed(pool.api, victim)
            assert wait_final(pool.api, [again]) == {again: "COMPLETED"}
        keys = [m.get("idempotency_key") for m in inbox.messages]
        ref_count = len(ref_inbox.messages)
    rows = lake_outcome(lake, tmp_path)
    assert states(rows) == states(lambda sql: q(ref_db, sql))
    assert partition(rows) == partition(lambda sql: q(ref_db, sql))
    assert alerted(rows) == alerted(lambda sql: q(ref_db, sql))
    assert len(keys) == len(set(keys)) == ref_count > 0
    counts = rows("SELECT count(*), count(DISTINCT canonical_url) FROM articles")[0]
    assert counts[0] == counts[1]
    runs = rows("SELECT shard, status FROM runs ORDER BY started_at")
    assert sorted(runs) == [("1/2", "interrupted"), ("1/2", "ok"), ("2/2", "ok")]
