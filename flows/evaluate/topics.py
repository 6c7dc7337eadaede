"""`wirewatch evaluate topics`: per-topic precision/recall/F1 on the labelled set.

Same labelled articles as the entity evaluation; a topic counts as predicted when the
tagger assigns it at any score (the taxonomy's thresholds decide assignment).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from extractors.tagging import TaggerConfig
from extractors.topics import load_taxonomy
from flows.evaluate.entities import Report, Score, format_table, load_labelled, tag_labelled


def evaluate(data_dir: Path | None = None, config: TaggerConfig | None = None) -> Report:
    config = config or TaggerConfig()  # the default step, as the cycle stores it (ner=auto)
    articles = load_labelled(data_dir)
    tagged = tag_labelled(articles, config)
    topics = sorted(load_taxonomy(config.extra_topics_path).topics)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    errors: list[str] = []
    for article in articles:
        predicted = {tag.topic for tag in tagged[article.article_id].topics}
        for topic in topics:
            wanted, got = topic in article.topics, topic in predicted
            if wanted and got:
                counts[topic]["tp"] += 1
            elif got:
                counts[topic]["fp"] += 1
                errors.append(f"{article.article_id}: spurious {topic}")
            elif wanted:
                counts[topic]["fn"] += 1
                errors.append(f"{article.article_id}: missed {topic}")
    scores = tuple(
        Score("topic", t, counts[t]["tp"], counts[t]["fp"], counts[t]["fn"]) for t in topics
    )
    return Report(len(articles), scores, tuple(errors))


def format_report(report: Report) -> str:
    table = format_table(f"Topics on {report.articles} labelled articles", report.scores)
    errors = "\n".join(f"  {line}" for line in report.errors) or "  none"
    return f"{table}\nErrors:\n{errors}"


if __name__ == "__main__":
    print(format_report(evaluate()))
