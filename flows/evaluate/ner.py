"""`wirewatch evaluate ner --conll FILE --lang es|en [--json]`: NER against CoNLL newswire.

Each CoNLL document (conll.py says how files are cut into documents) becomes article text:
tokens joined by one space, sentences by a line break. Two systems are scored on it:

- `pipeline`: the project's default entity step as the cycle runs it (`extract_entities`
  with the configured `ner` mode: linked gazetteer mentions, model mentions, the furniture
  and overlap rules). PERSON counts as PER, ORG as ORG, GPE and LOC as LOC.
- `model`: the bare model (`extractors.ner.find_mentions`) on the same text.

Gold MISC is ignored and predicted MISC dropped. Mention level: exact character spans with
the same type, micro-averaged over all documents. Document level: per document the set of
(type, normalised surface) pairs (accents and case folded, spaces collapsed), micro-averaged
over all (document, type, surface) triples. articles_per_s is documents per CPU second of
the pipeline (the model alone for `model`).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.entities import extract_entities
from extractors.entity_text import fold
from extractors.ner import find_mentions
from extractors.ner.conll import Sentence, document_text, read_conll
from flows.evaluate import metrics

SCORED_TYPES = ("PER", "ORG", "LOC")
_PROJECT_TYPES = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
Span = tuple[str, int, int]  # type, start, end (character offsets)


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    gold: frozenset[Span]


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, gold: Iterable[tuple], found: Iterable[tuple]) -> None:
        gold, found = set(gold), set(found)
        for item in gold | found:
            bucket = (self.tp if item in found else self.fn) if item in gold else self.fp
            bucket[item[0]] += 1
            bucket["all"] += 1

    def scores(self) -> dict[str, dict[str, float]]:
        out = {}
        for label in (*SCORED_TYPES, "all"):
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
            precision = metrics.ratio(tp, tp + fp, empty=1.0)
            recall = metrics.ratio(tp, tp + fn, empty=1.0)
            out[label] = {
                "p": round(precision, 4), "r": round(recall, 4),
                "f1": round(metrics.f1(precision, recall), 4), "tp": tp, "fp": fp, "fn": fn,
            }
        return out


@dataclass
class SystemResult:
    mention: Counts = field(default_factory=Counts)
    document: Counts = field(default_factory=Counts)
    cpu_seconds: float = 0.0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (type, surface)
    false_positives: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class NerReport:
    language: str
    docs: int
    pipeline: SystemResult
    model: SystemResult

    def as_json(self) -> dict:
        return {**_system_json(self.pipeline, self.docs), "docs": self.docs,
                "language": self.language, "model": _system_json(self.model, self.docs)}


def _system_json(result: SystemResult, docs: int) -> dict:
    return {
        "mention": result.mention.scores(),
        "document": result.document.scores(),
        "articles_per_s": round(docs / result.cpu_seconds, 1) if result.cpu_seconds else None,
    }


def conll_documents(path: Path, max_documents: int | None = None) -> list[Document]:
    """CoNLL documents as text with gold spans (character offsets, MISC left out)."""
    documents = read_conll(path)[:max_documents]
    return [_as_text(sentences) for sentences in documents]


def _as_text(sentences: list[Sentence]) -> Document:
    text, spans = document_text(sentences)
    return Document(text, frozenset(span for span in spans if span[0] in SCORED_TYPES))


def pipeline_spans(ner: str) -> Callable[[str, str], set[Span]]:
    def spans(text: str, language: str) -> set[Span]:
        result = extract_entities(text, None, language, None, ner)
        return {(_PROJECT_TYPES[m.type], m.start, m.end)
                for m in result.mentions if m.type in _PROJECT_TYPES}
    return spans


def model_spans(text: str, language: str) -> set[Span]:
    return {(m.type, m.start, m.end) for m in find_mentions(text, language)
            if m.type in SCORED_TYPES}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def _score(system: Callable[[str, str], set[Span]], documents: list[Document],
           language: str) -> SystemResult:
    result = SystemResult()
    for document in documents:
        started = time.process_time()
        found = system(document.text, language)
        result.cpu_seconds += time.process_time() - started
        result.mention.add(document.gold, found)
        text = document.text
        result.document.add({(k, _normalised(text[s:e])) for k, s, e in document.gold},
                             {(k, _normalised(text[s:e])) for k, s, e in found})
        result.misses += [(k, text[s:e]) for k, s, e in sorted(document.gold - found)]
        result.false_positives += [(k, text[s:e]) for k, s, e in sorted(found - document.gold)]
    return result


def evaluate_conll(path: Path, language: str, ner: str = "auto",
                   max_documents: int | None = None) -> NerReport:
    documents = conll_documents(path, max_documents)
    return NerReport(
        language=language,
        docs=len(documents),
        pipeline=_score(pipeline_spans(ner), documents, language),
        model=_score(model_spans, documents, language),
    )


def format_report(report: NerReport, examples: int = 10) -> str:
    lines = [f"NER on {report.docs} documents ({report.language})"]
    for name, result in (("pipeline", report.pipeline), ("model", report.model)):
        speed = _system_json(result, report.docs)["articles_per_s"]
        lines.append(f"\n{name} (articles per CPU second: {speed})")
        lines.append(f"{'level':<9} {'type':<4} {'tp':>6} {'fp':>6} {'fn':>6} "
                     f"{'P':>6} {'R':>6} {'F1':>6}")
        for level, counts in (("mention", result.mention), ("document", result.document)):
            for label, s in counts.scores().items():
                lines.append(f"{level:<9} {label:<4} {s['tp']:>6} {s['fp']:>6} {s['fn']:>6} "
                             f"{s['p']:>6.3f} {s['r']:>6.3f} {s['f1']:>6.3f}")
    for name, result in (("pipeline", report.pipeline), ("model", report.model)):
        errors = (("misses", result.misses), ("false positives", result.false_positives))
        for label, items in errors:
            sample = spread(items, examples)
            if sample:
                lines.append(f"{name} {label} ({len(sample)} spread over the set): "
                             + "; ".join(f"{k} {s!r}" for k, s in sample))
    return "\n".join(lines)


def spread(items: list, count: int) -> list:
    """`count` items evenly spaced over `items` (the first ones all come from one document)."""
    if count <= 0 or not items:
        return []
    step = max(1, len(items) // count)
    return items[::step][:count]
