"""Waiting for an exclusive advisory file lock (flock), shared by the cycle and lake locks.

The primitive only: the locks built on it are the cycle's (flows/cycle_lock.py) and the
lake writer's turn (warehouse/connection.py)."""

from __future__ import annotations

import fcntl
import time


def flock_with_wait(fd: int, wait_s: float) -> bool:
    """Take an exclusive flock on `fd`, retrying with backoff up to `wait_s`.

    Returns False when the lock is still held by another process after `wait_s`; the
    caller raises its own error. The OS releases the lock when the holder dies.
    """
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
