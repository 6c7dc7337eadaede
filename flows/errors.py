"""The exception tree of wirewatch.

Every error the pipeline reports is a `WirewatchError`. Whether retrying can help is a
property of the error's *type* (and, for HTTP errors, of the status code), never of its
message: callers read `error.transient` and `error.code`.

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
        ├── HTTPStatusError         http_status (transient for 408/425/429/5xx except
        │                           501/505, terminal otherwise)
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

# Statuses for which the same request may succeed later. 501 and 505 are 5xx but describe
# what the server can never do, so retrying them only adds load.
_TRANSIENT_4XX = frozenset({408, 425, 429})
_TERMINAL_5XX = frozenset({501, 505})


def status_is_transient(status: int) -> bool:
    """True when an HTTP error status is worth retrying later (429, most 5xx, 408, 425)."""
    if status in _TRANSIENT_4XX:
        return True
    return 500 <= status <= 599 and status not in _TERMINAL_5XX


class WirewatchError(Exception):
    """Base of every error raised or reported by wirewatch."""

    transient: ClassVar[bool] = False


class ConfigError(WirewatchError):
    """A setting or configuration value is invalid; the message names the field."""

    transient: ClassVar[bool] = False


class UsageError(WirewatchError):
    """A command-line argument that click accepted but wirewatch cannot use (exit code 2)."""

    transient: ClassVar[bool] = False


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


class RobotsUnavailable(FetchError):
    """robots.txt could not be read (5xx, 429, network failure): we stay away for now."""

    codes = frozenset({"robots_unavailable"})
    transient = True


class Deferred(FetchError):
    """Not sent: the host's Retry-After outlasts what one batch is willing to wait."""

    codes = frozenset({"deferred"})
    transient = True


class NetworkError(FetchError):
    """The exchange failed below HTTP: name resolution, connection, timeout, reset."""

    codes = frozenset({"dns", "connect", "timeout", "reset", "protocol", "transport"})
    transient = True


class HTTPStatusError(FetchError):
    """The server answered with an error status; transient depends on the status."""

    codes = frozenset({"http_status"})

    def __init__(
        self,
        code: str,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        if status is None:
            raise ValueError("HTTPStatusError needs the status")
        super().__init__(code, message, url=url, status=status, retry_after_s=retry_after_s)
        # Instance attribute shadows the class default: the status decides.
        self.transient = status_is_transient(status)  # type: ignore[misc]


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
