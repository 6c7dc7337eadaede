"""Pure functions over HTTP header values: Retry-After, Content-Type, request headers."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from types import MappingProxyType

# Media types a page request can extract an article from.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A feed body may arrive under many labels (servers mislabel feeds as text/html or
# octet-stream); the feed parser judges the body. Only families that can never be a feed
# are refused outright.
NEVER_FEED_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
NEVER_FEED_TYPES = frozenset(
    {"application/pdf", "application/zip", "application/gzip", "application/msword"}
)

ACCEPT = MappingProxyType({
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": (
        "application/rss+xml,application/atom+xml,application/feed+json,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
    ),
    "robots": "text/plain,*/*;q=0.1",
})
# Only encodings decoded by flows.transport.decoding, which caps decoded bytes while
# streaming. br/zstd are not offered: their decoders cannot bound the output per chunk.
ACCEPT_ENCODING = "gzip, deflate"

# Magic numbers of bodies that are certainly not pages or feeds, for responses that lie
# about (or omit) their Content-Type.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from `now`: delay-seconds or an HTTP-date; None if unusable.

    A date in the past means "now" (0.0). Garbage is None rather than an error: the header
    is advice, and a malformed one must not fail the response it came with.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until_date(text, now)
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0:
        return None
    return seconds


def _seconds_until_date(text: str, now: datetime | None) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; a zone-less one is read as UTC
        when = when.replace(tzinfo=UTC)
    reference = now or datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type lower-case without parameters, charset lower-case) from a header."""
    if value is None or not value.strip():
        return None, None
    message = Message()
    message["content-type"] = value
    media_type: str | None = message.get_content_type().lower()
    # email.Message falls back to text/plain for unparseable values; do not invent a type.
    if "/" not in value.split(";", 1)[0]:
        media_type = None
    charset = message.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form: (charset, language, value)
        charset = charset[2]
    return media_type, charset.strip().lower() if isinstance(charset, str) else None


def sniff_media_type(prefix: bytes) -> str | None:
    """The binary media type a body starts with (PDF, PNG, ...), or None."""
    head = prefix.lstrip()[:16]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    return None


def content_type_acceptable(kind: str, media_type: str | None) -> bool:
    """Can a `kind` request use a response of this media type? None (unlabelled) passes:
    the body is sniffed instead."""
    if media_type is None or kind == "robots":
        return True
    if kind == "page":
        return media_type in PAGE_TYPES
    if media_type in NEVER_FEED_TYPES:
        return False
    return not media_type.startswith(NEVER_FEED_PREFIXES)


def request_headers(
    kind: str, user_agent: str, etag: str | None, last_modified: str | None
) -> dict[str, str]:
    """Headers for one request, conditional when validators are known."""
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT[kind],
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
