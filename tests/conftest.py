"""Session-wide fixtures. Prefect's test harness starts once (about 20 s) for the whole run."""

from __future__ import annotations

import os
import signal

# No network for telemetry here; set before anything imports Prefect.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

import pytest

# A shell starts background commands with Ctrl-C ignored (`make test &`), and an ignored
# signal stays ignored in every process the tests start, so the tests that press Ctrl-C on a
# real `wirewatch` process would wait forever. Python's own handler is reset to the default
# in a child, which is what a terminal user's process has.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def prefect_harness():
    """A real temporary Prefect API for flow-run tests; started only if a test asks for it."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def lake_services():
    """PostgreSQL and an S3 server for the PostgreSQL-catalog lake (tests/services.py)."""
    from services import lake_services as start
    from services import pg_missing_reason

    reason = pg_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with start() as services:
        yield services
