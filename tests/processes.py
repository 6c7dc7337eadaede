"""Stopping child processes the tests start: ask, wait, then kill.

Every service a test starts (PostgreSQL, the S3 server, chromium, a reader process) is
stopped the same way: a polite signal or request first, a bounded wait, and SIGKILL if the
process is still there, so a hung child can never outlive the test session.
"""

from __future__ import annotations

import signal
import subprocess


def stop_process(process: subprocess.Popen, *, timeout_s: float,
                 first_signal: signal.Signals | None = signal.SIGTERM) -> int:
    """Send `first_signal` (None: the caller has already asked it to stop), wait up to
    `timeout_s` seconds, then kill. Returns the exit status."""
    if first_signal is not None and process.poll() is None:
        process.send_signal(first_signal)
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
