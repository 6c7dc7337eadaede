"""`wirewatch evaluate entities`: linked-entity precision/recall/F1 on the labelled set.

Gold is per article: the set of canonical entity ids mentioned in the text (see
docs/entities-topics.md for the annotation rules). A prediction is the set of linked ids
the tagger reports for the text. Scores are micro-averaged over (article, entity) pairs,
overall, per entity type and per language.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from extractors.entity_gazetteer import load_gazetteer
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from flows.evaluate import metrics
from flows.evaluate.errors import LabelledSetError

DEFAULT_DATA_DIR = Path(__file__).with_name("data") / "entities"


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    article_id: str
    language: str
    title: str | None
    text: str
    entities: frozenset[str]
    topics: frozenset[str]


@dataclass(frozen=True, slots=True)
class Score(metrics.PerfectWhenEmpty):
    group: str  # overall | type | language | topic
    label: str
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True, slots=True)
class Report:
    articles: int
    scores: tuple[Score, ...]
    errors: tuple[str, ...]  # "article: missed X" / "article: spurious Y"

    def score(self, group: str, label: str) -> Score:
        for score in self.scores:
            if score.group == group and score.label == label:
                return score
        raise KeyError(f"no score for {group}/{label}")


def load_labelled(data_dir: Path | None = None) -> list[LabelledArticle]:
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    articles: list[LabelledArticle] = []
    for path in sorted(folder.glob("*.toml")):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        for n, raw in enumerate(document.get("article", [])):
            missing = [f for f in ("id", "language", "text") if f not in raw]
            if missing:
                raise LabelledSetError(f"{path.name} article #{n + 1}: missing {missing}")
            articles.append(
                LabelledArticle(
                    article_id=raw["id"],
                    language=raw["language"],
                    title=raw.get("title"),
                    text=raw["text"],
                    entities=frozenset(raw.get("entities", [])),
                    topics=frozenset(raw.get("topics", [])),
                )
            )
    if not articles:
        raise LabelledSetError(f"no labelled articles in {folder}")
    return articles


def tag_labelled(articles: list[LabelledArticle], config: TaggerConfig) -> dict[str, ArticleTags]:
    return {a.article_id: tag_article(a.text, a.title, a.language, config) for a in articles}


def _count(counts: dict, key: tuple[str, str], field: str) -> None:
    counts[key][field] += 1


def evaluate(data_dir: Path | None = None, config: TaggerConfig | None = None) -> Report:
    config = config or TaggerConfig()  # the default step, as the cycle stores it (ner=auto)
    articles = load_labelled(data_dir)
    tagged = tag_labelled(articles, config)
    known = load_gazetteer(config.extra_entities_path, config.places).entities
    types = {eid: e.type for eid, e in known.items()}
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    errors: list[str] = []
    for article in articles:
        predicted = {m.entity_id for m in tagged[article.article_id].mentions if m.linked}
        outcomes = [(e, "tp") for e in predicted & article.entities]
        outcomes += [(e, "fp") for e in predicted - article.entities]
        outcomes += [(e, "fn") for e in article.entities - predicted]
        for entity_id, outcome in outcomes:
            entity_type = types.get(entity_id, "UNKNOWN")
            for key in (("overall", "all"), ("type", entity_type), ("language", article.language)):
                _count(counts, key, outcome)
            if outcome != "tp":
                verb = "spurious" if outcome == "fp" else "missed"
                errors.append(f"{article.article_id}: {verb} {entity_id}")
    scores = tuple(
        Score(group, label, c["tp"], c["fp"], c["fn"])
        for (group, label), c in sorted(counts.items())
    )
    return Report(len(articles), scores, tuple(errors))


def format_table(title: str, scores: tuple[Score, ...]) -> str:
    lines = [
        title,
        f"{'group':<9} {'label':<20} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for s in scores:
        lines.append(
            f"{s.group:<9} {s.label:<20} {s.tp:>4} {s.fp:>4} {s.fn:>4} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
    return "\n".join(lines)


def format_report(report: Report) -> str:
    table = format_table(f"Linked entities on {report.articles} labelled articles", report.scores)
    errors = "\n".join(f"  {line}" for line in report.errors) or "  none"
    return f"{table}\nErrors:\n{errors}"


if __name__ == "__main__":
    print(format_report(evaluate()))
