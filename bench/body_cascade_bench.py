"""Body text CPU: trafilatura called twice (fast, then full from scratch) against the cascade
that shares their common work (extractors/body_cascade.py), on the same pages.

    .venv/bin/python -m bench body_cascade [--every K] [--repeat N] [--check] [--parts]
                                           [--json] [--corpus DIR] [--wcxb DIR]

Page sets as in `bench extract`: tests/fixtures/pages, the shared corpus pages, the WCXB
development article pages (every K-th with --every), each parsed once as extract_article
parses it. Per set and round, CPU time (time.process_time) per page of:

- before:  `bare_extraction(fast=True)`, then `bare_extraction(fast=False)` where the rule of
           extractors/body_text.py fires (what extract_body did before the cascade);
- after:   `extract_body` (the cascade);
- visible: `visible_chars` alone (the rule's page measure);
- copy:    copying the parsed tree (what trafilatura does to a tree passed in).

Rounds alternate which of before/after runs first. Every page's before and after texts are
compared; a difference is reported (and fails the run). With --check, every page's fast and
full texts from the cascade are compared with `bare_extraction`'s (both paths on every page,
not only where the rule fires). With --parts, the CPU of the cascade's parts per page, on
all pages and on the full-path pages: preparation (copy, pruning, cleaning, conversion),
main extractor, the whole fast path, the full path's own stages, the forum check, and per
call on the full-path pages `html2txt`, readability and one copy with `basic_cleaning` of
the pruned tree. Prints a table, or one JSON object with --json (keys in
docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura import core
from trafilatura.baseline import basic_cleaning, html2txt
from trafilatura.external import try_readability
from trafilatura.main_extractor import extract_content

from bench.extract_bench import load_pages
from bench.page_args import add_page_arguments
from extractors import body_text
from extractors.article import _decode, _parse
from extractors.body_cascade import BodyCascade, _prepare, extractor_options

ROOT = Path(__file__).resolve().parents[1]
Page = tuple[HtmlElement, str]


def library_text(tree: HtmlElement, url: str, *, fast: bool) -> str:
    """bare_extraction's body text with extract_body's arguments."""
    document = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, with_metadata=False,
        include_tables=body_text.INCLUDE_TABLES, fast=fast)
    return (getattr(document, "text", None) or "") if document is not None else ""


def two_calls_body(tree: HtmlElement, url: str) -> str:
    """extract_body before the cascade: the full path ran from scratch where the rule fired."""
    text = library_text(tree, url, fast=True)
    if full_path_taken(tree, text):
        return library_text(tree, url, fast=False) or text
    return text


def full_path_taken(tree: HtmlElement, fast_text: str) -> bool:
    return body_text._one_block(fast_text) or (
        len(fast_text) < body_text.FALLBACK_MAX_CHARS
        and len(fast_text) < body_text.FALLBACK_SHARE * body_text.visible_chars(tree))


def parsed_sets(corpus: Path, wcxb: Path, every: int) -> dict[str, list[Page]]:
    sets: dict[str, list[Page]] = {}
    for name, jobs in load_pages(corpus, wcxb, every).items():
        pages = []
        for job in jobs:
            decoded = _decode(job.body, None)
            tree = _parse(decoded) if isinstance(decoded, str) else None
            if tree is not None:
                pages.append((tree, job.url))
        sets[name] = pages
    return sets


def timed(pages: list[Page], work: Callable[[HtmlElement, str], object]) -> list[float]:
    """CPU seconds of work(tree, url) for each page."""
    times = []
    for tree, url in pages:
        started = time.process_time()
        work(tree, url)
        times.append(time.process_time() - started)
    return times


def measure_set(pages: list[Page], repeat: int) -> dict[str, Any]:
    taken = [full_path_taken(tree, library_text(tree, url, fast=True)) for tree, url in pages]
    differences = sum(two_calls_body(tree, url) != body_text.extract_body(tree, url)
                      for tree, url in pages)
    rounds: dict[str, list[list[float]]] = {"before": [], "after": []}
    for round_number in range(repeat):
        order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
        for name in order:
            work = two_calls_body if name == "before" else body_text.extract_body
            rounds[name].append(timed(pages, work))
    result: dict[str, Any] = {"pages": len(pages), "full_path_pages": sum(taken),
                              "differences": differences}
    for name, per_round in rounds.items():
        per_page = [1000 * sum(times) / len(pages) for times in per_round]
        on_full = [1000 * sum(t for t, full in zip(times, taken, strict=True) if full)
                   / max(1, sum(taken)) for times in per_round]
        result[f"{name}_cpu_ms_per_page"] = per_page
        result[f"{name}_cpu_ms_per_full_path_page"] = on_full
    result["after_over_before"] = (statistics.median(result["after_cpu_ms_per_page"])
                                   / statistics.median(result["before_cpu_ms_per_page"]))
    result["visible_chars_cpu_ms_per_page"] = 1000 * statistics.fmean(
        timed(pages, lambda tree, _url: body_text.visible_chars(tree)))
    result["tree_copy_cpu_ms_per_page"] = 1000 * statistics.fmean(
        timed(pages, lambda tree, _url: copy(tree)))
    return result


def check_set(pages: list[Page]) -> list[dict[str, Any]]:
    """Pages where a cascade text differs from bare_extraction's, with the path."""
    mismatches = []
    for index, (tree, url) in enumerate(pages):
        cascade = BodyCascade(tree, url, include_tables=body_text.INCLUDE_TABLES)
        for path, text in (("fast", cascade.fast_text()), ("full", cascade.full_text())):
            if text != library_text(tree, url, fast=path == "fast"):
                mismatches.append({"page": index, "url": url, "path": path})
    return mismatches


def cpu_ms(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return 1000 * (time.process_time() - started)


def page_parts(tree: HtmlElement, url: str) -> tuple[bool, dict[str, float]]:
    """Whether the full path is taken, and the CPU ms of each part on this page."""
    options = extractor_options(url, fast=True, include_tables=body_text.INCLUDE_TABLES)
    started = time.process_time()
    prepared = _prepare(tree, options)
    parts = {"preparation": 1000 * (time.process_time() - started)}
    assert prepared.converted is not None
    parts["main_extractor"] = cpu_ms(lambda: extract_content(prepared.converted, options))
    parts["forum_check"] = cpu_ms(lambda: core._forum_thread_page(tree))
    cascade = BodyCascade(tree, url, include_tables=body_text.INCLUDE_TABLES)
    parts["fast_path"] = cpu_ms(cascade.fast_text)
    taken = full_path_taken(tree, cascade.fast_text())
    if taken:
        parts["full_path_own_stages"] = cpu_ms(cascade.full_text)
        parts["html2txt_call"] = cpu_ms(lambda: html2txt(prepared.tree))
        parts["readability_call"] = cpu_ms(lambda: try_readability(copy(prepared.tree)))
        parts["copy_and_basic_cleaning"] = cpu_ms(lambda: basic_cleaning(copy(prepared.tree)))
    return taken, parts


def parts_set(pages: list[Page]) -> dict[str, dict[str, float]]:
    """Mean CPU ms per page of each part, over all pages and over the full-path pages."""
    measured = [page_parts(tree, url) for tree, url in pages]
    full = [parts for taken, parts in measured if taken]
    everywhere = ("preparation", "main_extractor", "fast_path", "forum_check")
    return {"all_pages": {name: statistics.fmean(p[name] for _, p in measured)
                          for name in everywhere},
            "full_path_pages": {name: statistics.fmean(p[name] for p in full)
                                for name in full[0]} if full else {}}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} ({min(values):.2f}-{max(values):.2f})"


def print_table(sets: dict[str, dict[str, Any]]) -> None:
    print("CPU ms per page, median of the rounds (min-max); one process")
    print(f"{'pages':<10}{'n':>5}{'full':>6}  {'before':<20}{'after':<20}{'after/before':>13}"
          f"  {'full-path pages: before':<25}{'after':<20}{'visible':>8}{'copy':>7}")
    for name, r in sets.items():
        print(f"{name:<10}{r['pages']:>5}{r['full_path_pages']:>6}  "
              f"{spread(r['before_cpu_ms_per_page']):<20}{spread(r['after_cpu_ms_per_page']):<20}"
              f"{r['after_over_before']:>12.3f}x  "
              f"{spread(r['before_cpu_ms_per_full_path_page']):<25}"
              f"{spread(r['after_cpu_ms_per_full_path_page']):<20}"
              f"{r['visible_chars_cpu_ms_per_page']:>8.2f}{r['tree_copy_cpu_ms_per_page']:>7.2f}")
        if r["differences"]:
            print(f"  {r['differences']} pages where before and after texts differ")
        for mismatch in r.get("mismatches", []):
            print(f"  cascade differs from bare_extraction: {mismatch}")
        for group, parts in r.get("parts", {}).items():
            print(f"  {group}: " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_page_arguments(parser, every=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of before and after")
    parser.add_argument("--check", action="store_true",
                        help="also compare both cascade paths with bare_extraction on every page")
    parser.add_argument("--parts", action="store_true", help="also time the cascade's parts")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    sets = {}
    for name, pages in parsed_sets(args.corpus, args.wcxb, args.every).items():
        sets[name] = measure_set(pages, max(1, args.repeat))
        if args.check:
            sets[name]["mismatches"] = check_set(pages)
        if args.parts:
            sets[name]["parts"] = parts_set(pages)
    if args.json:
        print(json.dumps({"sets": sets}))
    else:
        print_table(sets)
    if any(r["differences"] or r.get("mismatches") for r in sets.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
