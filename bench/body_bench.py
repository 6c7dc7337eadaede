"""Body extraction settings compared on the WCXB development pages: word F1 against CPU.

    .venv/bin/python -m bench body [--pages DIR] [--every K] [--json]

For each page (parsed once, as extract_article parses it), trafilatura's body text under each
setting is scored with the benchmark's word F1 (flows/evaluate/benchmark_pages.py) and its
CPU time taken with time.process_time. Settings: the fast path without and with tables, the
full path (trafilatura's default), and the fast path with the full path as a fallback under
the rule of extractors/body_text.py (share of visible text, length limit) and variations of
it. The fallback rows are computed from the fast and full runs of the same page, so they
cost the fast run plus, where the rule fires, the full run: two separate calls, as before
extract_body shared their work (`bench body_cascade` measures the cascade it uses now).
Prints a table, or one JSON object with --json: `pages`, and `settings` mapping each name
to `f1`, `cpu_ms_per_page`, `full_runs`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import trafilatura

from extractors import body_text
from extractors.article import _decode, _parse
from flows.evaluate.benchmark_pages import benchmark_file_ids, load_benchmark_page, word_scores

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "extraction" / "wcxb-dev-articles"
# (name, share of visible text, length limit in characters) for the fallback rows
FALLBACK_RULES = (
    ("fast, full when < 0.2 visible", 0.2, None),
    ("fast, full when < 0.3 visible", 0.3, None),
    ("fast, full when < 0.3 visible and < 5,000 chars (used)", 0.3, 5_000),
    ("fast, full when < 0.5 visible", 0.5, None),
)


def _run(tree: Any, url: str, **options: Any) -> tuple[str, float]:
    started = time.process_time()
    document = trafilatura.bare_extraction(tree, url=url, include_comments=False,
                                           with_metadata=False, **options)
    text = (getattr(document, "text", None) or "") if document is not None else ""
    return text, time.process_time() - started


def measure_page(page: Any) -> dict[str, Any] | None:
    decoded = _decode(page.html, None)
    tree = _parse(decoded) if isinstance(decoded, str) else None
    if tree is None:
        return None
    url = page.url or f"https://page.invalid/{page.file_id}"
    runs = {"fast, no tables (before)": _run(tree, url, fast=True, include_tables=False),
            "fast, tables": _run(tree, url, fast=True, include_tables=True),
            "full, tables (trafilatura's default)": _run(tree, url, fast=False)}
    started = time.process_time()
    visible = body_text.visible_chars(tree)
    measure_s = time.process_time() - started
    row = {name: (word_scores(text, page.text)[2], cpu, name.startswith("full"))
           for name, (text, cpu) in runs.items()}
    fast_text, fast_cpu = runs["fast, tables"]
    full_text, full_cpu = runs["full, tables (trafilatura's default)"]
    for name, share, limit in FALLBACK_RULES:
        fires = len(fast_text) < share * visible and (limit is None or len(fast_text) < limit)
        text = full_text if fires and full_text else fast_text
        cpu = fast_cpu + measure_s + (full_cpu if fires else 0.0)
        row[name] = (word_scores(text, page.text)[2], cpu, fires)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--every", type=int, default=1, help="every K-th page only")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not (args.pages / "html").is_dir():
        raise SystemExit(f"no pages at {args.pages} (a folder in WCXB's layout)")
    rows = []
    for file_id in benchmark_file_ids(args.pages)[::max(1, args.every)]:
        row = measure_page(load_benchmark_page(args.pages, file_id))
        if row is not None:
            rows.append(row)
    settings = {name: {"f1": sum(r[name][0] for r in rows) / len(rows),
                       "cpu_ms_per_page": 1000 * sum(r[name][1] for r in rows) / len(rows),
                       "full_runs": sum(r[name][2] for r in rows)} for name in rows[0]}
    if args.json:
        print(json.dumps({"pages": len(rows), "settings": settings}))
        return
    print(f"{len(rows)} pages; body F1 before teaser removal, CPU ms per page (one process)")
    width = max(len(name) for name in settings)
    for name, figures in settings.items():
        print(f"{name:<{width}}  F1 {figures['f1']:.4f}  CPU {figures['cpu_ms_per_page']:5.1f}"
              f"  full runs {figures['full_runs']}")


if __name__ == "__main__":
    main()
