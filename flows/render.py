"""Printing query results: rich tables for people, CSV and JSON for programs."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table


def print_result(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table",
                 title: str | None = None, max_width: int = 60) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
    elif fmt == "json":
        records = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        Console().print(as_table(columns, rows, title=title, max_width=max_width))


def as_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None,
             max_width: int = 60) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(str(column), overflow="fold", max_width=max_width)
    for row in rows:
        table.add_row(*(_cell(v, max_width) for v in row))
    return table


def _cell(value: Any, max_width: int) -> str:
    text = "" if value is None else str(_plain(value))
    return text if len(text) <= max_width * 3 else text[: max_width * 3 - 1] + "…"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
