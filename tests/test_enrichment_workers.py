"""The extraction workers' cheaper enrichment keeps every value (docs/extraction.md, "Third
pass"): tokens built by C-level maps equal one Token per match, and a settled worker (tables
loaded, heap frozen) gives the same page outcome, field by field, as before settling.

The token check runs on the fixture pages and, when ../shared is present, on every 2nd shared
corpus page and every 8th WCXB development page (the first PAGE_CHARS characters of their
HTML: any string must tokenise alike, and raw pages hold the scripts and symbols the texts
do).
"""

from __future__ import annotations

import gc
import gzip
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from extractors.entity_text import TOKEN_RE, Token, fold, tokenize
from extractors.tagging import TaggerConfig
from flows.pages import PageJob, process_page, settle_worker

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAGE_CHARS = 20_000  # enough of every page's markup and text, for a few seconds in all
FIXTURE_PAGES = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))
TRICKY = [
    "", "   ", "İstanbul’s EE. UU. — Trump’s ½ ﬁnal", "ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ\nΣ", "e\u0301 n\u0303 ß ẞ",
    "短い 文 と もう 一つ", "a\x07b\x08c", "١٢٣ ٤٥٦ x²", "\U0001F600 emoji\u200dword",
]


def one_token_per_match(text: str) -> tuple[Token, ...]:
    """The plain definition the faster `tokenize` must equal."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text)))


def assert_same_tokens(text: str) -> None:
    tokenize.cache_clear()
    fast = tokenize(text)
    assert fast == one_token_per_match(text)
    assert all(type(token) is Token for token in fast)


def test_tokenize_equals_one_token_per_match() -> None:
    for text in TRICKY + [p.read_text("utf-8", "replace")[:PAGE_CHARS] for p in FIXTURE_PAGES]:
        assert_same_tokens(text)
    assert tokenize("Trump’s") == (Token("trump", 0, 5), Token("'", 5, 6), Token("s", 6, 7))


def test_tokenize_equals_one_token_per_match_on_shared_pages() -> None:
    corpus = sorted((SHARED / "corpus" / "pages").rglob("*.html"))
    wcxb = sorted((SHARED / "extraction" / "wcxb-dev-articles" / "html").glob("*.html.gz"))
    if not corpus and not wcxb:
        pytest.skip("../shared corpus and WCXB pages not present")
    for page in corpus[::2]:
        assert_same_tokens(page.read_text("utf-8", "replace")[:PAGE_CHARS])
    for page in wcxb[::8]:
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        assert_same_tokens(html[:PAGE_CHARS])


def test_a_settled_worker_gives_the_same_page_outcome() -> None:
    tagger = TaggerConfig(ner="off")
    jobs = [PageJob(article_id=p.stem, url=f"https://fixture.example/{p.stem}",
                    body=p.read_bytes(), charset=None, feed_item=None,
                    now=datetime(2026, 12, 6, tzinfo=UTC)) for p in FIXTURE_PAGES[:8]]
    before = [process_page(job, tagger) for job in jobs]
    assert any(outcome.tags and outcome.tags.mentions for outcome in before)
    try:
        settle_worker.__wrapped__(tagger, None)  # the worker's call, without its cache
        assert gc.get_freeze_count() > 0
        after = [process_page(job, tagger) for job in jobs]
    finally:
        gc.unfreeze()  # this test process is no worker
    for old, new in zip(before, after, strict=True):
        assert new == old
        if old.fingerprint is not None:
            assert new.fingerprint is not None
            assert np.array_equal(new.fingerprint.unique_shingles, old.fingerprint.unique_shingles)
