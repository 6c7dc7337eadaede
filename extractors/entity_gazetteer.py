"""The canonical entity list: packaged TOML files plus an optional user file, loaded once.

File format (packaged and user files alike): a TOML document with an `entity` array of
tables. Fields: id, type (PERSON|ORG|GPE|LOC), name, names (aliases in any language),
es / en (aliases only valid in that language, e.g. Spanish "EU" = United States), short
(short forms linked only after a full mention or a title), country (ISO 3166-1 alpha-2),
admin1 (ISO 3166-2), categories, ambiguous (bare name is also a surname), and for places
geo ("country" | "admin1:<city>" | "city:<city>") or lat/lon. A user entry with an id that
already exists replaces the packaged entry.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from extractors.entity_context import ContextError, build_cues
from extractors.entity_geo import admin1_name, country_name, resolve_geo
from extractors.entity_kb import (
    DEFAULT_PLACES,
    KIND_RANK,
    KbPlace,
    PlaceLayers,
    merge_places,
    selected_places,
)
from extractors.entity_text import PhraseTrie, phrase_key
from extractors.errors import ConfigError

ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC"})
_DATA_PACKAGE = "extractors.data.entities"
_COORDINATES_FILE = "coordinates.tsv"


class GazetteerError(ConfigError, ValueError):
    """An entity file is malformed; terminal until the file is fixed."""


@dataclass(frozen=True, slots=True)
class Entity:
    entity_id: str
    type: str
    name: str
    names: tuple[str, ...]
    short: tuple[str, ...] = ()
    names_es: tuple[str, ...] = ()
    names_en: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None
    categories: tuple[str, ...] = ()
    ambiguous: bool = False
    geo: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_name: str | None = None
    admin1_name: str | None = None
    linked: bool = True
    alternates: tuple[str, ...] = ()  # generated places: GeoNames alternate names
    rank: int = 0  # 0 hand-written; generated places by kind (entity_kb.KIND_RANK)
    population: int = 0


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One way of writing an entity's name, as indexed in the trie."""

    entity_id: str
    form: str  # as written in the data file: its capitals are the case rule
    kind: str  # name | short | alt (a generated place's alternate name)
    language: str | None  # None: any language


BLOCKED = "blocked"  # trie payload of a blocklisted phrase


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entities: MappingProxyType[str, Entity]  # entity_id -> Entity
    trie: PhraseTrie
    cues: PhraseTrie  # words that support ambiguous aliases (data/entities/context.toml)


def _string_tuple(raw: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise GazetteerError(f"{where}: '{field}' must be a list of strings")
    return tuple(value)


def _optional_float(raw: dict[str, Any], field: str, where: str) -> float | None:
    value = raw.get(field)
    if value is None:
        return None
    if not isinstance(value, int | float):
        raise GazetteerError(f"{where}: '{field}' must be a number")
    return float(value)


def parse_entity(raw: dict[str, Any], where: str) -> Entity:
    """One entity table from a file; GazetteerError names the file and entry when bad."""
    for required in ("id", "type", "name"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise GazetteerError(f"{where}: missing or empty '{required}'")
    if raw["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: type {raw['type']!r} is not one of {sorted(ENTITY_TYPES)}")
    names = _string_tuple(raw, "names", where) or (raw["name"],)
    return Entity(
        entity_id=raw["id"],
        type=raw["type"],
        name=raw["name"],
        names=names,
        short=_string_tuple(raw, "short", where),
        names_es=_string_tuple(raw, "es", where),
        names_en=_string_tuple(raw, "en", where),
        country=raw.get("country"),
        admin1=raw.get("admin1"),
        categories=_string_tuple(raw, "categories", where),
        ambiguous=bool(raw.get("ambiguous", False)),
        geo=raw.get("geo"),
        latitude=_optional_float(raw, "lat", where),
        longitude=_optional_float(raw, "lon", where),
    )


def parse_entity_file(text: str, source: str) -> list[Entity]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GazetteerError(f"{source}: not valid TOML ({error})") from error
    rows = document.get("entity", [])
    if not isinstance(rows, list):
        raise GazetteerError(f"{source}: 'entity' must be an array of tables")
    return [parse_entity(row, f"{source} entity #{n + 1}") for n, row in enumerate(rows)]


def parse_block_list(text: str, source: str) -> list[str]:
    """Phrases under a top-level `block` key (absent: none)."""
    document = tomllib.loads(text)
    phrases = document.get("block", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise GazetteerError(f"{source}: 'block' must be a list of strings")
    return phrases


def _packaged_files() -> list[tuple[str, str]]:
    folder = resources.files(_DATA_PACKAGE)
    return [
        (item.name, item.read_text(encoding="utf-8"))
        for item in sorted(folder.iterdir(), key=lambda p: p.name)
        if item.name.endswith(".toml")
    ]


def _packaged_entities() -> list[Entity]:
    entities: list[Entity] = []
    for name, text in _packaged_files():
        entities.extend(parse_entity_file(text, name))
    return entities


def _packaged_coordinates() -> dict[str, tuple[float, float]]:
    source = resources.files(_DATA_PACKAGE) / _COORDINATES_FILE
    if not source.is_file():
        return {}
    rows = csv.DictReader(source.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return {row["entity_id"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}


def _with_places(entity: Entity, coordinates: dict[str, tuple[float, float]]) -> Entity:
    """Fill coordinates (precomputed, else resolved now) and readable country/admin1 names."""
    latitude, longitude = entity.latitude, entity.longitude
    if latitude is None and entity.entity_id in coordinates:
        latitude, longitude = coordinates[entity.entity_id]
    elif latitude is None and entity.geo:
        point = resolve_geo(entity.geo, entity.country)
        if point is not None:
            latitude, longitude = point.latitude, point.longitude
    return Entity(
        **{
            **{f: getattr(entity, f) for f in Entity.__dataclass_fields__},
            "latitude": latitude,
            "longitude": longitude,
            "country_name": country_name(entity.country),
            "admin1_name": admin1_name(entity.admin1),
        }
    )


def _alias_keys(form: str) -> list[str]:
    # "U.S." is also written "U.S" before a hyphen or at a line end: index both.
    forms = [form]
    if form.endswith(".") and len(phrase_key(form)) > 1:
        forms.append(form[:-1])
    return forms


def build_trie(entities: list[Entity], blocked: list[str]) -> PhraseTrie:
    trie = PhraseTrie()
    for phrase in blocked:
        trie.add(phrase, BLOCKED)
    for entity in entities:
        groups = (
            (entity.names, "name", None),
            (entity.names_es, "name", "es"),
            (entity.names_en, "name", "en"),
            (entity.short, "short", None),
            (entity.alternates, "alt", None),
        )
        for forms, kind, language in groups:
            for form in forms:
                entry = AliasEntry(entity.entity_id, form, kind, language)
                for key in _alias_keys(form):
                    trie.add(key, entry)
    return trie


def place_entity(place: KbPlace, with_alternates: bool = True) -> Entity:
    return Entity(
        entity_id=place.entity_id,
        type="GPE",
        name=place.name,
        names=place.names,
        names_es=place.names_es,
        names_en=place.names_en,
        country=place.country,
        admin1=place.admin1,
        latitude=place.latitude,
        longitude=place.longitude,
        country_name=country_name(place.country),
        admin1_name=admin1_name(place.admin1),
        alternates=place.alternates if with_alternates else (),
        rank=KIND_RANK[place.kind],
        population=place.population,
    )


def _curated(extra_path: Path | None) -> tuple[list[Entity], list[str], PhraseTrie]:
    merged: dict[str, Entity] = {e.entity_id: e for e in _packaged_entities()}
    blocked = [p for name, text in _packaged_files() for p in parse_block_list(text, name)]
    extra_text = None
    if extra_path is not None:
        path = Path(extra_path)
        if not path.is_file():
            raise GazetteerError(f"extra entities file not found: {path}")
        extra_text = path.read_text(encoding="utf-8")
        for entity in parse_entity_file(extra_text, str(path)):
            merged[entity.entity_id] = entity
        blocked.extend(parse_block_list(extra_text, str(path)))
    try:
        cues = build_cues(extra_text, str(extra_path))
    except ContextError as error:
        raise GazetteerError(str(error)) from error
    coordinates = _packaged_coordinates()
    curated = [_with_places(entity, coordinates) for entity in merged.values()]
    return curated, blocked, cues


@lru_cache(maxsize=8)
def _entity_list(
    extra_path: Path | None, places: PlaceLayers
) -> tuple[tuple[Entity, ...], tuple[str, ...], PhraseTrie]:
    """The merged entities, the blocked phrases and the cues (the gazetteer without its trie)."""
    curated, blocked, cues = _curated(extra_path)
    entities = merge_places(
        curated,
        selected_places(places),
        lambda place: place_entity(place, places.city_alternates),
    )
    return tuple(entities), tuple(blocked), cues


@lru_cache(maxsize=8)
def known_entities(
    extra_path: Path | None = None, places: PlaceLayers = DEFAULT_PLACES
) -> MappingProxyType[str, Entity]:
    """The gazetteer's entities by id, without the linker's trie: what tagging needs once the
    linker's findings are at hand (the trie is about 20 MB and 0.2 s of CPU per process)."""
    return MappingProxyType({e.entity_id: e for e in _entity_list(extra_path, places)[0]})


@lru_cache(maxsize=8)
def load_gazetteer(
    extra_path: Path | None = None, places: PlaceLayers = DEFAULT_PLACES
) -> Gazetteer:
    """Hand-written entities (packaged, then the user's file, whose ids replace packaged
    ones) plus the generated places `places` selects. Cached by value: every tagger with the
    same settings in a process shares one base."""
    entities, blocked, cues = _entity_list(extra_path, places)
    return Gazetteer(
        entities=known_entities(extra_path, places),
        trie=build_trie(list(entities), list(blocked)),
        cues=cues,
    )


def lookup_entity(
    entity_id: str, extra_path: Path | None = None, places: PlaceLayers = DEFAULT_PLACES
) -> Entity | None:
    """The canonical record of an id, also for generated places outside `places`.

    Reads the entities without building the linker's trie (a third of loading the
    gazetteer): the load and the entities stage store entity rows in the cycle's own
    process, which links nothing."""
    known = known_entities(extra_path, places).get(entity_id)
    if known is not None:
        return known
    from extractors.entity_kb import kb_places_by_id

    place = kb_places_by_id().get(entity_id)
    return place_entity(place) if place is not None else None
