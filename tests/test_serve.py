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
from test_orphans import marked

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


def tracebacks(text: str) -> list[list[str]]:
    """Each traceback in `text`: its frame lines and, last, the exception line."""
    blocks: list[list[str]] = []
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            block = []
            for following in lines[start + 1:]:
                block.append(following)
                if not following.startswith(" "):
                    break
            blocks.append(block)
    return blocks


def interrupted_while_starting(block: list[str]) -> bool:
    """A flow-run process that SIGINT reached before any wirewatch code ran in it (Python
    importing Prefect, or Prefect's engine loading the run): KeyboardInterrupt, and no frame
    of wirewatch's own code."""
    project = str(Path(__file__).resolve().parents[1])
    frames = [line for line in block if line.lstrip().startswith("File ")]
    return (block[-1] == "KeyboardInterrupt" and bool(frames)
            and not any(project in frame and "site-packages" not in frame for frame in frames))


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def delivered_alerts(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM alerts WHERE status = 'delivered'").fetchone()[0]
    finally:
        con.close()


def test_served_deployment_runs_on_its_own_and_ctrl_c_stops_everything(tmp_path):
    """`serve --demo` from a fresh folder: the demo outlets on loopback, two runs on their own,
    then Ctrl-C (SIGINT to the whole process group, as a terminal sends it)."""
    marker = f"wirewatch-serve-test-{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"),
           # the server's scheduler looks for due runs every 5 s instead of every 60 s
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "ORPHAN_MARKER": marker}
    env.pop("PREFECT_API_URL", None)
    demo_dir = tmp_path / "not" / "yet" / "there"  # serve creates the folder
    db = demo_dir / "wirewatch.duckdb"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--demo", "--dir", str(demo_dir),
             "--interval-seconds", "5"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while completed_ingest_runs(log) < 2:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(2)
        port = int(re.search(r"UI at http://127\.0\.0\.1:(\d+)", log.read_text()).group(1))
        assert port_open(port)
        delivered = delivered_alerts(db)
        alerted = alert_events(port, expected=delivered)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=90)
    text = log.read_text()
    assert code == 0, text
    assert "demo outlets serving on http://127.0.0.1:" in text
    # Every alert delivered to the demo's inbox was also raised as a Prefect event.
    assert delivered and alerted == delivered
    # Both runs wrote to the warehouse: the first landed the demo, the second found it current.
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT count(*) FROM runs WHERE status = 'ok'").fetchone()[0]
        outlets = con.execute("SELECT count(*) FROM outlets").fetchone()[0]
    finally:
        con.close()
    assert runs >= 2 and outlets == 8
    assert "Received KeyboardInterrupt" in text
    # No traceback from wirewatch. Only a flow-run process that Ctrl-C caught while it was still
    # starting (importing Prefect, or Prefect loading the run) may print one, before any of
    # our code runs in it.
    assert all(interrupted_while_starting(block) for block in tracebacks(text)), text
    assert text.rstrip().endswith("stopped")
    assert not port_open(port)  # the server it started is gone too
    deadline = time.monotonic() + 20
    while marked(marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not marked(marker)  # and nothing else it started is left
