"""The page sets the extraction benches share, and their options: where the shared pages are,
how many."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
from datetime import datetime
from pathlib import Path

from bench.farm import FarmSpec, _vocabulary, build_page

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_WCXB = ROOT.parent / "shared" / "extraction" / "wcxb-dev-articles"
FARM_OUTLETS, FARM_ITEMS = 20, 10  # 200 farm pages


def add_page_arguments(parser: argparse.ArgumentParser, *, every: int) -> None:
    """--corpus (WIREWATCH_CORPUS, else ../shared/corpus), --wcxb and --every (every K-th
    WCXB page, default `every`)."""
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get(
        "WIREWATCH_CORPUS", DEFAULT_CORPUS)))
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    parser.add_argument("--every", type=int, default=every, help="every K-th WCXB page only")


def wcxb_pages(wcxb: Path, every: int) -> list[tuple[bytes, str]]:
    """(body, url) of every `every`-th WCXB page, none when the folder is absent. The URL is
    the ground truth's; the two pages whose truth has none get a placeholder."""
    pages = []
    for path in sorted((wcxb / "html").glob("*.html.gz"))[::max(1, every)]:
        file_id = path.name.removesuffix(".html.gz")
        truth = json.loads((wcxb / "ground-truth" / f"{file_id}.json").read_text("utf-8"))
        pages.append((gzip.decompress(path.read_bytes()),
                      truth.get("url") or f"https://page.invalid/{file_id}"))
    return pages


def corpus_pages(corpus: Path) -> list[tuple[bytes, str]]:
    """(body, url) of every shared corpus page (`corpus`/pages/<outlet>/*.html), none when
    absent; the URL names the outlet's folder."""
    return [(path.read_bytes(), f"https://{path.parent.name}.example/a")
            for path in sorted((corpus / "pages").rglob("*.html"))]


def farm_pages(now: datetime) -> list[tuple[bytes, str]]:
    """(body, url) of the bench farm's pages the CPU benches share: FARM_OUTLETS outlets x
    FARM_ITEMS items of bench/farm.py's default farm, dated from `now`."""
    vocabulary = _vocabulary(random.Random(7))
    return [(build_page(FarmSpec(), outlet, item, vocabulary, now).body,
             f"http://127.0.0.{outlet}/news/{item}")
            for outlet in range(1, FARM_OUTLETS + 1) for item in range(FARM_ITEMS)]
