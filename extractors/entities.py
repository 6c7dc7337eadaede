"""Entity mentions of an article: the dictionary linker plus the statistical NER (default on).

See entity_linker.py for the linking rules, entity_ner.py for the NER setting and how model
spans meet linked mentions, and entity_unlinked.py for how names the knowledge base does not
know are grouped and named.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.entity_context import shouted_lines
from extractors.entity_gazetteer import Entity, known_entities, load_gazetteer
from extractors.entity_kb import DEFAULT_PLACES, PlaceLayers
from extractors.entity_linker import link_entities
from extractors.entity_ner import merge_mentions, ner_spans
from extractors.entity_text import furniture_spans, inside_any
from extractors.entity_unlinked import group_unlinked
from extractors.entity_words import PLACE_PREPOSITIONS
from extractors.ner import NerMention
from extractors.records import EntityMention


@dataclass(frozen=True, slots=True)
class Links:
    """What the gazetteer linker found in one article, and a digest of what it read.

    The extraction workers link every page; the entities stage, which adds the model's
    mentions later in the same cycle, takes these instead of linking the same text again
    (an eighth to a quarter of its CPU per article: docs/ner.md, "Fifth pass"). The digest
    makes the reuse safe: links whose digest differs from the text, title and language
    being tagged are ignored and the article is linked afresh.
    """

    digest: bytes
    text: tuple[EntityMention, ...]  # in the linker's own order
    title: tuple[EntityMention, ...]


@dataclass(frozen=True, slots=True)
class EntityResult:
    """Mentions in the text (offsets into the text) and, separately, in the title."""

    mentions: tuple[EntityMention, ...]
    title_mentions: tuple[EntityMention, ...]
    links: Links


def links_digest(text: str, title: str | None, language: str | None) -> bytes:
    """Identifies what the linker read: the same text, title and language give the same links."""
    read = hashlib.blake2b(digest_size=16)
    for part in (text, title or "", language or ""):
        encoded = part.encode("utf-8", "surrogatepass")
        read.update(len(encoded).to_bytes(8, "little"))  # no part may run into the next
        read.update(encoded)
    return read.digest()


# A generated place yields to the model when the model is this sure the same words name a
# person or a body ("Barcelona" the club, "Jordan" the player): the place layer holds tens of
# thousands of names, many of them also clubs and surnames. 0.5 (the model's own floor for
# keeping a span) scored best of 0.5 / 0.7 / 0.9 on both CoNLL dev sets.
OVERRULE_SCORE = 0.5


# Articles and contractions that put a club before a place's name in Spanish ("el Puebla",
# "del Lyon", "un Parma"): a state or city is written without one, a team with one.
_TEAM_DETERMINERS = frozenset({"el", "del", "al", "un"})
_BRACKETED_PLACE = re.compile(r"\s*\(\s*[A-ZÁÉÍÓÚ][\w .]*\)")


def yields_to_model(
    mention: EntityMention, spans: Sequence[NerMention], entities: Mapping[str, Entity],
    text: str,
) -> bool:
    """Rule 12: a place that a sure model span of the same words calls a person or a body
    (docs/entities-topics.md): any generated place; a hand-written place other than a
    country only after a team's article ("los dirigentes del Puebla")."""
    entity = entities.get(mention.entity_id)
    if entity is None or mention.type not in {"GPE", "LOC"}:
        return False
    if entity.rank == 0 and (entity.geo == "country" or not _after_team_article(mention, text)):
        return False
    # A person's name does not take the place of one written where a place is expected.
    kinds = {"ORG"} if _reads_as_place(mention, text) else {"PER", "ORG"}
    return any(
        s.start == mention.start and s.end == mention.end and s.type in kinds
        and s.score >= OVERRULE_SCORE
        for s in spans
    )


def _reads_as_place(mention: EntityMention, text: str) -> bool:
    """After a place preposition ("estado brasileño de Sao Paulo", "en Lyon") or before a
    country in brackets, as in a dateline ("Lyon ( Francia ) , 23 may")."""
    words = text[max(0, mention.start - 8):mention.start].split()
    if words and words[-1].lower() in PLACE_PREPOSITIONS:
        return True
    return _BRACKETED_PLACE.match(text, mention.end) is not None


def unconfirmed_in_capitals(
    mention: EntityMention, spans: Sequence[NerMention], entities: Mapping[str, Entity],
    shouted: Sequence[tuple[int, int]],
) -> bool:
    """Rule 13: a generated place in a line written in capitals that the model does not
    tag a place ("CITA", "TARDE", "MESA" in a headline are words, not towns); capitals
    there say nothing, so the generated layer's tens of thousands of names need the
    model's word."""
    entity = entities.get(mention.entity_id)
    if entity is None or entity.rank == 0 or not inside_any(mention.start, mention.end, shouted):
        return False
    return not any(
        s.type == "LOC" and s.start <= mention.start and mention.end <= s.end for s in spans
    )


def _after_team_article(mention: EntityMention, text: str) -> bool:
    words = text[max(0, mention.start - 8):mention.start].split()
    return bool(words) and words[-1].lower() in _TEAM_DETERMINERS


def extract_entities(
    text: str,
    title: str | None,
    language: str | None,
    extra_entities_path: Path | None = None,
    ner: str = "auto",
    places: PlaceLayers = DEFAULT_PLACES,
    links: Links | None = None,
) -> EntityResult:
    """The article's mentions; `links`, the linker's findings for this very text, title and
    language, spare linking it again (links for anything else are ignored). With such links
    the linker's trie is not built: the entities stage's workers, which are handed links for
    every article of the cycle, then hold the entities by id alone."""
    digest = links_digest(text, title, language)
    if links is None or links.digest != digest:
        gazetteer = load_gazetteer(extra_entities_path, places)
        found, found_in_title = link_entities(text, title, language, gazetteer)
        links = Links(digest, tuple(found), tuple(found_in_title))
    linked, in_title = list(links.text), links.title
    spans = ner_spans(text, language, ner)
    if not spans:
        return EntityResult(tuple(sorted(linked, key=lambda m: (m.start, m.end))), in_title,
                            links)
    entities = known_entities(extra_entities_path, places)
    linked = [m for m in linked if not yields_to_model(m, spans, entities, text)]
    shouted = shouted_lines(text)
    linked = [m for m in linked if not unconfirmed_in_capitals(m, spans, entities, shouted)]
    # merge_mentions decides which model spans survive next to the linked mentions; the
    # survivors are then grouped within the article and given stable ids.
    merged = merge_mentions(spans, linked, furniture_spans(text))
    kept = [m for m in merged if m.linked]
    model = [(m.type, m.start, m.end) for m in merged if not m.linked]
    mentions = sorted([*kept, *group_unlinked(model, text, kept)], key=lambda m: (m.start, m.end))
    return EntityResult(tuple(mentions), in_title, links)
