"""Deciding, article by article, which story a new article belongs to.

Order of evidence, strongest first: the same normalised text (exact), a verified
near-duplicate (containment of shingles after boilerplate removal), a translation (other
language, close in time, shared names/numbers, multilingual sentence-encoder similarity),
and a credit (the article credits an agency and paraphrases that agency's story). An article
joins the single story of its best source and never merges two stories, so one weak link
cannot chain unrelated stories together; the weak methods (translation, credit) may only
link to articles that are themselves strong members of their story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from extractors.fingerprints import Fingerprint
from extractors.records import Credit
from extractors.story_sketch import containment
from extractors.translation import alignment_score, embed

MIN_CONTAINMENT = 0.5
MIN_SHARED_SHINGLES = 10
TRANSLATION_SIMILARITY = 0.60
CREDIT_SIMILARITY = 0.62
MIN_SHARED_CUES = 2
MAX_EMBEDDED_CANDIDATES = 8
WINDOW = timedelta(hours=48)
STRONG_METHODS = frozenset({"original", "exact", "near_duplicate"})


@dataclass(slots=True)
class Member:
    """An article that a new one may be matched against: stored, or earlier in this cycle."""

    article_id: str
    story_id: str
    method: str
    outlet_id: str
    language: str | None
    seen_at: datetime
    credited_agency: str | None
    shingles: np.ndarray
    lead: str
    cues: frozenset[str] = frozenset()


@dataclass(slots=True)
class NewArticle:
    article_id: str
    outlet_id: str
    language: str | None
    seen_at: datetime
    fingerprint: Fingerprint
    credits: list[Credit]
    primary: Credit | None
    ordered_shingles: list[int]
    shingles: np.ndarray
    keys: list[int]
    lead: str


@dataclass(frozen=True, slots=True)
class Decision:
    article_id: str
    story_id: str
    source_article_id: str | None
    method: str
    similarity: float | None
    agency: str | None
    evidence: str


@dataclass(slots=True)
class CycleCandidates:
    """Stored candidates found by the cycle's SQL lookups, keyed by batch position."""

    exact: dict[str, str]
    by_keys: dict[int, list[tuple[str, int]]]
    by_cues: dict[int, list[tuple[str, int]]]
    stored: dict[str, Member]


@dataclass(slots=True)
class _CycleState:
    """Articles of this cycle already decided, for matching later ones of the same cycle."""

    members: dict[str, Member] = field(default_factory=dict)
    by_hash: dict[str, str] = field(default_factory=dict)
    by_key: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_cue: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    vectors: dict[str, np.ndarray] = field(default_factory=dict)


def decide_all(
    articles: list[NewArticle],
    found: CycleCandidates,
    new_story_id: Callable[[str], str],
) -> list[Decision]:
    """Decisions for a cycle's articles, taken in publication order."""
    state = _CycleState()
    decisions = []
    for pos, article in enumerate(articles):
        decision = _decide(pos, article, found, state) or _original(article, new_story_id)
        decisions.append(decision)
        _remember(article, decision, state)
    return decisions


def _original(article: NewArticle, new_story_id: Callable[[str], str]) -> Decision:
    agency = article.primary.agency_id if article.primary else None
    return Decision(article.article_id, new_story_id(article.article_id), None, "original",
                    None, agency, "no earlier copy found")


def _decide(
    pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState
) -> Decision | None:
    return (
        _exact(pos, article, found, state)
        or _near_duplicate(pos, article, found, state)
        or _translation(pos, article, found, state)
        or _credit(pos, article, found, state)
    )


def _member(article_id: str, found: CycleCandidates, state: _CycleState) -> Member | None:
    return state.members.get(article_id) or found.stored.get(article_id)


def _agency(article: NewArticle) -> str | None:
    return article.primary.agency_id if article.primary else None


def _exact(pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState):
    if article.fingerprint.word_count == 0:
        return None
    text_hash = article.fingerprint.text_hash
    source_id = found.exact.get(text_hash) or state.by_hash.get(text_hash)
    source = _member(source_id, found, state) if source_id else None
    if source is None:
        return None
    return Decision(article.article_id, source.story_id, source.article_id, "exact", 1.0,
                    _agency(article), "same normalised text")


def _near_duplicate(pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState):
    ids = [a for a, _ in found.by_keys.get(pos, [])]
    shared_keys: dict[str, int] = defaultdict(int)
    for key in article.keys:
        for other in state.by_key.get(key, ()):
            shared_keys[other] += 1
    ids += sorted(shared_keys, key=lambda a: -shared_keys[a])[:12]
    best: tuple[float, int, Member] | None = None
    for candidate_id in dict.fromkeys(ids):
        source = _member(candidate_id, found, state)
        if source is None:
            continue
        share, shared = containment(article.shingles, source.shingles)
        if share >= MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES and (
            best is None or (share, shared) > best[:2]
        ):
            best = (share, shared, source)
    if best is None:
        return None
    share, shared, source = best
    return Decision(article.article_id, source.story_id, source.article_id, "near_duplicate",
                    round(share, 4), _agency(article),
                    f"{shared} shared shingles, containment {share:.2f}")


def _cue_candidates(
    pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState
) -> list[tuple[Member, int]]:
    """Strong members within the window sharing enough names/numbers, most shared first."""
    cues = article.fingerprint.cues
    shared_in_cycle: dict[str, int] = defaultdict(int)
    for cue in cues:
        for other in state.by_cue.get(cue, ()):
            shared_in_cycle[other] += 1
    pairs = list(found.by_cues.get(pos, [])) + list(shared_in_cycle.items())
    result: dict[str, tuple[Member, int]] = {}
    for candidate_id, shared in pairs:
        source = _member(candidate_id, found, state)
        if (
            source is None
            or shared < MIN_SHARED_CUES
            or source.method not in STRONG_METHODS
            or abs(source.seen_at - article.seen_at) > WINDOW
        ):
            continue
        result[candidate_id] = (source, shared)
    return sorted(result.values(), key=lambda p: (-p[1], p[0].article_id))


def _lines(article_id: str, lead: str, state: _CycleState) -> np.ndarray:
    if article_id not in state.vectors:
        state.vectors[article_id] = embed([line for line in lead.split("\n") if line.strip()])
    return state.vectors[article_id]


def _best_by_meaning(
    article: NewArticle, sources: list[tuple[Member, int]], state: _CycleState
) -> tuple[float, Member, int] | None:
    sources = sources[:MAX_EMBEDDED_CANDIDATES]
    if not sources:
        return None
    own = _lines(article.article_id, article.lead, state)
    scored = [
        (alignment_score(own, _lines(s.article_id, s.lead, state)), s, n) for s, n in sources
    ]
    return max(scored, key=lambda t: (t[0], t[2]))


def _translation(pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState):
    sources = [
        (s, n) for s, n in _cue_candidates(pos, article, found, state)
        if s.language and article.language and s.language != article.language
    ]
    best = _best_by_meaning(article, sources, state)
    if best is None or best[0] < TRANSLATION_SIMILARITY:
        return None
    score, source, shared = best
    return Decision(article.article_id, source.story_id, source.article_id, "translation",
                    round(score, 4), _agency(article),
                    f"{source.language}->{article.language}, {shared} shared names/numbers, "
                    f"encoder similarity {score:.2f}")


def _credit(pos: int, article: NewArticle, found: CycleCandidates, state: _CycleState):
    agency = _agency(article)
    if agency is None:
        return None
    sources = [
        (s, n) for s, n in _cue_candidates(pos, article, found, state)
        if s.language == article.language
        and (agency in (s.outlet_id, s.credited_agency) or agency == "agencies")
    ]
    best = _best_by_meaning(article, sources, state)
    if best is None or best[0] < CREDIT_SIMILARITY:
        return None
    score, source, shared = best
    evidence = article.primary.evidence if article.primary else agency
    return Decision(article.article_id, source.story_id, source.article_id, "credit",
                    round(score, 4), agency,
                    f"credits {agency} ({evidence}); {shared} shared names/numbers, "
                    f"encoder similarity {score:.2f}")


def _remember(article: NewArticle, decision: Decision, state: _CycleState) -> None:
    state.members[article.article_id] = Member(
        article.article_id, decision.story_id, decision.method, article.outlet_id,
        article.language, article.seen_at, _agency(article), article.shingles,
        article.lead, article.fingerprint.cues,
    )
    if article.fingerprint.word_count:
        state.by_hash.setdefault(article.fingerprint.text_hash, article.article_id)
    for key in article.keys:
        state.by_key[key].append(article.article_id)
    for cue in article.fingerprint.cues:
        state.by_cue[cue].append(article.article_id)
