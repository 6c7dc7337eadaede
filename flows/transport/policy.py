"""The settings, the request and the result of a fetch: plain frozen dataclasses."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flows.errors import ConfigError, FetchError
from flows.transport.netpolicy import parse_networks

REQUEST_KINDS = frozenset({"page", "feed", "robots"})


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how defensively to fetch. Defaults are for the public internet."""

    # The product token robots.txt rules match; `contact` adds who runs this instance.
    user_agent: str = "wirewatch/0.1"
    contact: str | None = None  # appended to the User-Agent when set
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0  # longest silence between two reads
    total_timeout_s: float = 60.0  # one HTTP exchange incl. body (defeats 1-byte/s servers)
    max_bytes: int = 10_000_000  # enforced on DECODED bytes while streaming (gzip bombs)
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay_s: float = 1.0  # min spacing between request starts to one host
    total_concurrency: int = 32
    respect_robots: bool = True
    allowed_hosts: tuple[str, ...] = ()
    allowed_networks: tuple[str, ...] = ()  # e.g. ("127.0.0.0/8",) in tests and the demo
    # A Retry-After up to this long is waited out within a batch; a longer one defers the
    # host's remaining requests (code "deferred") to a later cycle instead of stalling.
    max_retry_wait_s: float = 10.0
    robots_max_bytes: int = 500_000  # RFC 9309 asks crawlers to parse at least 500 KiB
    # robots.txt Crawl-delay is honoured (as per-host spacing) up to this many seconds, so
    # one site's "Crawl-delay: 3600" cannot stall a cycle.
    max_crawl_delay_s: float = 10.0

    def __post_init__(self) -> None:
        _require_text("user_agent", self.user_agent)
        if self.contact is not None:
            _require_text("contact", self.contact)
        for name in ("connect_timeout_s", "read_timeout_s", "total_timeout_s"):
            _require_positive(name, getattr(self, name))
        for name in ("per_host_delay_s", "max_retry_wait_s", "max_crawl_delay_s"):
            if not (math.isfinite(getattr(self, name)) and getattr(self, name) >= 0):
                raise ConfigError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        for name in ("max_bytes", "robots_max_bytes", "per_host_concurrency", "total_concurrency"):
            _require_positive(name, getattr(self, name))
        if self.max_redirects < 0:
            raise ConfigError(f"max_redirects must be >= 0, got {self.max_redirects!r}")
        if isinstance(self.allowed_hosts, str) or isinstance(self.allowed_networks, str):
            raise ConfigError("allowed_hosts and allowed_networks must be tuples of strings")
        parse_networks(self.allowed_networks)

    @property
    def user_agent_header(self) -> str:
        """The User-Agent sent on every request, with the contact when one is set."""
        if self.contact:
            return f"{self.user_agent} (contact: {self.contact})"
        return self.user_agent

    @property
    def robots_token(self) -> str:
        """The product token matched against robots.txt User-agent lines."""
        return self.user_agent.split("/", 1)[0].split()[0]


def _require_text(name: str, value: str) -> None:
    # CR/LF in a header value would let a setting inject headers.
    if not value.strip() or any(ch in value for ch in "\r\n\0"):
        raise ConfigError(f"{name} must be non-empty text on one line, got {value!r}")


def _require_positive(name: str, value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ConfigError(f"{name} must be > 0, got {value!r}")


@dataclass(frozen=True)
class FetchRequest:
    """One URL to fetch. `kind` picks the accepted content types and robots handling."""

    url: str
    kind: str = "page"  # page | feed | robots
    etag: str | None = None
    last_modified: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in REQUEST_KINDS:
            raise ValueError(f"kind must be one of {sorted(REQUEST_KINDS)}, got {self.kind!r}")


@dataclass(frozen=True)
class FetchResult:
    """What happened to one request. Exactly one of a usable response or `error` is set."""

    request: FetchRequest
    final_url: str
    status: int | None
    body: bytes | None
    content_type: str | None  # media type, lower-case, no params
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool  # 304
    retry_after_s: float | None
    redirects: tuple[str, ...]  # every URL redirected to, in order
    elapsed_s: float
    error: FetchError | None

    @property
    def ok(self) -> bool:
        """True for a usable answer: a body, or a 304 confirming the cached copy."""
        return self.error is None
