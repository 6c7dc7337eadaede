"""The exception tree of wirewatch's fetching, under the project's one error base.

Every error the pipeline reports is a `WirewatchError` (extractors/errors.py, re-exported
here). Whether retrying can help is a property of the error's *class*, never of its message:
callers read `error.transient` and `error.code`. An HTTP error status picks its class by the
status (`HTTPStatusError(...)` builds a `TransientHTTPStatusError` or a
`TerminalHTTPStatusError`), so even there the class decides.

    WirewatchError                  transient is a class attribute
    ├── ConfigError                 bad settings or configuration (terminal)
    ├── UsageError                  a command-line argument wirewatch cannot use (terminal)
    └── FetchError                  one URL could not be fetched; `code` says why
        ├── InvalidTarget           invalid_url (terminal)
        ├── BlockedTarget           blocked_scheme, blocked_address (terminal)
        ├── RobotsRefused           robots (terminal)
        ├── RobotsUnavailable       robots_unavailable (transient)
        ├── Deferred                deferred: the host asked us to wait (transient)
        ├── NetworkError            dns, connect, timeout, reset, protocol, transport
        │                           (transient)
        ├── HTTPStatusError         http_status
        │   ├── TransientHTTPStatusError   408/425/429 and 5xx except 501/505
        │   └── TerminalHTTPStatusError    every other error status
        ├── RedirectError           redirect_limit, redirect_loop, redirect_invalid
        │                           (terminal)
        └── ResponseRejected        the response arrived but is unusable (terminal)
            ├── ResponseTooLarge    too_large
            ├── UnacceptableContent content_type
            └── UndecodableBody     decoding
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, ClassVar

from extractors.errors import ConfigError, TransientError, UsageError, WirewatchError

__all__ = [
    "FETCH_ERROR_CLASSES",
    "BlockedTarget",
    "ConfigError",
    "Deferred",
    "FetchError",
    "HTTPStatusError",
    "InvalidTarget",
    "NetworkError",
    "RedirectError",
    "ResponseRejected",
    "ResponseTooLarge",
    "RobotsRefused",
    "RobotsUnavailable",
    "TerminalHTTPStatusError",
    "TransientError",
    "TransientHTTPStatusError",
    "UnacceptableContent",
    "UndecodableBody",
    "UsageError",
    "WirewatchError",
    "status_is_transient",
]

# Statuses for which the same request may succeed later. 501 and 505 are 5xx but describe
# what the server can never do, so retrying them only adds load.
_TRANSIENT_4XX = frozenset({408, 425, 429})
_TERMINAL_5XX = frozenset({501, 505})


def status_is_transient(status: int) -> bool:
    """True when an HTTP error status is worth retrying later (429, most 5xx, 408, 425)."""
    if status in _TRANSIENT_4XX:
        return True
    return 500 <= status <= 599 and status not in _TERMINAL_5XX


def _rebuild_fetch_error(cls: type[FetchError], state: dict[str, Any]) -> FetchError:
    return cls(**state)


class FetchError(WirewatchError):
    """One URL could not be fetched.

    `code` is the machine-readable reason (see docs/fetching.md), `status` the HTTP status
    when one was received, `retry_after_s` the server's Retry-After in seconds when given.
    """

    codes: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        code: str,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        if code not in self.codes:
            raise ValueError(f"{type(self).__name__} does not carry code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.url = url
        self.status = status
        self.retry_after_s = retry_after_s

    @property
    def reason(self) -> str:
        """`code: message`, the one-line form recorded in the warehouse."""
        return f"{self.code}: {self.message}"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    # Exceptions with keyword-only arguments do not survive pickling by default; results
    # cross process and Prefect task boundaries, so rebuild from the named fields.
    def __reduce__(self) -> tuple[Any, ...]:
        state = {
            "code": self.code,
            "message": self.message,
            "url": self.url,
            "status": self.status,
            "retry_after_s": self.retry_after_s,
        }
        return (_rebuild_fetch_error, (type(self), state))


class InvalidTarget(FetchError):
    """The URL cannot be requested at all (unparseable, no host)."""

    codes = frozenset({"invalid_url"})


class BlockedTarget(FetchError):
    """The address policy refused the URL: a non-http(s) scheme or a non-public address."""

    codes = frozenset({"blocked_scheme", "blocked_address"})


class RobotsRefused(FetchError):
    """robots.txt disallows the path for our user agent (or robots.txt answered 401/403)."""

    codes = frozenset({"robots"})


class RobotsUnavailable(FetchError, TransientError):
    """robots.txt could not be read (5xx, 429, network failure): we stay away for now."""

    codes = frozenset({"robots_unavailable"})


class Deferred(FetchError, TransientError):
    """Not sent: the host's Retry-After outlasts what one batch is willing to wait."""

    codes = frozenset({"deferred"})


class NetworkError(FetchError, TransientError):
    """The exchange failed below HTTP: name resolution, connection, timeout, reset."""

    codes = frozenset({"dns", "connect", "timeout", "reset", "protocol", "transport"})


class HTTPStatusError(FetchError):
    """The server answered with an error status.

    Constructing one yields the subclass its status belongs to, so `transient` stays a
    property of the class: `TransientHTTPStatusError` for a status worth retrying later,
    `TerminalHTTPStatusError` otherwise. `except HTTPStatusError` catches both.
    """

    codes = frozenset({"http_status"})

    def __new__(
        cls,
        code: str,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> HTTPStatusError:
        if status is None:
            raise ValueError("HTTPStatusError needs the status")
        chosen: type[HTTPStatusError] = cls
        if cls is HTTPStatusError:
            chosen = TransientHTTPStatusError if status_is_transient(status) \
                else TerminalHTTPStatusError
        return super().__new__(chosen)


class TransientHTTPStatusError(HTTPStatusError, TransientError):
    """408, 425, 429 or a 5xx other than 501/505: the same request may succeed later."""


class TerminalHTTPStatusError(HTTPStatusError):
    """Any other error status (404, 410, 403, 501, ...): asking again cannot help."""


class RedirectError(FetchError):
    """Redirects could not be followed: too many, a loop, or an unusable Location."""

    codes = frozenset({"redirect_limit", "redirect_loop", "redirect_invalid"})


class ResponseRejected(FetchError):
    """The response arrived but cannot be used."""

    codes = frozenset({"too_large", "content_type", "decoding"})


class ResponseTooLarge(ResponseRejected):
    """The decoded body exceeded the byte cap (checked while streaming)."""

    codes = frozenset({"too_large"})


class UnacceptableContent(ResponseRejected):
    """The media type is not one this kind of request can use (a PDF for a page)."""

    codes = frozenset({"content_type"})


class UndecodableBody(ResponseRejected):
    """The Content-Encoding is unsupported or the compressed stream is corrupt."""

    codes = frozenset({"decoding"})


#: Every code a FetchError can carry, mapped to the class that carries it.
FETCH_ERROR_CLASSES: MappingProxyType[str, type[FetchError]] = MappingProxyType({
    code: cls
    for cls in (
        InvalidTarget,
        BlockedTarget,
        RobotsRefused,
        RobotsUnavailable,
        Deferred,
        NetworkError,
        HTTPStatusError,
        RedirectError,
        ResponseTooLarge,
        UnacceptableContent,
        UndecodableBody,
    )
    for code in cls.codes
})
