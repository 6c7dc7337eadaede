"""Whatever `wirewatch run` starts dies with it, even when it is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.demo import DemoSite

pytestmark = pytest.mark.slow


def descendants(root: int) -> set[int]:
    """Every live process whose parent chain reaches `root` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def marked(marker: str) -> set[int]:
    """Live (non-zombie) processes whose environment carries `marker`, wherever they were
    re-parented."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes() and \
                    ") Z " not in (entry / "stat").read_text():
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux /proc")
def test_sigkill_of_run_leaves_no_prefect_server_behind(tmp_path):
    marker = f"wirewatch-orphan-test-{os.getpid()}-{time.monotonic_ns()}"
    with DemoSite() as site:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        env = {**os.environ, "WIREWATCH_OUTLETS_FILE": str(outlets),
               "WIREWATCH_DB_PATH": str(tmp_path / "w.duckdb"),
               "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
               "PREFECT_HOME": str(tmp_path / "prefect-home"), "ORPHAN_MARKER": marker}
        env.pop("PREFECT_API_URL", None)
        with (tmp_path / "run.log").open("w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run"], env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            server = set()
            while not server:
                assert proc.poll() is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, "the temporary server never started"
                server = {p for p in descendants(proc.pid) if "uvicorn" in cmdline(p)}
                time.sleep(0.2)
            started = descendants(proc.pid)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    deadline = time.monotonic() + 20
    while marked(marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    survivors = marked(marker)
    for pid in survivors:  # clean up what we started before failing
        os.kill(pid, signal.SIGKILL)
    assert started and not survivors, [cmdline(p) for p in survivors]
