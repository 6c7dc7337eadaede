"""What story assignment works with: articles of the cycle, stored members, decisions, merges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import numpy as np

from extractors.fingerprints import Fingerprint
from extractors.records import Credit

# Within one cycle, a candidate key or cue keeps only the articles that most recently had it
# (articles are decided in publication order). Without a bound, every article of a flood of
# near-copies (one wire story everywhere, an outlet serving one template for every URL) was
# counted against every earlier one: the load grew with the square of the cycle's size. Two
# hundred is the stored index's own bound on a key's postings (story_index.MAX_KEY_POSTINGS):
# a key that common is a stock phrase or a flood, and the most recent of them stand for it.
MAX_CYCLE_POSTINGS = 200

Key = TypeVar("Key", bound=Hashable)


def remember_posting(postings: dict[Key, list[str]], key: Key, article_id: str) -> None:
    """Add `article_id` to `key`'s postings, oldest first, keeping the most recent
    MAX_CYCLE_POSTINGS.

    Plain lists trimmed here rather than deque(maxlen=...): a cycle makes one posting list
    per distinct key (about 83 per farm article, 415,000 at 5,000 pages) and a bounded deque
    takes 760 bytes even when it holds one id, a one-id list 64 (docs/benchmarks.md, "Memory
    at 5,000 pages"). A list over the bound loses its first id, as the deque would.
    """
    found = postings.get(key)
    if found is None:
        postings[key] = [article_id]
        return
    found.append(article_id)
    bound: int | None = MAX_CYCLE_POSTINGS  # None (tests only): unbounded, as before the bound
    if bound is not None and len(found) > bound:
        del found[0]


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
    canonical_url: str | None = None


@dataclass(slots=True)
class NewArticle:
    article_id: str
    outlet_id: str
    language: str | None
    seen_at: datetime
    fingerprint: Fingerprint
    credits: list[Credit]
    primary: Credit | None
    shingles: np.ndarray
    keys: list[int]
    lead: str
    canonical_url: str | None = None
    # The page's rel=canonical when it points to another site, and the configured wire
    # outlet owning that site, if one does.
    declared_source: str | None = None
    declared_agency: str | None = None
    outlet_is_wire: bool = False  # a configured `kind = "wire"` outlet's own article


@dataclass(frozen=True, slots=True)
class Decision:
    article_id: str
    story_id: str
    source_article_id: str | None
    method: str
    similarity: float | None
    agency: str | None
    evidence: str
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class Merge:
    """Story `absorbed` is one event with `survivor`; `link` is the evidence (the article
    that showed it, and how it relates to the absorbed story)."""

    survivor: str
    absorbed: str
    link: Decision


@dataclass(slots=True)
class CycleCandidates:
    """Stored candidates found by the cycle's SQL lookups, keyed by batch position."""

    exact: dict[str, str]
    by_keys: dict[int, list[tuple[str, int]]]
    by_cues: dict[int, list[tuple[str, int]]]
    stored: dict[str, Member]
    # stored article id by canonical URL, for declared sources already fetched
    by_url: dict[str, str] = field(default_factory=dict)
    # canonical URL -> stored copies declaring it as their rel=canonical, source not yet seen
    waiting: dict[str, list[str]] = field(default_factory=dict)
    story_first_seen: dict[str, datetime] = field(default_factory=dict)


@dataclass(slots=True)
class CycleState:
    """Articles of this cycle already decided, for matching later ones of the same cycle."""

    members: dict[str, Member] = field(default_factory=dict)
    by_hash: dict[str, str] = field(default_factory=dict)
    # key / cue -> the cycle's articles having it, oldest first, at most MAX_CYCLE_POSTINGS
    by_key: dict[int, list[str]] = field(default_factory=dict)  # see remember_posting
    by_cue: dict[str, list[str]] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    merged_into: dict[str, str] = field(default_factory=dict)
    new_stories: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)

    def resolve(self, story_id: str) -> str:
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id


