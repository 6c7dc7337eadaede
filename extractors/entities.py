"""Entity mentions of an article: the dictionary linker, plus statistical NER when enabled.

See entity_linker.py for the linking rules, entity_ner.py for the NER setting and
entity_unlinked.py for how names the knowledge base does not know are grouped and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.entity_gazetteer import Gazetteer, load_gazetteer
from extractors.entity_kb import DEFAULT_PLACES, PlaceLayers
from extractors.entity_linker import link_entities
from extractors.entity_ner import ner_spans
from extractors.entity_text import furniture_spans
from extractors.entity_unlinked import group_unlinked
from extractors.records import EntityMention


@dataclass(frozen=True, slots=True)
class EntityResult:
    """Mentions in the text (offsets into the text) and, separately, in the title."""

    mentions: tuple[EntityMention, ...]
    title_mentions: tuple[EntityMention, ...]


def extract_entities(
    text: str,
    title: str | None,
    language: str | None,
    extra_entities_path: Path | None = None,
    ner: str = "auto",
    places: PlaceLayers = DEFAULT_PLACES,
) -> EntityResult:
    gazetteer: Gazetteer = load_gazetteer(extra_entities_path, places)
    linked, in_title = link_entities(text, title, language, gazetteer)
    spans = ner_spans(text, language, ner)
    found = (
        group_unlinked(((s.label, s.start, s.end) for s in spans), text, linked,
                       furniture_spans(text))
        if spans
        else []
    )
    mentions = sorted([*linked, *found], key=lambda m: (m.start, m.end))
    return EntityResult(tuple(mentions), tuple(in_title))
