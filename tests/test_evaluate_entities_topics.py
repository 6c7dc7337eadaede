"""Quality floors on the labelled set (flows/evaluate/data/entities)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.evaluate import entities as entity_eval
from flows.evaluate import topics as topic_eval


@pytest.fixture(scope="module")
def entity_report():
    return entity_eval.evaluate()


@pytest.fixture(scope="module")
def topic_report():
    return topic_eval.evaluate()


def test_labelled_set_is_large_and_bilingual() -> None:
    articles = entity_eval.load_labelled()
    languages = [a.language for a in articles]
    assert len(articles) >= 80
    assert languages.count("es") >= 30 and languages.count("en") >= 30
    assert len({a.article_id for a in articles}) == len(articles)


@pytest.mark.parametrize("language", ["en", "es"])
def test_linked_entity_f1_floor_per_language(entity_report, language: str) -> None:
    assert entity_report.score("language", language).f1 >= 0.95


def test_us_mexico_security_precision_and_recall_floor(topic_report) -> None:
    score = topic_report.score("topic", "us_mexico_security")
    assert score.tp >= 20
    assert score.precision >= 0.95 and score.recall >= 0.95


def test_reports_format_as_tables(entity_report, topic_report) -> None:
    assert "language  es" in entity_eval.format_report(entity_report)
    assert "us_mexico_security" in topic_eval.format_report(topic_report)


def test_report_counts_mistakes(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(
        '[[article]]\nid = "x"\nlanguage = "en"\ntext = "Sheinbaum met Trump in Texas."\n'
        'entities = ["ww:claudia-sheinbaum", "Q96"]\ntopics = ["trade"]\n',
        encoding="utf-8",
    )
    report = entity_eval.evaluate(tmp_path)
    overall = report.score("overall", "all")
    assert (overall.tp, overall.fp, overall.fn) == (1, 2, 1)
    topics = topic_eval.evaluate(tmp_path).score("topic", "trade")
    assert (topics.tp, topics.fn) == (0, 1)


def test_empty_labelled_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(entity_eval.LabelledSetError):
        entity_eval.evaluate(tmp_path)
