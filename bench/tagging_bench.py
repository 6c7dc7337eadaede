"""The whole tagging step per article on one core: entities (linker + NER model) and topics.

Run: python -m bench tagging [--rounds N] [--words 600] [--json]

Articles: the labelled set's articles of one language concatenated, in file order, into
articles of at least --words words (about 600 by default), title included. Each row tags
every article --rounds times in this one process, after a warm-up call that pays the
once-per-process loads (gazetteer, taxonomy, model, lexicon), which are reported apart.
Speeds are per CPU second of this process (time.process_time), so a loaded machine slows
the wall clock but not the figure much. --json prints one JSON object (keys in
docs/benchmarks.md) instead of the table.
"""

from __future__ import annotations

import argparse
import json
import time

from extractors.entity_gazetteer import load_gazetteer
from extractors.ner import find_mentions
from extractors.tagging import TaggerConfig, tag_article
from extractors.topics import load_taxonomy
from flows.evaluate.entities import LabelledArticle, load_labelled

GOAL_ARTICLES_PER_S = 20


def long_articles(articles: list[LabelledArticle], language: str, words: int) -> list[tuple]:
    """(text, title, language) of articles of at least `words` words, built in file order."""
    built: list[tuple] = []
    parts: list[str] = []
    title = None
    for article in (a for a in articles if a.language == language):
        title = title or article.title
        parts.append(article.text)
        if sum(len(p.split()) for p in parts) >= words:
            built.append(("\n\n".join(parts), title, language))
            parts, title = [], None
    return built


def _load_seconds() -> float:
    started = time.process_time()
    load_gazetteer(None)
    load_taxonomy(None)
    for language in ("es", "en"):
        find_mentions("Warm-up.", language)
    return time.process_time() - started


def _row(name: str, batch: list[tuple], ner: str, rounds: int) -> dict:
    config = TaggerConfig(ner=ner)
    started = time.process_time()
    for _ in range(rounds):
        for text, title, language in batch:
            tag_article(text, title, language, config)
    seconds = time.process_time() - started
    count = len(batch) * rounds
    words = sum(len(text.split()) for text, _, _ in batch) / len(batch)
    return {
        "set": name, "ner": ner, "articles": count, "words_per_article": round(words),
        "articles_per_s": round(count / seconds, 1),
        "ms_per_article": round(seconds * 1000 / count, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    labelled = load_labelled()
    sets = {lang: long_articles(labelled, lang, args.words) for lang in ("en", "es")}
    sets["all"] = sets["en"] + sets["es"]
    load_seconds = _load_seconds()
    rows = [_row(name, batch, ner, args.rounds)
            for ner in ("auto", "off") for name, batch in sets.items()]
    default = next(r for r in rows if r["set"] == "all" and r["ner"] == "auto")
    report = {
        "load_ms": round(load_seconds * 1000),
        "rows": rows,
        "articles_per_s": default["articles_per_s"],
        "goal_articles_per_s": GOAL_ARTICLES_PER_S,
        "meets_goal": default["articles_per_s"] >= GOAL_ARTICLES_PER_S,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"load once per process (gazetteer, taxonomy, NER models): {report['load_ms']} ms CPU")
    header = ("set", "ner", "articles", "words", "articles/s", "ms/article")
    print("{:<5} {:<5} {:>9} {:>6} {:>11} {:>11}".format(*header))
    for r in rows:
        print(f"{r['set']:<5} {r['ner']:<5} {r['articles']:>9} {r['words_per_article']:>6} "
              f"{r['articles_per_s']:>11.1f} {r['ms_per_article']:>11.2f}")
    print(f"default step (ner=auto, all): {report['articles_per_s']} articles per CPU second; "
          f"goal {GOAL_ARTICLES_PER_S}: {'met' if report['meets_goal'] else 'missed'}")


if __name__ == "__main__":
    main()
