"""Is one article a translation of another, or independent coverage of the same event?

Two texts on one event in two languages share names and a topic; the sentence encoder finds
them related either way. A translation follows its source line by line: its title and lead
paragraphs align with the source's *in the same order*, each aligned pair close in meaning,
and its figures come in the source's order. Independent coverage has its own structure,
its own quotes and its own figures. `translation_evidence` measures both and says which.

Pure functions over embeddings (rows of L2-normalised vectors, one per line) and line texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A pair of lines counts as aligned at this cosine or more (lines of a translation score
# 0.6-0.9; lines of two independent reports on one event mostly 0.3-0.55).
LINE_SIMILARITY = 0.55
# Share of the shorter text's lines that must align, in order, and how many at least.
MIN_ALIGNED_SHARE = 0.6
MIN_ALIGNED_LINES = 3
# Figures: when both texts carry at least two, this share of the shorter list must appear
# in the same order in the other.
MIN_FIGURE_SHARE = 0.5
MIN_FIGURES = 2

_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class TranslationEvidence:
    aligned_lines: int
    shorter_lines: int
    mean_similarity: float  # over the aligned pairs
    figures_in_order: int
    shorter_figures: int

    @property
    def lines_ok(self) -> bool:
        need = max(min(MIN_ALIGNED_LINES, self.shorter_lines),
                   round(MIN_ALIGNED_SHARE * self.shorter_lines))
        return self.shorter_lines > 0 and self.aligned_lines >= need

    @property
    def figures_ok(self) -> bool:
        if self.shorter_figures < MIN_FIGURES:
            return True  # too few figures to tell either way: the lines decide
        return self.figures_in_order >= MIN_FIGURE_SHARE * self.shorter_figures

    @property
    def is_translation(self) -> bool:
        return self.lines_ok and self.figures_ok

    def describe(self) -> str:
        return (f"{self.aligned_lines}/{self.shorter_lines} lines aligned in order "
                f"(mean {self.mean_similarity:.2f}), figures in order "
                f"{self.figures_in_order}/{self.shorter_figures}")


def aligned_in_order(similarity: np.ndarray, floor: float = LINE_SIMILARITY
                     ) -> list[tuple[int, int, float]]:
    """The monotone alignment (i < i', j < j') of most total similarity over pairs >= floor.

    A weighted longest-common-subsequence over the similarity matrix: lines may be skipped on
    either side (an outlet's extra header, a dropped paragraph) but never cross.
    """
    rows, cols = similarity.shape
    best = np.zeros((rows + 1, cols + 1), dtype=np.float64)
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            s = float(similarity[i - 1, j - 1])
            take = best[i - 1, j - 1] + s if s >= floor else -1.0
            best[i, j] = max(best[i - 1, j], best[i, j - 1], take)
    pairs: list[tuple[int, int, float]] = []
    i, j = rows, cols
    while i > 0 and j > 0:
        s = float(similarity[i - 1, j - 1])
        if s >= floor and np.isclose(best[i, j], best[i - 1, j - 1] + s):
            pairs.append((i - 1, j - 1, s))
            i, j = i - 1, j - 1
        elif best[i - 1, j] >= best[i, j - 1]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def figures(text: str) -> list[str]:
    """Distinct numbers in order of first appearance, as digits only ("250.000" and
    "250,000" meet), without years and one-digit numbers, which every story has. A figure
    repeated (headline and lead) counts once, so one converted unit ("800 pounds" as
    "360 kilos") costs one figure, not one per repetition."""
    out: list[str] = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0)).lstrip("0")
        if len(digits) >= 2 and not _YEAR.match(digits) and digits not in out:
            out.append(digits)
    return out


def _common_in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two short lists."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def translation_evidence(
    own_vectors: np.ndarray, other_vectors: np.ndarray,
    own_lines: Sequence[str], other_lines: Sequence[str],
) -> TranslationEvidence:
    """Line alignment and figure order between two texts' leads (title + first paragraphs)."""
    shorter = min(len(own_lines), len(other_lines))
    if own_vectors.size == 0 or other_vectors.size == 0:
        return TranslationEvidence(0, shorter, 0.0, 0, 0)
    pairs = aligned_in_order(own_vectors @ other_vectors.T)
    mean = float(np.mean([s for _, _, s in pairs])) if pairs else 0.0
    own_figures = figures("\n".join(own_lines))
    other_figures = figures("\n".join(other_lines))
    return TranslationEvidence(
        aligned_lines=len(pairs), shorter_lines=shorter, mean_similarity=round(mean, 4),
        figures_in_order=_common_in_order(own_figures, other_figures),
        shorter_figures=min(len(own_figures), len(other_figures)),
    )
