"""The scale-out recipe end to end: a Prefect server on PostgreSQL, a process work pool, the
shard deployments of prefect.yaml, and two workers as separate processes sharing the outlets.

Everything goes through Prefect's own command line and HTTP API, as docs/scale-out.md tells an
operator to do; the workers get their settings and credentials from the environment only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from services import free_port

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
def prefect_server(lake_services, work: Path) -> Iterator[dict[str, str]]:
    """`prefect server start` with its database in the session's PostgreSQL."""
    dbname = lake_services.pg.create_database("prefect")
    port = free_port()
    env = {**os.environ, "PREFECT_API_DATABASE_CONNECTION_URL": lake_services.pg.url(dbname),
           "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED":
           "false", "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
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


def test_two_workers_run_the_shard_deployments_from_prefect_yaml(lake_services, tmp_path):
    with DemoSite(phase=3) as site, AlertInbox() as inbox, \
            prefect_server(lake_services, tmp_path) as prefect_env:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        warehouse, data_path = lake_services.fresh_lake()
        env = {**os.environ, **prefect_env, "WIREWATCH_HOME": str(ROOT)}
        pool = prefect_cli(["work-pool", "create", "wirewatch", "--type", "process"], env)
        assert pool.returncode == 0, pool.stdout + pool.stderr
        for name in SHARDS:
            deploy(name, env)
        api = prefect_env["PREFECT_API_URL"]
        for name in SHARDS:  # the test starts the runs itself, not the 5-minute schedule
            deployment = httpx.get(f"{api}/deployments/name/ingest/{name}", timeout=30).json()
            httpx.patch(f"{api}/deployments/{deployment['id']}", json={"paused": True},
                        timeout=30).raise_for_status()
        worker_env = {**env, "WIREWATCH_WAREHOUSE": warehouse,
                      "WIREWATCH_DUCKLAKE_DATA_PATH": data_path,
                      "WIREWATCH_OUTLETS_FILE": str(outlets),
                      "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
                      "WIREWATCH_PER_HOST_DELAY_S": "0", "WIREWATCH_EXTRACT_WORKERS": "1",
                      "WIREWATCH_LOCK_TIMEOUT_S": "120",
                      "WIREWATCH_ALERT_URLS": inbox.apprise_url}
        workers = []
        for n in (1, 2):  # separate processes with separate local folders, as two machines
            home = tmp_path / f"machine{n}"
            home.mkdir()
            env_n = {**worker_env, "WIREWATCH_DB_PATH": str(home / "wirewatch.duckdb")}
            log = (tmp_path / f"worker{n}.log").open("w")
            workers.append(subprocess.Popen(
                [PREFECT, "worker", "start", "--pool", "wirewatch", "--name", f"machine{n}",
                 "--limit", "1"], env=env_n, cwd=home, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True))
        try:
            states = wait_final(api, [run_shard(api, name) for name in SHARDS])
        finally:
            for worker in workers:
                _stop(worker)
        assert set(states.values()) == {"COMPLETED"}, states
        keys = [m.get("idempotency_key") for m in inbox.messages]
    target = WarehouseTarget.parse(warehouse, tmp_path / "unused.duckdb", data_path)
    with open_reader(target) as con:
        runs = con.execute("SELECT shard, status FROM runs ORDER BY shard").fetchall()
        counts = con.execute("SELECT count(*), count(DISTINCT canonical_url), "
                             "count(*) FILTER (status = 'extracted') FROM articles").fetchone()
        polled = con.execute("SELECT count(*), count(DISTINCT feed_url) FROM feed_polls"
                             ).fetchone()
        configured = con.execute("SELECT count(*) FROM feeds").fetchone()[0]
        alerts = {a for (a,) in con.execute("SELECT alert_id FROM alerts").fetchall()}
    assert runs == [("1/2", "ok"), ("2/2", "ok")]
    assert counts[0] == counts[1] and counts[2] > 0
    assert polled == (configured, configured)  # every feed once, by one of the two shards
    assert sorted(keys) == sorted(alerts) and len(alerts) > 0
