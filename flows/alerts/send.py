"""Sending one message to one destination through Apprise, with the reason when it fails.

Apprise's `notify` answers only True/False; the reason is in what it logs while sending,
so those log lines are captured (WARNING and above), masked and kept as the error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import apprise

from flows.alerts.destinations import Destination, redact
from flows.alerts.message import Rendered

# Generic webhook schemes whose URL may carry extra payload fields (`:name=value`) and
# headers (`+Name=value`): there the idempotency key travels as a field and a header.
_WEBHOOK_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})
_EMAIL_SCHEMES = frozenset({"mailto", "mailtos"})
IDEMPOTENCY_FIELD = "idempotency_key"
IDEMPOTENCY_HEADER = "Idempotency-Key"
_MAX_ERROR_CHARS = 500
_LOG_FORMAT = "%(levelname)s %(message)s"
_APPRISE_LOGGER = "apprise"


@dataclass(frozen=True)
class Outgoing:
    """One message, in both styles, with the key receivers use to drop repeats."""

    delivery_id: str
    markdown: Rendered
    text: Rendered
    html: str | None = None  # a digest's HTML brief, sent to e-mail destinations only


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None


Sender = Callable[[Destination, Outgoing], SendResult]


def apprise_send(destination: Destination, outgoing: Outgoing) -> SendResult:
    """Send through Apprise; never raises for a delivery problem, returns the reason."""
    url = with_idempotency_key(destination, outgoing.delivery_id)
    with (
        _masked_apprise_logs([url, destination.url]),
        apprise.LogCapture(level=logging.WARNING, fmt=_LOG_FORMAT) as captured,
    ):
        plugin = apprise.Apprise.instantiate(url)
        html = outgoing.html if destination.scheme in _EMAIL_SCHEMES else None
        ok = False if plugin is None else _notify(plugin, outgoing, html)
        captured_text = captured.getvalue()
    if plugin is None:
        reason = f"Apprise cannot use this {destination.scheme}:// URL"
        return SendResult(False, _error_text(reason, captured_text, destination, url))
    if ok:
        return SendResult(True)
    return SendResult(False, _error_text("not delivered", captured_text, destination, url))


class _MaskSecrets(logging.Filter):
    """Rewrites Apprise's log records with the destination's secrets masked.

    Some plugins log a rejected token verbatim ("An invalid Slack Token (xoxb-...)"); a
    filter on Apprise's logger runs before any handler, ours or the application's.
    """

    def __init__(self, urls: list[str]) -> None:
        super().__init__()
        self._urls = urls

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self._urls)
        record.args = None
        return True


@contextmanager
def _masked_apprise_logs(urls: list[str]) -> Iterator[None]:
    apprise_logger = logging.getLogger(_APPRISE_LOGGER)
    mask = _MaskSecrets(urls)
    apprise_logger.addFilter(mask)
    try:
        yield
    finally:
        apprise_logger.removeFilter(mask)


def _notify(plugin: apprise.NotifyBase, outgoing: Outgoing, html: str | None = None) -> bool:
    # Services that only show text get the text style; the rest get markdown, which
    # Apprise converts to HTML for e-mail and passes to Slack as mrkdwn. An HTML brief goes
    # to e-mail as HTML; Apprise adds the plain-text alternative part from it.
    if html is not None:
        rendered = Rendered(outgoing.text.title, html)
        body_format = apprise.NotifyFormat.HTML
    elif plugin.notify_format == apprise.NotifyFormat.TEXT:
        rendered, body_format = outgoing.text, apprise.NotifyFormat.TEXT
    else:
        rendered, body_format = outgoing.markdown, apprise.NotifyFormat.MARKDOWN
    try:
        return bool(
            plugin.notify(body=rendered.body, title=rendered.title, body_format=body_format)
        )
    except Exception:
        # A plugin bug must fail this one delivery (recorded, retried), not the whole run.
        logging.getLogger(_APPRISE_LOGGER).exception("Apprise plugin raised while sending")
        return False


def with_idempotency_key(destination: Destination, delivery_id: str) -> str:
    """The destination URL, plus the idempotency key as payload field and header for
    generic webhooks; other services get it in the message footer only."""
    if destination.scheme not in _WEBHOOK_SCHEMES:
        return destination.url
    key = quote(delivery_id, safe="")
    joiner = "&" if "?" in destination.url else "?"
    return f"{destination.url}{joiner}:{IDEMPOTENCY_FIELD}={key}&+{IDEMPOTENCY_HEADER}={key}"


def _error_text(reason: str, captured: str, destination: Destination, url: str) -> str:
    lines = [line.strip() for line in captured.splitlines() if line.strip()]
    detail = " | ".join(lines)
    text = f"{reason}: {detail}" if detail else reason
    return redact(text, [url, destination.url])[:_MAX_ERROR_CHARS]
