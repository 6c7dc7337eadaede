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
from typing import TYPE_CHECKING, Any, cast

import httpx

from flows.errors import WirewatchError
from flows.procs import PARENT_ENV, tied_to_us
from flows.settings import Settings

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment


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
                log_path: Path | None = None, *, full_server: bool = True) -> Iterator[LocalServer]:
    """Use the configured Prefect API when there is one; otherwise start a local one.

    `full_server`: `prefect server start` (UI, scheduler: what `serve` needs); otherwise the
    same lighter API Prefect itself starts when none is configured (what one `run` needs).
    Either way the server is tied to this process (flows.procs): it ends when we end, even
    by kill -9, so no stale server outlives a command. Its output goes to `log_path`.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield LocalServer(str(configured), None)
        return
    port = port or free_port()
    command = _full_server_command(port) if full_server else _temporary_server_command(port)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        command, env=_server_env(full_server), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches us, and we stop the server ourselves
        preexec_fn=tied_to_us(),  # prctl only: nothing in the child takes a lock
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(api_url, process, timeout_s)
        os.environ["PREFECT_API_URL"] = api_url  # flow-run processes inherit it
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield LocalServer(api_url, process)
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _drain_prefect_workers()
        _stop(process)
        if not isinstance(log, int):  # subprocess.DEVNULL is an int; a log file is closed
            log.close()


def _drain_prefect_workers() -> None:
    """Send Prefect's queued logs and events while the server is still there to take them
    (otherwise they fail after it stopped, printing "Error logging to API")."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        for pending in (APILogWorker.drain_all(), EventsWorker.drain_all()):
            if inspect.isawaitable(pending):
                await pending

    try:
        run_coro_as_sync(drain())
    except Exception:  # best effort: a log line lost is not worth failing the command
        return


def _full_server_command(port: int) -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
            "--port", str(port)]


def _temporary_server_command(port: int) -> list[str]:
    """What Prefect runs for its temporary API (prefect.server.api.server), plus a bounded
    graceful shutdown."""
    import prefect

    return [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
            "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "error", "--lifespan", "on",
            "--timeout-graceful-shutdown", "5"]


def _server_env(full_server: bool) -> dict[str, str]:
    from prefect.settings import get_current_settings

    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    if not full_server:
        env.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                    "PREFECT__SERVER_FINAL": "1"})
    env.pop("PREFECT_API_URL", None)
    return env


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
                      interval_s: float | None = None,
                      overrides: dict[str, Any] | None = None) -> None:
    """Serve `ingest` every few minutes and `maintenance` nightly until interrupted."""
    from prefect import serve

    from flows.ingest import ingest
    from flows.maintenance import maintenance

    # The flow runs Prefect starts for us end when we do (flows.procs.exit_with_parent).
    os.environ[PARENT_ENV] = str(os.getpid())
    parameters = {"config_path": str(config_path) if config_path else None,
                  "overrides": overrides or {"db_path": str(settings.db_path)}}
    every = timedelta(seconds=interval_s or settings.ingest_interval_minutes * 60)
    # to_deployment is sync-compatible: called outside an event loop it returns the
    # deployment itself, never the coroutine its signature also allows.
    serve(
        cast("RunnerDeployment", ingest.to_deployment(
            name="ingest", interval=every, parameters=parameters, concurrency_limit=1)),
        cast("RunnerDeployment", maintenance.to_deployment(
            name="maintenance", cron=settings.maintenance_cron, parameters=parameters)),
        print_starting_message=True,
    )
