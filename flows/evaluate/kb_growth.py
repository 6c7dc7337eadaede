"""How linking precision changes as the knowledge base grows (docs/entities-topics.md).

For each step of the base (hand-written gazetteer only, + countries, + subdivisions,
+ cities above a population threshold) it links, with the statistical NER off:
- the project's labelled set: linked-entity P/R/F1 (`wirewatch evaluate entities`' scoring);
- CoNLL development sets (../shared/ner/{es,en}.dev.conll, when present): linked place
  mentions (GPE, LOC) against gold LOC spans, exact span. "span P" also accepts a gold span
  of another type (a country named as a team is ORG in CoNLL), so it separates boundary
  errors from labelling conventions.

With --pipeline it also scores the whole default step (linker and NER model) per step:
mention-level exact-span F1 over PER/ORG/LOC and LOC precision/recall, as
`wirewatch evaluate ner` scores it.

    .venv/bin/python -m flows.evaluate.kb_growth [--ner-dir ../shared/ner] [--pipeline] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.entity_gazetteer import load_gazetteer
from extractors.entity_kb import NO_PLACES, PlaceLayers
from extractors.entity_linker import link_entities
from extractors.tagging import TaggerConfig
from flows.evaluate import entities as entity_eval
from flows.evaluate import metrics

STEPS: tuple[tuple[str, PlaceLayers], ...] = (
    ("gazetteer only", NO_PLACES),
    ("+ countries", PlaceLayers(subdivisions=False, city_min_population=0)),
    ("+ subdivisions", PlaceLayers(city_min_population=0)),
    ("+ cities >= 1M", PlaceLayers(city_min_population=1_000_000)),
    ("+ cities >= 500k", PlaceLayers(city_min_population=500_000)),
    ("+ cities >= 100k", PlaceLayers(city_min_population=100_000)),
    ("+ cities >= 100k, no alternates", PlaceLayers(city_alternates=False)),
    ("+ cities >= 15k", PlaceLayers(city_min_population=15_000)),
)
_EFE_DATELINE = re.compile(r"\(\s*EFE[A-Z]*\s*\)")
_SPANISH_DOC_SENTENCES = 20


@dataclass(frozen=True, slots=True)
class ConllDocument:
    text: str
    spans: dict[tuple[int, int], str]  # (start, end) -> gold type (PER, ORG, LOC, MISC)


def _sentences(path: Path) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sentence:
                yield sentence
            sentence = []
            continue
        sentence.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if sentence:
        yield sentence


def _documents(path: Path, language: str) -> Iterator[list[list[tuple[str, str]]]]:
    """English splits at -DOCSTART-; Spanish at EFE datelines or every 20 sentences."""
    document: list[list[tuple[str, str]]] = []
    for sentence in _sentences(path):
        if sentence[0][0] == "-DOCSTART-":
            if document:
                yield document
            document = []
            continue
        words = " ".join(token for token, _ in sentence)
        new_spanish_doc = language == "es" and (
            _EFE_DATELINE.search(words) or len(document) >= _SPANISH_DOC_SENTENCES
        )
        if new_spanish_doc and document:
            yield document
            document = []
        document.append(sentence)
    if document:
        yield document


def _assemble(sentences: list[list[tuple[str, str]]]) -> ConllDocument:
    """Tokens joined by spaces, one sentence a line; gold spans as character offsets."""
    text_parts: list[str] = []
    spans: dict[tuple[int, int], str] = {}
    position = 0
    for sentence in sentences:
        open_span: tuple[int, str] | None = None
        for n, (token, tag) in enumerate(sentence):
            start = position + (1 if n else 0)
            if open_span and not tag.startswith("I-"):
                spans[(open_span[0], position)] = open_span[1]
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = (start, tag[2:])
            text_parts.append(("" if n == 0 else " ") + token)
            position = start + len(token)
        if open_span:
            spans[(open_span[0], position)] = open_span[1]
        text_parts.append("\n")
        position += 1
    return ConllDocument("".join(text_parts), spans)


def load_conll(path: Path, language: str) -> list[ConllDocument]:
    return [_assemble(document) for document in _documents(path, language)]


def conll_place_scores(documents: list[ConllDocument], language: str, layers: PlaceLayers) -> dict:
    gazetteer = load_gazetteer(None, layers)
    predicted = exact = any_type = gold = 0
    for document in documents:
        mentions, _ = link_entities(document.text, None, language, gazetteer)
        places = {(m.start, m.end) for m in mentions if m.type in {"GPE", "LOC"}}
        gold_places = {span for span, kind in document.spans.items() if kind == "LOC"}
        predicted += len(places)
        gold += len(gold_places)
        exact += len(places & gold_places)
        any_type += len(places & set(document.spans))
    precision = metrics.ratio(exact, predicted, empty=1.0)
    recall = metrics.ratio(exact, gold, empty=1.0)
    return {
        "linked": predicted, "gold_loc": gold, "p": round(precision, 3), "r": round(recall, 3),
        "f1": round(metrics.f1(precision, recall), 3),
        "span_p": round(metrics.ratio(any_type, predicted, empty=1.0), 3),
    }


_PIPELINE_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def pipeline_scores(path: Path, language: str, layers: PlaceLayers) -> dict:
    """The whole step (linker + model) with these layers, scored like `evaluate ner`."""
    from extractors.entities import extract_entities
    from flows.evaluate.ner import conll_documents

    counts = {"all": [0, 0, 0], "LOC": [0, 0, 0]}  # tp, predicted, gold
    for document in conll_documents(path):
        result = extract_entities(document.text, None, language, None, "auto", layers)
        found = {(_PIPELINE_TYPES[m.type], m.start, m.end) for m in result.mentions
                 if m.type in _PIPELINE_TYPES}
        for key, keep in (("all", lambda s: True), ("LOC", lambda s: s[0] == "LOC")):
            predicted = {s for s in found if keep(s)}
            gold = {s for s in document.gold if keep(s)}
            counts[key][0] += len(predicted & gold)
            counts[key][1] += len(predicted)
            counts[key][2] += len(gold)
    scores = {}
    for key, (tp, n_predicted, n_gold) in counts.items():
        precision = metrics.ratio(tp, n_predicted, empty=1.0)
        recall = metrics.ratio(tp, n_gold, empty=1.0)
        scores[key] = {"p": round(precision, 3), "r": round(recall, 3),
                       "f1": round(metrics.f1(precision, recall), 3)}
    return scores


def labelled_scores(layers: PlaceLayers) -> dict:
    report = entity_eval.evaluate(config=TaggerConfig(ner="off", places=layers))
    overall = report.score("overall", "all")
    return {"p": round(overall.precision, 3), "r": round(overall.recall, 3),
            "f1": round(overall.f1, 3), "fp": overall.fp}


def run(ner_dir: Path, pipeline: bool = False) -> list[dict]:
    conll = {
        language: load_conll(ner_dir / f"{language}.dev.conll", language)
        for language in ("es", "en")
        if (ner_dir / f"{language}.dev.conll").is_file()
    }
    rows = []
    for label, layers in STEPS:
        row = {"step": label, "entities": len(load_gazetteer(None, layers).entities),
               "labelled": labelled_scores(layers)}
        for language, documents in conll.items():
            row[f"conll_{language}"] = conll_place_scores(documents, language, layers)
            if pipeline:
                path = ner_dir / f"{language}.dev.conll"
                row[f"pipeline_{language}"] = pipeline_scores(path, language, layers)
        rows.append(row)
    return rows


def format_rows(rows: list[dict]) -> str:
    lines = [
        "| step | entities | labelled P / R / F1 | es LOC P / R (span P) "
        "| en LOC P / R (span P) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lab = row["labelled"]
        cells = [f"{lab['p']:.3f} / {lab['r']:.3f} / {lab['f1']:.3f}"]
        for language in ("es", "en"):
            c = row.get(f"conll_{language}")
            cells.append(f"{c['p']:.3f} / {c['r']:.3f} ({c['span_p']:.3f}), {c['linked']} linked"
                         if c else "n/a")
        lines.append(f"| {row['step']} | {row['entities']} | " + " | ".join(cells) + " |")
    if any("pipeline_es" in row or "pipeline_en" in row for row in rows):
        lines += ["", "| step | es F1 (LOC P / R) | en F1 (LOC P / R) |", "|---|---|---|"]
        for row in rows:
            cells = []
            for language in ("es", "en"):
                p = row.get(f"pipeline_{language}")
                cells.append(f"{p['all']['f1']:.3f} ({p['LOC']['p']:.3f} / {p['LOC']['r']:.3f})"
                             if p else "n/a")
            lines.append(f"| {row['step']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner-dir", type=Path, default=Path("../shared/ner"))
    parser.add_argument("--pipeline", action="store_true",
                        help="also score the whole step with the NER model (slower)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = run(args.ner_dir, args.pipeline)
    print(json.dumps(rows) if args.json else format_rows(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
