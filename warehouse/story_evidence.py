"""The evidence that links a new article to earlier ones, one finder per method.

Each finder returns every link that passes its test, at most one per story (the best), as
(decision, source member) pairs: the caller picks the article's own row from the strongest
and merges the stories the others show to be the same event.
"""

from __future__ import annotations

import heapq
from collections import Counter
from datetime import timedelta
from itertools import chain

import numpy as np

from extractors.story_sketch import containment
from extractors.translation import alignment_score, embed
from extractors.translation_evidence import translation_evidence
from warehouse.story_model import CycleCandidates, CycleState, Decision, Member, NewArticle

MIN_CONTAINMENT = 0.5
MIN_SHARED_SHINGLES = 10
# Encoder similarity (mean of the three best line matches) at which two texts in different
# languages tell the same event; whether one translates the other is decided line by line.
TRANSLATION_SIMILARITY = 0.60
CREDIT_SIMILARITY = 0.62
MIN_SHARED_CUES = 2
MAX_EMBEDDED_CANDIDATES = 8
WINDOW = timedelta(hours=48)
STRONG_METHODS = frozenset({"original", "exact", "near_duplicate", "canonical_link"})

Link = tuple[Decision, Member]


def member(article_id: str, found: CycleCandidates, state: CycleState) -> Member | None:
    return state.members.get(article_id) or found.stored.get(article_id)


def agency_of(article: NewArticle) -> str | None:
    return article.primary.agency_id if article.primary else None


def exact(pos: int, article: NewArticle, found: CycleCandidates, state: CycleState
          ) -> list[Link]:
    if article.fingerprint.word_count == 0:
        return []
    text_hash = article.fingerprint.text_hash
    source_id = state.by_hash.get(text_hash) or found.exact.get(text_hash)
    source = member(source_id, found, state) if source_id else None
    if source is None:
        return []
    return [(Decision(article.article_id, source.story_id, source.article_id, "exact", 1.0,
                      agency_of(article), "same normalised text", source.canonical_url),
             source)]


def near_duplicates(pos: int, article: NewArticle, found: CycleCandidates,
                    state: CycleState) -> list[Link]:
    ids = [a for a, _ in found.by_keys.get(pos, [])]
    # Counted in C (Counter over the chained postings): the same counts, in the same
    # first-met order, as adding one at a time.
    shared_keys = Counter(chain.from_iterable(state.by_key.get(key, ()) for key in article.keys))
    # The 12 sharing the most keys, ties in the order first met: nlargest is documented to
    # equal sorted(..., reverse=True)[:n], which keeps that order, without sorting them all.
    ids += heapq.nlargest(12, shared_keys, key=shared_keys.__getitem__)
    best: dict[str, tuple[float, int, Member]] = {}
    for candidate_id in dict.fromkeys(ids):
        source = member(candidate_id, found, state)
        if source is None:
            continue
        share, shared = containment(article.shingles, source.shingles)
        story = state.resolve(source.story_id)
        if share >= MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES and (
            story not in best or (share, shared) > best[story][:2]
        ):
            best[story] = (share, shared, source)
    ranked = sorted(best.values(), key=lambda t: (-t[0], -t[1], t[2].article_id))
    return [(Decision(article.article_id, source.story_id, source.article_id, "near_duplicate",
                      round(share, 4), agency_of(article),
                      f"{shared} shared shingles, containment {share:.2f}",
                      source.canonical_url), source)
            for share, shared, source in ranked]


def cue_candidates(
    pos: int, article: NewArticle, found: CycleCandidates, state: CycleState
) -> list[tuple[Member, int]]:
    """Strong members within the window sharing enough names/numbers, most shared first."""
    cues = article.fingerprint.cues
    shared_in_cycle = Counter(chain.from_iterable(state.by_cue.get(cue, ()) for cue in cues))
    pairs = list(found.by_cues.get(pos, [])) + list(shared_in_cycle.items())
    result: dict[str, tuple[Member, int]] = {}
    for candidate_id, shared in pairs:
        source = member(candidate_id, found, state)
        if (
            source is None
            or shared < MIN_SHARED_CUES
            or source.method not in STRONG_METHODS
            or abs(source.seen_at - article.seen_at) > WINDOW
        ):
            continue
        result[candidate_id] = (source, shared)
    return sorted(result.values(), key=lambda p: (-p[1], p[0].article_id))


def _lines(article_id: str, lead: str, state: CycleState) -> np.ndarray:
    if article_id not in state.vectors:
        state.vectors[article_id] = embed([line for line in lead.split("\n") if line.strip()])
    return state.vectors[article_id]


def _by_meaning(article: NewArticle, sources: list[tuple[Member, int]], state: CycleState
                ) -> list[tuple[float, Member, int]]:
    """Encoder similarity to each candidate (the most-cued ones), best first."""
    sources = sources[:MAX_EMBEDDED_CANDIDATES]
    if not sources:
        return []
    own = _lines(article.article_id, article.lead, state)
    scored = [
        (alignment_score(own, _lines(s.article_id, s.lead, state)), s, n) for s, n in sources
    ]
    return sorted(scored, key=lambda t: (-t[0], -t[2], t[1].article_id))


def _best_per_story(scored: list[tuple[float, Member, int]], floor: float, state: CycleState
                    ) -> list[tuple[float, Member, int]]:
    seen: set[str] = set()
    out = []
    for score, source, shared in scored:
        story = state.resolve(source.story_id)
        if score >= floor and story not in seen:
            seen.add(story)
            out.append((score, source, shared))
    return out


def translations(pos: int, article: NewArticle, found: CycleCandidates, state: CycleState
                 ) -> list[Link]:
    """Other-language articles telling the same event: `translation` when the lines align in
    order and the figures agree, else `same_event` (no source: not a copy)."""
    sources = [
        (s, n) for s, n in cue_candidates(pos, article, found, state)
        if s.language and article.language and s.language != article.language
    ]
    links = []
    scored = _best_per_story(_by_meaning(article, sources, state), TRANSLATION_SIMILARITY, state)
    for score, source, shared in scored:
        evidence = translation_evidence(
            _lines(article.article_id, article.lead, state),
            _lines(source.article_id, source.lead, state),
            _split(article.lead), _split(source.lead))
        base = (f"{source.language}->{article.language}, {shared} shared names/numbers, "
                f"encoder similarity {score:.2f}; {evidence.describe()}")
        if evidence.is_translation:
            links.append((Decision(article.article_id, source.story_id, source.article_id,
                                   "translation", round(score, 4), agency_of(article), base,
                                   source.canonical_url), source))
        else:
            links.append((Decision(article.article_id, source.story_id, None, "same_event",
                                   round(score, 4), agency_of(article),
                                   f"same event as {source.article_id}, not a translation: "
                                   f"{base}"), source))
    return links


def credit(pos: int, article: NewArticle, found: CycleCandidates, state: CycleState
           ) -> list[Link]:
    agency = agency_of(article)
    if agency is None:
        return []
    sources = [
        (s, n) for s, n in cue_candidates(pos, article, found, state)
        if s.language == article.language
        and (agency in (s.outlet_id, s.credited_agency) or agency == "agencies")
    ]
    scored = _best_per_story(_by_meaning(article, sources, state), CREDIT_SIMILARITY, state)
    if not scored:
        return []
    score, source, shared = scored[0]
    evidence = article.primary.evidence if article.primary else agency
    return [(Decision(article.article_id, source.story_id, source.article_id, "credit_only",
                      round(score, 4), agency,
                      f"credits {agency} ({evidence}); {shared} shared names/numbers, "
                      f"encoder similarity {score:.2f}", source.canonical_url), source)]


def _split(lead: str) -> list[str]:
    return [line for line in lead.split("\n") if line.strip()]
