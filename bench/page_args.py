"""The page-set options the extraction benches share: where the shared pages are, how many."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_WCXB = ROOT.parent / "shared" / "extraction" / "wcxb-dev-articles"


def add_page_arguments(parser: argparse.ArgumentParser, *, every: int) -> None:
    """--corpus (WIREWATCH_CORPUS, else ../shared/corpus), --wcxb and --every (every K-th
    WCXB page, default `every`)."""
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get(
        "WIREWATCH_CORPUS", DEFAULT_CORPUS)))
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    parser.add_argument("--every", type=int, default=every, help="every K-th WCXB page only")
