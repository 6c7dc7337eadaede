"""`wirewatch evaluate stories`: story assignment measured against the labelled set.

The labelled articles (flows/evaluate/data/stories/articles.jsonl) are loaded into a fresh,
migrated DuckDB file and fed to the real `assign_stories` in ingest-sized cycles, in the
order they were discovered, exactly as the pipeline would. The stored syndication rows are
then compared with the labels.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations
from math import comb
from pathlib import Path

import duckdb

from flows.evaluate import metrics
from warehouse.evaluation_queries import (
    assign_cycle,
    assignments,
    insert_labelled,
    story_canonicals,
)
from warehouse.migrate import migrate

DATA_DIR = Path(__file__).parent / "data" / "stories"
CYCLE = timedelta(hours=6)
EDIT_TYPES = ("teaser", "trimmed", "relead", "exact", "translation", "credit")


@dataclass(frozen=True, slots=True)
class StoryReport:
    articles: int
    stories: int
    predicted_stories: int
    precision: float
    recall: float
    f1: float
    adjusted_rand: float
    hard_negative_pairs: int
    false_merges: int
    false_merge_details: tuple[str, ...]
    recall_by_edit: dict[str, tuple[int, int]] = field(default_factory=dict)
    canonical_correct: int = 0
    canonical_total: int = 0
    agency_correct: int = 0
    agency_total: int = 0
    agency_errors: tuple[str, ...] = ()
    methods: dict[str, int] = field(default_factory=dict)

    @property
    def canonical_accuracy(self) -> float:
        return self.canonical_correct / self.canonical_total if self.canonical_total else 0.0

    @property
    def agency_accuracy(self) -> float:
        return self.agency_correct / self.agency_total if self.agency_total else 0.0

    def edit_recall(self, edit: str) -> float:
        hit, total = self.recall_by_edit.get(edit, (0, 0))
        return hit / total if total else 0.0


def load_labelled(data_dir: Path) -> tuple[list[dict], list[dict]]:
    articles = [json.loads(line) for line in
                (data_dir / "articles.jsonl").read_text("utf-8").splitlines() if line.strip()]
    outlets = tomllib.loads((data_dir / "outlets.toml").read_text("utf-8"))["outlet"]
    return articles, outlets


def _load(con: duckdb.DuckDBPyConnection, articles: list[dict], outlets: list[dict]) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    outlet_rows = [{"outlet_id": o["id"], "name": o["name"], "language": o["language"],
                    "kind": o["kind"], "updated_at": now} for o in outlets]
    rows = [{"article_id": a["article_id"], "outlet_id": a["outlet_id"],
             "url": f"http://127.0.0.1/{a['article_id']}",
             "canonical_url": f"http://127.0.0.1/{a['article_id']}", "status": "extracted",
             "title": a["title"], "text": a["text"], "language": a["language"],
             "published_at": datetime.fromisoformat(a["published_at"]),
             "discovered_at": datetime.fromisoformat(a["discovered_at"])} for a in articles]
    insert_labelled(con, outlet_rows, rows)


def _run_cycles(con: duckdb.DuckDBPyConnection, articles: list[dict]) -> None:
    ordered = sorted(articles, key=lambda a: (a["discovered_at"], a["article_id"]))
    cycles: dict[datetime, list[str]] = defaultdict(list)
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    for a in ordered:
        discovered = datetime.fromisoformat(a["discovered_at"])
        slot = epoch + CYCLE * ((discovered - epoch) // CYCLE)
        cycles[slot].append(a["article_id"])
    for slot in sorted(cycles):
        assign_cycle(con, cycles[slot], now=slot + CYCLE)


def _pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for article_id, label in labels.items():
        groups[label].append(article_id)
    return {(min(p), max(p)) for members in groups.values() for p in combinations(members, 2)}


def adjusted_rand_index(gold: dict[str, str], predicted: dict[str, str]) -> float:
    ids = sorted(gold)
    contingency = Counter((gold[i], predicted[i]) for i in ids)
    sum_cells = sum(comb(n, 2) for n in contingency.values())
    sum_gold = sum(comb(n, 2) for n in Counter(gold[i] for i in ids).values())
    sum_pred = sum(comb(n, 2) for n in Counter(predicted[i] for i in ids).values())
    expected = sum_gold * sum_pred / comb(len(ids), 2)
    maximum = (sum_gold + sum_pred) / 2
    return 1.0 if maximum == expected else (sum_cells - expected) / (maximum - expected)


def _hard_negatives(articles: list[dict], predicted: dict[str, str]) -> tuple[int, list[str]]:
    """Pairs of different stories in one hard-negative group, and those that were merged."""
    stories_by_group: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        if a.get("hard_negative"):
            stories_by_group[a["hard_negative"]].add(a["story"])
    clusters_by_story: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        clusters_by_story[a["story"]].add(predicted[a["article_id"]])
    total, merged = 0, []
    for group, stories in sorted(stories_by_group.items()):
        for s1, s2 in combinations(sorted(stories), 2):
            total += 1
            if clusters_by_story[s1] & clusters_by_story[s2]:
                merged.append(f"{group}: {s1} + {s2}")
    return total, merged


def evaluate(data_dir: Path | None = None) -> StoryReport:
    """Run assignment on the labelled set in a temporary warehouse and score it."""
    articles, outlets = load_labelled(data_dir or DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="wirewatch-eval-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "eval.duckdb"))
        try:
            migrate(con)
            _load(con, articles, outlets)
            _run_cycles(con, articles)
            syndication = assignments(con)
            canonical = story_canonicals(con)
        finally:
            con.close()
    return _score(articles, syndication, canonical)


def _score(articles: list[dict], syndication: dict, canonical: dict) -> StoryReport:
    gold = {a["article_id"]: a["story"] for a in articles}
    predicted = {a: (syndication[a][0] if a in syndication else f"unassigned:{a}") for a in gold}
    gold_pairs, predicted_pairs = _pairs(gold), _pairs(predicted)
    true_pairs = len(gold_pairs & predicted_pairs)
    precision = metrics.ratio(true_pairs, len(predicted_pairs), empty=1.0)
    recall = metrics.ratio(true_pairs, len(gold_pairs), empty=1.0)
    f1 = metrics.f1(precision, recall)
    originals = {a["story"]: a["article_id"] for a in articles if a["edit"] == "original"}
    by_edit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in articles:
        if a["edit"] != "original":
            by_edit[a["edit"]][1] += 1
            by_edit[a["edit"]][0] += predicted[a["article_id"]] == predicted[originals[a["story"]]]
    canonical_ok = sum(
        canonical.get(predicted[original]) == original for original in originals.values())
    agency_errors = []
    for a in articles:
        got = syndication[a["article_id"]][2] if a["article_id"] in syndication else None
        if got != a["credited"]:
            agency_errors.append(f"{a['article_id']}: expected {a['credited']}, got {got}")
    hn_total, merges = _hard_negatives(articles, predicted)
    return StoryReport(
        articles=len(articles), stories=len(set(gold.values())),
        predicted_stories=len(set(predicted.values())), precision=precision, recall=recall,
        f1=f1, adjusted_rand=adjusted_rand_index(gold, predicted),
        hard_negative_pairs=hn_total, false_merges=len(merges),
        false_merge_details=tuple(merges),
        recall_by_edit={e: (h, t) for e, (h, t) in by_edit.items()},
        canonical_correct=canonical_ok, canonical_total=len(originals),
        agency_correct=len(articles) - len(agency_errors), agency_total=len(articles),
        agency_errors=tuple(agency_errors),
        methods=dict(Counter(v[1] for v in syndication.values())),
    )


def format_report(report: StoryReport) -> str:
    """A plain-text table of the figures."""
    lines = [
        ("articles / gold stories / predicted stories",
         f"{report.articles} / {report.stories} / {report.predicted_stories}"),
        ("pairwise precision", f"{report.precision:.3f}"),
        ("pairwise recall", f"{report.recall:.3f}"),
        ("pairwise F1", f"{report.f1:.3f}"),
        ("adjusted Rand index", f"{report.adjusted_rand:.3f}"),
        ("false merges on hard negatives",
         f"{report.false_merges} of {report.hard_negative_pairs} pairs"),
    ]
    for edit in EDIT_TYPES:
        hit, total = report.recall_by_edit.get(edit, (0, 0))
        if total:
            lines.append((f"recall: {edit}", f"{hit / total:.3f} ({hit}/{total})"))
    lines += [
        ("canonical-article accuracy", f"{report.canonical_accuracy:.3f} "
         f"({report.canonical_correct}/{report.canonical_total})"),
        ("credited-agency accuracy", f"{report.agency_accuracy:.3f} "
         f"({report.agency_correct}/{report.agency_total})"),
        ("methods", ", ".join(f"{k} {v}" for k, v in sorted(report.methods.items()))),
    ]
    out = metrics.metric_table(lines)
    out += [f"false merge: {d}" for d in report.false_merge_details]
    out += [f"agency error: {d}" for d in report.agency_errors]
    return "\n".join(out)


if __name__ == "__main__":
    print(format_report(evaluate()))
