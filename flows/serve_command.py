"""`wirewatch serve`, with the configured outlets or (`--demo`) the demo outlets on loopback."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from rich.console import Console

from flows.preflight import check_configuration
from flows.settings import Settings, load_settings

console = Console(stderr=True)
DEMO_INTERVAL_S = 30.0  # the demo's cycles: often enough to watch in the UI


def serve_configured(config_path: Path | None, db_path: Path | None,
                     interval_s: float | None) -> None:
    overrides = {"db_path": str(db_path)} if db_path is not None else {}
    _serve(config_path, overrides, interval_s)


def serve_demo(workdir: Path, interval_s: float | None) -> None:
    """The demo outlets and alert inbox on 127.0.0.1, served every 30 s by default."""
    from flows.demo_run import demo_services

    with demo_services(workdir, fresh=False) as demo:
        console.print(f"demo outlets serving on {demo.site_url}")
        overrides = {key: list(value) if isinstance(value, tuple) else value
                     for key, value in demo.overrides.items()}
        _serve(None, overrides, interval_s or DEMO_INTERVAL_S)


def _serve(config_path: Path | None, overrides: dict[str, Any],
           interval_s: float | None) -> None:
    from flows.commands import server_log_path
    from flows.serve import prefect_api, serve_deployments

    settings = load_settings(config_path, overrides=overrides)
    check_configuration(settings, cron=True)  # before Prefect: one line, exit code 3
    console.print("starting the Prefect API (or using PREFECT_API_URL)…")
    with prefect_api(log_path=server_log_path(settings)) as server, \
            _brief_server(settings) as brief_url:
        console.print(f"Prefect API and UI at {server.api_url.removesuffix('/api')}")
        if brief_url:
            console.print(f"HTML brief (refreshed after each cycle) at {brief_url}")
        try:
            serve_deployments(settings, config_path, interval_s,
                              overrides={**overrides, "db_path": str(settings.db_path)})
        except KeyboardInterrupt:
            console.print("stopping: waiting for the server to shut down")
    console.print("stopped")


def _brief_server(settings: Settings) -> AbstractContextManager[str | None]:
    """The brief over HTTP on 127.0.0.1 (brief_port), unless briefs are switched off."""
    from flows.report import brief_path
    from flows.report.server import serve_brief

    if not settings.brief_since:
        return nullcontext(None)
    return serve_brief(brief_path(settings), settings.brief_port)
