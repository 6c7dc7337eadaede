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


class PerfectWhenEmpty:
    """precision/recall/F1 properties for a record with `tp`, `fp`, `fn` counts.

    An empty denominator counts as perfect: nothing predicted and nothing to find is no error.
    """

    __slots__ = ()
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp, empty=1.0)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn, empty=1.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def metric_table(lines: list[tuple[str, str]]) -> list[str]:
    """(name, value) rows as the plain two-column table the evaluation commands print."""
    width = max(len(name) for name, _ in lines)
    out = [f"{'metric':<{width}}  value", f"{'-' * width}  {'-' * 24}"]
    return out + [f"{name:<{width}}  {value}" for name, value in lines]
