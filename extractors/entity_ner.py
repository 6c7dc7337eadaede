"""Statistical NER for names the gazetteer does not know, and how it meets the linker.

`ner = "auto"` (default) uses the packaged model (extractors/ner, Spanish and English;
other languages get none), `"off"` never runs a model, `"spacy"` uses spaCy instead and
raises NerUnavailable when spaCy or a model for the language is not installed.

Both backends give `NerMention`s (start/end character offsets, surface, type PER | ORG |
LOC | MISC, score). `merge_mentions` combines them with the linker's mentions:
- a model span that overlaps a linked mention is dropped (the linked id is better), except
- a linked mention that opens a longer, confident model name of another kind ("New York"
  in "The New York Times", "Puebla" in "Puebla de la Calzada") is dropped and the longer
  name kept: the known name was only part of another name. A known name later inside one
  ("México" in "Gobierno de México") still names that place, and stays; the longer name,
  when the model is as sure, is kept too as an unlinked mention around it;
- a linked mention inside a confident model name of its own kind, and the only linked one
  there ("Noboa" in "Gustavo Noboa"), is widened to that name and keeps its id;
- a linked mention inside a confident, longer MISC span (an event or a work: "Giro de
  Italia") is dropped with it;
- MISC spans, spans under MIN_SCORE and spans inside page furniture are not kept;
- the rest become unlinked mentions with ids "unlinked:<TYPE>:<slug>".
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.entity_text import fold, inside_any
from extractors.errors import ConfigError
from extractors.ner import NerMention, find_mentions
from extractors.records import EntityMention

if TYPE_CHECKING:  # spaCy is optional and imported only when the spaCy backend runs
    from spacy.language import Language

NER_MODES = ("auto", "off", "spacy")
# Model spans less sure than this are dropped; chosen on the CoNLL dev sets
# (docs/entities-topics.md, "Statistical NER").
MIN_SCORE = 0.5
# A linked name yields to a longer model name (or MISC name) around it only when the model
# is this sure. 0.5 scored above 0.6 and 0.8 on both CoNLL dev sets (docs/ner.md).
_CONTAINER_SCORE = 0.5
# A model name of another kind around a linked one is kept beside it when the model is this
# sure ("Gobierno de Estados Unidos" around "Estados Unidos"); 0.5 above 0.6 and 0.8 too.
_NESTED_SCORE = 0.5
# Small models first: throughput matters more than the last point of NER accuracy here.
_SPACY_MODELS = {
    "es": ("es_core_news_sm", "es_core_news_md", "es_core_news_lg"),
    "en": ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"),
}
_SPACY_MULTILINGUAL = "xx_ent_wiki_sm"
_SPACY_TYPES = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
# Model types as stored: an unlinked place is a LOC (the model cannot tell a political
# entity (GPE) from a geographic one); MISC (nationalities, events, works) is not stored.
_STORED_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
_LEADING_ARTICLES = frozenset({"", "the", "el", "la", "los", "las"})


class NerUnavailable(ConfigError, RuntimeError):
    """ner="spacy" was asked for but spaCy or a model is not installed (terminal)."""


def spacy_installed() -> bool:
    return importlib.util.find_spec("spacy") is not None


def _installed_spacy_model(language: str | None) -> str | None:
    import spacy.util

    names: tuple[str, ...] = (*_SPACY_MODELS.get(language or "", ()), _SPACY_MULTILINGUAL)
    for name in names:
        if spacy.util.is_package(name):
            return name
    return None


@lru_cache(maxsize=4)
def _spacy_pipeline(language: str | None) -> Language | None:
    if not spacy_installed():
        return None
    model = _installed_spacy_model(language)
    if model is None:
        return None
    import spacy

    return spacy.load(model, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])


def validate_mode(mode: str) -> None:
    if mode not in NER_MODES:
        raise ValueError(f"ner must be one of {NER_MODES}, not {mode!r}")


def ner_spans(text: str, language: str | None, mode: str) -> list[NerMention]:
    """Model mentions of `text` in the given mode ([] when off or no model for the language)."""
    validate_mode(mode)
    if mode == "off":
        return []
    if mode == "auto":
        return find_mentions(text, language)
    pipeline = _spacy_pipeline(language)
    if pipeline is None:
        raise NerUnavailable(
            "ner='spacy' needs spaCy and a model package for language "
            f"{language!r} (e.g. {_SPACY_MODELS.get(language or '', (_SPACY_MULTILINGUAL,))[0]}); "
            "install them or set ner to 'auto' or 'off'"
        )
    return [
        NerMention(e.start_char, e.end_char, e.text, _SPACY_TYPES.get(e.label_, "MISC"), 1.0)
        for e in pipeline(text).ents
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _begins(outer: NerMention, inner: EntityMention) -> bool:
    """`inner` opens the longer name `outer`, an article aside ("[The] New York Times",
    "Puebla de la Calzada"); not when it is the complement of an institution's name
    ("Gobierno de México", "Embassy of the United States"), which names the place too."""
    if not (outer.start <= inner.start and inner.end < outer.end):
        return False
    before = outer.surface[: inner.start - outer.start].strip().lower()
    return before in _LEADING_ARTICLES


def merge_mentions(
    spans: Iterable[NerMention],
    linked: Iterable[EntityMention],
    furniture: Iterable[tuple[int, int]] = (),
) -> list[EntityMention]:
    """Linked mentions plus the model's unlinked ones, by the rules in the module docstring."""
    furniture = list(furniture)
    spans = list(spans)
    # A known name inside a confident, longer name of an event or a work ("Giro de Italia",
    # "Supercopa de España") is part of that name, not a mention of its own.
    other = [s for s in spans if s.type == "MISC" and s.score >= _CONTAINER_SCORE]
    linked = [m for m in linked if not any(
        s.start <= m.start and m.end <= s.end and (s.start, s.end) != (m.start, m.end)
        for s in other)]
    kept_spans = [
        s for s in spans
        if s.type in _STORED_TYPES and s.score >= MIN_SCORE
        and not inside_any(s.start, s.end, furniture)
    ]
    yielded: set[EntityMention] = set()
    for span in kept_spans:
        inside = [m for m in linked if _overlaps(span, m)]
        # Only a span that will be kept takes the place of the name it opens: one that also
        # overlaps another linked name ("U.S. Drug Enforcement Administration") is dropped.
        if span.score >= _CONTAINER_SCORE and inside and all(
            _begins(span, m) and _STORED_TYPES[span.type] != m.type for m in inside
        ):
            yielded.update(inside)
    linked = [m for m in linked if m not in yielded]
    linked = [_widened(m, kept_spans, linked) for m in linked]
    unlinked = [
        _unlinked(s) for s in kept_spans
        if _slug(s.surface) and all(_nested(s, m) for m in linked if _overlaps(s, m))
    ]
    return sorted([*linked, *unlinked], key=lambda m: (m.start, m.end))


def _widened(
    mention: EntityMention, spans: list[NerMention], linked: list[EntityMention]
) -> EntityMention:
    """`mention` stretched to a model name of its own kind that holds it and no
    other linked name ("Noboa" in "Gustavo Noboa"); the linked id stays."""
    for span in spans:
        if (_STORED_TYPES[span.type] == _kind(mention.type)
                and span.start <= mention.start and mention.end <= span.end
                and (span.start, span.end) != (mention.start, mention.end)
                and not any(_overlaps(span, m) for m in linked if m is not mention)):
            return replace(mention, surface=span.surface, start=span.start, end=span.end)
    return mention


def _nested(span: NerMention, mention: EntityMention) -> bool:
    """A confident model name of another kind around a linked one: both are kept
    ("Universidad de California" and "California")."""
    return (span.score >= _NESTED_SCORE and _STORED_TYPES[span.type] != _kind(mention.type)
            and span.start <= mention.start and mention.end <= span.end
            and (span.start, span.end) != (mention.start, mention.end))


def _kind(entity_type: str) -> str:
    return "LOC" if entity_type == "GPE" else entity_type


def _overlaps(span: NerMention, mention: EntityMention) -> bool:
    return span.start < mention.end and mention.start < span.end


def _unlinked(span: NerMention) -> EntityMention:
    entity_type = _STORED_TYPES[span.type]
    return EntityMention(
        entity_id=f"unlinked:{entity_type}:{_slug(span.surface)}",
        name=span.surface.strip(),
        type=entity_type,
        surface=span.surface,
        start=span.start,
        end=span.end,
        linked=False,
    )
