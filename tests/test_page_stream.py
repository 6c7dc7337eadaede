"""The cycle's extract stage path (flows.pages.page_stream): the same outcomes in a pool as
in this process, in the order added, and a page whose extractor raises loses nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.tagging import TaggerConfig
from flows.pages import PageJob, PageOutcome, page_stream, process_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _job(body: bytes, url: str, feed_item: object = None) -> PageJob:
    return PageJob(article_id=url.rsplit("/", 1)[-1], url=url, body=body, charset=None,
                   feed_item=feed_item, now=NOW)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def jobs() -> list[PageJob]:
    made = [_job(p.read_bytes(), f"https://site.example/{p.stem}")
            for p in sorted(PAGES.glob("*.html"))]
    made.append(_job(b"%PDF-1.4", "https://site.example/report.pdf"))
    made.append(_job(b"", "https://site.example/empty"))
    return made * 2  # enough pages for the pool and for several chunks


def _through_stream(jobs: list[PageJob], workers: int) -> list[PageOutcome]:
    with page_stream(TaggerConfig(), len(jobs), workers) as stream:
        for job in jobs:
            stream.add(job)
        return stream.results()


def _comparable(outcome: PageOutcome) -> tuple[object, ...]:
    a = outcome.article
    return (outcome.article_id, a.url, a.status, a.reason, a.text, a.title, a.language,
            a.published, outcome.content_hash, outcome.credits, outcome.fingerprint is None)


def test_the_pool_gives_what_this_process_gives_in_the_order_added(jobs):
    pooled = _through_stream(jobs, workers=2)
    inline = _through_stream(jobs, workers=1)
    assert [o.article.url for o in pooled] == [j.url for j in jobs]
    assert [_comparable(o) for o in pooled] == [_comparable(o) for o in inline]
    statuses = {o.article.url: o.article.status for o in pooled}
    assert statuses["https://site.example/report.pdf"] == "failed"
    assert statuses["https://site.example/es_jsonld_teasers"] == "extracted"


def test_an_extracted_page_is_tagged_and_fingerprinted_a_failed_one_is_not(jobs):
    outcomes = {o.article.url: o for o in _through_stream(jobs[:9], workers=1)}
    extracted = outcomes["https://site.example/es_jsonld_teasers"]
    assert extracted.content_hash and extracted.tags is not None
    assert extracted.fingerprint is not None
    failed = outcomes["https://site.example/report.pdf"]
    assert (failed.content_hash, failed.tags, failed.fingerprint) == (None, None, None)


def test_a_page_whose_extractor_raises_fails_alone_inside_a_pooled_batch(jobs):
    bad = _job(b"<html></html>", "https://x.example/bad", feed_item=42)
    batch = [*jobs[:5], bad, *jobs[5:9]]
    results = _through_stream(batch, workers=2)
    assert len(results) == len(batch)
    assert results[5].article.url == "https://x.example/bad"
    assert results[5].article.status == "failed"
    assert (results[5].article.reason or "").startswith("extractor crashed: AttributeError")
    assert [_comparable(r) for r in results[:5]] == [
        _comparable(process_page(j, TaggerConfig())) for j in jobs[:5]]
