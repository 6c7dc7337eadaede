"""A cycle lock: overlapping cycles on one warehouse wait for each other, or skip and say so."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors.errors import BusyError
from warehouse.filelock import flock_with_wait


class CycleAlreadyRunning(BusyError):
    """Another cycle holds the lock on this warehouse, past `lock_timeout_s`.

    Transient, but not retried inside the cycle: the lock is taken before any stage task,
    and waiting `lock_timeout_s` *is* the retry. The cycle is skipped and the next scheduled
    cycle tries again; the command line maps it by class to exit code 4 (busy)."""


@contextmanager
def cycle_lock(db_path: Path, *, wait_s: float) -> Iterator[Path]:
    """Hold `<db>.lock` for a whole cycle. The OS drops the lock if the process dies."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_path, wait_s)
        _write_pid(fd, lock_path)
        yield lock_path
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _write_pid(fd: int, lock_path: Path) -> None:
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
    except OSError as exc:
        # os.write names no file; a full disk must say which one (and keeps its errno).
        raise OSError(exc.errno, exc.strerror, str(lock_path)) from exc


def _acquire(fd: int, lock_path: Path, wait_s: float) -> None:
    if not flock_with_wait(fd, wait_s):
        raise CycleAlreadyRunning(
            f"another cycle holds {lock_path}; waited {wait_s:.0f} s, skipping this one"
        )
