"""Precision, recall and F1 from counts, shared by every evaluation.

Evaluations differ on what an empty denominator means (no prediction at all: perfect, or
nothing found), so that convention is the caller's, passed as `empty`.
"""

from __future__ import annotations


def ratio(part: int, whole: int, empty: float) -> float:
    """part / whole, or `empty` when there is nothing to divide by."""
    return part / whole if whole else empty


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
