"""Page metadata CPU per page: trafilatura's calls against extractors.page_metadata.

    .venv/bin/python -m bench metadata [--rounds 3] [--every K] [--corpus PATH] [--wcxb PATH]
                                       [--json]

Page sets: the WCXB development article pages (../shared/extraction/wcxb-dev-articles, every
K-th with --every) and the shared corpus pages (WIREWATCH_CORPUS or ../shared/corpus), when
present. Each page is parsed once, as trafilatura parses it. Per set and round, in this one
process, CPU time (time.process_time) per page of:

- before:       the fields read with trafilatura's own calls (examine_meta, extract_meta_json,
                extract_title, extract_author, extract_sitename), as page_metadata did;
- after:        extractors.page_metadata.page_metadata;
- author_before: trafilatura.metadata.extract_author, on every page;
- author_after:  extractors.author_search.find_author, on every page.

The four alternate within each round, so a shared machine's load falls on all of them alike.
With --article-every K, also extract_article on every K-th WCXB page, with page_metadata
swapped for the "before" calls and back, alternating (`article_before`, `article_after`).
The first round also checks the outputs are the same. Prints a table of the median and the
spread over rounds, or one JSON object with --json (keys in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata
from trafilatura.utils import load_html

from bench.page_args import add_page_arguments, corpus_pages, wcxb_pages
from extractors import article as article_module
from extractors.author_search import find_author
from extractors.page_head import HeadParts
from extractors.page_metadata import PageMetadata, page_metadata, site_name

ROOT = Path(__file__).resolve().parents[1]
Page = tuple[HtmlElement, str]
PARTS = ("before", "after", "author_before", "author_after")


def trafilatura_fields(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """page_metadata as it was: trafilatura's own calls, in extract_metadata's order."""
    found = trafilatura_metadata.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    with contextlib.suppress(Exception):  # as page_metadata: bad JSON-LD must not cost the page
        found = trafilatura_metadata.extract_meta_json(tree, found)
    title = found.title or trafilatura_metadata.extract_title(tree)
    author = found.author or trafilatura_metadata.extract_author(tree)
    return PageMetadata(title=title, author=author, description=found.description,
                        sitename=site_name(found.sitename or
                                           trafilatura_metadata.extract_sitename(tree), url))


def load_sets(wcxb: Path, corpus: Path, every: int) -> dict[str, list[Page]]:
    sets: dict[str, list[Page]] = {}
    if (wcxb / "html").is_dir():
        sets["wcxb-dev"] = _parsed(wcxb_pages(wcxb, every))
    if (corpus / "pages").is_dir():
        sets["corpus"] = _parsed(corpus_pages(corpus))
    return sets


def _parsed(pages: list[tuple[bytes, str]]) -> list[Page]:
    trees = [(load_html(html), url) for html, url in pages]
    return [(tree, url) for tree, url in trees if tree is not None]


def cpu_ms_per_page(pages: list[Page], work: Callable[[HtmlElement, str], object]) -> float:
    started = time.process_time()
    for tree, url in pages:
        work(tree, url)
    return 1000 * (time.process_time() - started) / len(pages)


def measure(pages: list[Page], rounds: int) -> dict[str, Any]:
    works: dict[str, Callable[[HtmlElement, str], object]] = {
        "before": trafilatura_fields,
        "after": page_metadata,
        "author_before": lambda tree, _url: trafilatura_metadata.extract_author(tree),
        "author_after": lambda tree, _url: find_author(tree),
    }
    identical = all(trafilatura_fields(tree, url) == page_metadata(tree, url)
                    for tree, url in pages)
    runs: dict[str, list[float]] = {part: [] for part in PARTS}
    for _ in range(rounds):
        for part in PARTS:
            runs[part].append(round(cpu_ms_per_page(pages, works[part]), 3))
    result: dict[str, Any] = {"pages": len(pages), "identical": identical}
    for part in PARTS:
        result[f"{part}_cpu_ms"] = statistics.median(runs[part])
        result[f"{part}_cpu_ms_runs"] = runs[part]
    result["after_over_before"] = result["after_cpu_ms"] / result["before_cpu_ms"]
    result["author_after_over_before"] = (result["author_after_cpu_ms"]
                                          / result["author_before_cpu_ms"])
    return result


def trafilatura_fields_any_parts(tree: Any, url: str | None = None,
                                 parts: HeadParts | None = None) -> PageMetadata:
    """`trafilatura_fields` in `page_metadata`'s place: extract_article passes the head
    elements it already found, which trafilatura's calls do not use."""
    return trafilatura_fields(tree, url)


def measure_articles(pages: list[tuple[bytes, str]], rounds: int) -> dict[str, Any]:
    """extract_article CPU ms per page with trafilatura's metadata calls, then page_metadata."""
    now = datetime.now(UTC)
    runs: dict[str, list[float]] = {"article_before": [], "article_after": []}
    try:
        for _ in range(rounds):
            for part, fields in (("article_before", trafilatura_fields_any_parts),
                                 ("article_after", page_metadata)):
                # what extract_article calls
                article_module.page_metadata = fields  # type: ignore[attr-defined]
                started = time.process_time()
                for html, url in pages:
                    article_module.extract_article(html, url, now=now)
                runs[part].append(round(1000 * (time.process_time() - started) / len(pages), 3))
    finally:
        article_module.page_metadata = page_metadata  # type: ignore[attr-defined]
    return {"pages": len(pages), **{f"{part}_cpu_ms": statistics.median(values)
                                    for part, values in runs.items()},
            **{f"{part}_cpu_ms_runs": values for part, values in runs.items()}}


def print_table(sets: dict[str, dict[str, Any]], rounds: int) -> None:
    print(f"CPU ms per page, median of {rounds} alternating rounds (min-max)")
    print(f"{'pages':<16}{'n':>5}  {'before':>18}{'after':>18}{'author before':>18}"
          f"{'author after':>18}  identical")
    for name, row in sets.items():
        cells = "".join(f"{row[f'{p}_cpu_ms']:>7.2f} ({min(row[f'{p}_cpu_ms_runs']):.2f}-"
                        f"{max(row[f'{p}_cpu_ms_runs']):.2f})" for p in PARTS)
        print(f"{name:<16}{row['pages']:>5}  {cells}  {row['identical']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    add_page_arguments(parser, every=1)
    parser.add_argument("--article-every", type=int, default=0,
                        help="also time extract_article on every K-th WCXB page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = {name: measure(pages, max(1, args.rounds))
            for name, pages in load_sets(args.wcxb, args.corpus, args.every).items()}
    articles = (measure_articles(wcxb_pages(args.wcxb, args.article_every), max(1, args.rounds))
                if args.article_every and (args.wcxb / "html").is_dir() else None)
    if args.json:
        print(json.dumps({"rounds": args.rounds, "sets": sets, "articles": articles}))
        return
    print_table(sets, args.rounds)
    if articles:
        print(f"extract_article, {articles['pages']} WCXB pages: before "
              f"{articles['article_before_cpu_ms_runs']}, after "
              f"{articles['article_after_cpu_ms_runs']} CPU ms per page")


if __name__ == "__main__":
    main()
