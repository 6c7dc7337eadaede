"""The two forms of `wirewatch evaluate extraction`: labelled fixtures, or a benchmark folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from flows.evaluate import benchmark_pages, extraction


def evaluate_extraction(pages_dir: Path | None, output: Path | None, *, baseline: bool,
                        as_json: bool) -> None:
    """Print the report (a table, or one JSON object with `as_json`)."""
    if pages_dir is None:
        if output is not None or baseline:
            raise click.UsageError("--output and --baseline need --pages DIR")
        _labelled(as_json)
        return
    try:
        run = benchmark_pages.evaluate_pages(pages_dir, baseline=baseline,
                                             progress=None if as_json else _progress)
    except benchmark_pages.BenchmarkSetError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is not None:
        benchmark_pages.write_outputs(run, output)
    print(json.dumps(run.as_json()) if as_json else benchmark_pages.format_run(run))


def _labelled(as_json: bool) -> None:
    try:
        report = extraction.evaluate()
    except extraction.LabelledSetError as exc:
        raise click.ClickException(str(exc)) from exc
    if not as_json:
        print(extraction.format_report(report))
        return
    ours, bare = report.body("ours"), report.body("trafilatura")
    print(json.dumps({
        "pages": report.pages, "pages_by_language": report.pages_by_language(),
        "micro_f1": ours.micro.f1, "macro_f1": ours.macro_f1,
        "precision": ours.micro.precision, "recall": ours.micro.recall,
        "trafilatura_micro_f1": bare.micro.f1, "title_accuracy": report.title_accuracy,
        "author_accuracy": report.author_accuracy, "date_accuracy": report.date_accuracy,
        "language_accuracy": report.language_accuracy,
    }))


def _progress(done: int, total: int) -> None:
    if done % 50 == 0 or done == total:
        print(f"  {done}/{total} pages", file=sys.stderr, flush=True)
