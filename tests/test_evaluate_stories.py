"""Floors for story assignment on the labelled set (flows/evaluate/data/stories)."""

import json

import pytest

from flows.evaluate.stories import DATA_DIR, evaluate, format_report


@pytest.fixture(scope="module")
def report():
    return evaluate()


def test_labelled_set_is_large_and_varied_enough():
    rows = [json.loads(line) for line in (DATA_DIR / "articles.jsonl").read_text().splitlines()]
    assert len(rows) >= 150
    assert len({r["story"] for r in rows}) >= 30
    assert {r["language"] for r in rows} == {"en", "es"}
    assert {"teaser", "trimmed", "relead", "translation", "credit"} <= {r["edit"] for r in rows}
    groups = {r["hard_negative"] for r in rows if r["hard_negative"]}
    assert len(groups) >= 4


def test_pairwise_f1_floor(report):
    assert report.f1 >= 0.95


def test_no_false_merges_on_hard_negatives(report):
    assert report.hard_negative_pairs >= 8
    assert report.false_merges == 0, report.false_merge_details


def test_translation_recall_floor(report):
    assert report.edit_recall("translation") >= 0.9


def test_credited_agency_accuracy_floor(report):
    assert report.agency_accuracy >= 0.95, report.agency_errors


def test_every_edit_type_is_mostly_recovered(report):
    for edit in ("teaser", "trimmed", "relead", "credit"):
        assert report.edit_recall(edit) >= 0.8, edit


def test_canonical_articles_are_the_originals(report):
    assert report.canonical_accuracy >= 0.9


def test_report_prints_a_table(report):
    text = format_report(report)
    assert "pairwise F1" in text and "adjusted Rand index" in text
    assert f"{report.f1:.3f}" in text
