"""Prefect's console lines without tracebacks, for the one-shot commands (`run`, `demo`).

When a stage fails, Prefect prints the exception's traceback for the task run and again for
the flow run (about 90 lines) before the command can print its one `error:` line. The one-line
"Finished in state Failed(...)" records stay on the console; the tracebacks still reach the
Prefect API (the UI shows them), and `wirewatch --traceback` shows the command's own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _WithoutTraceback(logging.Formatter):
    """Formats a copy of each record with its exception and stack left out."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self._inner = inner

    def format(self, record: logging.LogRecord) -> str:
        plain = logging.makeLogRecord(record.__dict__)
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        return self._inner.format(plain)


@contextmanager
def console_without_tracebacks() -> Iterator[None]:
    """While inside: Prefect's console handlers print records without tracebacks."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    swapped: list[tuple[logging.Handler, logging.Formatter | None]] = []
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and \
                    not isinstance(handler.formatter, _WithoutTraceback):
                swapped.append((handler, handler.formatter))
                handler.setFormatter(_WithoutTraceback(handler.formatter or logging.Formatter()))
    try:
        yield
    finally:
        for handler, formatter in swapped:
            handler.setFormatter(formatter)
