"""Tagging CPU per extracted page, as the cycle's extraction workers run it.

Run: python -m bench tag_pages [--every 2] [--rounds 1] [--outputs FILE] [--json]

Pages: the farm's pages (20 outlets x 10, bench/farm.py), the shared corpus and every
--every-th WCXB development page (bench/page_args.py). Each page is extracted once with
`extract_article`; then `tag_article(text, title, language, worker_tagger(Settings()))` (the
gazetteer linker and topics, no NER model) is timed over the extracted texts in one
process whose heap is settled as in a worker (`flows.pages.settle_worker`), in CPU ms per
page (time.process_time). `--outputs FILE` pickles every output, page set by page set, so
two trees can be compared value for value (run both with PYTHONHASHSEED=0: evidence holds
sets). --json prints one JSON object instead of the table.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.extract_bench import load_pages, page_job
from bench.page_args import add_page_arguments, farm_pages
from extractors.article import extract_article
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from flows.entity_stage import worker_tagger
from flows.pages import PageJob, load_models, settle_worker
from flows.settings import Settings

Text = tuple[str, str | None, str | None]


def farm_jobs() -> list[PageJob]:
    return [page_job(body, url) for body, url in farm_pages(datetime(2026, 12, 6, tzinfo=UTC))]


def extracted_texts(jobs: list[PageJob]) -> list[Text]:
    now = datetime(2026, 12, 6, tzinfo=UTC)
    texts: list[Text] = []
    for job in jobs:
        article = extract_article(job.body, job.url, now=now)
        texts.append((article.text or "", article.title, article.language))
    return texts


def tag_all(
    texts: list[Text], tagger: TaggerConfig, rounds: int
) -> tuple[float, list[ArticleTags]]:
    """(CPU ms per page over pages with a text, the outputs of the last round)."""
    with_text = [t for t in texts if t[0]]
    outputs: list[ArticleTags] = []
    started = time.process_time()
    for _ in range(rounds):
        outputs = [tag_article(text, title, language, tagger)
                   for text, title, language in texts]
    seconds = time.process_time() - started
    return seconds * 1000 / max(1, len(with_text) * rounds), outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_page_arguments(parser, every=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--outputs", type=Path, help="pickle every tag_article output here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = load_pages(args.corpus, args.wcxb, args.every)
    sets["farm"] = farm_jobs()
    texts = {name: extracted_texts(jobs) for name, jobs in sets.items()}
    load_models()
    tagger = worker_tagger(Settings())
    tag_article(*texts["fixtures"][0], tagger)  # the once-per-process loads, not timed
    settle_worker(tagger, None)
    rows: list[dict[str, object]] = []
    outputs: dict[str, list[ArticleTags]] = {}
    for name, batch in texts.items():
        ms, outputs[name] = tag_all(batch, tagger, args.rounds)
        rows.append({"set": name, "pages": len(batch), "tag_ms_per_page": round(ms, 2)})
    if args.outputs is not None:
        args.outputs.write_bytes(pickle.dumps(outputs))
    if args.json:
        print(json.dumps({"rows": rows}))
        return
    print(f"{'set':<10} {'pages':>6} {'tag ms/page':>12}")
    for row in rows:
        print(f"{row['set']:<10} {row['pages']:>6} {row['tag_ms_per_page']:>12.2f}")


if __name__ == "__main__":
    main()
