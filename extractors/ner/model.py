"""The packaged NER model: article text in, typed mentions with character offsets out.

`find_mentions(text, language)` is the interface the linker and storage build on. It
tokenises the text (tokens.py), splits sentences, tags them with the language's linear-chain
CRF (trained with python-crfsuite; its weights summed per token by known_features.py, its
best paths and marginals computed by crf.py, exactly as crfsuite computes them) and maps the
BIO tags back to character spans. Each mention carries
its type (PER, ORG, LOC, MISC) and a score: the smallest per-token marginal probability of
its tags, so 0.95 means the model was at least that sure of every token of the span.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from extractors.ner.conll import bio_spans
from extractors.ner.crf import batch, best_paths, marginals, read_model
from extractors.ner.known_features import document_scores
from extractors.ner.lexicon import load_lexicon
from extractors.ner.tokens import TextToken, split_sentences, tokenize

DATA_DIR = Path(str(resources.files("extractors.ner") / "data"))
LEXICON_PATH = DATA_DIR / "lexicon.tsv"
MODEL_LANGUAGES = ("es", "en")
# Recorded with each article the model tagged (warehouse table article_entity_passes);
# raise it when the packaged models are retrained.
MODEL_VERSION = "crf-2"
# A person's title is not part of the name ("Senator Maria Cantwell" -> "Maria Cantwell"),
# as in the CoNLL annotation; the model sometimes takes a sentence-initial title in.
_TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "senator", "president", "mayor",
    "governor", "minister", "secretary", "judge", "general", "prime", "chancellor",
    "sr", "sra", "don", "doña", "presidente", "presidenta", "alcalde", "alcaldesa",
    "gobernador", "gobernadora", "senador", "senadora", "ministro", "ministra",
    "secretario", "secretaria", "canciller", "juez", "jueza", "diputado", "diputada",
})


@dataclass(frozen=True, slots=True)
class NerMention:
    """A name found by the model; start/end index the text it was found in."""

    start: int
    end: int
    surface: str
    type: str  # PER | ORG | LOC | MISC
    score: float  # in (0, 1]: the least sure token of the span


def model_path(language: str) -> Path:
    return DATA_DIR / f"{language}.crfsuite"


def has_model(language: str | None) -> bool:
    return language in MODEL_LANGUAGES and model_path(language).is_file()


def find_mentions(text: str, language: str | None) -> list[NerMention]:
    """Names in `text` by the model of `language`; [] for a language without a model."""
    if language not in MODEL_LANGUAGES or not text.strip():
        return []
    tokens = tokenize(text)
    sentences = list(split_sentences(text, tokens))
    return tag_sentences(text, sentences, language)


def tag_sentences(
    text: str, sentences: list[list[TextToken]], language: str
) -> list[NerMention]:
    """Tag pre-split sentences of one document (offsets index `text`)."""
    path = model_path(language)
    model = read_model(path)  # NerModelMissing for a missing or broken file
    if not sentences:
        return []
    words = [[t.text for t in sentence] for sentence in sentences]
    scores, starts = document_scores(words, load_lexicon(LEXICON_PATH), path)
    rows = batch(scores, starts, [len(sentence) for sentence in sentences])
    paths = best_paths(model, rows)
    found = [(index, bio_spans([model.labels[label] for label in labels]))
             for index, labels in enumerate(paths)]
    if not any(spans for _, spans in found):
        return []
    # Marginals only for documents with a name: the scores of mentions need them.
    probabilities = marginals(model, rows)
    row_of = np.empty(len(sentences), dtype=np.intp)
    row_of[rows.order] = np.arange(len(sentences))
    mentions: list[NerMention] = []
    for index, spans in found:
        sentence, labels = sentences[index], paths[index]
        row = probabilities[:, :, row_of[index]]  # (token, label)
        for kind, first, stop in spans:
            if kind == "PER":
                first = _after_titles(sentence, first, stop)
            score = min(float(row[i, labels[i]]) for i in range(first, stop))
            start, end = sentence[first].start, sentence[stop - 1].end
            mentions.append(NerMention(start, end, text[start:end], kind, round(score, 4)))
    return mentions


def _after_titles(sentence: list[TextToken], first: int, stop: int) -> int:
    """The first token of a person's name after any leading titles (one token stays)."""
    while first < stop - 1 and sentence[first].text.lower().rstrip(".") in _TITLES:
        first += 1
    return first
