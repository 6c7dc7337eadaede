"""extract_many: same results as one by one, in order, across processes, nothing lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from extractors.article import extract_article
from extractors.batch import ExtractJob, ProcessStream, chunk_size, extract_many, run_job

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def jobs() -> list[ExtractJob]:
    pages = sorted(PAGES.glob("*.html"))
    made = [ExtractJob(html=p.read_bytes(), url=f"https://site.example/{p.stem}") for p in pages]
    made.append(ExtractJob(html=b"%PDF-1.4", url="https://site.example/report.pdf"))
    made.append(ExtractJob(html=b"", url="https://site.example/empty"))
    return made * 2  # enough jobs to go parallel and to spread over chunks


def comparable(article):
    # published/updated may hold "now"-relative decisions; identical inputs give identical output
    return (article.url, article.status, article.reason, article.text, article.title,
            article.language, article.published)


def test_inline_below_threshold_matches_single_calls(jobs):
    few = jobs[:3]
    results = extract_many(few, min_parallel=10)
    assert [comparable(r) for r in results] == [
        comparable(extract_article(j.html, j.url)) for j in few]


def test_parallel_preserves_order_and_matches_inline(jobs):
    parallel = extract_many(jobs, workers=2, min_parallel=4)
    inline = extract_many(jobs, workers=1)
    assert [r.url for r in parallel] == [j.url for j in jobs]
    assert [comparable(r) for r in parallel] == [comparable(r) for r in inline]
    statuses = {r.url: r.status for r in parallel}
    assert statuses["https://site.example/report.pdf"] == "failed"
    assert statuses["https://site.example/es_jsonld_teasers"] == "extracted"


def test_a_job_that_raises_becomes_a_failed_result():
    bad = ExtractJob(html=b"<html></html>", url="https://x.example/a", feed_item="not a FeedItem")
    result = run_job(bad)
    assert result.status == "failed" and result.url == "https://x.example/a"
    assert result.reason.startswith("extraction error: AttributeError")


def test_raising_job_inside_a_parallel_batch_loses_nothing(jobs):
    bad = ExtractJob(html=b"<html></html>", url="https://x.example/bad", feed_item=42)
    batch = [*jobs[:5], bad, *jobs[5:9]]
    results = extract_many(batch, workers=2, min_parallel=2)
    assert len(results) == len(batch)
    assert results[5].url == "https://x.example/bad" and results[5].status == "failed"
    assert all(r.reason for r in results if r.status == "failed")


def test_empty_batch():
    assert extract_many([], workers=2) == []


@pytest.mark.parametrize(("jobs_count", "workers", "expected"),
                         [(1, 2, 1), (16, 2, 2), (1000, 2, 16), (100, 8, 3)])
def test_chunk_size(jobs_count, workers, expected):
    assert chunk_size(jobs_count, workers) == expected


# --- ProcessStream: items handed over while they still arrive -------------------------------


def _square_and_mark(item: tuple[int, str]) -> int:
    number, folder = item
    Path(folder, f"done-{number}").touch()
    return number * number


def _die_on_seven(item: int) -> int:
    if item == 7:
        os._exit(1)  # a worker killed mid-batch (the OOM killer, a segfault in a parser)
    return item


def _lost(item: object, reason: str) -> str:
    return f"lost {item}: {reason}"


def test_a_stream_works_on_full_chunks_before_results_are_asked_for(tmp_path):
    items = [(n, str(tmp_path)) for n in range(12)]
    with ProcessStream(_square_and_mark, lost=_lost, expected=12, workers=2, min_parallel=4,
                       preload=(), chunk=4) as stream:
        for item in items[:8]:
            stream.add(item)
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("done-*"))) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        # Two full chunks were processed while the producer still held the rest.
        assert len(list(tmp_path.glob("done-*"))) == 8
        for item in items[8:]:
            stream.add(item)
        assert stream.results() == [n * n for n in range(12)]


def test_a_small_stream_runs_in_this_process_in_order():
    with ProcessStream(lambda n: n + 1, lost=_lost, expected=3, workers=2,
                       min_parallel=8) as stream:
        for n in (5, 1, 3):
            stream.add(n)
        assert stream.results() == [6, 2, 4]


def test_a_dead_worker_loses_its_chunk_and_later_ones_but_nothing_vanishes():
    with ProcessStream(_die_on_seven, lost=_lost, expected=12, workers=2, min_parallel=4,
                       preload=(), chunk=2) as stream:
        for n in range(12):
            stream.add(n)
        results = stream.results()
    assert len(results) == 12
    assert results[7].startswith("lost 7: extraction worker died")
    survivors = [r for r in results if isinstance(r, int)]
    assert survivors == sorted(survivors) and all(results[r] == r for r in survivors)
    assert all(isinstance(r, int) or "worker died" in r for r in results)
