"""Which agency spellings can occur in a text at all, decided by one multi-string search.

Credit recognition scans every text with regular expressions whose core is the alternation
of all agency spellings, case-insensitive for most of them. Python's engine has no literal
prefix for such a pattern and tries the whole alternation at every word start, while most
texts name no agency at all. A spelling that is not a substring of the text (in the sense of
the engine's case-insensitive matching) can match nowhere in it, nor in any part of it, so
the patterns built from the spellings that do occur find exactly the same matches.

The search (Aho-Corasick, every spelling in one pass over the text) must never miss a
spelling the engine would match. It compares `str.lower()` of the text with that of the
spelling, which agrees with the engine's case folding for every character except a few (such
as "ſ", which the engine matches as "s", or "İ", whose lower-case form is two characters).
Those characters are found once per set of spellings, by matching every code point against
the spelling characters' case-insensitive patterns; a text that contains one of them is not
narrowed down (`SpellingGate.present` returns None) and gets every pattern, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ahocorasick_rs import AhoCorasick

# The only character whose str.lower() depends on its neighbours (final sigma).
_CONTEXTUAL = "\u03a3"

Spelling = tuple[str, bool]  # (spelling, case-sensitive)


@dataclass(frozen=True, slots=True, eq=False)
class SpellingGate:
    """One multi-string search per text tells which of a set of spellings it may contain."""

    folded: AhoCorasick | None  # the lower-cased case-insensitive spellings
    folded_spellings: tuple[tuple[Spelling, ...], ...]  # per pattern of `folded`
    exact: AhoCorasick | None  # the case-sensitive spellings, as they are
    exact_spellings: tuple[Spelling, ...]
    # characters whose lower-case form differs from the engine's case folding of a spelling
    # character they match; None when a spelling itself cannot be compared by lower-casing
    unsafe: re.Pattern[str] | None

    def present(self, text: str) -> frozenset[Spelling] | None:
        """The spellings that may occur in `text` (a superset of those the engine would
        match), or None when `text` holds a character the test cannot vouch for."""
        if self.unsafe is None or self.unsafe.search(text) is not None:
            return None
        found: set[Spelling] = set()
        if self.folded is not None:
            for index, _, _ in self.folded.find_matches_as_indexes(text.lower(), overlapping=True):
                found.update(self.folded_spellings[index])
        if self.exact is not None:
            for index, _, _ in self.exact.find_matches_as_indexes(text, overlapping=True):
                found.add(self.exact_spellings[index])
        return frozenset(found)


@lru_cache(maxsize=8)
def spelling_gate(spellings: tuple[Spelling, ...]) -> SpellingGate:
    """The gate for `spellings`, built once per set (per process)."""
    folded = [s for s in spellings if not s[1]]
    by_lowered: dict[str, list[Spelling]] = {}
    for spelling in folded:
        by_lowered.setdefault(spelling[0].lower(), []).append(spelling)
    exact = tuple(dict.fromkeys(s for s in spellings if s[1]))
    return SpellingGate(
        folded=AhoCorasick(list(by_lowered)) if by_lowered else None,
        folded_spellings=tuple(tuple(group) for group in by_lowered.values()),
        exact=AhoCorasick([s for s, _ in exact]) if exact else None,
        exact_spellings=exact,
        unsafe=_unsafe_pattern(folded),
    )


def _unsafe_pattern(folded: list[Spelling]) -> re.Pattern[str] | None:
    characters = sorted({ch for spelling, _ in folded for ch in spelling})
    if any(len(ch.lower()) != 1 or ch == _CONTEXTUAL for ch in characters):
        return None  # the spelling's own lower-case form is not character by character
    unsafe = sorted(_unsafe_characters("".join(characters)))
    if not unsafe:
        return re.compile(r"(?!)")
    return re.compile("[" + "".join(re.escape(ch) for ch in unsafe) + "]")


@lru_cache(maxsize=8)
def _unsafe_characters(characters: str) -> frozenset[str]:
    """Every code point the engine matches case-insensitively with one of `characters` whose
    str.lower() is not that character's (or depends on its neighbours).

    One scan of every code point with a case-insensitive class of all the characters finds
    the candidates (the engine folds a class member as it folds the same literal); each is
    then matched against each character's own pattern. A scan per character gives the same
    set (tests/test_credit_fingerprint_shortcuts.py) for ten times the CPU."""
    members = "".join(re.escape(ch) for ch in characters)
    candidates = set(re.findall(f"(?i:[{members}])", _every_code_point()))
    unsafe: set[str] = set()
    for ch in characters:
        own = re.compile(f"(?i:{re.escape(ch)})")
        for other in candidates:
            if own.fullmatch(other) and (other.lower() != ch.lower() or other == _CONTEXTUAL):
                unsafe.add(other)
    return frozenset(unsafe)


def unsafe_characters_by_scans(characters: str) -> frozenset[str]:
    """The definition `_unsafe_characters` follows: one full scan per character."""
    every = _every_code_point()
    unsafe: set[str] = set()
    for ch in characters:
        for match in re.finditer(f"(?i:{re.escape(ch)})", every):
            other = match.group(0)
            if other.lower() != ch.lower() or other == _CONTEXTUAL:
                unsafe.add(other)
    return frozenset(unsafe)


def _every_code_point() -> str:
    return "".join(map(chr, range(0x110000)))
