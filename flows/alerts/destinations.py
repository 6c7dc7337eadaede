"""Where alerts go: Apprise URLs read from environment variables, and keeping them secret.

A destination is known in the warehouse and in logs only by its label,
`ENV_VAR[index] scheme` (e.g. `WIREWATCH_ALERT_URLS[0] slack`): webhook URLs carry their
credentials in the path or the host, so no part of the URL itself is ever recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from flows.alerts.rules import AlertRule

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]{0,31})://", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,]+")
# Pieces of a URL shorter than this are not worth masking (ports, "api", "v1").
_MIN_SECRET_LENGTH = 6
_URL_DELIMITERS = re.compile(r"[:/@?&=#;,+]+")
_HOSTNAME = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
# A user name or password is a credential however short it is (but a one- or two-letter
# piece would mask the same letters all over the message).
_MIN_USERINFO_LENGTH = 3
_USERINFO = re.compile(r"^([^/?#@]*)@")
# Any URL Apprise writes into a message, whole: Apprise's own "privacy" form keeps the user
# name and the first and last characters of each secret (`mailtos://bob:M...9@h...t`).
_URL_IN_TEXT = re.compile(r"\b([a-z][a-z0-9+.-]{0,31})://[^\s|'\"<>()\[\]]+", re.IGNORECASE)
# Apprise's partial mask outside a URL: first character, "...", last character.
_APPRISE_PARTIAL = re.compile(r"(?<![\w.])\w\.\.\.\w(?![\w.])")
REDACTED = "***"


@dataclass(frozen=True)
class Destination:
    """One Apprise URL from one environment variable."""

    env_var: str
    index: int
    url: str = field(repr=False)

    @property
    def scheme(self) -> str:
        match = _SCHEME.match(self.url)
        return match.group(1).lower() if match else "invalid"

    @property
    def label(self) -> str:
        return f"{self.env_var}[{self.index}] {self.scheme}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class VariableProblem:
    """An environment variable a rule names that yields no destination."""

    env_var: str
    reason: str  # "is not set" | "is empty"

    def __str__(self) -> str:
        return f"environment variable {self.env_var} {self.reason}"


@dataclass(frozen=True)
class Resolution:
    """A rule's destinations, and why any of its variables gave none."""

    destinations: tuple[Destination, ...]
    problems: tuple[VariableProblem, ...]


def split_urls(value: str) -> list[str]:
    """Apprise's own convention: URLs separated by spaces or commas (commas inside a URL
    must be written %2C)."""
    return [part for part in _SEPARATORS.split(value.strip()) if part]


def resolve_destinations(rule: AlertRule, env: Mapping[str, str]) -> Resolution:
    destinations: list[Destination] = []
    problems: list[VariableProblem] = []
    for name in rule.destinations_env:
        raw = env.get(name)
        if raw is None:
            problems.append(VariableProblem(name, "is not set"))
            continue
        urls = split_urls(raw)
        if not urls:
            problems.append(VariableProblem(name, "is empty"))
        destinations.extend(Destination(name, index, url) for index, url in enumerate(urls))
    return Resolution(tuple(destinations), tuple(problems))


def secret_fragments(url: str) -> set[str]:
    """Every piece of a URL that might be a credential: user, password, host-as-token,
    path segments, query values. Plain host names are kept so errors stay useful."""
    rest = _SCHEME.sub("", url, count=1)
    fragments = {url, rest}
    userinfo = _USERINFO.match(rest)
    if userinfo:
        for piece in userinfo.group(1).split(":"):
            for variant in {piece, unquote(piece)}:
                if len(variant) >= _MIN_USERINFO_LENGTH:
                    fragments.add(variant)
    for piece in _URL_DELIMITERS.split(rest):
        for variant in {piece, unquote(piece)}:
            if len(variant) >= _MIN_SECRET_LENGTH and not _HOSTNAME.match(variant):
                fragments.add(variant)
    return {fragment for fragment in fragments if fragment}


def redact(text: str, urls: Iterable[str]) -> str:
    """Mask anything in `text` that came from one of `urls` (longest pieces first)."""
    fragments: set[str] = set()
    for url in urls:
        fragments |= secret_fragments(url)
    for fragment in sorted(fragments, key=len, reverse=True):
        text = text.replace(fragment, REDACTED)
    text = _URL_IN_TEXT.sub(lambda match: f"{match.group(1)}://{REDACTED}", text)
    return _APPRISE_PARTIAL.sub(REDACTED, text)
