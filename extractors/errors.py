"""The root of every wirewatch exception, and the families the command line maps to exit codes.

It lives in extractors/, the lowest layer, so that extractors/, warehouse/ and flows/ can all
derive from it without an import running back up (flows → warehouse → extractors). It imports
nothing of the project.

Two things about an error are properties of its *class*, never of its message:

- `transient`: True when the same operation may succeed if run again later (another process
  holds a lock, a network blip). Stage tasks retry only those (flows/ingest.py).
- `exit_code`: what the command line exits with when the error reaches it (flows/exit_codes.py,
  docs/robustness.md).

The families:

    WirewatchError          1  failure: the command could not do what was asked (terminal)
    ├── UsageError          2  a command-line argument wirewatch cannot use (terminal)
    ├── ConfigError         3  a setting or an input file named by one is unusable (terminal)
    ├── TransientError         may succeed later (mixed into transient classes below and in
    │   │                      flows/errors.py)
    │   └── BusyError       4  another cycle or writer holds what we need (transient)
    └── DiskFullError       5  no space left; nothing was half-written (terminal)

The whole tree, with every concrete class, is in docs/robustness.md.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_BUSY = 4
EXIT_DISK_FULL = 5
EXIT_INTERRUPTED = 130


class WirewatchError(Exception):
    """Base of every error raised or reported by wirewatch."""

    transient: ClassVar[bool] = False
    exit_code: ClassVar[int] = EXIT_FAILURE


class TransientError(WirewatchError):
    """Running the same operation again later may succeed; a stage task retries it."""

    transient: ClassVar[bool] = True


class UsageError(WirewatchError):
    """A command-line argument that click accepted but wirewatch cannot use (exit code 2)."""

    exit_code: ClassVar[int] = EXIT_USAGE


class ConfigError(WirewatchError):
    """A setting, or a file a setting names, is invalid; the message names it (exit code 3)."""

    exit_code: ClassVar[int] = EXIT_CONFIG


class BusyError(TransientError):
    """Another cycle or writer holds the lock we need, past `lock_timeout_s` (exit code 4)."""

    exit_code: ClassVar[int] = EXIT_BUSY


class DiskFullError(WirewatchError):
    """No space left on the disk being written; the write rolled back (exit code 5)."""

    exit_code: ClassVar[int] = EXIT_DISK_FULL


def is_transient(exc: BaseException) -> bool:
    """True for a project error whose class says retrying later may succeed; False for any
    other exception (a bug or an unexpected library error is not retried blindly)."""
    return isinstance(exc, WirewatchError) and exc.transient
