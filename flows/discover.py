"""Discovery: which feed items are new, which are known, which only changed their title."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from extractors.records import FeedItem
from extractors.urls import InvalidURL, canonicalize_url
from warehouse.articles import KnownArticle


@dataclass(frozen=True, slots=True)
class Candidate:
    item: FeedItem
    outlet_id: str
    canonical_url: str | None
    invalid_reason: str | None = None


@dataclass(slots=True)
class Discovery:
    """The rows discovery writes, and the items to fetch now."""

    pending: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    retitled: list[dict] = field(default_factory=list)
    new_per_feed: dict[str, int] = field(default_factory=dict)
    items_seen: int = 0


def article_id_for(canonical_url: str) -> str:
    """Stable id: the hash of the first canonical URL an article was known by."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:20]


def candidates_from(items: Sequence[FeedItem], outlet_id: str) -> list[Candidate]:
    out = []
    for item in items:
        try:
            out.append(Candidate(item, outlet_id, canonicalize_url(item.url)))
        except InvalidURL as exc:
            out.append(Candidate(item, outlet_id, None, f"invalid url: {exc}"))
    return out


def lookup_rows(candidates: Sequence[Candidate]) -> list[dict]:
    return [
        {"idx": i, "canonical_url": c.canonical_url, "outlet_id": c.outlet_id,
         "guid": c.item.guid}
        for i, c in enumerate(candidates)
        if c.canonical_url is not None
    ]


def plan_discovery(
    candidates: Sequence[Candidate],
    known: Mapping[int, KnownArticle],
    *,
    run_id: str,
    now: datetime,
) -> Discovery:
    """Split candidates into new (pending), invalid (skipped) and re-titled known articles.

    `known` maps a candidate index to the KnownArticle it matched. Within one batch the first
    occurrence of a canonical URL wins (an outlet can list one article in several feeds).
    """
    plan = Discovery(items_seen=len(candidates))
    seen: set[str] = set()
    for idx, cand in enumerate(candidates):
        feed_url = cand.item.feed_url
        plan.new_per_feed.setdefault(feed_url, 0)
        if cand.canonical_url is None:
            plan.skipped.append(_skipped_row(cand, run_id, now))
            continue
        match = known.get(idx)
        if match is not None:
            title = cand.item.title
            # Only the outlet's own item under its GUID may re-title an article: another feed
            # listing the same URL under its own headline must not flip the title back and forth.
            if title and title != match.feed_title and match.same_guid:
                plan.retitled.append(
                    {"article_id": match.article_id, "feed_title": title, "title": title}
                )
            continue
        if cand.canonical_url in seen:
            continue
        seen.add(cand.canonical_url)
        plan.pending.append(_pending_row(cand, run_id, now))
        plan.new_per_feed[feed_url] += 1
    return plan


def _pending_row(cand: Candidate, run_id: str, now: datetime, status: str = "pending") -> dict:
    item = cand.item
    return {
        "article_id": article_id_for(cand.canonical_url or f"invalid:{item.url}"),
        "outlet_id": cand.outlet_id,
        "feed_url": item.feed_url,
        "guid": item.guid,
        "url": item.url,
        "canonical_url": cand.canonical_url or item.url,
        "status": status,
        "feed_title": item.title,
        "feed_summary": item.summary,
        "title": item.title,
        "author": item.author,
        "published_at": item.published,
        "published_source": "feed" if item.published else None,
        "discovered_at": now,
        "attempts": 0,
        "run_id": run_id,
    }


def _skipped_row(cand: Candidate, run_id: str, now: datetime) -> dict:
    row = _pending_row(cand, run_id, now, status="skipped")
    row["reason"] = cand.invalid_reason
    return row
