"""Text plumbing shared by the entity linker and the topic scorer.

Everything here keeps character offsets intact: folding maps each character to exactly one
character, so a span found in the folded text is the same span in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from typing import Any, NamedTuple, overload


def _build_fold_table() -> dict[int, str]:
    # Latin letters with diacritics fold to their base letter; typographic apostrophes and
    # dashes fold to ASCII so "Trump’s" and "Trump's" tokenise alike.
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base.isascii():
            table[code] = base
    for char in "\u2019\u2018\u02bc\u0060\u00b4":
        table[ord(char)] = "'"
    for char in "\u2010\u2011\u2012\u2013\u2014\u2212":
        table[ord(char)] = "-"
    return table


_FOLD_TABLE = _build_fold_table()
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# The same tokens as TOKEN_RE, kept by `split` between the whitespace runs around them.
_TOKEN_SPLIT_RE = re.compile(r"(\w+|[^\w\s])")


def _fold_replacer() -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """A pattern matching exactly the characters of the fold table, and its replacement.

    `str.translate` with a dict looks up every character of the text (six times the CPU of
    this on news text); only a few characters per hundred are in the table, and a regex
    skips the rest in C. Equal to `text.translate(_FOLD_TABLE)` for every character
    (tests/test_tagging_speed.py checks the whole Basic Multilingual Plane)."""
    mapping = {chr(code): base for code, base in _FOLD_TABLE.items()}
    pattern = re.compile("[" + re.escape("".join(sorted(mapping))) + "]")
    replace = mapping.__getitem__
    return pattern, lambda match: replace(match.group())


_FOLDABLE, _FOLD_REPLACE = _fold_replacer()


def fold(text: str) -> str:
    """Lower-case and strip accents without changing the length of the text."""
    folded = _FOLDABLE.sub(_FOLD_REPLACE, text)
    lowered = folded.lower()
    # str.lower can lengthen a few exotic characters (e.g. dotted capital I); keep offsets.
    return lowered if len(lowered) == len(folded) else folded


class Token(NamedTuple):
    """A named tuple rather than a frozen dataclass: an article has thousands of tokens, and
    a frozen dataclass costs a checked attribute write per field (tokenising took 40 % more
    CPU that way, docs/extraction.md)."""

    key: str  # folded form
    start: int
    end: int


class Tokens(Sequence[Token]):
    """A text's tokens, each built only when read.

    The linker and the topic scorer look at every token's key (C-level maps over `keys`) but
    at a token's offsets only where a phrase may start, a few per hundred tokens; building a
    named tuple per token up front was two thirds of tokenising (docs/extraction.md). Reads
    give the same `Token` values a tuple of them would: by index (negative too), by slice (a
    `Tokens` again), by iteration.
    """

    __slots__ = ("_bounds", "keys")

    def __init__(self, keys: list[str], bounds: list[int]) -> None:
        self.keys = keys  # token i's folded form
        self._bounds = bounds  # token i starts at bounds[2 * i] and ends at bounds[2 * i + 1]

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> Tokens: ...

    def __getitem__(self, index: int | slice) -> Token | Tokens:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self.keys))
            if step != 1:
                return Tokens(self.keys[index], [bound for i in range(start, stop, step)
                                                 for bound in self._bounds[2 * i:2 * i + 2]])
            stop = max(start, stop)
            return Tokens(self.keys[start:stop], self._bounds[2 * start:2 * stop])
        key = self.keys[index]  # IndexError as a tuple raises it
        if index < 0:
            index += len(self.keys)
        return Token(key, self._bounds[2 * index], self._bounds[2 * index + 1])

    def __iter__(self) -> Iterator[Token]:
        return map(tuple.__new__, repeat(Token),
                   zip(self.keys, self._bounds[0::2], self._bounds[1::2], strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens):
            return self.keys == other.keys and self._bounds == other._bounds
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, as a list is

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"

    def starts(self) -> list[int]:
        """Each token's start offset, in order."""
        return self._bounds[0::2]

    def ends(self) -> list[int]:
        """Each token's end offset, in order."""
        return self._bounds[1::2]

    def joined(self, runs: Iterable[tuple[int, int]]) -> Tokens:
        """The tokens of the index runs [first, stop), one after another."""
        keys: list[str] = []
        bounds: list[int] = []
        for first, stop in runs:
            keys.extend(self.keys[first:stop])
            bounds.extend(self._bounds[2 * first:2 * stop])
        return Tokens(keys, bounds)


@lru_cache(maxsize=8)
def tokenize(text: str) -> Tokens:
    """Word and punctuation tokens of `text` with their offsets (whitespace dropped).

    Cached: the entity linker and the topic tagger read the same article text and title, and
    tokenising is most of their cost. The result is never changed, so sharing it is safe.
    """
    # No Python per token and no match objects: `split` with the token pattern captured
    # gives [gap, token, gap, token, ..., gap]; the running sum of their lengths gives each
    # token's start (the end of the gap before it) and end.
    parts = _TOKEN_SPLIT_RE.split(fold(text))
    bounds = list(accumulate(map(len, parts)))
    bounds.pop()  # the end of the last gap
    return Tokens(parts[1::2], bounds)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token sequence a phrase is indexed under."""
    return tuple(m.group() for m in TOKEN_RE.finditer(fold(phrase)))


# --- page furniture ---------------------------------------------------------------------

# Lines that open a block of links or sharing widgets rather than prose.
_BLOCK_HEADERS = re.compile(
    r"^\s*(related|related articles|related stories|read more|read also|more from|"
    r"more stories|recommended|trending|most read|share|tags|topics|"
    r"relacionad[oa]s?|noticias relacionadas|lee también|lea también|leer más|"
    r"te recomendamos|te puede interesar|también te puede interesar|más noticias|"
    r"lo más leído|compartir|etiquetas|temas)\s*:?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]\s*$")
_SHORT_LINE_WORDS = 12
_MIN_LINK_RUN = 3


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    position = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(body, position, position + len(body)))
        position += len(raw)
    return lines


def _looks_like_link(line: Line) -> bool:
    # Split no further than one word past the limit: a paragraph is not cut into all its
    # words only to learn that it has more than twelve.
    words = line.text.split(maxsplit=_SHORT_LINE_WORDS)
    return 0 < len(words) <= _SHORT_LINE_WORDS and not _SENTENCE_END.search(line.text)


_DATA_MARKS = re.compile(r"\d|\(|\||\t")


def _looks_like_data(line: Line) -> bool:
    """A table row, standings or roster line, or a wrapped sentence: article content.

    Figures, brackets or cell separators ("Stoke 4 3 1 0", "Paul Tracy ( Canada )",
    "a | b"), a list of names ("Slater, Taylor, Ponting"), or a line that starts in lower
    case (prose broken across lines). Menus, share buttons and related headlines have
    none of these."""
    body = line.text.strip()
    return bool(_DATA_MARKS.search(body)) or body.count(",") >= 2 or body[:1].islower()


def _article_run(lines: list[Line]) -> bool:
    return 2 * sum(1 for line in lines if _looks_like_data(line)) >= len(lines)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that are page furniture, not prose.

    Two rules: (1) a header line such as "Related:" or "Lee también" and the short lines
    that follow it up to the next blank or long line; (2) a run of at least three
    consecutive short lines (at most 12 words) none of which ends like a sentence — the
    shape of menus and related-article lists — unless at least half of them look like
    table, standings, roster or wrapped prose lines (`_looks_like_data`), which belong to
    the article. A single short line (a subheading) is kept.
    """
    return list(_furniture_spans(text))


@lru_cache(maxsize=8)
def _furniture_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Cached for the last few texts: the linker and the topic scorer both ask for the
    same article's furniture, and the result is immutable."""
    lines = split_lines(text)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _BLOCK_HEADERS.match(line.text):
            stop = index + 1
            while stop < len(lines) and _looks_like_link(lines[stop]):
                stop += 1
            spans.append((line.start, lines[stop - 1].end))
            index = stop
            continue
        if _looks_like_link(line):
            stop = index
            while stop < len(lines) and _looks_like_link(lines[stop]):
                stop += 1
            if stop - index >= _MIN_LINK_RUN and not _article_run(lines[index:stop]):
                spans.append((line.start, lines[stop - 1].end))
            index = max(stop, index + 1)
            continue
        index += 1
    return tuple(spans)


def inside_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# --- phrase matching ----------------------------------------------------------------------

_END = "\x00end"
_WILD = "\x00wild"


@dataclass(frozen=True, slots=True)
class PhraseHit:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    payloads: tuple[object, ...]


def _prefix_pattern(wild: dict[str, list[tuple[str, object]]]) -> re.Pattern[str]:
    """A pattern that matches at the start of a token exactly when one of the wildcard
    prefixes in `wild` (buckets keyed by their first two letters) starts it: a prefix that
    starts a token is always in the bucket of the token's first one or two letters."""
    prefixes = sorted({prefix for bucket in wild.values() for prefix, _ in bucket})
    return re.compile("|".join(map(re.escape, prefixes)))


class PhraseTrie:
    """Token-sequence trie. A final token written "word*" matches any token starting "word".

    Built once per process (inside an lru_cached loader) and only read afterwards.
    """

    def __init__(self) -> None:
        self._root: dict[str, Any] = {}  # token -> child node; _WILD/_END keys hold lists
        # The one-word wildcard prefixes as one regex, compiled at the first look-up after
        # the last `add` (one C-level match per distinct word of a text).
        self._wild_pattern: re.Pattern[str] | None = None

    def add(self, phrase: str, payload: object) -> None:
        key = phrase_key(phrase.rstrip("*"))
        if not key:
            return
        node = self._root
        for token in key[:-1]:
            node = node.setdefault(token, {})
        if phrase.endswith("*"):
            self._wild_pattern = None
            # Bucketed by the first two letters so a token checks a handful of prefixes,
            # not every wildcard term.
            bucket = node.setdefault(_WILD, {}).setdefault(key[-1][:2], [])
            bucket.append((key[-1], payload))
            return
        node = node.setdefault(key[-1], {})
        node.setdefault(_END, []).append(payload)

    def starts_with(self, key: str) -> bool:
        """Whether some phrase starts with the (folded) token `key`."""
        return key in self._root

    def start_positions(self, tokens: Tokens) -> list[int]:
        """Indexes of the tokens where a phrase may match, in order: every place where
        `candidates` finds something (a few per hundred tokens of news text); a position it
        leaves out is one where `candidates` would return no hit."""
        # C-level maps over the token keys: a Python test per token was most of the cost.
        root = self._root
        keys = tokens.keys
        wild = root.get(_WILD)
        if not wild:
            return self._with_hits(compress(count(), map(root.__contains__, keys)), keys, set())
        # Wildcard prefixes are tested once per distinct word (a text repeats its words):
        # the two prefix slices per token cost more than the set.
        distinct = list(set(keys))
        if self._wild_pattern is None:
            self._wild_pattern = _prefix_pattern(wild)
        wild_hits = set(compress(distinct, map(self._wild_pattern.match, distinct)))
        starting = wild_hits.union(compress(distinct, map(root.__contains__, distinct)))
        positions = compress(count(), map(starting.__contains__, keys))
        return self._with_hits(positions, keys, wild_hits)

    def _with_hits(
        self, positions: Iterable[int], keys: list[str], wild_hits: set[str]
    ) -> list[int]:
        """The positions where `candidates` finds a phrase: a one-word wildcard term matches
        the token, or the token's node ends a phrase, holds a wildcard, or continues with the
        next token. Most first words of aliases ("the", "to", "a") fail the last test, and
        this costs a tenth of a `candidates` call."""
        root = self._root
        last = len(keys) - 1
        kept: list[int] = []
        for index in positions:
            key = keys[index]
            node = root.get(key)
            if (key in wild_hits or node is None or _END in node or _WILD in node
                    or (index < last and keys[index + 1] in node)):
                kept.append(index)
        return kept

    def candidates(self, tokens: Tokens, first: int) -> list[PhraseHit]:
        """Every phrase that starts at token `first`, longest first (callers ask only at
        `start_positions`)."""
        hits: list[PhraseHit] = []
        node = self._root
        index = first
        keys = tokens.keys
        count = len(keys)
        while index < count:
            key = keys[index]
            wild = node.get(_WILD)
            if wild:
                for bucket in (wild.get(key[:2], ()), wild.get(key[:1], ())):
                    for prefix, payload in bucket:
                        if key.startswith(prefix):
                            hits.append(PhraseHit(first, index, (payload,)))
            child = node.get(key)
            if child is None:
                break
            node = child
            ends = node.get(_END)
            if ends is not None:
                hits.append(PhraseHit(first, index, tuple(ends)))
            index += 1
        if len(hits) > 1:
            hits.sort(key=lambda hit: hit.last, reverse=True)
        return hits
