"""What keeps the cycle's peak memory down: each page body is held only until its page is
extracted (docs/benchmarks.md, "Memory"), and the outputs are those of the unbounded path."""

from __future__ import annotations

import gzip
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.article import extract_article
from extractors.batch import ProcessStream
from extractors.boilerplate import without_boilerplate
from extractors.fingerprints import fingerprint_article
from extractors.tagging import TaggerConfig
from flows.cycle import ExtractionGate
from flows.heap import release_free_memory
from flows.pages import PageJob, compact_fingerprint, page_stream, without_body
from flows.transport import FetchRequest, fetch_all_sync
from tests.faultserver import ARTICLE_HTML, FaultServer, local_policy, running_fault_server

FIXTURE_PAGES = Path(__file__).parent / "fixtures" / "pages"
WCXB_HTML = Path(__file__).parents[1].parent / "shared/extraction/wcxb-dev-articles/html"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with running_fault_server() as running:
        yield running


def test_results_come_back_without_bodies_the_callback_saw(server: FaultServer) -> None:
    paths = ["/article", "/status/404", "/gzip", "/article?again=1"]
    seen: dict[str, bytes | None] = {}
    results = fetch_all_sync(local_policy(), [FetchRequest(server.url(p)) for p in paths],
                             on_result=lambda r: seen.update({r.request.url: r.body}),
                             keep_bodies=False)
    assert [r.request.url for r in results] == [server.url(p) for p in paths]
    assert all(r.body is None for r in results)
    assert [r.status for r in results] == [200, 404, 200, 200]
    assert seen[server.url("/article")] == ARTICLE_HTML
    assert seen[server.url("/gzip")] == ARTICLE_HTML
    kept = fetch_all_sync(local_policy(), [FetchRequest(server.url("/article"))])
    assert kept[0].body == ARTICLE_HTML  # the default is unchanged


def _slow_double(n: int) -> int:
    time.sleep(0.02)
    return 2 * n


def _die_on_five(n: int) -> int:
    if n == 5:
        os._exit(1)
    return n


def _lost(item: object, reason: str) -> str:
    return f"lost {item}"


def test_a_stream_reports_each_finished_chunk_with_its_size() -> None:
    done: list[int] = []
    with ProcessStream(_slow_double, lost=_lost, expected=10, workers=2, min_parallel=4,
                       preload=(), chunk=4, on_chunk_done=done.append) as stream:
        assert stream.parallel
        for n in range(10):
            stream.add(n)
        assert stream.results() == [2 * n for n in range(10)]
    assert sorted(done) == [2, 4, 4]  # two full chunks and the last, partial one


def test_the_gate_holds_fetching_back_until_pages_are_done(server: FaultServer) -> None:
    gate, lock = ExtractionGate(3), threading.Lock()
    inside, most = [0], [0]

    async def admit() -> None:
        await gate.enter()
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])

    def finished() -> None:  # a worker's chunk done, from another thread
        with lock:
            inside[0] -= 1
        gate.leave(1)

    results = fetch_all_sync(
        local_policy(), [FetchRequest(server.url(f"/article?n={n}")) for n in range(12)],
        on_result=lambda _: threading.Timer(0.05, finished).start(), keep_bodies=False,
        admit=admit)
    assert [r.status for r in results] == [200] * 12
    assert most[0] == 3  # never more than the gate's three pages between fetch and done
    gate.leave(1)  # after the fetch: its loop is closed, and a late chunk changes nothing


def test_a_stream_keeps_only_the_slim_item_to_report_a_lost_one() -> None:
    with ProcessStream(_die_on_five, lost=_lost, expected=8, workers=2, min_parallel=4,
                       preload=(), chunk=1, slim=lambda n: -n) as stream:
        for n in range(8):
            stream.add(n)
        results = stream.results()
    assert results[5] == "lost -5"  # what `lost` got is what `slim` kept
    assert all(r == n or r == f"lost {-n}" for n, r in enumerate(results))


def test_a_sent_page_job_keeps_everything_but_its_body() -> None:
    job = PageJob("a1", "https://site.example/a", b"<html>" * 1000, "utf-8", None,
                  now=datetime(2026, 1, 1, tzinfo=UTC))
    slim = without_body(job)
    assert slim.body == b""
    assert (slim.article_id, slim.url, slim.charset, slim.now) == (
        job.article_id, job.url, job.charset, job.now)


def _resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    # 100 KB blocks come from the heap (below glibc's mmap threshold); freeing every other
    # one leaves holes that free() keeps, since the blocks above them are still in use.
    blocks = [bytearray(100_000) for _ in range(600)]
    del blocks[::2]
    before = _resident_kb()
    assert release_free_memory()
    assert _resident_kb() < before - 10_000  # most of the 30 MB of holes returned
    assert len(blocks) == 300


def _texts() -> list[tuple[str, str | None, str | None]]:
    """Extracted texts of the fixture pages and, when shared/ is present, every 25th
    WCXB dev page (the outcomes compact_fingerprint sees in the cycle)."""
    pages = [(p.read_bytes(), f"https://fixture.example/{p.stem}")
             for p in sorted(FIXTURE_PAGES.glob("*.html"))]
    pages += [(gzip.decompress(p.read_bytes()), f"https://wcxb.example/{p.stem}")
              for p in sorted(WCXB_HTML.glob("*.html.gz"))[::25]]
    texts = []
    for body, url in pages:
        article = extract_article(body, url, now=datetime(2026, 12, 6, tzinfo=UTC))
        if article.text:
            texts.append((article.text, article.title, article.language))
    # Written here, so the comparison has enough texts where shared/ is absent.
    texts += [("\n\n".join(_PARAGRAPHS[i:] + _PARAGRAPHS[:i]), f"Texto {i}", language)
              for i, language in ((0, "es"), (1, "en"), (2, None))]
    return texts


_PARAGRAPHS = [
    "La Guardia Nacional desplegó 300 elementos en Culiacán tras los enfrentamientos del "
    "fin de semana, informó la Secretaría de Seguridad en un comunicado.",
    "Federal prosecutors in San Diego charged six people with smuggling fentanyl across the "
    "border, according to court documents unsealed on Wednesday.",
    "Los decomisos de armas en la frontera de Tamaulipas aumentaron un 40 % en el primer "
    "semestre, según cifras oficiales publicadas este lunes.",
    "Officials said the joint operation would continue through the end of the month.",
]


def test_packed_shingles_give_story_assignment_the_same_ints() -> None:
    texts = _texts()
    assert len(texts) >= 10
    for text, title, language in texts:
        plain = fingerprint_article(text, title, language)
        packed = compact_fingerprint(plain)
        assert [list(s) for s in packed.paragraph_shingles] == [
            list(s) for s in plain.paragraph_shingles]
        # what the load does with them: the shingles of the paragraphs that are not
        # boilerplate, with none and with some paragraphs taken as boilerplate
        for boilerplate in (frozenset(), frozenset(plain.paragraph_hashes[::2])):
            assert without_boilerplate(packed.paragraph_hashes, packed.paragraph_shingles,
                                       boilerplate) == without_boilerplate(
                plain.paragraph_hashes, plain.paragraph_shingles, boilerplate)
        copy = pickle.loads(pickle.dumps(packed))  # as it leaves the worker
        assert [list(s) for s in copy.paragraph_shingles] == [
            list(s) for s in plain.paragraph_shingles]
        assert (copy.paragraph_hashes, copy.keys, copy.cues, copy.lead) == (
            plain.paragraph_hashes, plain.keys, plain.cues, plain.lead)


def test_a_shingle_wider_than_32_bits_keeps_the_tuples() -> None:
    plain = fingerprint_article("one two three four five six seven eight nine ten " * 3,
                                "Title", "en")
    wide = replace(plain, paragraph_shingles=((2**40, 1),))
    assert compact_fingerprint(wide) is wide


def test_the_cycle_process_keeps_no_language_model_when_workers_extract() -> None:
    from extractors.language import _identifier

    with page_stream(TaggerConfig(ner="off"), 8, workers=2) as stream:
        assert stream.parallel
        assert _identifier.cache_info().currsize == 0  # checked, then dropped
    with page_stream(TaggerConfig(ner="off"), 3, workers=2) as stream:
        assert not stream.parallel
        assert _identifier.cache_info().currsize == 1  # this process extracts: kept
