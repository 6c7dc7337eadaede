"""`wirewatch evaluate credits`: floors just under the measured figures, and the set's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.evaluate.credits import LabelledSetError, evaluate, load_lines


@pytest.fixture(scope="module")
def report():
    return evaluate()


def test_the_labelled_set_is_large_and_has_a_held_out_part() -> None:
    lines = load_lines()
    assert len(lines) >= 150
    assert sum(bool(line.agencies) for line in lines) >= 100  # lines that credit someone
    assert sum(not line.agencies for line in lines) >= 50  # mentions and photo credits
    assert sum(line.split == "heldout" for line in lines) >= 40
    assert len({line.line_id for line in lines}) == len(lines)
    assert all(line.source == "written" or line.source.startswith("corpus:") for line in lines)


def test_floors_overall_and_held_out(report) -> None:
    assert report.overall.precision >= 0.97
    assert report.overall.recall >= 0.97
    assert report.overall.f1 >= 0.97
    assert report.heldout.f1 >= 0.95
    assert report.line_accuracy >= 0.96


@pytest.mark.parametrize("agency", ["ap", "reuters", "afp", "efe", "dw", "europapress",
                                    "agencies", "dpa", "xinhua", "bloomberg"])
def test_floors_per_agency(report, agency: str) -> None:
    assert report.agency(agency).f1 >= 0.9


def test_cli_prints_one_json_object() -> None:
    result = CliRunner().invoke(main, ["evaluate", "credits", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lines"] >= 150 and data["overall"]["f1"] >= 0.97
    assert {a["agency"] for a in data["agencies"]} >= {"ap", "reuters", "dw"}


def test_a_malformed_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "lines.tsv"
    path.write_text("id\tsplit\tagencies\tsource\ttext\nc1\tdev\tap\twritten\n", "utf-8")
    with pytest.raises(LabelledSetError, match="row 2: 4 columns"):
        load_lines(path)
    path.write_text("id\tsplit\tagencies\tsource\ttext\nc1\ttrain\tap\twritten\tx\n", "utf-8")
    with pytest.raises(LabelledSetError, match="split 'train'"):
        load_lines(path)
