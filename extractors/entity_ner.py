"""Optional statistical NER (spaCy) for names the gazetteer does not know.

`ner = "auto"` uses spaCy when it and a model for the article's language are installed,
`"off"` never does, `"spacy"` requires it and raises NerUnavailable otherwise. Spans that
overlap a linked mention are dropped; the rest become unlinked entities with ids
"unlinked:<TYPE>:<slug>".
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractors.entity_text import fold, inside_any
from extractors.records import EntityMention

NER_MODES = ("auto", "off", "spacy")
# Small models first: throughput matters more than the last point of NER accuracy here.
_MODELS = {
    "es": ("es_core_news_sm", "es_core_news_md", "es_core_news_lg"),
    "en": ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"),
}
_MULTILINGUAL_MODEL = "xx_ent_wiki_sm"
_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC"}


class NerUnavailable(RuntimeError):
    """ner="spacy" was asked for but spaCy or a model is not installed (terminal)."""


@dataclass(frozen=True, slots=True)
class NerSpan:
    label: str  # the model's label (PERSON, PER, ORG, GPE, LOC, ...)
    start: int
    end: int
    text: str


def spacy_installed() -> bool:
    return importlib.util.find_spec("spacy") is not None


def _installed_model(language: str | None) -> str | None:
    import spacy.util

    for name in (*_MODELS.get(language or "", ()), _MULTILINGUAL_MODEL):
        if spacy.util.is_package(name):
            return name
    return None


@lru_cache(maxsize=4)
def _pipeline(language: str | None) -> Callable | None:
    if not spacy_installed():
        return None
    model = _installed_model(language)
    if model is None:
        return None
    import spacy

    return spacy.load(model, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])


def validate_mode(mode: str) -> None:
    if mode not in NER_MODES:
        raise ValueError(f"ner must be one of {NER_MODES}, not {mode!r}")


def ner_spans(text: str, language: str | None, mode: str) -> list[NerSpan]:
    """Entity spans from spaCy, or [] when mode is off / auto without a model."""
    validate_mode(mode)
    if mode == "off":
        return []
    pipeline = _pipeline(language)
    if pipeline is None:
        if mode == "spacy":
            raise NerUnavailable(
                "ner='spacy' needs spaCy and a model package for language "
                f"{language!r} (e.g. {_MODELS.get(language or '', ('xx_ent_wiki_sm',))[0]}); "
                "install them or set ner to 'auto' or 'off'"
            )
        return []
    return [NerSpan(e.label_, e.start_char, e.end_char, e.text) for e in pipeline(text).ents]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def unlinked_mentions(
    spans: Iterable[NerSpan],
    linked: Iterable[EntityMention],
    furniture: Iterable[tuple[int, int]] = (),
) -> list[EntityMention]:
    """NER spans that no linked mention overlaps, as unlinked EntityMentions."""
    taken = [(m.start, m.end) for m in linked]
    furniture = list(furniture)
    found: list[EntityMention] = []
    for span in spans:
        entity_type = _LABELS.get(span.label)
        slug = _slug(span.text)
        if entity_type is None or not slug:
            continue
        if any(span.start < end and start < span.end for start, end in taken):
            continue
        if inside_any(span.start, span.end, furniture):
            continue
        found.append(
            EntityMention(
                entity_id=f"unlinked:{entity_type}:{slug}",
                name=span.text.strip(),
                type=entity_type,
                surface=span.text,
                start=span.start,
                end=span.end,
                linked=False,
            )
        )
    return found
