"""Precision rules that look beyond the alias itself (docs/entities-topics.md, rules 7-10).

- Which matches need supporting context in the article (short acronyms, bare surnames,
  parties), and the domain words ("cues") that supply it, from data/entities/context.toml.
- Whether a place or body sits inside a longer capitalised name ("The New York Times",
  "Puebla de la Calzada", "Civic Democratic Party").
- Whether a line is shouted (all capitals), so its words are not read as acronyms
  ("NHL ICE HOCKEY") and its capitals say nothing about names.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from extractors.entity_text import PhraseTrie, Token, Tokens
from extractors.entity_words import (
    FOLLOWERS_OUTSIDE_NAMES,
    INSTITUTIONS,
    NAME_ARTICLES,
    NAME_CONNECTORS,
    NEUTRAL_CAPITALISED,
    PERSON_TITLES,
    SHORT_FORM_TITLES,
)
from extractors.errors import ConfigError

_CONTEXT_FILE = "context.toml"
CUE_WINDOW = 50  # tokens either side of an ambiguous alias where a cue counts
ACRONYM_MAX_LETTERS = 4
_SHOUTING_MIN_LETTERS = 8
_SHOUTING_SHARE = 0.7
_SENTENCE_ENDS = frozenset([".", "!", "?", ":", ";", '"', "»", "”"])
_PRECEDERS_OUTSIDE_NAMES = NEUTRAL_CAPITALISED | PERSON_TITLES | SHORT_FORM_TITLES
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_ASCII_UPPERS = string.ascii_uppercase.encode("ascii")


class ContextError(ConfigError, ValueError):
    """A [cues] table is malformed (terminal until the file is fixed)."""


def _cue_table(document: Mapping[str, Any], source: str) -> dict[str, list[str]]:
    table = document.get("cues", {})
    if not isinstance(table, dict) or not all(
        isinstance(words, list) and all(isinstance(w, str) for w in words)
        for words in table.values()
    ):
        raise ContextError(f"{source}: [cues] must map categories to lists of strings")
    return table


def _expand(
    table: Mapping[str, list[str]], category: str, trail: tuple[str, ...] = ()
) -> set[str]:
    words: set[str] = set()
    for word in table.get(category, []):
        if word.startswith("@"):
            if word[1:] not in trail:
                words |= _expand(table, word[1:], (*trail, category))
        else:
            words.add(word)
    return words


def build_cues(extra_text: str | None = None, extra_source: str = "") -> PhraseTrie:
    """A trie of cue phrases whose payload is the category they support."""
    packaged = (resources.files("extractors.data.entities") / _CONTEXT_FILE).read_text("utf-8")
    table = {k: list(v) for k, v in _cue_table(tomllib.loads(packaged), _CONTEXT_FILE).items()}
    if extra_text is not None:
        for category, words in _cue_table(tomllib.loads(extra_text), extra_source).items():
            table.setdefault(category, []).extend(words)
    trie = PhraseTrie()
    for category in table:
        for word in sorted(_expand(table, category)):
            trie.add(word, category)
    return trie


def cue_positions(tokens: Tokens, cues: PhraseTrie) -> dict[str, list[int]]:
    """Token indexes of the cues of each category in a document."""
    found: dict[str, list[int]] = {}
    for index in cues.start_positions(tokens):
        for hit in cues.candidates(tokens, index):
            for category in hit.payloads:
                found.setdefault(str(category), []).append(index)
    return found


def cue_near(positions: dict[str, list[int]], categories: Sequence[str], index: int) -> bool:
    return any(
        abs(position - index) <= CUE_WINDOW
        for category in categories
        for position in positions.get(category, ())
    )


def is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return 1 < len(letters) <= ACRONYM_MAX_LETTERS and all(c.isupper() for c in letters)


def context_need(form: str, kind: str, entity_type: str, categories: Sequence[str]) -> str | None:
    """Why a match of this alias needs support in the article, or None.

    acronym: an all-capitals alias of at most four letters of a body or person ("ICE", "GN");
    surname: a one-word full-name alias of a person ("Vance", "Noem");
    country: a party, which only the article's country tells apart from its namesakes.
    """
    if "party" in categories:
        return "country"
    if entity_type in {"ORG", "PERSON"} and is_acronym(form):
        return "acronym"
    if entity_type == "PERSON" and kind == "name" and len(form.split()) == 1:
        return "surname"
    return None


def _is_capitalised_word(token: Token, text: str) -> bool:
    return token.key[:1].isalpha() and text[token.start : token.start + 1].isupper()


def _same_line(text: str, left: Token, right: Token) -> bool:
    return "\n" not in text[left.end : right.start]


def _sentence_start(tokens: Sequence[Token], index: int, text: str) -> bool:
    if index == 0:
        return True
    before = tokens[index - 1]
    return before.key in _SENTENCE_ENDS or not _same_line(text, before, tokens[index])


def _continues_after(
    tokens: Sequence[Token], last: int, text: str, connector_ok: bool, known: PhraseTrie
) -> bool:
    after = last + 1
    if after >= len(tokens) or not _same_line(text, tokens[last], tokens[after]):
        return False
    nxt = tokens[after]
    if _is_capitalised_word(nxt, text):
        return nxt.key not in FOLLOWERS_OUTSIDE_NAMES
    if not connector_ok or nxt.key not in NAME_CONNECTORS:
        return False
    following = after + 1
    if following < len(tokens) and tokens[following].key in NAME_ARTICLES:
        following += 1
    if following >= len(tokens) or not _same_line(text, nxt, tokens[following]):
        return False
    word = tokens[following]
    # "Tierra Caliente de Guerrero": a known name after "de" is a place of its own.
    return (
        _is_capitalised_word(word, text)
        and word.key not in NEUTRAL_CAPITALISED
        and not known.starts_with(word.key)
    )


def _continues_before(tokens: Sequence[Token], first: int, text: str) -> bool:
    before = first - 1
    if before < 0 or not _same_line(text, tokens[before], tokens[first]):
        return False
    word = tokens[before]
    return (
        _is_capitalised_word(word, text)
        and word.key not in _PRECEDERS_OUTSIDE_NAMES
        and not _sentence_start(tokens, before, text)
    )


def _connected_before(tokens: Sequence[Token], first: int, text: str) -> bool:
    """"Universidad de California", "Inter de Milán", "Defensoría del Pueblo"."""
    before = first - 1
    if before >= 0 and tokens[before].key in NAME_ARTICLES:
        before -= 1
    if before < 1 or tokens[before].key not in NAME_CONNECTORS:
        return False
    if tokens[before - 1].key in INSTITUTIONS:
        return False  # "Gobierno de Chihuahua", "Fiscalía de Jalisco": the place itself
    return _continues_before(tokens, before, text)


def inside_longer_name(
    tokens: Sequence[Token],
    span: tuple[int, int],
    text: str,
    entity: tuple[str, bool, bool],
    known: PhraseTrie,
) -> bool:
    """A place or body written as part of a longer capitalised name.

    Places: a capitalised word right after it ("New York Times", "San Antonio Spurs") unless
    a role or generic word ("Texas Gov.", "Sinaloa State Police"); "de"/"of" and a
    capitalised word after it ("Puebla de la Calzada"); a capitalised word before it inside
    a sentence ("Real Madrid"), also through "de" ("Universidad de California"). Countries
    only by the word right before ("Human Rights Watch" aside, "Real España"): "Estados
    Unidos de Trump", "Gobierno de México", "U.S. Treasury" keep the country. Bodies: only
    the word before ("Civic Democratic Party"). `entity` is (type, is a country, is
    generated); the "de" rule before a place applies to generated places only, whose
    names are the most often reused; `known` is the alias trie.
    """
    first, last = span
    entity_type, is_country, generated = entity
    if entity_type in {"GPE", "LOC"}:
        if is_country:
            return _continues_before(tokens, first, text)
        return (
            _continues_after(tokens, last, text, True, known)
            or _continues_before(tokens, first, text)
            or (generated and _connected_before(tokens, first, text))
        )
    if entity_type == "ORG" and last > first:
        return _continues_before(tokens, first, text)
    return False


@lru_cache(maxsize=8)
def shouted_lines(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of lines written in capitals (headlines, tickers): most of their letters upper
    case and enough of them to tell. Cached for the last few texts: the linker and the
    entity step both ask for the same article's lines."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        if _shouted(line):
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return tuple(spans)


def _shouted(line: str) -> bool:
    """Counted in C: the ASCII part of the line by deleting letters from its bytes (for an
    ASCII character `str.isalpha` and `str.isupper` mean A-Z/a-z and A-Z), the few other
    characters with the `str` methods. The exact count of upper-case letters is only needed
    when the upper-case characters of any kind reach the share (prose lines stop before)."""
    if len(line) < _SHOUTING_MIN_LETTERS:
        return False
    ascii_part = line.encode("ascii", "ignore")
    others = _ASCII_RUNS.sub("", line) if len(ascii_part) < len(line) else ""
    ascii_letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    letters = ascii_letters + sum(map(str.isalpha, others))
    if letters < _SHOUTING_MIN_LETTERS:
        return False
    threshold = _SHOUTING_SHARE * letters
    ascii_uppers = len(ascii_part) - len(ascii_part.translate(None, _ASCII_UPPERS))
    if ascii_uppers + sum(map(str.isupper, others)) < threshold:
        return False
    return sum(1 for c in line if c.isalpha() and c.isupper()) >= threshold
