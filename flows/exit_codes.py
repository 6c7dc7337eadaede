"""What the command line exits with, decided by the *class* of the error (never its text).

0 done; 1 failure (the command could not do what was asked); 2 usage error (click's own);
3 configuration error; 4 busy (another cycle or writer, past `lock_timeout_s`); 5 disk full
(nothing was half-written); 130 interrupted (Ctrl-C).

Every project error carries its code as the class attribute `exit_code` (extractors/errors.py);
this module adds the few errors that are not the project's own (Ctrl-C, an OSError for a full
disk, a missing file). The table with examples is in docs/robustness.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.errors import (
    EXIT_BUSY,
    EXIT_CONFIG,
    EXIT_DISK_FULL,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    WirewatchError,
)

__all__ = [
    "EXIT_BUSY",
    "EXIT_CONFIG",
    "EXIT_DISK_FULL",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Verdict",
    "one_line",
    "verdict_for",
]

# What the line says before the message, for the families whose message alone would not.
_PREFIX = {EXIT_CONFIG: "configuration: ", EXIT_BUSY: "busy: "}
# Families whose class says everything, whatever error they were raised from.
_DECIDED_BY_CLASS = frozenset({EXIT_USAGE, EXIT_CONFIG, EXIT_DISK_FULL})


@dataclass(frozen=True, slots=True)
class Verdict:
    """The exit code for an error and the one line printed for it."""

    code: int
    line: str


def verdict_for(exc: BaseException) -> Verdict:
    """Exit code and message for any exception that reaches the command line."""
    from warehouse.connection import is_out_of_space

    if isinstance(exc, KeyboardInterrupt):
        return Verdict(EXIT_INTERRUPTED, "interrupted")
    if isinstance(exc, WirewatchError) and exc.exit_code in _DECIDED_BY_CLASS:
        return _by_class(exc)
    # A failure or a busy lock whose root cause is a full disk (a lock file, a log, a stage
    # that failed writing) exits 5: the disk is what the user must act on.
    if is_out_of_space(exc):
        where = f" writing {exc.filename}" if isinstance(exc, OSError) and exc.filename else ""
        return Verdict(EXIT_DISK_FULL, f"disk full{where}: {one_line(exc)}")
    if isinstance(exc, WirewatchError):
        return _by_class(exc)
    if isinstance(exc, FileNotFoundError):
        return Verdict(EXIT_FAILURE, one_line(exc))
    return Verdict(EXIT_FAILURE, f"unexpected {type(exc).__name__}: {one_line(exc)} "
                                 "(run with --traceback for details)")


def _by_class(exc: WirewatchError) -> Verdict:
    return Verdict(exc.exit_code, _PREFIX.get(exc.exit_code, "") + one_line(exc))


MAX_LINE_CHARS = 2000


def one_line(exc: BaseException) -> str:
    """The error's message on one line, capped (a message may embed untrusted text)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " | ".join(lines) if lines else type(exc).__name__
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 3] + "..."
