"""CPU of `extract_article`'s own steps, part by part, on the same pages.

    .venv/bin/python -m bench facts [--every 2] [--repeat 1] [--json]

Pages: tests/fixtures/pages, the shared corpus pages (../shared/corpus/pages) and every
`--every`-th WCXB development article page (../shared/extraction/wcxb-dev-articles), each
when present. Each page is decoded and parsed once untimed; then every part runs `--repeat`
times on it and its CPU time (time.process_time) is summed. Parts: decode (bytes to cleaned
text), parse, page facts (all of `_page_facts`; htmldate and the visible date run there only
where no JSON-LD, meta or feed date exists) and, timed on every page, its steps: JSON-LD
dates, meta dates, declared language, canonical link, htmldate, visible date; then leading
repeats, teasers, language; and `extract_article` whole. To compare two trees, run the bench
from the older tree's directory (its `extractors` package is imported first).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench.page_args import DEFAULT_CORPUS, DEFAULT_WCXB, corpus_pages, wcxb_pages
from extractors import article, dates
from extractors.body_text import extract_body, without_leading_repeats
from extractors.language import detect_language
from extractors.teasers import remove_teasers

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)  # fixed, so every run makes the same choices


def pages(every: int) -> Iterator[tuple[bytes, str]]:
    """(body, url) of every page of the three sets that is present."""
    for path in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html")):
        yield path.read_bytes(), f"https://fixture.example/{path.stem}"
    yield from corpus_pages(DEFAULT_CORPUS)
    yield from wcxb_pages(DEFAULT_WCXB, every)


def page_parts(body: bytes, url: str) -> dict[str, Callable[[], object]] | None:
    """The timed parts for one page, or None for a page that does not parse."""
    text = article._decode(body, None)
    tree = article._parse(text) if isinstance(text, str) else None
    if not isinstance(text, str) or tree is None:
        return None
    extracted = article.extract_article(body, url, now=NOW)
    body_text = extract_body(tree, url)
    return {
        "decode": lambda: article._decode(body, None),
        "parse": lambda: article._parse(text),
        "page_facts": lambda: article._page_facts(tree, url, None, NOW),
        "jsonld_dates": lambda: dates.jsonld_date_candidates(tree),
        "meta_dates": lambda: dates.meta_dates(tree),
        "declared_language": lambda: article._declared_language(tree),
        "canonical": lambda: article._canonical(tree, url),
        "htmldate_every_page": lambda: dates.htmldate_date(tree, NOW),
        "visible_date_every_page": lambda: dates.visible_date(tree),
        "leading_repeats": lambda: without_leading_repeats(
            body_text, tree, extracted.title, extracted.description),
        "teasers": lambda: remove_teasers(body_text),
        "language": lambda: detect_language(extracted.text, extracted.declared_language),
        "extract_article": lambda: article.extract_article(body, url, now=NOW),
    }


def measure(every: int, repeat: int) -> dict[str, object]:
    detect_language("a warm-up text to load the language model " * 3)
    totals: dict[str, float] = {}
    count = 0
    for body, url in pages(every):
        parts = page_parts(body, url)
        if parts is None:
            continue
        count += 1
        for name, work in parts.items():
            started = time.process_time()
            for _ in range(repeat):
                work()
            totals[name] = totals.get(name, 0.0) + time.process_time() - started
    per_page = {name: 1000 * total / repeat / max(count, 1) for name, total in totals.items()}
    return {"pages": count, "repeat": repeat, "every": every,
            "extractors": str(Path(article.__file__).resolve().parent),
            "cpu_ms_per_page": per_page}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=2, help="every N-th WCXB page")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = measure(args.every, args.repeat)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{figures['pages']} pages, extractors from {figures['extractors']}")
    print(f"{'part':<26} CPU ms/page")
    per_page = figures["cpu_ms_per_page"]
    assert isinstance(per_page, dict)
    for name, value in per_page.items():
        print(f"{name:<26} {value:10.3f}")


if __name__ == "__main__":
    main()
