"""`wirewatch evaluate credits`: credit recognition measured on labelled credit lines.

The set (flows/evaluate/data/credits/lines.tsv, described in README.md beside it) holds real
lines from the shared corpus and lines written in the formats the corpus lacks, each with the
agencies it credits, or none for a mention ("told Reuters") or a photo credit. A line's
prediction is the set of agencies `detect_credits` returns with kind "credit". Scores are
micro-averaged over (line, agency) pairs, per agency and overall, on the whole set and on its
held-out part (the lines the recogniser was not tuned on).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from extractors.agencies import AgencyCatalogue
from extractors.credits import detect_credits
from flows.evaluate import metrics
from flows.evaluate.errors import LabelledSetError

DATA_PATH = Path(__file__).parent / "data" / "credits" / "lines.tsv"
COLUMNS = ("id", "split", "agencies", "source", "text")
SPLITS = ("dev", "heldout")
NONE = "-"


@dataclass(frozen=True, slots=True)
class CreditLine:
    line_id: str
    split: str
    agencies: frozenset[str]
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class AgencyScore(metrics.PerfectWhenEmpty):
    agency: str
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True, slots=True)
class CreditReport:
    lines: int
    credited_lines: int
    exact_lines: int  # lines whose predicted set equals the truth
    overall: AgencyScore
    heldout: AgencyScore
    agencies: tuple[AgencyScore, ...]
    errors: tuple[str, ...]

    @property
    def line_accuracy(self) -> float:
        return metrics.ratio(self.exact_lines, self.lines, empty=0.0)

    def agency(self, agency_id: str) -> AgencyScore:
        for score in self.agencies:
            if score.agency == agency_id:
                return score
        raise KeyError(f"no score for agency {agency_id!r}")

    def as_dict(self) -> dict:
        def score(s: AgencyScore) -> dict:
            return {**asdict(s), "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

        return {"lines": self.lines, "credited_lines": self.credited_lines,
                "line_accuracy": round(self.line_accuracy, 4),
                "overall": score(self.overall), "heldout": score(self.heldout),
                "agencies": [score(s) for s in self.agencies], "errors": list(self.errors)}


def load_lines(path: Path | None = None) -> list[CreditLine]:
    """The labelled lines; raises LabelledSetError naming the line that is malformed."""
    path = Path(path) if path is not None else DATA_PATH
    lines: list[CreditLine] = []
    rows = [r for r in path.read_text("utf-8").splitlines() if r and not r.startswith("#")]
    if not rows or tuple(rows[0].split("\t")) != COLUMNS:
        raise LabelledSetError(f"{path.name}: the header must be {'/'.join(COLUMNS)}")
    for number, row in enumerate(rows[1:], 2):
        fields = row.split("\t")
        if len(fields) != len(COLUMNS):
            raise LabelledSetError(f"{path.name} row {number}: {len(fields)} columns, "
                                   f"expected {len(COLUMNS)}")
        line_id, split, agencies, source, text = fields
        if split not in SPLITS:
            raise LabelledSetError(f"{path.name} row {number}: split {split!r} is not one of "
                                   f"{SPLITS}")
        truth = frozenset() if agencies == NONE else frozenset(agencies.split(","))
        lines.append(CreditLine(line_id, split, truth, source, text))
    return lines


def evaluate(path: Path | None = None, catalogue: AgencyCatalogue | None = None,
             detect: Callable[[str], Iterable[str]] | None = None) -> CreditReport:
    """Score `detect` (by default detect_credits with `catalogue`) on the labelled lines."""
    detect = detect or _credited_by(catalogue)
    lines = load_lines(path)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    heldout = {"tp": 0, "fp": 0, "fn": 0}
    errors: list[str] = []
    exact = 0
    for line in lines:
        predicted = frozenset(detect(line.text))
        exact += predicted == line.agencies
        for agency in predicted | line.agencies:
            outcome = _outcome(agency in line.agencies, agency in predicted)
            counts[agency][outcome] += 1
            if line.split == "heldout":
                heldout[outcome] += 1
        if predicted != line.agencies:
            errors.append(f"{line.line_id} [{line.split}] wanted {_names(line.agencies)}, "
                          f"got {_names(predicted)}: {line.text[:90]}")
    per_agency = tuple(AgencyScore(a, **counts[a]) for a in sorted(counts))
    overall = AgencyScore("overall", *(sum(s[k] for s in counts.values())
                                       for k in ("tp", "fp", "fn")))
    return CreditReport(len(lines), sum(bool(line.agencies) for line in lines), exact, overall,
                        AgencyScore("held-out", **heldout), per_agency, tuple(errors))


def _credited_by(catalogue: AgencyCatalogue | None) -> Callable[[str], set[str]]:
    def credited(text: str) -> set[str]:
        return {c.agency_id for c in detect_credits(text, catalogue=catalogue)
                if c.kind == "credit"}

    return credited


def _outcome(wanted: bool, got: bool) -> str:
    return "tp" if wanted and got else ("fp" if got else "fn")


def _names(agencies: frozenset[str]) -> str:
    return ",".join(sorted(agencies)) or NONE


def format_report(report: CreditReport) -> str:
    rows = [(s.agency, s.tp, s.fp, s.fn, s.precision, s.recall, s.f1)
            for s in (*report.agencies, report.overall, report.heldout)]
    width = max(len(r[0]) for r in rows)
    lines = [f"Credits on {report.lines} labelled lines ({report.credited_lines} credit "
             f"something); whole line right: {report.line_accuracy:.3f}",
             f"{'agency':<{width}}  {'tp':>4} {'fp':>4} {'fn':>4}  precision  recall     f1"]
    lines += [f"{a:<{width}}  {tp:>4} {fp:>4} {fn:>4}  {p:>9.3f}  {r:>6.3f}  {f:>5.3f}"
              for a, tp, fp, fn, p, r, f in rows]
    errors = "\n".join(f"  {e}" for e in report.errors) or "  none"
    return "\n".join(lines) + f"\nErrors:\n{errors}"


def format_json(report: CreditReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False)


if __name__ == "__main__":
    print(format_report(evaluate()))
