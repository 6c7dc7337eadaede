"""Give freed heap memory back to the operating system (glibc's malloc_trim).

CPython frees a large batch of small objects (a cycle's page outcomes, the pages' bodies)
into glibc's heap, which keeps the pages: the cycle process would stay at its peak size
through the later stages (the entity stage's workers run beside it). `malloc_trim(0)`
returns the free pages; it costs a walk of the heap (milliseconds), so the cycle calls it
only between stages. Elsewhere (no glibc) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except AttributeError:  # a C library without it (musl)
        return None


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; True if the C library could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
