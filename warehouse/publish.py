"""The analyst copy: a read-only snapshot of the DuckDB file, published atomically after a load.

Analysts open the copy, never the live file, so a long notebook session cannot block a cycle
and a cycle cannot block them. Publishing takes the writer (so nothing changes underneath),
checkpoints (so the file alone holds everything, no WAL), copies the file beside the target,
flushes it to disk and renames it over the old copy. A reader therefore opens either the old
or the new snapshot, never a partial one; a reader that already has the old copy open keeps
reading the old snapshot (the renamed-over file lives on until it closes).

Cost: one sequential file copy, linear in the warehouse size, during which the writer is held.
A DuckLake warehouse needs no copy: readers attach the lake itself and see every commit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from warehouse.analyst import DEFAULT_SEARCH_DAYS, build_analyst_surface
from warehouse.connection import open_writer
from warehouse.target import WarehouseTarget, as_target


@dataclass(frozen=True, slots=True)
class Publication:
    path: Path | None  # the analyst copy, None when nothing was published
    seconds: float
    bytes: int
    skipped_reason: str | None = None


def publish(
    target: WarehouseTarget | Path,
    analyst_path: Path,
    *,
    wait_s: float = 30.0,
    search_days: float = DEFAULT_SEARCH_DAYS,
) -> Publication:
    """Replace the analyst copy with the warehouse as it is now (DuckDB file targets)."""
    target = as_target(target)
    if target.is_lake:
        return Publication(None, 0.0, 0, "ducklake: analysts attach the lake read-only; "
                                          "every commit is visible, no copy is needed")
    analyst_path = Path(analyst_path)
    if analyst_path.resolve() == target.db_path.resolve():
        raise ValueError(f"the analyst copy cannot be the warehouse itself ({analyst_path})")
    started = time.perf_counter()
    analyst_path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the copy: the final rename never crosses a filesystem, so it is atomic.
    tmp = analyst_path.with_name(f".{analyst_path.name}.{os.getpid()}.tmp")
    try:
        with open_writer(target, wait_s=wait_s) as con:
            con.execute("CHECKPOINT")
            # Copy while we still hold the writer: nobody can change the file under the copy.
            shutil.copyfile(target.db_path, tmp)
        # On the private copy: the writer is already released.
        build_analyst_surface(tmp, search_days)
        _flush_file(tmp)
        size = tmp.stat().st_size
        os.replace(tmp, analyst_path)
        _flush_directory(analyst_path.parent)  # make the rename itself survive a power cut
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Publication(analyst_path, time.perf_counter() - started, size)


def publish_analyst_copy(
    db_path: WarehouseTarget | Path, analyst_path: Path, *, wait_s: float = 30.0
) -> float:
    """Checkpoint the warehouse and atomically replace the analyst copy. Returns seconds."""
    return publish(db_path, analyst_path, wait_s=wait_s).seconds


def _flush_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # Some filesystems refuse fsync on a directory; the rename is still atomic there.
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
