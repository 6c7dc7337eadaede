"""The packaged NER model: article text in, typed mentions with character offsets out.

`find_mentions(text, language)` is the interface the linker and storage build on. It
tokenises the text (tokens.py), splits sentences, tags each with the language's linear-chain
CRF (python-crfsuite) and maps the BIO tags back to character spans. Each mention carries
its type (PER, ORG, LOC, MISC) and a score: the smallest per-token marginal probability of
its tags, so 0.95 means the model was at least that sure of every token of the span.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from extractors.errors import WirewatchError
from extractors.ner.conll import bio_spans
from extractors.ner.known_features import known_document_features
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


class NerModelMissing(WirewatchError, RuntimeError):
    """The packaged model file of a language is missing or unreadable (a broken install;
    terminal)."""


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


@lru_cache(maxsize=8)
def _tagger(path: Path, thread_id: int) -> pycrfsuite.Tagger:
    # A Tagger holds the sequence being tagged, so each thread gets its own; the model file
    # itself is memory-mapped by crfsuite and shared.
    del thread_id  # part of the cache key only
    if not path.is_file():
        raise NerModelMissing(f"NER model {path} is missing; reinstall the package")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@lru_cache(maxsize=8)
def model_attributes(path: Path) -> frozenset[str]:
    """The attributes `path`'s model has weights for, read from its attribute dictionary.

    crfsuite's model file (format "FOMC") starts with a header of 32-bit little-endian
    fields, the tenth of which is the offset of a CQDB chunk holding the attribute names;
    that chunk's backward array gives, per attribute id, the offset of a record (id, size
    with the closing NUL, UTF-8 name). Read here in about 30 ms, where `Tagger.info()`
    parses a text dump for about 300 ms. tests/test_ner_equivalence.py checks it against
    `Tagger.info()`.
    """
    try:
        data = path.read_bytes()
        attributes_at = struct.unpack_from("<9I", data, 4)[8]
        chunk, _, _, _, count, backward_at = struct.unpack_from("<4s5I", data, attributes_at)
        if data[:4] != b"lCRF" or chunk != b"CQDB":
            raise ValueError("not a crfsuite model with an attribute dictionary")
        names = []
        for offset in struct.unpack_from(f"<{count}I", data, attributes_at + backward_at):
            start = attributes_at + offset + 8
            size = struct.unpack_from("<I", data, attributes_at + offset + 4)[0]
            names.append(data[start : start + size - 1].decode("utf-8"))
    except (OSError, ValueError, struct.error) as error:
        raise NerModelMissing(f"NER model {path} is unreadable: {error}; reinstall the package"
                              ) from error
    return frozenset(names)


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
    tagger = _tagger(path, threading.get_ident())
    words = [[t.text for t in sentence] for sentence in sentences]
    # Only the features the model has weights for: the tagger would skip the rest.
    document = known_document_features(words, load_lexicon(LEXICON_PATH),
                                       model_attributes(path))
    mentions: list[NerMention] = []
    for sentence, features in zip(sentences, document, strict=True):
        # The lists go to the tagger as they are: wrapping them in an ItemSequence first
        # converts the same strings and then copies the converted sequence once more.
        tags = tagger.tag(features)
        for kind, first, stop in bio_spans(tags):
            if kind == "PER":
                first = _after_titles(sentence, first, stop)
            score = min(tagger.marginal(tags[i], i) for i in range(first, stop))
            start, end = sentence[first].start, sentence[stop - 1].end
            mentions.append(NerMention(start, end, text[start:end], kind, round(score, 4)))
    return mentions


def _after_titles(sentence: list[TextToken], first: int, stop: int) -> int:
    """The first token of a person's name after any leading titles (one token stays)."""
    while first < stop - 1 and sentence[first].text.lower().rstrip(".") in _TITLES:
        first += 1
    return first
