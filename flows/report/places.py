"""Where a place is, for the map: one function, so new sources of coordinates slot in here.

Order: the coordinates the warehouse holds for the entity (`entity_catalog`, filled from the
knowledge base when the entity was stored), then the packaged gazetteer's precomputed table
(for rows stored before coordinates were known). A place found in neither is listed in the
brief but not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from warehouse.report_queries import PlaceRow


@dataclass(frozen=True, slots=True)
class Located:
    place: PlaceRow
    latitude: float
    longitude: float


def place_coordinates(place: PlaceRow) -> tuple[float, float] | None:
    """Latitude and longitude of a place, or None when no source knows it."""
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    return _packaged().get(place.entity_id)


@lru_cache(maxsize=1)
def _packaged() -> dict[str, tuple[float, float]]:
    # The gazetteer's own table (private by name, but it is exactly this data), read once.
    from extractors.entity_gazetteer import _packaged_coordinates

    return _packaged_coordinates()


def is_country(place: PlaceRow) -> bool:
    """A country-level place (no first-level subdivision): shaded on the map, not dotted."""
    return place.country is not None and place.admin1 is None and len(place.country) == 2


def locate(places: list[PlaceRow]) -> tuple[list[Located], list[PlaceRow]]:
    """Split places into those with coordinates and those without."""
    located, unknown = [], []
    for place in places:
        where = place_coordinates(place)
        if where is None:
            unknown.append(place)
        else:
            located.append(Located(place, where[0], where[1]))
    return located, unknown
