"""Records passed between stages. Plain frozen dataclasses: cheap to pickle across processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, as the feed describes it (times in UTC)."""

    feed_url: str
    url: str
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    author: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class FeedParseResult:
    """Items of one feed body; `error` is the reason when the body is not a usable feed."""

    items: tuple[FeedItem, ...]
    title: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    malformed: bool = False  # the XML was broken; `items` are what could be recovered


@dataclass(frozen=True, slots=True)
class DatedValue:
    """A timestamp in UTC and where it was found: jsonld, meta, feed, htmldate, visible_text,
    url. `utc_offset_minutes` is the offset the source wrote beside the time (-240 for
    `2025-06-25T20:57:54-04:00`), None when it stated none: the publisher's own calendar day
    is `local()`'s, which can differ from the UTC day for evening and early-morning times.
    `url_day` is set when the page gave the time in UTC but its address carries the
    neighbouring day: the publisher's own calendar day (extractors/dates.py, `local_day`)."""

    value: datetime
    source: str
    utc_offset_minutes: int | None = None
    url_day: date | None = None

    def local(self) -> datetime:
        """The same instant in the zone the source stated (UTC when it stated none)."""
        if self.utc_offset_minutes is None:
            return self.value
        return self.value.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes)))

    def day(self) -> date:
        """The publisher's calendar day: the address's where it corrects a UTC time, else
        the day in the stated offset, else the UTC day."""
        return self.url_day or self.local().date()


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """The outcome of extracting one page. `status` is extracted or failed; failed has a reason."""

    url: str
    status: str
    reason: str | None = None
    method: str | None = None  # trafilatura | feed_summary
    title: str | None = None
    author: str | None = None
    text: str | None = None
    description: str | None = None
    site_name: str | None = None
    page_canonical_url: str | None = None
    language: str | None = None  # detected from the text
    declared_language: str | None = None  # what the page claimed
    word_count: int = 0
    published: DatedValue | None = None
    updated: DatedValue | None = None
    removed_teasers: tuple[str, ...] = ()
    retryable: bool = False  # a failure of ours (a worker died), not of the page: try again


@dataclass(frozen=True, slots=True)
class Credit:
    """A credited agency or outlet.

    kind: credit (the copy comes from it) or mention (the text only names it).
    """

    agency_id: str
    agency_name: str
    kind: str
    evidence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A mention linked to a canonical entity (or unlinked: entity_id starts with 'unlinked:')."""

    entity_id: str
    name: str
    type: str  # PERSON, ORG, GPE, LOC
    surface: str
    start: int
    end: int
    linked: bool = True


@dataclass(frozen=True, slots=True)
class TopicTag:
    topic: str
    score: float
    evidence: tuple[str, ...] = field(default_factory=tuple)
