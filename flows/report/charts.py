"""The brief's charts, drawn by pygal as inline SVG on the server: no script, no font, no URL.

pygal embeds a small script holding its configuration for its optional tooltip script,
which the brief never loads (nothing may be fetched, and mail clients drop scripts); that
block and pygal's comments are removed from the output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

import pygal
from pygal.style import Style

from warehouse.report_queries import EntityTrend, ReachRow

FONT = ('system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        '"Liberation Sans", sans-serif')
COLORS = ("#1f5fa8", "#d9822b", "#2a9d8f", "#c0392b", "#7b61a8", "#8c6d1f", "#4f7f3a",
          "#b04f86", "#5c6b73", "#2c3e50")
STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#222",
    foreground_strong="#111", foreground_subtle="#666", colors=COLORS, font_family=FONT,
    label_font_size=15, major_label_font_size=15, legend_font_size=15, title_font_size=17,
    value_font_size=14, tooltip_font_size=14, opacity=".85", opacity_hover=".95",
)
_COMMON = {"style": STYLE, "js": [], "width": 760, "height": 340, "margin": 8,
           "truncate_label": -1,  # pygal shortens x labels it thinks too long ("21 F…")
           "show_legend": False,
           "show_y_guides": True, "print_zeroes": False}


@dataclass(frozen=True, slots=True)
class Chart:
    svg: str  # the chart, an <svg> element
    legend: str  # HTML: one swatch and name per series, in the chart's colours

    def __html__(self) -> str:
        return self.svg + self.legend


def inline(chart: pygal.graph.graph.Graph) -> Chart:
    """The chart as an SVG element without pygal's script and comments, and its legend.

    The legend is HTML beside the SVG rather than pygal's own: it wraps to the screen's
    width and stays legible on a phone, where pygal's fixed legend rows get clipped.
    """
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return Chart(svg, legend_html([options['title'] for _, options in chart.raw_series]))


def legend_html(names: Sequence[str]) -> str:
    items = "".join(
        f'<li><i style="background:{COLORS[n % len(COLORS)]}"></i>{escape(name)}</li>'
        for n, name in enumerate(names))
    return f'<ul class="legend">{items}</ul>' if len(names) > 1 else ""


def bucket_start(moment: datetime, unit: str) -> datetime:
    moment = moment.replace(minute=0, second=0, microsecond=0)
    return moment if unit == "hour" else moment.replace(hour=0)


def buckets(first: datetime, last: datetime, unit: str) -> list[datetime]:
    """Every bucket from the one holding `first` to the one holding `last`."""
    step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)
    current, end, out = bucket_start(first, unit), bucket_start(last, unit), []
    while current <= end:
        out.append(current)
        current += step
    return out


def bucket_label(moment: datetime, unit: str) -> str:
    return moment.strftime("%d %b %H:00" if unit == "hour" else "%d %b")


def timeline_chart(rows: Sequence[tuple[datetime, str, int]], unit: str,
                   topics_first: Sequence[str] = ()) -> Chart:
    """Stacked bars: new stories per hour or day, one colour per topic."""
    # Drawn narrower than the others: it shares a row with the map on wide screens.
    chart = pygal.StackedBar(**{**_COMMON, "width": 520, "height": 360})
    if not rows:
        return inline(chart)
    times = [r[0] for r in rows]
    slots = buckets(min(times), max(times), unit)
    index = {slot: n for n, slot in enumerate(slots)}
    per_topic: dict[str, list[int]] = defaultdict(lambda: [0] * len(slots))
    for moment, topic, count in rows:
        per_topic[topic][index[bucket_start(moment, unit)]] += count
    chart.x_labels = [bucket_label(slot, unit) for slot in slots]
    chart.x_labels_major_count = 8
    chart.show_minor_x_labels = len(slots) <= 8
    order = [t for t in topics_first if t in per_topic] + sorted(
        t for t in per_topic if t not in topics_first)
    for topic in order:
        chart.add(topic.replace("_", " "), per_topic[topic])
    return inline(chart)


def reach_chart(rows: Sequence[ReachRow]) -> Chart:
    """Horizontal bars per source: outlets that carried its copy, and copies."""
    outlets: dict[str, set[str]] = defaultdict(set)
    copies: dict[str, int] = defaultdict(int)
    for row in rows:
        outlets[row.source].add(row.outlet)
        copies[row.source] += row.copies
    sources = sorted(outlets, key=lambda s: (len(outlets[s]), copies[s]))
    height = 120 + 44 * max(len(sources), 1)
    chart = pygal.HorizontalBar(**{**_COMMON, "height": height, "truncate_label": 30})
    chart.x_labels = sources
    chart.add("outlets carrying it", [len(outlets[s]) for s in sources])
    chart.add("copies", [copies[s] for s in sources])
    return inline(chart)


TREND_LINES = 5


def trend_chart(trends: Sequence[EntityTrend], days: Sequence[date]) -> Chart:
    """Articles mentioning each entity per day: a line for each of the top entities."""
    # Drawn narrow like the timeline, so it fits a phone without scrolling.
    chart = pygal.Line(**{**_COMMON, "width": 520, "height": 280}, dots_size=3,
                       x_label_rotation=0)
    chart.x_labels = [day.strftime("%d %b") for day in days]
    chart.x_labels_major_count = 8
    chart.show_minor_x_labels = len(days) <= 8
    for trend in trends[:TREND_LINES]:  # more lines than this read as a tangle
        counts = dict(trend.per_day)
        chart.add(trend.name, [counts.get(day, 0) for day in days])
    return inline(chart)


def day_range(trends: Sequence[EntityTrend]) -> list[date]:
    """Every day from the first to the last one any trend has a count for."""
    days = [day for trend in trends for day, _ in trend.per_day]
    if not days:
        return []
    first, last = min(days), max(days)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
