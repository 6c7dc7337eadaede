"""Topic tags from a taxonomy of term sets and entity conditions (data/topics.toml).

Pure: text, title and the article's linked mentions in; TopicTags with evidence out.
"""

from __future__ import annotations

import math
import tomllib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from extractors.entity_gazetteer import Entity
from extractors.entity_text import PhraseTrie, Tokens, furniture_spans, tokenize
from extractors.errors import ConfigError
from extractors.records import EntityMention, TopicTag

_PER_ITEM_CAP = 4  # one word repeated ten times is not ten times the evidence
_TITLE_WEIGHT = 2
_SCORE_SCALE = 4.0


class TaxonomyError(ConfigError, ValueError):
    """The topics file is malformed; terminal until the file is fixed."""


@dataclass(frozen=True, slots=True)
class TermSet:
    name: str
    terms: tuple[str, ...] = ()
    entity_categories: frozenset[str] = frozenset()
    entity_countries: frozenset[str] = frozenset()
    include: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    set_name: str
    min_hits: int


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    label: str
    description: str
    evidence: tuple[str, ...]
    min_strength: float
    require: tuple[Requirement, ...] = ()
    excluded_by: tuple[str, ...] = ()
    weaker_than: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Taxonomy:
    sets: Mapping[str, TermSet]
    topics: Mapping[str, Topic]
    trie: PhraseTrie  # payload: (set name, term as written)


# --- loading ------------------------------------------------------------------------------


def _strings(raw: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{where}: '{field}' must be a list of strings")
    return tuple(value)


def _parse_requirement(text: str, where: str) -> Requirement:
    name, _, count = text.partition(":")
    if not count.isdigit():
        raise TaxonomyError(f"{where}: requirement {text!r} must look like 'set:min_hits'")
    return Requirement(name, int(count))


def _parse_topic(name: str, raw: dict[str, Any], where: str) -> Topic:
    strength = raw.get("min_strength", 1)
    if not isinstance(strength, int | float) or strength <= 0:
        raise TaxonomyError(f"{where}: 'min_strength' must be a positive number")
    return Topic(
        name=name,
        label=str(raw.get("label", name)),
        description=str(raw.get("description", "")),
        evidence=_strings(raw, "evidence", where),
        min_strength=float(strength),
        require=tuple(_parse_requirement(r, where) for r in _strings(raw, "require", where)),
        excluded_by=_strings(raw, "excluded_by", where),
        weaker_than=_strings(raw, "weaker_than", where),
    )


def parse_taxonomy_text(text: str, source: str) -> tuple[dict[str, TermSet], dict[str, Topic]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{source}: not valid TOML ({error})") from error
    sets = {
        name: TermSet(
            name=name,
            terms=_strings(raw, "terms", f"{source} sets.{name}"),
            entity_categories=frozenset(_strings(raw, "entity_categories", f"{source} {name}")),
            entity_countries=frozenset(_strings(raw, "entity_countries", f"{source} {name}")),
            include=_strings(raw, "include", f"{source} sets.{name}"),
        )
        for name, raw in document.get("sets", {}).items()
    }
    topics = {
        name: _parse_topic(name, raw, f"{source} topics.{name}")
        for name, raw in document.get("topics", {}).items()
    }
    return sets, topics


def _check_references(sets: Mapping[str, TermSet], topics: Mapping[str, Topic]) -> None:
    for term_set in sets.values():
        for name in term_set.include:
            if name not in sets:
                raise TaxonomyError(f"set {term_set.name!r} includes unknown set {name!r}")
    for topic in topics.values():
        used = [*topic.evidence, *topic.weaker_than, *(r.set_name for r in topic.require)]
        for name in used:
            if name not in sets:
                raise TaxonomyError(f"topic {topic.name!r} uses unknown set {name!r}")
        for name in topic.excluded_by:
            if name not in topics:
                raise TaxonomyError(f"topic {topic.name!r} is excluded by unknown {name!r}")


@lru_cache(maxsize=8)
def load_taxonomy(extra_path: Path | None = None) -> Taxonomy:
    """Packaged taxonomy with the user's file merged over it (same names replace)."""
    packaged = resources.files("extractors.data") / "topics.toml"
    sets, topics = parse_taxonomy_text(packaged.read_text(encoding="utf-8"), "topics.toml")
    if extra_path is not None:
        path = Path(extra_path)
        if not path.is_file():
            raise TaxonomyError(f"extra topics file not found: {path}")
        extra_sets, extra_topics = parse_taxonomy_text(path.read_text(encoding="utf-8"), str(path))
        sets.update(extra_sets)
        topics.update(extra_topics)
    _check_references(sets, topics)
    trie = PhraseTrie()
    for term_set in sets.values():
        for term in term_set.terms:
            trie.add(term, (term_set.name, term))
    return Taxonomy(sets=sets, topics=topics, trie=trie)


# --- scoring ------------------------------------------------------------------------------


@dataclass
class _Evidence:
    """Per set: weighted hit counts keyed by evidence label ("term:x", "entity:id")."""

    counts: dict[str, Counter[str]]

    def strength(self, set_name: str, sets: Mapping[str, TermSet]) -> float:
        return sum(min(c, _PER_ITEM_CAP) for c in self.merged(set_name, sets).values())

    def hits(self, set_name: str, sets: Mapping[str, TermSet]) -> int:
        return sum(self.merged(set_name, sets).values())

    def merged(self, set_name: str, sets: Mapping[str, TermSet]) -> Counter[str]:
        total = Counter(self.counts.get(set_name, Counter()))
        for included in sets[set_name].include:
            total.update(self.merged(included, sets))
        return total


def _term_hits(tokens: Tokens, trie: PhraseTrie, weight: int, evidence: _Evidence) -> None:
    resume = 0  # the first token after the last term counted (terms do not overlap)
    for index in trie.start_positions(tokens):
        if index < resume:
            continue
        hits = trie.candidates(tokens, index)
        if not hits:
            continue
        longest = hits[0]
        # Sorted: a set's order follows the per-process string hash, and the order in which
        # labels are first counted decides the order of equal counts in the stored evidence.
        payloads = {cast("tuple[str, str]", p)  # what load_taxonomy adds
                    for h in hits if h.last == longest.last for p in h.payloads}
        for set_name, term in sorted(payloads):
            counter = evidence.counts.setdefault(set_name, Counter())
            counter[f"term:{term}"] += weight
        resume = longest.last + 1


def _entity_hits(
    mentions: Iterable[EntityMention],
    entities: Mapping[str, Entity],
    sets: Mapping[str, TermSet],
    weight: int,
    evidence: _Evidence,
) -> None:
    for mention in mentions:
        entity = entities.get(mention.entity_id)
        if entity is None:
            continue
        for term_set in sets.values():
            by_category = term_set.entity_categories.intersection(entity.categories)
            by_country = entity.country in term_set.entity_countries
            if by_category or by_country:
                counter = evidence.counts.setdefault(term_set.name, Counter())
                counter[f"entity:{entity.entity_id}"] += weight


def outside_spans(tokens: Tokens, spans: Iterable[tuple[int, int]]) -> Tokens:
    """The tokens not inside any of `spans`, in order: the same as testing each token with
    `inside_any`, but by bisection per span (tokens are ordered and do not overlap, so those
    inside one span are one run), because a test per token was a tenth of tagging's CPU."""
    # Bisected on the offset lists: a Token is built only where one is read (entity_text.Tokens)
    starts, ends = tokens.starts(), tokens.ends()
    runs = sorted((bisect_left(starts, start), bisect_right(ends, end)) for start, end in spans)
    kept: list[tuple[int, int]] = []
    position = 0
    for first, stop in runs:
        if first >= stop:
            continue  # no token lies wholly inside this span
        if first > position:
            kept.append((position, first))
        position = max(position, stop)
    kept.append((position, len(tokens)))
    return tokens.joined(kept)


def collect_evidence(
    text: str,
    title: str | None,
    mentions: tuple[Iterable[EntityMention], Iterable[EntityMention]],
    entities: Mapping[str, Entity],
    taxonomy: Taxonomy,
) -> _Evidence:
    """Hits of every set in the text (furniture excluded) and the title (counted double)."""
    text_mentions, title_mentions = mentions
    evidence = _Evidence(counts={})
    furniture = furniture_spans(text)
    tokens = outside_spans(tokenize(text), furniture)
    _term_hits(tokens, taxonomy.trie, 1, evidence)
    _entity_hits(text_mentions, entities, taxonomy.sets, 1, evidence)
    if title:
        _term_hits(tokenize(title), taxonomy.trie, _TITLE_WEIGHT, evidence)
        _entity_hits(title_mentions, entities, taxonomy.sets, _TITLE_WEIGHT, evidence)
    return evidence


def _candidate(topic: Topic, evidence: _Evidence, sets: Mapping[str, TermSet]) -> float | None:
    """The topic's strength if its own conditions hold, else None."""
    strength = sum(evidence.strength(name, sets) for name in topic.evidence)
    if strength < topic.min_strength:
        return None
    if any(evidence.hits(r.set_name, sets) < r.min_hits for r in topic.require):
        return None
    if any(evidence.strength(name, sets) > strength for name in topic.weaker_than):
        return None
    return strength


def _evidence_labels(
    topic: Topic, evidence: _Evidence, sets: Mapping[str, TermSet]
) -> tuple[str, ...]:
    labels: Counter[str] = Counter()
    for name in (*topic.evidence, *(r.set_name for r in topic.require)):
        labels.update(evidence.merged(name, sets))
    return tuple(label for label, _ in labels.most_common())


def score_topics(evidence: _Evidence, taxonomy: Taxonomy) -> tuple[TopicTag, ...]:
    """Topics whose conditions hold, strongest first, each with its evidence labels."""
    strengths: dict[str, float] = {}
    for topic in taxonomy.topics.values():
        strength = _candidate(topic, evidence, taxonomy.sets)
        if strength is not None:
            strengths[topic.name] = strength
    tags = [
        TopicTag(
            topic=name,
            score=round(1.0 - math.exp(-strength / _SCORE_SCALE), 3),
            evidence=_evidence_labels(taxonomy.topics[name], evidence, taxonomy.sets),
        )
        for name, strength in strengths.items()
        if not any(other in strengths for other in taxonomy.topics[name].excluded_by)
    ]
    return tuple(sorted(tags, key=lambda tag: (-tag.score, tag.topic)))
