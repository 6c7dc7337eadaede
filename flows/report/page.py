"""The brief as one self-contained HTML page, and as plain text for e-mail's text part."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from functools import lru_cache
from html import escape
from importlib import resources

import jinja2
from markupsafe import Markup

from flows.report import charts
from flows.report.build import BriefData
from flows.report.worldmap import MapPoint, render_map


def fmt_time(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.strftime("%d %b %Y %H:%M UTC")


def fmt_delay(seconds: float | None) -> str:
    """A copy's delay after the original, rounded for reading."""
    if seconds is None:
        return "unknown"
    if seconds <= 0:
        return "same time or earlier"
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min"
    return f"{hours / 24:.1f} days"


def window_text(data: BriefData) -> str:
    return f"{fmt_time(data.options.since)} – {fmt_time(data.options.until)}"


def topics_text(data: BriefData) -> str:
    topics = data.options.topics
    if not topics:
        return "every topic"
    return "topics: " + ", ".join(t.replace("_", " ") for t in topics)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    folder = resources.files("flows.report") / "data"
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    return env.from_string((folder / "brief.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _css() -> str:
    return (resources.files("flows.report") / "data" / "brief.css").read_text(encoding="utf-8")


def _embed(chart: charts.Chart | str, as_image: bool, label: str) -> Markup:
    """Inline SVG (and its legend) for the page; for e-mail a data: image (mail clients that
    refuse inline SVG may still show it, and the plain-text part Apprise derives skips it)."""
    svg, legend = (chart.svg, chart.legend) if isinstance(chart, charts.Chart) else (chart, "")
    if not as_image or not svg:
        return Markup(svg + legend)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img alt="{escape(label)}" style="width:100%;height:auto" '
                  f'src="data:image/svg+xml;base64,{encoded}">{legend}')


def render_email_html(data: BriefData) -> str:
    """The brief as an e-mail body: the page's body and style, charts as data: images.

    Apprise derives the plain-text alternative part from this HTML, and its converter
    drops everything inside <html>, so the body goes without the document wrapper.
    """
    page = render_html(data, images=True)
    style = re.search(r"<style>.*?</style>", page, re.S)
    body = re.search(r"<body>(.*)</body>", page, re.S)
    return f'<div class="brief">{style.group(0) if style else ""}' \
           f'{body.group(1) if body else page}</div>'


def render_html(data: BriefData, images: bool = False) -> str:
    """The whole page: data, inline CSS and server-drawn SVG, nothing to fetch."""
    entity_svgs = {
        group: _embed(charts.trend_chart(trends, charts.day_range(trends)), images,
                      f"{group}: articles per day")
        for group, trends in data.entities.items() if trends
    }
    days = data.options.silent_feed_days
    return _template().render(
        data=data,
        title=data.options.title,
        css=Markup(_css()),
        window_text=window_text(data),
        topics_text=topics_text(data),
        generated=fmt_time(data.generated_at),
        outlet_count=len({o for s in data.stories for o in s.outlets}),
        timeline_svg=_embed(charts.timeline_chart(data.timeline, data.timeline_unit,
                                                  data.options.topics), images,
                            "new stories by topic"),
        reach_svg=_embed(charts.reach_chart(data.reach_rows), images, "wire reach")
        if data.reach_rows else "",
        entity_svgs=entity_svgs,
        map_svg=_embed(_map(data), images, "map of the places"),
        silent_days=f"{days:g} days",
        fmt_time=fmt_time,
        fmt_delay=fmt_delay,
    )


def _map(data: BriefData) -> Markup | str:
    if not data.located:
        return ""
    points = [MapPoint(p.place.name, p.latitude, p.longitude, p.place.stories)
              for p in data.points]
    # Designed for about 480 CSS pixels: the map shares a row with the timeline.
    return Markup(render_map(points, data.country_weights, display_width=480))


def render_text(data: BriefData, limit: int = 20) -> str:
    """The same brief in plain text: stories, reach, entities, places, feed problems."""
    lines = [f"{data.options.title}: stories first seen {window_text(data)} ({topics_text(data)})",
             f"{data.story_total} new stories", ""]
    for number, s in enumerate(data.stories[:limit], start=1):
        lines.append(f"{number}. {s.headline}")
        if s.url:
            lines.append(f"   {s.url}")
        credited = f" · credited: {', '.join(s.agencies)}" if s.agencies else ""
        lines.append(f"   {fmt_time(s.first_seen_at)} · {len(s.outlets)} outlets "
                     f"({', '.join(s.languages)}) · {s.copies} copies, "
                     f"{s.translations} translations{credited}")
    if data.story_total > min(limit, len(data.stories)):
        lines.append(f"   … and {data.story_total - min(limit, len(data.stories))} more")
    if data.reach:
        lines += ["", "Wire reach:"]
        lines += [f"- {r.source}: {r.outlets} outlets, {r.copies} copies" for r in data.reach]
    for group, trends in data.entities.items():
        if trends:
            names = ", ".join(f"{t.name} ({t.articles})" for t in trends[:5])
            lines += ["", f"{group.capitalize()}: {names}"]
    if data.located:
        names = ", ".join(f"{p.place.name} ({p.place.stories})" for p in data.located[:8])
        lines += ["", f"Places: {names}"]
    lines += ["", f"Feeds needing attention: {len(data.feed_problems)} of {data.feed_total}"]
    lines += [f"- {f.outlet}: {f.problem}: {f.reason}" for f in data.feed_problems]
    return "\n".join(lines)
