"""Text normalisation and content hashing, so identical copies hash alike across outlets."""

from __future__ import annotations

import hashlib
import unicodedata

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
    kept = [
        " " if unicodedata.category(ch).startswith(DROPPED_CATEGORY_PREFIXES) else ch
        for ch in folded
    ]
    return " ".join("".join(kept).split())


def content_hash(text: str) -> str:
    """SHA-1 hex digest of normalise_text(text): equal for copies differing only in form."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
