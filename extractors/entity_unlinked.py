"""Names the NER finds that the knowledge base does not know: unlinked entities.

Within one article the forms of one name are grouped ("Ovidio Guzmán López" … "Guzmán López"
… "Guzmán" → one entity whose canonical surface is the longest form), and the group gets an
id that is the same in every article for the same normalised name and type:
`unlinked:<type>:<16 hex digits>`, a hash of the canonical name folded (lower case, accents
stripped, punctuation dropped). A person's shorter form that is part of a *linked* person's
name in the same article ("Guzmán" after "Ovidio Guzmán López", who is in the base) becomes a
mention of that linked entity instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.entity_text import inside_any, phrase_key
from extractors.records import EntityMention

# The model's labels, in any of the usual schemes, to the project's types (MISC: dropped).
NER_TYPES = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC"}
_STRIP = " \t\n\r.,;:!?\"'«»“”‘’()[]"
_QUOTE_PAIRS = {'"': '"', "«": "»", "“": "”", "'": "'"}


@dataclass(frozen=True, slots=True)
class _Span:
    type: str
    start: int
    end: int
    surface: str  # the text at start:end
    words: tuple[str, ...]  # folded word tokens
    name: str  # the surface without enclosing quotes


def name_words(name: str) -> tuple[str, ...]:
    """The folded word tokens a name is compared and hashed by ("Guzmán-López" ->
    ("guzman", "lopez"))."""
    return tuple(token for token in phrase_key(name) if token[:1].isalnum())


def unlinked_id(entity_type: str, canonical: str) -> str:
    """Stable id of an unlinked entity: type and the folded canonical name."""
    normalised = " ".join(name_words(canonical))
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).hexdigest()
    return f"unlinked:{entity_type.lower()}:{digest}"


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """`shorter` is a contiguous run of `longer`'s words."""
    width = len(shorter)
    return 0 < width <= len(longer) and any(
        longer[i : i + width] == shorter for i in range(len(longer) - width + 1)
    )


def _belongs(span: _Span, canonical: _Span) -> bool:
    if span.type != canonical.type:
        return False
    if span.words == canonical.words:
        return True
    # A person is named by any part of the full name; a body or place only by a run of at
    # least two of its words ("Hospital General" of "Hospital General de Zona").
    minimum = 1 if span.type == "PERSON" else 2
    return len(span.words) >= minimum and _contains(canonical.words, span.words)


def _clean(label: str, start: int, end: int, text: str) -> _Span | None:
    entity_type = NER_TYPES.get(label)
    if entity_type is None:
        return None
    surface = text[start:end]
    left = len(surface) - len(surface.lstrip(_STRIP))
    right = len(surface.rstrip(_STRIP))
    if right <= left:
        return None
    if _quoted(surface):
        # A quoted name ("El Brezo", a newspaper's title) keeps its quotes in the span, as
        # the model was taught from CoNLL; the canonical name and id go without them.
        name = surface[left:right]
        words = name_words(name)
        return _Span(entity_type, start, end, surface, words, name) if words else None
    right += _kept_dot(surface, right)
    name = surface[left:right]
    words = name_words(name)
    return _Span(entity_type, start + left, start + right, name, words, name) if words else None


def _quoted(surface: str) -> bool:
    """The span is a name enclosed in one pair of quotes, nothing else quoted inside."""
    opening, closing = surface[:1], surface[-1:]
    return (len(surface) > 2 and _QUOTE_PAIRS.get(opening) == closing
            and opening not in surface[1:-1] and closing not in surface[1:-1])


def _kept_dot(surface: str, right: int) -> int:
    """1 when the stripped full stop closes an initial or a dotted abbreviation ("J. A. A.",
    "EE.UU."): it belongs to the name; 0 for a full stop after a word."""
    if surface[right:right + 1] != ".":
        return 0
    last_word = surface[:right].split()[-1] if surface[:right].split() else ""
    return 1 if len(last_word) == 1 or "." in last_word else 0


def _nearest(groups: list[_Span], span: _Span) -> _Span:
    """Of several candidate full names, the one written closest before the short form
    (else the closest after it)."""
    before = [g for g in groups if g.start <= span.start]
    if before:
        return max(before, key=lambda g: g.start)
    return min(groups, key=lambda g: g.start)


def _linked_person(span: _Span, linked: Sequence[EntityMention]) -> EntityMention | None:
    if span.type != "PERSON":
        return None
    owners = [
        m for m in linked
        if m.type == "PERSON"
        and (_contains(name_words(m.surface), span.words) or _contains(name_words(m.name),
                                                                       span.words))
    ]
    if not owners:
        return None
    before = [m for m in owners if m.start <= span.start]
    return max(before, key=lambda m: m.start) if before else min(owners, key=lambda m: m.start)


def group_unlinked(
    spans: Iterable[tuple[str, int, int]],
    text: str,
    linked: Sequence[EntityMention],
    furniture: Iterable[tuple[int, int]] = (),
) -> list[EntityMention]:
    """Mentions for NER spans (label, start, end) that no linked mention covers.

    Returns unlinked mentions (grouped, stable ids) plus linked mentions for short forms of
    linked people. Spans overlapping a linked mention or inside furniture are dropped.
    """
    taken = [(m.start, m.end) for m in linked]
    furniture = list(furniture)
    cleaned = []
    for label, start, end in spans:
        span = _clean(label, start, end, text)
        if span is None or inside_any(span.start, span.end, furniture):
            continue
        # A name around a linked one is kept (merge_mentions let it through: "Universidad de
        # California" around "California"); one cut by or inside a linked name is not.
        if any(span.start < e and s < span.end
               and not (span.start <= s and e <= span.end and (s, e) != (span.start, span.end))
               for s, e in taken):
            continue
        cleaned.append(span)
    found: list[EntityMention] = []
    canonicals: list[_Span] = []
    for span in sorted(cleaned, key=lambda s: (-len(s.words), s.start)):
        owner = _linked_person(span, linked)
        if owner is not None:
            found.append(EntityMention(owner.entity_id, owner.name, owner.type, span.surface,
                                       span.start, span.end, linked=True))
            continue
        groups = [c for c in canonicals if _belongs(span, c)]
        canonical = _nearest(groups, span) if groups else span
        if not groups:
            canonicals.append(span)
        found.append(EntityMention(
            unlinked_id(canonical.type, canonical.name), canonical.name, canonical.type,
            span.surface, span.start, span.end, linked=False,
        ))
    return sorted(found, key=lambda m: (m.start, m.end))
