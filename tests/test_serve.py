"""`wirewatch serve` for real: a local Prefect server, deployments on a short interval."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.demo import DemoSite
from flows.demo.inbox import AlertInbox

pytestmark = pytest.mark.slow


def completed_ingest_runs(log: Path) -> int:
    """Completed `ingest` flow runs, asked of the Prefect server `serve` started."""
    found = re.search(r"UI at (http://127\.0\.0\.1:\d+)", log.read_text())
    if not found:
        return 0
    body = {"flows": {"name": {"any_": ["ingest"]}},
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 50}
    try:
        reply = httpx.post(f"{found.group(1)}/api/flow_runs/filter", json=body, timeout=5)
    except httpx.TransportError:
        return 0
    return len(reply.json())


def alert_events(port: int, expected: int) -> int:
    """`wirewatch.alert.raised` events the server stored (they are persisted asynchronously)."""
    body = {"filter": {"event": {"name": ["wirewatch.alert.raised"]}}, "limit": 50}
    deadline = time.monotonic() + 30
    while True:
        reply = httpx.post(f"http://127.0.0.1:{port}/api/events/filter", json=body, timeout=10)
        found = len(reply.json().get("events", []))
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(1)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_served_deployment_runs_on_its_own_and_ctrl_c_stops_everything(tmp_path):
    with DemoSite(phase=1) as site, AlertInbox() as inbox:
        (tmp_path / "outlets.toml").write_text(site.outlets_toml(), encoding="utf-8")
        env = {**os.environ,
               "WIREWATCH_OUTLETS_FILE": str(tmp_path / "outlets.toml"),
               "WIREWATCH_DB_PATH": str(tmp_path / "ww.duckdb"),
               "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
               "WIREWATCH_PER_HOST_DELAY_S": "0",
               "WIREWATCH_ALERT_URLS": inbox.apprise_url,
               "PREFECT_HOME": str(tmp_path / "prefect-home"),
               # the server's scheduler looks for due runs every 5 s instead of every 60 s
               "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5"}
        env.pop("PREFECT_API_URL", None)
        log = tmp_path / "serve.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "flows.cli", "serve", "--interval-seconds", "5"],
                env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while completed_ingest_runs(log) < 2:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(2)
            port = int(re.search(r"UI at http://127\.0\.0\.1:(\d+)", log.read_text()).group(1))
            assert port_open(port)
            alerted = alert_events(port, expected=len(inbox.messages))
        finally:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=90)
    assert code == 0
    # Every alert the inbox received was also raised as a Prefect event on that server.
    assert inbox.messages and alerted == len(inbox.messages)
    # Both runs wrote to the warehouse: the first landed the demo, the second found it current.
    con = duckdb.connect(str(tmp_path / "ww.duckdb"), read_only=True)
    try:
        runs = con.execute("SELECT count(*) FROM runs WHERE status = 'ok'").fetchone()[0]
    finally:
        con.close()
    assert runs >= 2
    assert "Received KeyboardInterrupt" in log.read_text()
    assert not port_open(port)  # the server it started is gone too
