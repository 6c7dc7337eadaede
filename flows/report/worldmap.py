"""The brief's map: packaged country outlines, cropped to the places, with the places on top.

The outlines are the country paths pygal_maps_world ships (`worldmap.svg`, Wikimedia's
BlankMap-World6: Robinson projection centred on 11° E). Places are projected with the same
Robinson formulas; the scale and offset below were fitted once against the drawn extents of
nine countries (Mexico, Guatemala, Cuba, Iceland, Ireland, Italy, Egypt, Madagascar, Sri
Lanka): 2.4 map units root-mean-square, about a quarter of a degree. The whole file is 1 MB,
so only the countries whose outline meets the cropped view are copied into the brief.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources
from math import radians, sqrt

# Robinson's table: latitude (degrees) → (parallel length, distance from the equator).
_ROBINSON = (
    (0, 1.0000, 0.0000), (5, 0.9986, 0.0620), (10, 0.9954, 0.1240), (15, 0.9900, 0.1860),
    (20, 0.9822, 0.2480), (25, 0.9730, 0.3100), (30, 0.9600, 0.3720), (35, 0.9427, 0.4340),
    (40, 0.9216, 0.4958), (45, 0.8962, 0.5571), (50, 0.8679, 0.6176), (55, 0.8350, 0.6769),
    (60, 0.7986, 0.7346), (65, 0.7597, 0.7903), (70, 0.7186, 0.8435), (75, 0.6732, 0.8936),
    (80, 0.6213, 0.9394), (85, 0.5722, 0.9761), (90, 0.5322, 1.0000),
)
_CENTRAL_MERIDIAN = 11.0
_SCALE, _OFFSET_X, _OFFSET_Y = 515.94, 1353.43, 759.2  # fitted, see the module docstring
_MIN_SPAN = 260.0  # map units (about 30° of longitude): a single place still gets context
_ASPECT = 1.6


@dataclass(frozen=True, slots=True)
class MapPoint:
    label: str
    latitude: float
    longitude: float
    weight: int  # stories that mention the place


@dataclass(frozen=True, slots=True)
class _Outline:
    country: str  # ISO 3166-1 alpha-2, lower case
    data: str  # the path's d attribute as shipped
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in map units


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Robinson map units of the packaged outlines for a latitude and longitude."""
    lat = max(-90.0, min(90.0, latitude))
    length, height = _robinson_factors(abs(lat))
    delta = (longitude - _CENTRAL_MERIDIAN + 180.0) % 360.0 - 180.0
    x = _OFFSET_X + _SCALE * 0.8487 * length * radians(delta)
    y = _OFFSET_Y - _SCALE * 1.3523 * height * (1 if lat >= 0 else -1)
    return x, y


def _robinson_factors(lat: float) -> tuple[float, float]:
    index = min(bisect_right([row[0] for row in _ROBINSON], lat) - 1, len(_ROBINSON) - 2)
    (l0, x0, y0), (l1, x1, y1) = _ROBINSON[index], _ROBINSON[index + 1]
    t = (lat - l0) / (l1 - l0)
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


@lru_cache(maxsize=1)
def outlines() -> tuple[_Outline, ...]:
    """Every country path of the packaged map with its extent (parsed once per process)."""
    text = (resources.files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    found = []
    for group in re.finditer(r'<g class="([a-z]{2}) country[^"]*">(.*?)</g>', text, re.S):
        for element in re.finditer(r"<path\b[^>]*>", group.group(2)):
            path = element.group(0)
            data = re.search(r'\sd="([^"]+)"', path)
            if data is None or "transform=" in path:
                continue  # four tiny transformed islands: not worth a transform parser
            box = path_extent(data.group(1))
            if box is not None:
                found.append(_Outline(group.group(1), data.group(1), box))
    return tuple(found)


_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}


def path_extent(data: str) -> tuple[float, float, float, float] | None:
    """Extent of a path's end points (control points ignored: good enough for cropping)."""
    tokens = re.findall(r"[MmLlHhVvCcSsQqTtZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", data)
    x = y = start_x = start_y = 0.0
    xs: list[float] = []
    ys: list[float] = []
    command, i = "m", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command, i = tokens[i], i + 1
            if command in "zZ":
                x, y = start_x, start_y
                continue
        count = _ARGS.get(command.lower())
        if count is None or i + count > len(tokens):
            break
        values = [float(v) for v in tokens[i:i + count]]
        i += count
        x, y = _advance(command, values, x, y)
        if command in "mM":
            start_x, start_y = x, y
            command = "l" if command == "m" else "L"  # later pairs are line-tos
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _advance(command: str, values: list[float], x: float, y: float) -> tuple[float, float]:
    relative = command.islower()
    kind = command.lower()
    if kind == "h":
        return (x + values[0] if relative else values[0]), y
    if kind == "v":
        return x, (y + values[0] if relative else values[0])
    if relative:
        return x + values[-2], y + values[-1]
    return values[-2], values[-1]


def view_box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """A view around the projected points, padded, at least _MIN_SPAN wide, 1.6:1."""
    if not points:
        return 0.0, 100.0, 2700.0, 2700.0 / 2  # the whole world
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    width = max(x1 - x0, (y1 - y0) * _ASPECT, _MIN_SPAN) * 1.3
    height = width / _ASPECT
    return (x0 + x1 - width) / 2, (y0 + y1 - height) / 2, width, height


def render_map(points: list[MapPoint], shaded: dict[str, int], *, labels: int = 10,
               display_width: float = 900.0) -> str:
    """An inline SVG: country outlines (shaded by stories) and a dot per place."""
    projected = [(project(p.latitude, p.longitude), p) for p in points]
    vx, vy, vw, vh = view_box([xy for xy, _ in projected])
    unit = vw / display_width  # map units per CSS pixel at the design width
    parts = [f'<svg class="map" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'aria-label="Map of the places the stories mention" '
             f'viewBox="{vx:.1f} {vy:.1f} {vw:.1f} {vh:.1f}">',
             f'<rect x="{vx:.1f}" y="{vy:.1f}" width="{vw:.1f}" height="{vh:.1f}" '
             f'class="sea"/>']
    parts += _country_paths((vx, vy, vx + vw, vy + vh), shaded, unit)
    top = max((p.weight for p in points), default=1)
    ordered = sorted(projected, key=lambda item: item[1].weight)
    for (x, y), point in ordered:
        radius = (3 + 7 * sqrt(point.weight / top)) * unit
        parts.append(f'<circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
                     f'stroke-width="{unit:.2f}"><title>{escape(point.label)}: '
                     f'{point.weight} stories</title></circle>')
    for label in place_labels(projected, (vx, vy, vw, vh), unit, labels):
        parts.append(label)
    parts.append("</svg>")
    return "".join(parts)


def place_labels(projected: list[tuple[tuple[float, float], MapPoint]],
                 view: tuple[float, float, float, float], unit: float,
                 limit: int) -> list[str]:
    """Labels for the most mentioned places that fit: right of the dot, or left of it near
    the right edge; a label that would overlap one already placed is left out."""
    size = 13 * unit
    placed: list[tuple[float, float, float, float]] = []
    names: set[str] = set()
    out: list[str] = []
    for (x, y), point in sorted(projected, key=lambda item: -item[1].weight):
        if len(out) >= limit or point.label in names:
            continue
        width = len(point.label) * size * 0.58
        left = x + 9 * unit + width > view[0] + view[2]
        x0 = x - 9 * unit - width if left else x + 9 * unit
        box = (x0, y - size, x0 + width, y + size * 0.4)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed):
            continue
        placed.append(box)
        names.add(point.label)
        anchor = ' text-anchor="end"' if left else ""
        tx = x - 9 * unit if left else x + 9 * unit
        out.append(f'<text class="place-label" x="{tx:.1f}" y="{y + 4 * unit:.1f}"{anchor} '
                   f'font-size="{size:.1f}" stroke-width="{3 * unit:.2f}">'
                   f'{escape(point.label)}</text>')
    return out


def _country_paths(view: tuple[float, float, float, float], shaded: dict[str, int],
                   unit: float) -> list[str]:
    top = max(shaded.values(), default=0)
    parts = []
    for outline in outlines():
        x0, y0, x1, y1 = outline.box
        if x1 < view[0] or x0 > view[2] or y1 < view[1] or y0 > view[3]:
            continue
        weight = shaded.get(outline.country, 0)
        level = 0 if not weight or not top else 1 + round(3 * weight / top)
        parts.append(f'<path class="land l{level}" stroke-width="{unit:.2f}" '
                     f'd="{outline.data}"/>')
    return parts
