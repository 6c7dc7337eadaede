"""Translation evidence: lines aligned in order, figures in order (pure functions)."""

import numpy as np

from extractors.translation_evidence import (
    aligned_in_order,
    figures,
    translation_evidence,
)


def unit(*rows):
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_alignment_keeps_order_and_skips_extra_lines():
    similarity = np.array([[0.9, 0.1, 0.1],
                           [0.1, 0.2, 0.8],
                           [0.1, 0.85, 0.1]])
    pairs = aligned_in_order(similarity, floor=0.5)
    # (1, 2) and (2, 1) cross: only one of them can be kept, with (0, 0).
    assert [(i, j) for i, j, _ in pairs] in ([(0, 0), (2, 1)], [(0, 0), (1, 2)])
    assert pairs[0][2] == 0.9


def test_figures_meet_across_number_formats_and_skip_years():
    assert figures("250.000 muertos en 2024, 1,2 millones") == ["250000", "12"]
    assert figures("250,000 dead in 2024, 1.2 million") == ["250000", "12"]


def test_same_lines_with_other_figures_are_not_a_translation():
    vectors = unit([1, 0, 0], [0, 1, 0], [0, 0, 1])
    lines = ["Title", "Three dead and 12 hurt", "Fire at 07:40, 60 firefighters"]
    same = translation_evidence(vectors, vectors, lines, ["T", "Tres muertos y 12 heridos",
                                                           "A las 07:40, 60 bomberos"])
    other = translation_evidence(vectors, vectors, lines, ["T", "Dos muertos y 15 heridos",
                                                            "A las 09:10, 45 bomberos"])
    assert same.is_translation and same.figures_in_order == 3  # 12, 0740, 60
    assert other.lines_ok and not other.figures_ok and not other.is_translation


def test_unaligned_lines_are_not_a_translation():
    a, b = unit([1, 0, 0], [0, 1, 0], [0, 0, 1]), unit([0, 0, 1], [0, 1, 0], [1, 0, 0])
    evidence = translation_evidence(a, b, ["x", "y", "z"], ["z", "y", "x"])
    assert evidence.aligned_lines == 1 and not evidence.is_translation
