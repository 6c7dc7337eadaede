"""What an alert says: pure functions from the story's facts to a title and a body.

Two styles: `markdown` for chat services (Slack, Discord, Teams, Matrix; Apprise turns it
into HTML for e-mail) and `text` for services that show plain text. The markdown avoids
syntax Slack and CommonMark disagree on (**bold**, [text](url) links): links are
`<url>` autolinks and `<`, `>`, `&` are escaped as entities, which both understand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

Style = Literal["markdown", "text"]

MAX_EVIDENCE_TERMS = 8
MAX_ENTITIES = 5
_TITLE_LIMIT = 200


@dataclass(frozen=True)
class AlertMessage:
    """Everything one alert reports about one story."""

    alert_id: str
    rule_name: str
    story_id: str
    headline: str
    url: str | None = None
    outlet: str | None = None
    agencies: tuple[str, ...] = ()  # credited wire agencies
    outlet_count: int = 1
    article_count: int = 1
    languages: tuple[str, ...] = ()
    published_at: datetime | None = None
    topic: str | None = None
    topic_score: float | None = None
    evidence: tuple[str, ...] = ()
    top_entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestMessage:
    """Several new stories for one rule, sent as one message."""

    rule_name: str
    delivery_id: str
    stories: tuple[AlertMessage, ...]


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def render_alert(message: AlertMessage, style: Style) -> Rendered:
    """One story: headline as the title, then link, source, reach, time, topic, entities."""
    title = _clip(f"[{message.rule_name}] {message.headline}", _TITLE_LIMIT)
    lines = [
        _escape(message.headline, style),
        _link(message.url, style),
        _source_line(message, style),
        _reach_line(message),
        f"Published: {format_time(message.published_at)}",
        _topic_line(message, style),
        _entities_line(message, style),
        "",
        f"Alert {message.alert_id} · rule {_escape(message.rule_name, style)}",
    ]
    return Rendered(title=_escape(title, style), body=_join(lines))


def render_digest(digest: DigestMessage, style: Style) -> Rendered:
    """Numbered list of the stories, each with its link and a one-line summary."""
    count = len(digest.stories)
    noun = "story" if count == 1 else "stories"
    title = f"[{digest.rule_name}] {count} new {noun}"
    lines: list[str | None] = []
    for number, story in enumerate(digest.stories, start=1):
        lines.append(f"{number}. {_escape(story.headline, style)}")
        lines.append(f"   {_link(story.url, style)}" if story.url else None)
        lines.append(f"   {_digest_summary(story, style)}")
    lines += ["", f"Digest {digest.delivery_id} · rule {_escape(digest.rule_name, style)}"]
    return Rendered(title=_escape(title, style), body=_join(lines))


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return "unknown"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _source_line(message: AlertMessage, style: Style) -> str:
    outlet = _escape(message.outlet or "unknown outlet", style)
    if not message.agencies:
        return f"Outlet: {outlet}"
    return f"Outlet: {outlet} · credited: {_escape(', '.join(message.agencies), style)}"


def _reach_line(message: AlertMessage) -> str:
    outlets = _plural(message.outlet_count, "outlet")
    articles = _plural(message.article_count, "article")
    languages = ", ".join(message.languages) if message.languages else "language unknown"
    return f"Carried so far by {outlets} ({articles}) in {languages}"


def _topic_line(message: AlertMessage, style: Style) -> str | None:
    if not message.topic:
        return None
    score = f" (score {message.topic_score:.2f})" if message.topic_score is not None else ""
    terms = message.evidence[:MAX_EVIDENCE_TERMS]
    evidence = f" · evidence: {', '.join(terms)}" if terms else ""
    return _escape(f"Topic: {message.topic}{score}{evidence}", style)


def _entities_line(message: AlertMessage, style: Style) -> str | None:
    if not message.top_entities:
        return None
    return _escape("Entities: " + ", ".join(message.top_entities[:MAX_ENTITIES]), style)


def _digest_summary(story: AlertMessage, style: Style) -> str:
    parts = [story.outlet or "unknown outlet"]
    if story.agencies:
        parts[0] += f" (credited: {', '.join(story.agencies)})"
    parts.append(_plural(story.outlet_count, "outlet"))
    if story.languages:
        parts.append("/".join(story.languages))
    parts.append(format_time(story.published_at))
    return _escape(" · ".join(parts), style)


def _link(url: str | None, style: Style) -> str | None:
    if not url:
        return None
    return f"<{url}>" if style == "markdown" else url


def _escape(text: str, style: Style) -> str:
    if style == "text":
        return text
    # Entities rather than backslashes: Slack's mrkdwn knows only these three escapes.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(lines: Sequence[str | None]) -> str:
    return "\n".join(line for line in lines if line is not None)
