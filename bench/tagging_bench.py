"""Throughput of tag_article on one core: the labelled articles, tagged repeatedly.

Run: .venv/bin/python bench/tagging_bench.py [--rounds N]
Prints the first-call load time (gazetteer + taxonomy) and steady articles/s.
"""

from __future__ import annotations

import argparse
import time

from extractors.entity_gazetteer import load_gazetteer
from extractors.tagging import TaggerConfig, tag_article
from extractors.topics import load_taxonomy
from flows.evaluate.entities import load_labelled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    articles = load_labelled()
    config = TaggerConfig(ner="off")

    started = time.perf_counter()
    load_gazetteer(config.extra_entities_path)
    load_taxonomy(config.extra_topics_path)
    load_seconds = time.perf_counter() - started

    rows = []
    for language in ("en", "es", "all"):
        batch = [a for a in articles if language in ("all", a.language)]
        chars = sum(len(a.text) for a in batch)
        started = time.perf_counter()
        for _ in range(args.rounds):
            for article in batch:
                tag_article(article.text, article.title, article.language, config)
        seconds = time.perf_counter() - started
        count = len(batch) * args.rounds
        rows.append(
            (language, count, chars / len(batch), count / seconds, chars * args.rounds / seconds)
        )

    print(f"load (gazetteer + taxonomy, once per process): {load_seconds * 1000:.0f} ms")
    print(f"{'set':<5} {'articles':>9} {'avg chars':>10} {'articles/s':>11} {'chars/s':>10}")
    for language, count, avg_chars, per_second, chars_per_second in rows:
        figures = f"{avg_chars:>10.0f} {per_second:>11.0f} {chars_per_second:>10.0f}"
        print(f"{language:<5} {count:>9} {figures}")


if __name__ == "__main__":
    main()
