"""Text normalisation and content hashing, so identical copies hash alike across outlets."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

# Unicode categories dropped by normalise_text: punctuation (P*) and symbols (S*).
DROPPED_CATEGORY_PREFIXES = ("P", "S")


def normalise_text(text: str) -> str:
    """NFKC, case-folded, punctuation and symbols removed, whitespace collapsed.

    Accents are kept: in Spanish they distinguish words ("año"/"ano", "él"/"el"), and outlets
    copying wire text keep them, so stripping them would merge more than it would match.
    NFKC folds the variants that do differ between copies (ligatures, full-width digits,
    non-breaking spaces, composed vs decomposed accents).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        # str.translate has a C fast path for ASCII text with ASCII replacements
        return " ".join(folded.translate(_punctuation_to_space()).split())
    # Elsewhere it looks every character up in the table; one C-level replace per distinct
    # punctuation or symbol character the text holds gives the same string for a third of it.
    table = _punctuation_to_space()
    for character in set(folded):
        if table[ord(character)] == " " and character != " ":
            folded = folded.replace(character, " ")
    return " ".join(folded.split())


class _CategoryTable(dict[int, str]):
    """str.translate table filled on first sight of each character: punctuation and symbols
    become a space, everything else maps to itself. Character-by-character Python was the
    costliest part of hashing a page; translate runs in C once a character is known."""

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        value = " " if unicodedata.category(ch).startswith(DROPPED_CATEGORY_PREFIXES) else ch
        self[codepoint] = value
        return value


@lru_cache(maxsize=1)
def _punctuation_to_space() -> _CategoryTable:
    return _CategoryTable()


def content_hash(text: str) -> str:
    """SHA-1 hex digest of normalise_text(text): equal for copies differing only in form."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
