"""What one page outcome costs the cycle process: its size and its trip out of a worker.

    python -m bench outcomes [--pages 200] [--rounds 5] [--json]

Builds farm pages (bench/farm.py), extracts them and fingerprints their texts, then measures
(a) the pickled size and the memory an unpickled outcome holds (tracemalloc), split into
article, tags, credits and fingerprint (and the fingerprint's shingles); (b) the CPU of
taking the fingerprints out of a worker (pickle, unpickle), with the shingles as tuples of
ints and packed by flows.pages.compact_fingerprint, in alternating rounds.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bench.farm import FarmSpec, _vocabulary, build_page
from extractors.fingerprints import Fingerprint
from flows.entity_stage import worker_tagger
from flows.pages import PageJob, PageOutcome, compact_fingerprint, process_page
from flows.settings import Settings


def outcomes(pages: int) -> list[PageOutcome]:
    now = datetime(2026, 12, 6, tzinfo=UTC)
    vocab = _vocabulary(random.Random(7))
    tagger = worker_tagger(Settings())
    spec = FarmSpec()
    bodies = [build_page(spec, n % 20, n // 20, vocab, now).body for n in range(pages)]
    return [process_page(PageJob(str(n), f"http://127.0.0.2/news/{n}", body, "utf-8", None,
                                 now), tagger) for n, body in enumerate(bodies)]


def live_kb(blobs: list[bytes]) -> float:
    """Memory held per object once unpickled, in KB."""
    tracemalloc.start()
    kept = [pickle.loads(blob) for blob in blobs]
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return held / len(kept) / 1000


def trip_ms(prints: list[Fingerprint], pack: bool) -> float:
    started = time.process_time()
    for fp in prints:
        pickle.loads(pickle.dumps(compact_fingerprint(fp) if pack else fp, protocol=5))
    return (time.process_time() - started) / len(prints) * 1000


def as_tuples(fp: Fingerprint) -> Fingerprint:
    return replace(fp, paragraph_shingles=tuple(tuple(p) for p in fp.paragraph_shingles))


def measure(pages: int, rounds: int) -> dict[str, Any]:
    packed = [o for o in outcomes(pages) if o.fingerprint is not None]
    # The same outcomes as fingerprint_article makes them: shingles as tuples of ints.
    unpacked = [replace(o, fingerprint=as_tuples(o.fingerprint)) for o in packed
                if o.fingerprint is not None]
    tuples = [o.fingerprint for o in unpacked if o.fingerprint is not None]
    figures: dict[str, Any] = {"pages": pages}
    for name, items in (("tuples", unpacked), ("packed", packed)):
        blobs = [pickle.dumps(o, protocol=5) for o in items]
        figures[f"outcome_pickled_kb_{name}"] = sum(map(len, blobs)) / len(blobs) / 1000
        figures[f"outcome_live_kb_{name}"] = live_kb(blobs)
        figures[f"fingerprint_live_kb_{name}"] = live_kb(
            [pickle.dumps(o.fingerprint, protocol=5) for o in items])
    runs: dict[str, list[float]] = {"tuples": [], "packed": []}
    for _ in range(rounds):
        runs["tuples"].append(trip_ms(tuples, pack=False))
        runs["packed"].append(trip_ms(tuples, pack=True))
    figures["trip_ms_tuples"] = runs["tuples"]
    figures["trip_ms_packed"] = runs["packed"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Page outcome size and worker trip CPU.")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.pages, args.rounds)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        shown = (" ".join(f"{v:.3f}" for v in value) if isinstance(value, list)
                 else f"{value:.1f}" if isinstance(value, float) else str(value))
        print(f"{key}: {shown}", file=sys.stdout)


if __name__ == "__main__":
    main()
