"""The rows a cycle writes, as typed records defined once here with their Arrow schemas.

Discovery builds `PendingRow`s, the load builds `ResultRow`s, and warehouse/articles.py
stages both as Arrow tables (column-wise, one pass per column) for set-based SQL; the plan
and poll stages write `OutletRow`, `NewFeedRow`, `PollRow` and `FeedUpdateRow` the same way
through warehouse/feedstate.py. A record's
fields must be exactly its schema's columns: `to_table` refuses a record type whose fields
and columns differ, and `from_mapping` refuses a mapping with an unknown or missing key, so a
misspelt name is an error instead of a silent NULL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar

import pyarrow as pa

from extractors.errors import WirewatchError

TS = pa.timestamp("us", tz="UTC")


class RowShapeError(WirewatchError, ValueError):
    """A row does not have its record's fields (an unknown or missing name)."""


class ArrowRecord(Protocol):
    """A frozen dataclass whose fields are the columns of its `SCHEMA`."""

    SCHEMA: ClassVar[pa.Schema]


R = TypeVar("R", bound=ArrowRecord)


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateRow:
    """A feed item to look up among known articles (by canonical URL, or GUID per outlet)."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("idx", pa.int64()), ("canonical_url", pa.string()), ("outlet_id", pa.string()),
        ("guid", pa.string()),
    ])
    idx: int
    canonical_url: str
    outlet_id: str
    guid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingRow:
    """A newly discovered article, written before its page is fetched (or skipped, with why)."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("article_id", pa.string()), ("outlet_id", pa.string()), ("feed_url", pa.string()),
        ("guid", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()),
        ("status", pa.string()), ("reason", pa.string()), ("feed_title", pa.string()),
        ("feed_summary", pa.string()), ("title", pa.string()), ("author", pa.string()),
        ("published_at", TS), ("published_source", pa.string()), ("discovered_at", TS),
        ("attempts", pa.int32()), ("run_id", pa.string()),
    ])
    article_id: str
    outlet_id: str
    url: str
    canonical_url: str
    status: str
    discovered_at: datetime
    attempts: int = 0
    run_id: str | None = None
    feed_url: str | None = None
    guid: str | None = None
    reason: str | None = None
    feed_title: str | None = None
    feed_summary: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    published_source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TitleRow:
    """A known article re-titled by its own feed item."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("article_id", pa.string()), ("feed_title", pa.string()), ("title", pa.string()),
    ])
    article_id: str
    feed_title: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultRow:
    """What one fetch and extraction left for an article: the text, or why there is none.

    A None keeps the value the article has (see articles.save_results), except for the
    status fields, which are always written.
    """

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("article_id", pa.string()), ("status", pa.string()), ("reason", pa.string()),
        ("retryable", pa.bool_()), ("extraction_method", pa.string()),
        ("canonical_url", pa.string()), ("page_canonical_url", pa.string()),
        ("final_url", pa.string()), ("title", pa.string()), ("author", pa.string()),
        ("description", pa.string()), ("site_name", pa.string()), ("text", pa.string()),
        ("language", pa.string()), ("declared_language", pa.string()),
        ("word_count", pa.int32()), ("published_at", TS), ("published_source", pa.string()),
        ("published_utc_offset", pa.int32()), ("published_day", pa.date32()),
        ("updated_at", TS), ("updated_source", pa.string()), ("http_status", pa.int32()),
        ("content_hash", pa.string()), ("fetched_at", TS), ("attempts", pa.int32()),
        ("run_id", pa.string()), ("retry_not_before", TS),
    ])
    article_id: str
    status: str
    retryable: bool
    reason: str | None = None
    extraction_method: str | None = None
    canonical_url: str | None = None
    page_canonical_url: str | None = None
    final_url: str | None = None
    title: str | None = None
    author: str | None = None
    description: str | None = None
    site_name: str | None = None
    text: str | None = None
    language: str | None = None
    declared_language: str | None = None
    word_count: int | None = None
    published_at: datetime | None = None
    published_source: str | None = None
    published_utc_offset: int | None = None  # minutes east of UTC the page wrote, if any
    published_day: date | None = None  # the publisher's calendar day (docs/extraction.md)
    updated_at: datetime | None = None
    updated_source: str | None = None
    http_status: int | None = None
    content_hash: str | None = None
    fetched_at: datetime | None = None
    attempts: int | None = None
    run_id: str | None = None
    retry_not_before: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletRow:
    """A configured outlet, as `outlets` holds it."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("outlet_id", pa.string()), ("name", pa.string()), ("homepage", pa.string()),
        ("language", pa.string()), ("country", pa.string()), ("kind", pa.string()),
        ("updated_at", TS),
    ])
    outlet_id: str
    name: str
    updated_at: datetime
    homepage: str | None = None
    language: str | None = None
    country: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewFeedRow:
    """A configured feed; added to `feeds` (due at once) when not seen before."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("feed_url", pa.string()), ("outlet_id", pa.string()), ("interval_seconds", pa.int32()),
    ])
    feed_url: str
    outlet_id: str
    interval_seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollRow:
    """One poll of one feed, as `feed_polls` records it."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("run_id", pa.string()), ("feed_url", pa.string()), ("polled_at", TS),
        ("status", pa.string()), ("http_status", pa.int32()), ("bytes", pa.int64()),
        ("items", pa.int32()), ("new_items", pa.int32()), ("duration_ms", pa.float64()),
        ("error", pa.string()), ("warnings", pa.string()),
    ])
    run_id: str
    feed_url: str
    polled_at: datetime
    status: str
    http_status: int | None = None
    bytes: int = 0
    items: int = 0
    new_items: int = 0
    duration_ms: float | None = None
    error: str | None = None
    warnings: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedUpdateRow:
    """What a poll leaves in `feeds`: validators, health and the next poll time."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([
        ("feed_url", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()),
        ("body_hash", pa.string()), ("last_status", pa.string()),
        ("last_http_status", pa.int32()), ("last_error", pa.string()),
        ("last_polled_at", TS), ("last_success_at", TS), ("last_new_item_at", TS),
        ("consecutive_failures", pa.int32()), ("interval_seconds", pa.int32()),
        ("next_poll_at", TS),
    ])
    feed_url: str
    last_status: str
    last_polled_at: datetime
    consecutive_failures: int
    interval_seconds: int
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_http_status: int | None = None
    last_error: str | None = None
    last_success_at: datetime | None = None
    last_new_item_at: datetime | None = None
    next_poll_at: datetime | None = None


ARTICLE_RECORDS: tuple[type[ArrowRecord], ...] = (CandidateRow, PendingRow, TitleRow, ResultRow)
FEED_RECORDS: tuple[type[ArrowRecord], ...] = (OutletRow, NewFeedRow, PollRow, FeedUpdateRow)


def check_shape(record_type: type[ArrowRecord]) -> None:
    """Raise RowShapeError unless the record's fields are exactly its schema's columns."""
    names = {f.name for f in fields(record_type)}  # type: ignore[arg-type]
    columns = set(record_type.SCHEMA.names)
    if names != columns:
        raise RowShapeError(
            f"{record_type.__name__}: fields without a column {sorted(names - columns)}, "
            f"columns without a field {sorted(columns - names)}")


def to_table(records: Sequence[R], record_type: type[R]) -> pa.Table:
    """The records as an Arrow table of their schema, built one column at a time."""
    check_shape(record_type)
    for record in records:
        if type(record) is not record_type:
            raise RowShapeError(
                f"expected {record_type.__name__} rows, got {type(record).__name__}")
    schema = record_type.SCHEMA
    columns = {name: [getattr(r, name) for r in records] for name in schema.names}
    return pa.table(columns, schema=schema)


def from_mapping(record_type: type[R], row: Mapping[str, Any]) -> R:
    """A record from a name -> value mapping; an unknown or missing name is an error."""
    known = {f.name: f for f in fields(record_type)}  # type: ignore[arg-type]
    unknown = sorted(set(row) - set(known))
    missing = sorted(name for name, f in known.items()
                     if name not in row and f.default is MISSING)
    if unknown or missing:
        raise RowShapeError(f"{record_type.__name__}: unknown fields {unknown}, "
                            f"missing fields {missing}")
    return record_type(**row)
