"""Enrichment CPU per extracted page: tags, credits, fingerprint and content hash, with the
heap as it is and with the process settled as an extraction worker is (heap frozen).

    .venv/bin/python -m bench enrich [--every 4] [--settled] [--json]

Pages: the fixture pages, the shared corpus pages (WIREWATCH_CORPUS or ../shared/corpus) and
every K-th WCXB development page, when present (the sets of `bench extract`). Each page is
extracted once with `extract_article` (untimed); then the four enrichment calls the cycle's
workers make after it (flows.pages.process_page, with the workers' tagger) are timed one
part at a time over all texts, in CPU time of this process (time.process_time). With
--settled the process first runs flows.pages.settle_worker, as every extraction worker does
before its first page. Run both ways, alternating, to see the difference on a loaded machine.
Prints a table, or one JSON object with --json (keys in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from bench.extract_bench import load_pages
from bench.page_args import add_page_arguments
from extractors.article import extract_article
from extractors.credits import detect_credits
from extractors.fingerprints import fingerprint_article
from extractors.hashing import content_hash
from extractors.tagging import TaggerConfig, tag_article
from flows.entity_stage import worker_tagger
from flows.pages import load_models, settle_worker
from flows.settings import Settings

Text = tuple[str, str | None, str | None]  # text, title, language


def extracted_texts(corpus: Path, wcxb: Path, every: int) -> list[Text]:
    texts: list[Text] = []
    for jobs in load_pages(corpus, wcxb, every).values():
        for job in jobs:
            article = extract_article(job.body, job.url, now=job.now)
            if article.status == "extracted" and article.text:
                texts.append((article.text, article.title, article.language))
    return texts


def parts(tagger: TaggerConfig) -> dict[str, Callable[[str, str | None, str | None], object]]:
    return {
        "tags": lambda text, title, language: tag_article(text, title, language, tagger),
        "credits": lambda text, title, language: detect_credits(text, title, language),
        "fingerprint": lambda text, title, language: fingerprint_article(text, title, language),
        "hash": lambda text, title, language: content_hash(text),
    }


def measure(texts: list[Text], tagger: TaggerConfig) -> dict[str, float]:
    """CPU milliseconds per text of each enrichment part, and of all four."""
    row: dict[str, float] = {}
    for name, work in parts(tagger).items():
        started = time.process_time()
        for text, title, language in texts:
            work(text, title, language)
        row[f"{name}_cpu_ms_per_page"] = 1000 * (time.process_time() - started) / len(texts)
    row["all_cpu_ms_per_page"] = sum(row.values())
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_page_arguments(parser, every=4)
    parser.add_argument("--settled", action="store_true",
                        help="settle the process as an extraction worker first (heap frozen)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    load_models()
    tagger = worker_tagger(Settings())
    texts = extracted_texts(args.corpus, args.wcxb, args.every)
    for text, title, language in texts[:5]:  # the tables load here, untimed
        for work in parts(tagger).values():
            work(text, title, language)
    if args.settled:
        settle_worker(tagger, None)
    result = {"pages": len(texts), "settled": args.settled, **measure(texts, tagger)}
    if args.json:
        print(json.dumps(result))
        return
    state = "settled (heap frozen)" if args.settled else "heap not frozen"
    print(f"{len(texts)} extracted pages, {state}; CPU ms per page, one process")
    for key, value in result.items():
        if key.endswith("_cpu_ms_per_page"):
            print(f"  {key.removesuffix('_cpu_ms_per_page'):<12}{value:8.2f}")


if __name__ == "__main__":
    main()
