"""Child processes that die with wirewatch, whatever kills it (kill -9 included).

A process started with `tied_to_us()` as its preexec_fn asks the Linux kernel for SIGTERM when
its parent goes away (prctl PR_SET_PDEATHSIG): the temporary Prefect API server of `run`,
`demo` and `serve` can then never outlive the command that started it and keep ~200 MB and a
port, re-parented to PID 1. The kernel sends the signal when the *thread* that started the
child ends, so servers are started from the main thread, which lives as long as the process.

Processes that wirewatch does not start itself (Prefect's runner starts each served flow run)
watch their parent instead: `exit_with_parent()` runs a small thread that ends the process when
its parent changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
#: Set by `wirewatch serve` for the flow runs Prefect starts: the pid they must not outlive.
PARENT_ENV = "WIREWATCH_PARENT_PID"
_WATCH_INTERVAL_S = 1.0


def tied_to_us() -> Callable[[], None] | None:
    """A preexec_fn that makes the child receive SIGTERM when this process dies (Linux).

    None elsewhere: there the child is stopped only by an orderly exit (documented).
    """
    if not sys.platform.startswith("linux"):
        return None
    # Resolved before fork: the child only calls it (no dlopen between fork and exec).
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return preexec


def exit_with_parent() -> None:
    """In a process started on behalf of wirewatch (PARENT_ENV set to its parent's pid):
    end this process with SIGTERM as soon as that parent is gone. Does nothing otherwise."""
    expected = os.environ.get(PARENT_ENV, "")
    if not expected.isdigit() or int(expected) != os.getppid():
        return
    thread = threading.Thread(target=_watch, args=(int(expected),), daemon=True,
                              name="wirewatch-parent-watch")
    thread.start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_INTERVAL_S)
    os.kill(os.getpid(), signal.SIGTERM)
