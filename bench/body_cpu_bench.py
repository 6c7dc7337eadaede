"""CPU of the body text alone (extractors.body_text.extract_body) per page, by page set.

    .venv/bin/python -m bench body_cpu [--every K] [--repeat N] [--corpus PATH] [--wcxb PATH]
                                       [--json]

Page sets: the farm's pages (200: 20 outlets x 10, bench/farm.py, seed 7), the shared corpus
pages and every K-th WCXB development page (default 2) when present. Each page is decoded
and parsed once beforehand, as extract_article does; the figure is time.process_time over
`extract_body(tree, url)` on every page of the set, divided by the pages, per round. Run from
another checkout of the project (with this venv) to measure that code on the same pages:
docs/extraction.md, CPU, "trafilatura's hottest XPaths". Prints a table, or one JSON object
with --json: {set: [ms per page of each round]}.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime

from lxml.html import HtmlElement

from bench.extract_bench import load_pages, page_job
from bench.page_args import add_page_arguments, farm_pages
from extractors.article import _decode, _parse
from extractors.body_text import extract_body


def page_sets(args: argparse.Namespace) -> dict[str, list[tuple[HtmlElement, str]]]:
    jobs = load_pages(args.corpus, args.wcxb, args.every)
    jobs["farm"] = [page_job(body, url) for body, url in farm_pages(datetime.now(UTC))]
    sets: dict[str, list[tuple[HtmlElement, str]]] = {}
    for name in ("farm", "corpus", "wcxb-dev"):
        decoded = [(_decode(job.body, None), job.url) for job in jobs.get(name, [])]
        parsed = [(_parse(text), url) for text, url in decoded if isinstance(text, str)]
        trees = [(tree, url) for tree, url in parsed if tree is not None]
        if trees:
            sets[name] = trees
    return sets


def cpu_ms_per_page(trees: list[tuple[HtmlElement, str]]) -> float:
    start = time.process_time()
    for tree, url in trees:
        extract_body(tree, url)
    return (time.process_time() - start) / len(trees) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_page_arguments(parser, every=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = page_sets(args)
    rounds = {name: [round(cpu_ms_per_page(trees), 2) for _ in range(args.repeat)]
              for name, trees in sets.items()}
    if args.json:
        print(json.dumps(rounds))
        return
    print(f"{'pages':<10} {'n':>5}  body CPU ms/page per round")
    for name, values in rounds.items():
        print(f"{name:<10} {len(sets[name]):>5}  " + "  ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
