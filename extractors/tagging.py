"""One call per article: entity mentions and topic tags (DESIGN stage 5).

Pure and process-friendly: the gazetteer and taxonomy load once per process through
lru_cached loaders keyed by the (frozen, hashable) config, so worker processes pay the load
once and nothing mutable lives at module level.

Title handling: mentions are reported for the text only, with offsets into `text`; the
title is linked too, but its mentions only (a) license short forms in the text and
(b) count, double-weighted, as topic evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors.entities import Links, extract_entities
from extractors.entity_gazetteer import known_entities
from extractors.entity_kb import DEFAULT_PLACES, PlaceLayers
from extractors.entity_ner import validate_mode
from extractors.records import EntityMention, TopicTag
from extractors.topics import collect_evidence, load_taxonomy, score_topics


@dataclass(frozen=True)
class TaggerConfig:
    extra_entities_path: Path | None = None
    extra_topics_path: Path | None = None
    ner: str = "auto"  # auto | off | spacy
    places: PlaceLayers = DEFAULT_PLACES  # generated places in the knowledge base

    def __post_init__(self) -> None:
        validate_mode(self.ner)


@dataclass(frozen=True)
class ArticleTags:
    mentions: tuple[EntityMention, ...]
    topics: tuple[TopicTag, ...]
    # What the linker found, for a later tagging of the same text (not stored, not compared).
    links: Links | None = field(default=None, compare=False, repr=False)


def tag_article(
    text: str,
    title: str | None,
    language: str | None,
    config: TaggerConfig = TaggerConfig(),
    links: Links | None = None,
) -> ArticleTags:
    """Entities (offsets into `text`) and topics (text and title) of one article.

    `links`: an earlier tagging's `ArticleTags.links` with the same gazetteer, so the linker
    need not read the same text again (ignored unless text, title and language are the same).
    """
    language = (language or "").split("-")[0].lower() or None
    entities = extract_entities(
        text or "", title, language, config.extra_entities_path, config.ner, config.places,
        links,
    )
    taxonomy = load_taxonomy(config.extra_topics_path)
    evidence = collect_evidence(
        text or "",
        title,
        (entities.mentions, entities.title_mentions),
        known_entities(config.extra_entities_path, config.places),
        taxonomy,
    )
    return ArticleTags(mentions=entities.mentions, topics=score_topics(evidence, taxonomy),
                       links=entities.links)
