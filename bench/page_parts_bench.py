"""CPU of `extract_article`'s steps outside the body extraction, per page set.

    .venv/bin/python -m bench page_parts [--every 2] [--extractors DIR] [--json]

Sets: 200 bench-farm pages (bench/farm.py, 20 outlets x 10), the shared corpus pages
(../shared/corpus/pages) and every `--every`-th WCXB development article page
(../shared/extraction/wcxb-dev-articles), each when present. Each page is decoded and parsed
once untimed; then each part runs once per page and its CPU time (time.process_time) is
summed. Parts, as `extract_article` runs them: decode (bytes to cleaned text), parse, facts
(the page's elements found once, then dates, declared language, canonical link; htmldate and
the visible date only where no JSON-LD or meta date exists), metadata (title, author,
description, site name), rest (leading repeats, teasers, word count, language) and
`extract_article` whole (trafilatura's body cascade is most of it).

`--extractors DIR`: import the `extractors` package from another tree (e.g. an exported older
commit) to measure it with the same pages and the same script.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.page_args import (
    DEFAULT_CORPUS,
    DEFAULT_WCXB,
    corpus_pages,
    farm_pages,
    wcxb_pages,
)

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)  # fixed, so every run makes the same choices


def page_sets(every: int) -> dict[str, list[tuple[bytes, str]]]:
    """(body, url) of every page of each set that is present."""
    sets = {"farm": farm_pages(NOW)}
    if (DEFAULT_CORPUS / "pages").is_dir():
        sets["corpus"] = corpus_pages(DEFAULT_CORPUS)
    if (DEFAULT_WCXB / "html").is_dir():
        sets["wcxb-dev"] = wcxb_pages(DEFAULT_WCXB, every)
    return sets


def page_parts(mods: dict[str, Any], body: bytes, url: str
               ) -> tuple[float, dict[str, Callable[[], object]]] | None:
    """The CPU seconds of `extract_article` on the page and its timed parts, or None for a
    page that does not parse."""
    article = mods["article"]
    text = article._decode(body, None)
    tree = article._parse(text) if isinstance(text, str) else None
    if not isinstance(text, str) or tree is None:
        return None
    started = time.process_time()
    record = article.extract_article(body, url, now=NOW)
    whole = time.process_time() - started
    body_text = mods["body_text"].extract_body(tree, url)
    # Trees before extractors/page_elements.py have no shared walk: each reader walks alone.
    find_elements = getattr(article, "page_elements", lambda _tree: None)
    elements = find_elements(tree)

    def facts() -> object:
        if hasattr(article, "page_elements"):
            return article._page_facts(tree, url, None, NOW, find_elements(tree))
        return article._page_facts(tree, url, None, NOW)

    def metadata() -> object:
        if elements is None:
            return mods["page_metadata"].page_metadata(tree, url)
        return mods["page_metadata"].page_metadata(tree, url, elements.head_parts)

    def rest() -> object:
        cleaned = mods["teasers"].remove_teasers(mods["body_text"].without_leading_repeats(
            body_text, tree, record.title, record.description))
        mods["body_text"].count_words(cleaned.text)
        return mods["language"].detect_language(cleaned.text, record.declared_language)

    return whole, {"decode": lambda: article._decode(body, None),
                   "parse": lambda: article._parse(text), "facts": facts,
                   "metadata": metadata, "rest": rest}


def measure(every: int, extractors: Path | None) -> dict[str, object]:
    if extractors is not None:
        sys.path.insert(0, str(extractors.resolve()))
    import extractors.article as article  # imported here: --extractors may point elsewhere
    from extractors import body_text, language, page_metadata, teasers

    mods = {"article": article, "body_text": body_text, "language": language,
            "page_metadata": page_metadata, "teasers": teasers}
    language.detect_language("a warm-up text to load the language model " * 3)
    per_set: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for name, pages in page_sets(every).items():
        totals: dict[str, float] = {}
        count = 0
        for body, url in pages:
            timed = page_parts(mods, body, url)
            if timed is None:
                continue
            count += 1
            whole, parts = timed
            totals["extract_article"] = totals.get("extract_article", 0.0) + whole
            for part, work in parts.items():
                started = time.process_time()
                work()
                totals[part] = totals.get(part, 0.0) + time.process_time() - started
        counts[name] = count
        per_set[name] = {part: 1000 * total / max(count, 1) for part, total in totals.items()}
    return {"every": every, "pages": counts, "extractors": str(Path(article.__file__).parent),
            "cpu_ms_per_page": per_set}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=2, help="every N-th WCXB page")
    parser.add_argument("--extractors", type=Path, default=None,
                        help="the tree to import the extractors package from")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = measure(args.every, args.extractors)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"extractors from {figures['extractors']}; CPU ms/page")
    per_set = figures["cpu_ms_per_page"]
    assert isinstance(per_set, dict)
    for name, parts in per_set.items():
        print(f"{name:<10} " + " ".join(f"{part}={value:.2f}" for part, value in parts.items()))


if __name__ == "__main__":
    main()
