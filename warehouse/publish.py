"""The analyst copy: a read-only snapshot published atomically after each load.

Analysts open the copy, never the live file, so a long notebook session cannot block a
cycle and a cycle cannot block them. Publishing checkpoints the live file (so the copy needs
no WAL), copies it beside the target and renames it over the old copy: readers see either the
old or the new snapshot, never a partial one. Its cost is a file copy, linear in size.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from warehouse.connection import open_writer


def publish_analyst_copy(db_path: Path, analyst_path: Path, *, wait_s: float = 30.0) -> float:
    """Checkpoint the warehouse and atomically replace the analyst copy. Returns seconds."""
    started = time.perf_counter()
    with open_writer(db_path, wait_s=wait_s) as con:
        con.execute("CHECKPOINT")
        # Copy while we still hold the writer: nobody can change the file under the copy.
        tmp = analyst_path.with_name(f".{analyst_path.name}.{os.getpid()}.tmp")
        shutil.copyfile(db_path, tmp)
    os.replace(tmp, analyst_path)
    return time.perf_counter() - started
