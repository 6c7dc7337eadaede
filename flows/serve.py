"""`wirewatch serve`: a local Prefect API (started here unless one is configured) plus the
ingest and maintenance deployments served from this process. Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from flows.errors import WirewatchError
from flows.settings import Settings


class ServerStartError(WirewatchError):
    """The local Prefect server did not come up; terminal for this invocation."""


@dataclass(frozen=True, slots=True)
class LocalServer:
    api_url: str
    process: subprocess.Popen | None  # None when an existing API is reused


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def prefect_api(port: int | None = None, timeout_s: float = 120.0,
                log_path: Path | None = None) -> Iterator[LocalServer]:
    """Use PREFECT_API_URL when set; otherwise start `prefect server start` on 127.0.0.1.

    The server's own output goes to `log_path` (default: discarded).
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield LocalServer(configured, None)
        return
    port = port or free_port()
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches us, and we stop the server ourselves
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(api_url, process, timeout_s)
        os.environ["PREFECT_API_URL"] = api_url
        yield LocalServer(api_url, process)
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(process)
        if log is not subprocess.DEVNULL:
            log.close()


def _wait_healthy(api_url: str, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"prefect server exited with code {process.returncode}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise ServerStartError(f"prefect server not healthy after {timeout_s:.0f} s at {api_url}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def serve_deployments(settings: Settings, config_path: Path | None,
                      interval_s: float | None = None) -> None:
    """Serve `ingest` every few minutes and `maintenance` nightly until interrupted."""
    from prefect import serve

    from flows.ingest import ingest
    from flows.maintenance import maintenance

    parameters = {"config_path": str(config_path) if config_path else None,
                  "overrides": {"db_path": str(settings.db_path)}}
    every = timedelta(seconds=interval_s or settings.ingest_interval_minutes * 60)
    serve(
        ingest.to_deployment(name="ingest", interval=every, parameters=parameters,
                             concurrency_limit=1),
        maintenance.to_deployment(name="maintenance", cron=settings.maintenance_cron,
                                  parameters=parameters),
        print_starting_message=True,
    )
