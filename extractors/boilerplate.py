"""An outlet's furniture: paragraphs that are not the story.

Two kinds are removed before texts are compared:
- generic furniture any outlet prints (copyright lines, "Síguenos en…", "Read more:", image
  credits), recognised by pattern in short paragraphs;
- an outlet's own recurring paragraphs (its FAQ block, newsletter plea, standard disclaimer),
  recognised by counting: a paragraph that recurs in several of one outlet's articles is
  boilerplate for that outlet. The counts live in the warehouse (`outlet_paragraphs`); the
  decision rule is here so it is the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from extractors.credit_gate import spelling_gate

# A paragraph seen in this many different articles of one outlet is that outlet's furniture.
RECURRENCE_THRESHOLD = 3
FURNITURE_MAX_WORDS = 40

_FURNITURE = re.compile(
    r"©|\bcopyright\b|all rights reserved|todos los derechos reservados|derechos reservados"
    r"|^s[ií]guenos\b|\bfollow us\b|^suscr[ií]bete|^subscribe\b|newsletter|bolet[ií]n"
    r"|^(?:image|imagen|foto|photo|video|vídeo)\s*(?:by|de|:)|^(?:lea|lee|read|see)\s+(?:tambi[eé]n"
    r"|more|also)|^te recomendamos|^recomendado|^(?:share|comparte)\b|únete a nuestro"
    r"|^join our|whatsapp|telegram|google news|^publicidad$|^advertisement$|^related\b",
    re.IGNORECASE,
)
# The same alternatives split in two, for `furniture_flags`: those anchored at the start of
# the paragraph (tried at one position) and the rest, each of which contains one of
# FLOATING_WORDS (lower-cased) wherever it matches.
_ANCHORED = re.compile(
    r"^s[ií]guenos\b|^suscr[ií]bete|^subscribe\b"
    r"|^(?:image|imagen|foto|photo|video|vídeo)\s*(?:by|de|:)|^(?:lea|lee|read|see)\s+(?:tambi[eé]n"
    r"|more|also)|^te recomendamos|^recomendado|^(?:share|comparte)\b"
    r"|^join our|^publicidad$|^advertisement$|^related\b",
    re.IGNORECASE,
)
_FLOATING = re.compile(
    r"©|\bcopyright\b|all rights reserved|todos los derechos reservados|derechos reservados"
    r"|\bfollow us\b|newsletter|bolet[ií]n|únete a nuestro|whatsapp|telegram|google news",
    re.IGNORECASE,
)
FLOATING_WORDS = ("©", "copyright", "all rights reserved", "derechos reservados", "follow us",
                  "newsletter", "bolet", "únete a nuestro", "whatsapp", "telegram",
                  "google news")


def is_furniture(paragraph: str) -> bool:
    """A short paragraph matching a generic furniture pattern (never a long story paragraph)."""
    return len(paragraph.split()) <= FURNITURE_MAX_WORDS and bool(
        _FURNITURE.search(paragraph.strip())
    )


def furniture_flags(text: str, paragraphs: Sequence[str]) -> list[bool]:
    """`is_furniture(p)` for each of `paragraphs` (stripped lines of `text`), for less CPU:
    the floating alternatives are searched only when `text` contains one of their words
    (one multi-string search, extractors/credit_gate.py), the anchored ones at the start."""
    floating = spelling_gate(tuple((word, False) for word in FLOATING_WORDS)).present(text)
    return [_is_furniture_split(p, floating is None or bool(floating)) for p in paragraphs]


def _is_furniture_split(paragraph: str, floating: bool) -> bool:
    # split(None, k) stops after k + 1 words: the same test as len(split()) <= k
    if len(paragraph.split(None, FURNITURE_MAX_WORDS)) > FURNITURE_MAX_WORDS:
        return False
    stripped = paragraph.strip()
    return bool(_ANCHORED.match(stripped) or (floating and _FLOATING.search(stripped)))


def recurring_paragraphs(
    counts: Mapping[int, int], threshold: int = RECURRENCE_THRESHOLD
) -> frozenset[int]:
    """Paragraph hashes that are boilerplate for one outlet, given their article counts."""
    return frozenset(h for h, n in counts.items() if n >= threshold)


def without_boilerplate(
    paragraph_hashes: Iterable[int],
    paragraph_shingles: Iterable[tuple[int, ...]],
    boilerplate: frozenset[int],
) -> list[int]:
    """The shingles of the paragraphs that are not boilerplate, in order."""
    kept: list[int] = []
    for h, shingles in zip(paragraph_hashes, paragraph_shingles, strict=True):
        if h not in boilerplate:
            kept.extend(shingles)
    return kept
