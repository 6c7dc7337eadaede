"""Train the packaged NER model of one language from CoNLL data, and score it on dev.

    python -m extractors.ner.train --lang es [--data-dir ../shared/ner]
    python -m extractors.ner.train --lang en

Reads `<lang>.train.conll` to train and `<lang>.dev.conll` to report mention-level exact
span precision/recall/F1 (no test split is read). Writes `extractors/ner/data/<lang>.crfsuite`
(and, with --lexicon, rebuilds `lexicon.tsv` first; both languages must then be retrained).
Deterministic: L-BFGS from zero weights with fixed parameters; the same data, lexicon and
parameters give the same model. Uses one core, a few minutes per language.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from extractors.ner.conll import Sentence, bio_spans, document_text, read_conll
from extractors.ner.features import document_features
from extractors.ner.lexicon import load_lexicon, write_lexicon
from extractors.ner.model import LEXICON_PATH, model_path
from extractors.ner.tokens import split_sentences, tokenize

# Chosen on the dev sets (docs/entities-topics.md, "Statistical NER"): L1 keeps the model
# small by zeroing most feature weights, L2 smooths the rest.
PARAMS = {
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}
# BILOU (an entity's last token and one-token entities get their own tags) scored 0.805 on
# the Spanish dev gold tokens against 0.801 for BIO (docs/ner.md).
SCHEME = "bilou"
# Train on the CoNLL documents re-cut the way articles are (tokens.py) as well as on their
# own tokens, so training sees the sentence breaks and tokens the model meets in use.
RUNNING_TEXT = True


def encode(tags: Sequence[str], scheme: str) -> list[str]:
    """Tags rewritten in `scheme`: "bio" (every entity starts with B-) or "bilou" (also L-
    on an entity's last token, U- on a one-token entity)."""
    out = ["O"] * len(tags)
    for kind, start, end in bio_spans(tags):
        for index in range(start, end):
            out[index] = ("B-" if index == start else "I-") + kind
        if scheme == "bilou":
            out[end - 1] = ("U-" if end - start == 1 else "L-") + kind
    return out


def as_running_text(document: list[Sentence]) -> list[Sentence]:
    """The document as the model meets articles: its tokens joined into text (one space
    between tokens, a line break between sentences), cut again by tokens.py, with each gold
    name carried over to the new tokens that cover it (names cut through are left out)."""
    text, spans = document_text(document)
    sentences = list(split_sentences(text, tokenize(text)))
    by_start = {t.start: (i, j) for i, s in enumerate(sentences) for j, t in enumerate(s)}
    by_end = {t.end: (i, j) for i, s in enumerate(sentences) for j, t in enumerate(s)}
    tags = [["O"] * len(s) for s in sentences]
    for kind, start, end in spans:
        first, last = by_start.get(start), by_end.get(end)
        if first is None or last is None or first[0] != last[0]:
            continue
        row = tags[first[0]]
        for index in range(first[1], last[1] + 1):
            row[index] = ("B-" if index == first[1] else "I-") + kind
    return [Sentence(tuple(t.text for t in s), tuple(row))
            for s, row in zip(sentences, tags, strict=True)]


def train(language: str, data_dir: Path, out: Path, params: dict[str, object], scheme: str,
          running_text: bool = RUNNING_TEXT) -> None:
    lexicon = load_lexicon(LEXICON_PATH)
    trainer = pycrfsuite.Trainer(verbose=False)
    for document in read_conll(data_dir / f"{language}.train.conll"):
        # Each document twice when running_text: re-cut as articles are, then as CoNLL cut it.
        for version in ([as_running_text(document), document] if running_text else [document]):
            words = [list(s.tokens) for s in version]
            for sentence, features in zip(
                version, document_features(words, lexicon), strict=True
            ):
                trainer.append(pycrfsuite.ItemSequence(features), encode(sentence.tags, scheme))
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def dev_scores(language: str, data_dir: Path, path: Path) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) per type and "all", exact spans, on the gold tokenisation of dev."""
    lexicon = load_lexicon(LEXICON_PATH)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    counts: dict[str, Counter[str]] = {}
    for document in read_conll(data_dir / f"{language}.dev.conll"):
        words = [list(s.tokens) for s in document]
        for sentence, features in zip(document, document_features(words, lexicon), strict=True):
            predicted = tagger.tag(pycrfsuite.ItemSequence(features))
            _count(counts, sentence, predicted)
    return {kind: (c["tp"], c["fp"], c["fn"]) for kind, c in sorted(counts.items())}


def _count(counts: dict[str, Counter[str]], sentence: Sentence, predicted: list[str]) -> None:
    gold = set(bio_spans(sentence.tags))
    found = set(bio_spans(predicted))
    for span in gold | found:
        key = "tp" if span in gold and span in found else "fn" if span in gold else "fp"
        # "PER+ORG+LOC" is the figure the goals use (MISC is not stored by the project).
        labels = (span[0], "all") if span[0] == "MISC" else (span[0], "all", "PER+ORG+LOC")
        for label in labels:
            counts.setdefault(label, Counter())[key] += 1


def _print_scores(scores: dict[str, tuple[int, int, int]]) -> None:
    print(f"{'type':<11} {'tp':>6} {'fp':>6} {'fn':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for kind, (tp, fp, fn) in scores.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{kind:<11} {tp:>6} {fp:>6} {fn:>6} {precision:>6.3f} {recall:>6.3f} {f1:>6.3f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True, choices=("es", "en"))
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/ner"))
    parser.add_argument("--out", type=Path, default=None, help="default: the packaged model")
    parser.add_argument("--lexicon", action="store_true", help="rebuild lexicon.tsv first")
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--scheme", choices=("bio", "bilou"), default=SCHEME)
    parser.add_argument("--conll-tokens", action="store_true",
                        help="train on the CoNLL tokens only, not also re-cut as running text")
    parser.add_argument("--dev-only", action="store_true", help="score the model, do not train")
    args = parser.parse_args(argv)
    out = args.out or model_path(args.lang)
    if args.lexicon:
        print(f"lexicon: {write_lexicon(LEXICON_PATH)} phrases in {LEXICON_PATH}")
    if not args.dev_only:
        params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
        started = time.process_time()
        train(args.lang, args.data_dir, out, params, args.scheme, not args.conll_tokens)
        size = out.stat().st_size / 1e6
        print(f"trained {out} ({size:.1f} MB) in {time.process_time() - started:.0f} s CPU")
    _print_scores(dev_scores(args.lang, args.data_dir, out))


if __name__ == "__main__":
    main()
