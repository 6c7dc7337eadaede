"""`wirewatch stories` as a table that stays readable in an 80-column terminal.

The headline gets the width; the other columns are short and never wrap. Agencies and the story
id (what `copies_of('st_…')` takes) are shown when the terminal is wide enough, and always
with `--wide`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

WIDE_COLUMNS = 130  # from this width on, agencies and story ids fit beside the headline


def stories_table(records: Sequence[dict], width: int, wide: bool = False) -> Table:
    full = wide or width >= WIDE_COLUMNS
    table = Table(show_lines=False, expand=False)
    table.add_column("first seen", no_wrap=True)
    table.add_column("title", ratio=1, min_width=30, overflow="fold")
    table.add_column("copies", no_wrap=True, justify="right")
    table.add_column("outlets", no_wrap=True, justify="right")
    table.add_column("lang", no_wrap=True)
    if full:
        table.add_column("agencies", no_wrap=True)
        table.add_column("story_id", no_wrap=True)
    for record in records:
        row = [_when(record.get("first_seen_at")), str(record.get("title") or ""),
               str(record.get("copy_count", "")), str(record.get("outlet_count", "")),
               ",".join(record.get("languages") or [])]
        if full:
            row += [", ".join(record.get("agencies") or []), str(record.get("story_id", ""))]
        table.add_row(*row)
    return table


def print_stories(records: Sequence[dict], wide: bool = False) -> None:
    width = Console().width
    # --wide: whole rows, wider than the terminal if need be (they wrap, never get cut).
    console = Console(width=max(width, 200)) if wide else Console()
    console.print(stories_table(records, width, wide))


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value or "")
