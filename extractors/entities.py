"""Entity mentions of an article: the dictionary linker plus the statistical NER (default on).

See entity_linker.py for the linking rules and entity_ner.py for the NER setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.entity_gazetteer import Gazetteer, load_gazetteer
from extractors.entity_linker import link_entities
from extractors.entity_ner import merge_mentions, ner_spans
from extractors.entity_text import furniture_spans
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
) -> EntityResult:
    gazetteer: Gazetteer = load_gazetteer(extra_entities_path)
    linked, in_title = link_entities(text, title, language, gazetteer)
    spans = ner_spans(text, language, ner)
    # Furniture only filters model spans (the linker applies it itself), so skip it without.
    mentions = merge_mentions(spans, linked, furniture_spans(text) if spans else ())
    return EntityResult(tuple(mentions), tuple(in_title))
