"""The real pages that equivalence tests compare old and new code on.

The project's own fixtures and labelled pages are always there; the shared corpus pages and
the WCXB development pages only where ../shared is present (callers skip when a folder is
missing). Each page comes as (name, raw bytes).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from flows.evaluate.extraction import load_labelled

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FOLDERS = {"corpus": SHARED / "corpus" / "pages",
           "wcxb": SHARED / "extraction" / "wcxb-dev-articles" / "html"}


def pages(kind: str) -> Iterator[tuple[str, bytes]]:
    """`kind`: "fixtures" (fixture and labelled pages), "corpus" or "wcxb"."""
    if kind == "fixtures":
        for path in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html")):
            yield path.name, path.read_bytes()
        for page in load_labelled():
            yield page.page_id, page.html
    elif kind == "corpus":
        for path in sorted(FOLDERS["corpus"].rglob("*.html")):
            yield str(path), path.read_bytes()
    else:
        for path in sorted(FOLDERS["wcxb"].glob("*.html.gz")):
            yield path.name, gzip.decompress(path.read_bytes())


def missing(kind: str) -> Path | None:
    """The folder a shared page set needs when it is absent, else None."""
    folder = FOLDERS.get(kind)
    return folder if folder is not None and not folder.is_dir() else None
