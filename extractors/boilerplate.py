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
from collections.abc import Iterable, Mapping

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


def is_furniture(paragraph: str) -> bool:
    """A short paragraph matching a generic furniture pattern (never a long story paragraph)."""
    return len(paragraph.split()) <= FURNITURE_MAX_WORDS and bool(
        _FURNITURE.search(paragraph.strip())
    )


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
