"""What the demo should produce: a small labelled set describing every page and feed.

Tests and the demo summary compare what landed with these facts; the extraction, credit,
story and topic evaluations can use the pages as gold data (title, author, date, language,
body text without teasers, credits, story membership, copy/translation source, topic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from flows.demo.catalog import FINAL_PHASE, PHASES, Page, build_pages
from flows.demo.outlets_data import DEMO_OUTLETS

# The demo's fictional agencies and how outlets credit them, for credit detectors.
DEMO_AGENCY_ALIASES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "continentalwire": ("Continental Press Wire", "CPW"),
        "agenciacontinental": ("Agencia Continental de Noticias", "ACN"),
    }
)


@dataclass(frozen=True)
class OutletFact:
    id: str
    name: str
    language: str
    country: str
    kind: str
    feed_paths: tuple[str, ...]


@dataclass(frozen=True)
class FeedFact:
    outlet_id: str
    path: str
    format: str  # rss | atom
    broken: bool  # malformed XML: polling must record a failure with a reason
    item_keys: tuple[str, ...]  # pages it lists in this phase, newest first


@dataclass(frozen=True)
class PageFact:
    """One page an outlet's feed links to, and what should become of it."""

    key: str
    outlet_id: str
    path: str
    story: str  # pages sharing a story id are one story; all others are distinct
    role: str  # original | wire_original | copy | agency_copy | translation
    source_key: str | None  # the page (or unserved agency text) it was copied or translated from
    language: str
    phase: int
    title: str  # as of the facts' phase
    author: str | None
    published_at: datetime  # UTC
    text: str  # gold body: paragraphs joined by blank lines; no teasers, captions or furniture
    credits: tuple[tuple[str, str], ...]  # (agency id, evidence text found in `text`)
    topic: str | None  # "us_mexico_security" or None
    expected_status: str  # extracted | failed | skipped
    expected_reason: str | None  # "http_status 404", "robots"

    @property
    def is_copy(self) -> bool:
        return self.role in ("copy", "agency_copy", "translation")


@dataclass(frozen=True)
class DemoFacts:
    phase: int
    outlets: tuple[OutletFact, ...]
    feeds: tuple[FeedFact, ...]
    pages: tuple[PageFact, ...]
    must_stay_apart: tuple[tuple[str, str], ...]  # same sub-topic, same day, different stories

    def page(self, key: str) -> PageFact:
        return next(fact for fact in self.pages if fact.key == key)

    @property
    def extractable(self) -> tuple[PageFact, ...]:
        """Pages that should end up extracted."""
        return tuple(fact for fact in self.pages if fact.expected_status == "extracted")

    def stories(self) -> dict[str, tuple[str, ...]]:
        """Story id → keys of the extractable pages in it."""
        grouped: dict[str, list[str]] = {}
        for fact in self.extractable:
            grouped.setdefault(fact.story, []).append(fact.key)
        return {story: tuple(keys) for story, keys in grouped.items()}


def _expected_outcome(page: Page) -> tuple[str, str | None]:
    if page.robots_disallowed:
        return "skipped", "robots"
    if page.http_status != 200:
        return "failed", f"http_status {page.http_status}"
    return "extracted", None


def _page_fact(page: Page, phase: int) -> PageFact:
    status, reason = _expected_outcome(page)
    return PageFact(
        key=page.key,
        outlet_id=page.outlet.id,
        path=page.path,
        story=page.story,
        role=page.role,
        source_key=page.source_key,
        language=page.language,
        phase=page.phase,
        title=page.headline_at(phase),
        author=page.author,
        published_at=page.published.astimezone(UTC),
        text="\n\n".join(page.paragraphs),
        credits=page.credits,
        topic=page.topic,
        expected_status=status,
        expected_reason=reason,
    )


def expected_demo_facts(phase: int = FINAL_PHASE) -> DemoFacts:
    """The facts of the demo as served in `phase` (only pages visible in that phase)."""
    if phase not in PHASES:
        raise ValueError(f"demo phase must be one of {PHASES}, got {phase!r}")
    from flows.demo.render_feeds import feed_items  # avoids a cycle at import time

    pages = build_pages()
    visible = [page for page in pages if page.visible_at(phase)]
    feeds = tuple(
        FeedFact(
            outlet_id=outlet.id,
            path=feed.path,
            format=feed.format,
            broken=feed.broken,
            item_keys=tuple(
                page.key
                for page in feed_items(feed, [p for p in pages if p.outlet.id == outlet.id], phase)
            ),
        )
        for outlet in DEMO_OUTLETS
        for feed in outlet.feeds
    )
    outlets = tuple(
        OutletFact(o.id, o.name, o.language, o.country, o.kind, tuple(f.path for f in o.feeds))
        for o in DEMO_OUTLETS
    )
    apart = (("df-arresto-chato", "ndn-arresto-guero"),)
    return DemoFacts(
        phase=phase,
        outlets=outlets,
        feeds=feeds,
        pages=tuple(_page_fact(page, phase) for page in visible),
        must_stay_apart=apart,
    )
