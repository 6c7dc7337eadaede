"""Pure parts of the fetching seam: header parsing, bounded decoding, the error tree and
the policy's validation."""

from __future__ import annotations

import gzip
import pickle
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from flows.errors import (
    FETCH_ERROR_CLASSES,
    ConfigError,
    FetchError,
    HTTPStatusError,
    NetworkError,
    ResponseTooLarge,
    UndecodableBody,
    WirewatchError,
    status_is_transient,
)
from flows.transport import FetchPolicy, FetchRequest
from flows.transport.decoding import BoundedDecoder
from flows.transport.headers import (
    content_type_acceptable,
    parse_content_type,
    parse_retry_after,
    request_headers,
    sniff_media_type,
)

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("0", 0.0),
        ("Sat, 01 Mar 2025 12:01:30 GMT", 90.0),
        ("Sat, 01 Mar 2025 11:00:00 GMT", 0.0),  # in the past: go ahead now
        ("-3", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
    ],
)
def test_retry_after_parses_seconds_and_dates(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "utf-8")),
        ("TEXT/HTML", ("text/html", None)),
        ('application/rss+xml; charset="iso-8859-1"', ("application/rss+xml", "iso-8859-1")),
        ("garbage", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_content_type_header_gives_media_type_and_charset(
    header: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("kind", "media_type", "acceptable"),
    [
        ("page", "text/html", True),
        ("page", "application/xhtml+xml", True),
        ("page", None, True),
        ("page", "application/pdf", False),
        ("page", "image/png", False),
        ("page", "application/json", False),
        ("feed", "application/rss+xml", True),
        ("feed", "text/html", True),
        ("feed", "application/octet-stream", True),
        ("feed", "application/pdf", False),
        ("feed", "image/jpeg", False),
        ("robots", "text/html", True),
    ],
)
def test_content_type_acceptance_depends_on_the_request_kind(
    kind: str, media_type: str | None, acceptable: bool
) -> None:
    assert content_type_acceptable(kind, media_type) is acceptable


def test_binary_bodies_are_recognised_by_their_magic_numbers() -> None:
    assert sniff_media_type(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_media_type(b"<!doctype html>") is None


def test_conditional_headers_are_sent_only_when_known() -> None:
    plain = request_headers("page", "ua", None, None)
    assert "If-None-Match" not in plain and "If-Modified-Since" not in plain
    conditional = request_headers("feed", "ua", '"v1"', "Tue, 07 Jan 2025 10:00:00 GMT")
    assert conditional["If-None-Match"] == '"v1"'
    assert conditional["If-Modified-Since"] == "Tue, 07 Jan 2025 10:00:00 GMT"
    assert "rss" in conditional["Accept"]


def _decode_all(decoder: BoundedDecoder, body: bytes, chunk: int = 4096) -> bytes:
    parts = [decoder.feed(body[i : i + chunk]) for i in range(0, len(body), chunk)]
    return b"".join(parts) + decoder.finish()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some send
        (None, lambda data: data),
        ("identity", lambda data: data),
    ],
)
def test_supported_encodings_round_trip(
    encoding: str | None, encode: Callable[[bytes], bytes]
) -> None:
    text = b"<p>" + b"wire copy " * 5000 + b"</p>"
    assert _decode_all(BoundedDecoder(encoding, 1_000_000, "u"), encode(text)) == text


def test_concatenated_gzip_members_are_all_decoded() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    assert _decode_all(BoundedDecoder("gzip", 1000, "u"), body) == b"first second"


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(64)) + compressor.flush()
    assert len(bomb) < 200_000  # 64 MiB inflated
    decoder = BoundedDecoder("gzip", 1_000_000, "u")
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            decoder.feed(bomb)  # the whole bomb in one chunk: the worst case
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Inflating it (as a plain decoder would) takes 64 MiB; the cap keeps us near 1 MB.
    assert peak < 4_000_000
    assert decoder.produced <= 1_000_001


def test_exactly_the_cap_is_accepted() -> None:
    data = b"x" * 1000
    assert _decode_all(BoundedDecoder("gzip", 1000, "u"), gzip.compress(data)) == data
    with pytest.raises(ResponseTooLarge):
        _decode_all(BoundedDecoder("gzip", 999, "u"), gzip.compress(data))
    with pytest.raises(ResponseTooLarge):
        _decode_all(BoundedDecoder(None, 999, "u"), data)


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_unsupported_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(UndecodableBody) as raised:
        BoundedDecoder(encoding, 1000, "u")
    assert raised.value.code == "decoding"


def test_a_corrupt_gzip_body_is_undecodable() -> None:
    with pytest.raises(UndecodableBody):
        _decode_all(BoundedDecoder("gzip", 1000, "u"), b"\x1f\x8b\x08\x00garbage-garbage")


@pytest.mark.parametrize(
    ("status", "transient"),
    [(404, False), (410, False), (403, False), (400, False), (408, True), (425, True),
     (429, True), (500, True), (502, True), (503, True), (504, True), (501, False),
     (505, False)],
)
def test_status_classification(status: int, transient: bool) -> None:
    assert status_is_transient(status) is transient
    error = HTTPStatusError("http_status", f"HTTP {status}", status=status)
    assert error.transient is transient


def test_every_code_belongs_to_exactly_one_class_with_a_fixed_transient_flag() -> None:
    assert set(FETCH_ERROR_CLASSES) == {
        "invalid_url", "blocked_scheme", "blocked_address", "robots", "robots_unavailable",
        "deferred", "dns", "connect", "timeout", "reset", "protocol", "transport",
        "http_status", "redirect_limit", "redirect_loop", "redirect_invalid", "too_large",
        "content_type", "decoding",
    }
    for code, cls in FETCH_ERROR_CLASSES.items():
        assert issubclass(cls, FetchError) and issubclass(cls, WirewatchError)
        if code != "http_status":
            assert cls(code, "m").transient is cls.transient


def test_a_class_refuses_a_code_of_another_family() -> None:
    with pytest.raises(ValueError):
        NetworkError("too_large", "wrong family")
    with pytest.raises(ValueError):
        HTTPStatusError("http_status", "no status")


def test_errors_pickle_with_their_fields() -> None:
    error = NetworkError("timeout", "slow", url="http://x/", retry_after_s=None)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is NetworkError
    assert (copy.code, copy.message, copy.url) == ("timeout", "slow", "http://x/")
    assert copy.transient
    assert copy.reason == "timeout: slow"


def test_config_error_is_terminal() -> None:
    assert not ConfigError("bad").transient


@pytest.mark.parametrize(
    "settings",
    [
        {"total_timeout_s": 0},
        {"connect_timeout_s": -1},
        {"max_bytes": 0},
        {"per_host_concurrency": 0},
        {"max_redirects": -1},
        {"per_host_delay_s": -0.5},
        {"contact": "ops@example.org\r\nX-Injected: 1"},
        {"user_agent": ""},
        {"allowed_networks": "127.0.0.0/8"},
        {"allowed_networks": ("127.0.0.0/8", "nonsense")},
    ],
)
def test_invalid_policies_are_config_errors(settings: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        FetchPolicy(**settings)  # type: ignore[arg-type]


def test_user_agent_carries_the_contact() -> None:
    policy = FetchPolicy(contact="ops@example.org")
    assert policy.user_agent_header == "wirewatch/0.1 (contact: ops@example.org)"
    assert policy.user_agent_header.endswith("(contact: ops@example.org)")
    assert policy.robots_token == "wirewatch"
    assert FetchPolicy().user_agent_header == FetchPolicy().user_agent


def test_unknown_request_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        FetchRequest("https://example.org/", kind="image")
