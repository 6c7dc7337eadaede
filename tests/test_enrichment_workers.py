"""A settled extraction worker (the taggers' tables loaded, its heap frozen, so collections
stop walking the gazetteer: docs/extraction.md, "Third pass") gives the same page outcomes,
field by field, as before settling. Freezing may only change CPU, never a value.
"""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from extractors.entity_gazetteer import load_gazetteer
from extractors.tagging import TaggerConfig
from flows.pages import PageJob, process_page, settle_worker

FIXTURE_PAGES = sorted((Path(__file__).resolve().parent / "fixtures" / "pages").glob("*.html"))


def test_a_settled_worker_gives_the_same_page_outcomes() -> None:
    tagger = TaggerConfig(ner="off")
    jobs = [PageJob(article_id=p.stem, url=f"https://fixture.example/{p.stem}",
                    body=p.read_bytes(), charset=None, feed_item=None,
                    now=datetime(2026, 12, 6, tzinfo=UTC)) for p in FIXTURE_PAGES[:8]]
    before = [process_page(job, tagger) for job in jobs]
    assert any(outcome.tags and outcome.tags.mentions for outcome in before)
    try:
        settle_worker.__wrapped__(tagger, None)  # the worker's call, without its cache
        assert gc.get_freeze_count() > 0
        assert load_gazetteer.cache_info().currsize > 0  # loaded before the freeze
        after = [process_page(job, tagger) for job in jobs]
    finally:
        gc.unfreeze()  # this test process is no worker
    for old, new in zip(before, after, strict=True):
        assert new == old
        if old.fingerprint is not None:
            assert new.fingerprint is not None
            assert np.array_equal(new.fingerprint.unique_shingles, old.fingerprint.unique_shingles)
