"""What the command line exits with, decided by the *class* of the error (never its text).

0 done; 1 failure (the command could not do what was asked); 2 usage error (click's own);
3 configuration error; 4 busy (another cycle or writer, past `lock_timeout_s`); 5 disk full
(nothing was half-written); 130 interrupted (Ctrl-C).

The table with examples is in docs/robustness.md.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_BUSY = 4
EXIT_DISK_FULL = 5
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Verdict:
    """The exit code for an error and the one line printed for it."""

    code: int
    line: str


def _config_classes() -> tuple[type[BaseException], ...]:
    # Imported here, not at module level: `wirewatch --help` should not load the extractors.
    from extractors.entity_gazetteer import GazetteerError
    from extractors.entity_ner import NerUnavailable
    from extractors.topics import TaxonomyError
    from flows.errors import ConfigError
    from warehouse.target import WarehouseConfigError

    return (ConfigError, WarehouseConfigError, GazetteerError, TaxonomyError, NerUnavailable)


def verdict_for(exc: BaseException) -> Verdict:
    """Exit code and message for any exception that reaches the command line."""
    from flows.errors import UsageError, WirewatchError
    from flows.lock import CycleAlreadyRunning
    from warehouse.connection import WarehouseBusy, WarehouseDiskFull, is_out_of_space
    from warehouse.ducklake import LakeUnavailable

    if isinstance(exc, KeyboardInterrupt):
        return Verdict(EXIT_INTERRUPTED, "interrupted")
    if isinstance(exc, UsageError):
        return Verdict(EXIT_USAGE, one_line(exc))
    if isinstance(exc, _config_classes()):
        return Verdict(EXIT_CONFIG, f"configuration: {one_line(exc)}")
    if isinstance(exc, WarehouseDiskFull):
        return Verdict(EXIT_DISK_FULL, one_line(exc))
    if is_out_of_space(exc):  # a full disk met outside a warehouse write (a lock, a log)
        filename = getattr(exc, "filename", None)
        where = f" writing {filename}" if filename else ""
        return Verdict(EXIT_DISK_FULL, f"disk full{where}: {one_line(exc)}")
    if isinstance(exc, CycleAlreadyRunning | WarehouseBusy):
        return Verdict(EXIT_BUSY, f"busy: {one_line(exc)}")
    if isinstance(exc, WirewatchError | FileNotFoundError | LakeUnavailable):
        return Verdict(EXIT_FAILURE, one_line(exc))
    return Verdict(EXIT_FAILURE, f"unexpected {type(exc).__name__}: {one_line(exc)} "
                                 "(run with --traceback for details)")


MAX_LINE_CHARS = 2000


def one_line(exc: BaseException) -> str:
    """The error's message on one line, capped (a message may embed untrusted text)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " | ".join(lines) if lines else type(exc).__name__
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 3] + "..."
