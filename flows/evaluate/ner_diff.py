"""Where the default entity step differs from the bare model on a CoNLL dev file.

`python -m flows.evaluate.ner_diff --conll ../shared/ner/es.dev.conll --lang es [--limit N]`

The entity step starts from the model's spans and then links, overrules and merges them
(entity_ner.merge_mentions, entities.yields_to_model). This lists, per document:

- lost: gold mentions the bare model found exactly that the step did not, with what the
  step has in their place (type, linked id or unlinked);
- added false positives: step mentions that match no gold mention and that the bare model
  did not produce either (linked names, widened or narrowed spans);
- gained: gold mentions the step found and the model did not.

Counts per category and per (gold type → step type) let one see which rule costs what.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractors.entities import extract_entities
from extractors.ner import find_mentions
from flows.evaluate.ner import SCORED_TYPES, Document, Span, conll_documents

_PROJECT_TYPES = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


@dataclass(frozen=True, slots=True)
class StepSpan:
    span: Span
    entity_id: str
    linked: bool


@dataclass
class Diff:
    lost: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    gained: list[str] = field(default_factory=list)
    lost_kinds: Counter[str] = field(default_factory=Counter)
    added_kinds: Counter[str] = field(default_factory=Counter)


def _step(text: str, language: str) -> list[StepSpan]:
    result = extract_entities(text, None, language, None, "auto")
    return [StepSpan((_PROJECT_TYPES[m.type], m.start, m.end), m.entity_id, m.linked)
            for m in result.mentions if m.type in _PROJECT_TYPES]


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    before = text[max(0, start - width):start].replace("\n", " / ")
    after = text[end:end + width].replace("\n", " / ")
    return f"…{before}[{text[start:end]}]{after}…"


def _around(span: Span, step: list[StepSpan], text: str) -> str:
    over = [s for s in step if s.span[1] < span[2] and span[1] < s.span[2]]
    if not over:
        return "nothing"
    return ", ".join(f"{s.span[0]} {text[s.span[1]:s.span[2]]!r} "
                     f"({s.entity_id if s.linked else 'unlinked'})" for s in over)


def diff_document(document: Document, language: str, diff: Diff) -> None:
    text = document.text
    model = {(m.type, m.start, m.end) for m in find_mentions(text, language)
             if m.type in SCORED_TYPES}
    step = _step(text, language)
    found = {s.span for s in step}
    for span in sorted((document.gold & model) - found):
        over = [s for s in step if s.span[1] < span[2] and span[1] < s.span[2]]
        kind = "dropped" if not over else "linked" if any(s.linked for s in over) else "model"
        diff.lost_kinds[f"{span[0]} -> {kind}"] += 1
        diff.lost.append(f"{span[0]} {_context(text, span[1], span[2])} -> "
                         f"{_around(span, step, text)}")
    for item in step:
        if item.span in document.gold or item.span in model:
            continue
        origin = "linked" if item.linked else "unlinked"
        if any(_nested_in(item.span, other.span) for other in step):
            origin += " nested"  # a place inside a reported longer name: CoNLL is flat
        diff.added_kinds[f"{item.span[0]} {origin}"] += 1
        diff.added.append(f"{item.span[0]} {_context(text, item.span[1], item.span[2])} "
                          f"({item.entity_id})")
    for span in sorted((document.gold & found) - model):
        diff.gained.append(f"{span[0]} {_context(text, span[1], span[2])}")


def _nested_in(inner: Span, outer: Span) -> bool:
    return outer[1] <= inner[1] and inner[2] <= outer[2] and outer[1:] != inner[1:]


def diff_conll(path: Path, language: str, limit: int | None = None) -> Diff:
    diff = Diff()
    for document in conll_documents(path, limit):
        diff_document(document, language, diff)
    return diff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conll", type=Path, required=True)
    parser.add_argument("--lang", required=True, choices=["es", "en"])
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    args = parser.parse_args()
    diff = diff_conll(args.conll, args.lang, args.limit)
    print(f"lost {len(diff.lost)}, added false positives {len(diff.added)}, "
          f"gained {len(diff.gained)}")
    for label, counts in (("lost", diff.lost_kinds), ("added", diff.added_kinds)):
        print(f"{label}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    for label, lines in (("LOST", diff.lost), ("ADDED", diff.added), ("GAINED", diff.gained)):
        print(f"\n== {label}")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
