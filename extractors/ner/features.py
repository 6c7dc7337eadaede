"""Token features of the NER model; training and tagging share this code, so they cannot drift.

A document is a list of sentences, a sentence a list of token strings. Each token gets
binary features (strings) for crfsuite: its lower-cased form and the exact form, shape
(Xxxx, XX, dd-dd…) long and collapsed, prefixes and suffixes up to four characters,
sentence position, whether the sentence is a headline in capitals, membership in the
packaged place/person/organisation lexicon (longest phrase, B/I position), for a
capitalised word whether it is a census given name or surname, the same few
facts about the two neighbours on each side, neighbouring word pairs, and two
document-level facts: whether the word is also written capitalised in the middle of a
sentence elsewhere in the document, and whether it is also written in lower case; and, for
a capitalised word, the words just before and after its other occurrences in the document
("el Barcelona" elsewhere says team, "en Barcelona" says place). The document facts carry
what a headline in capitals or a sentence-initial word cannot show.

These lists are what the models were trained on. Tagging does not build them: it adds up
the model's weights for the same features in the same order (known_features.py), because
crfsuite sums a token's feature weights in list order and so even the order is part of
the model's output. What depends on the word alone (its forms, shape, affixes and what it
gives its neighbours) is built once per distinct word and kept in a bounded per-process
cache. The lists are exactly those of the straightforward code kept in
tests/ner_reference.py, string for string and in the same order
(tests/test_ner_equivalence.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, Protocol

from extractors.entity_text import fold
from extractors.ner.lexicon import Lexicon

_WINDOW = (-2, -1, 1, 2)
_MAX_CONTEXTS = 8
# Distinct words whose fixed features stay cached per process. News text is Zipfian: 8,192
# words served 91 % of the tokens of the WCXB dev pages, for about 26 MB (docs/ner.md, "CPU").
WORD_CACHE_SIZE = 8_192
# "dc=" + capitalised mid-sentence elsewhere (0/1) + written in lower case elsewhere (0/1).
_DOCUMENT_CASE = ("dc=00", "dc=01", "dc=10", "dc=11")


class WordFeatures(NamedTuple):
    """What a token's features take from the word alone."""

    low: str
    own: tuple[str, ...]  # b, w=, W=, s=, ss=, p1=..p4=, x1=..x4=
    near: tuple[tuple[str, ...], ...]  # per _WINDOW offset: <o>w=, <o>ss=, <o>c=
    short: str  # collapsed shape
    case: str  # T | U | L | M
    capital: bool  # starts with a capital
    folded: str  # fold(low): the key of the census name lists
    letters: bool  # holds a letter (headline test)
    shouted: bool  # all capitals, two characters or more, with a letter (headline test)
    mid_capital: bool  # capitalised, not all capitals (document case)


class WordFacts(Protocol):
    """The facts about a word that the document-level features read (WordFeatures and the
    tagging path's copy with the model's ids, known_features.KeptWord, both have them)."""

    @property
    def low(self) -> str: ...
    @property
    def case(self) -> str: ...
    @property
    def capital(self) -> bool: ...
    @property
    def letters(self) -> bool: ...
    @property
    def shouted(self) -> bool: ...
    @property
    def mid_capital(self) -> bool: ...


def _shape(word: str) -> str:
    out = []
    for char in word[:10]:
        if char.isupper():
            out.append("X")
        elif char.isalpha():
            out.append("x")
        elif char.isdigit():
            out.append("d")
        else:
            out.append(char)
    return "".join(out)


def _collapse(shape: str) -> str:
    out: list[str] = []
    for char in shape:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_features(word: str) -> WordFeatures:
    """The fixed features of `word` (cached: a word's features never change)."""
    low = word.lower()
    shape = _shape(word)
    short = _collapse(shape)
    case = "T" if word.istitle() else "U" if word.isupper() else "L" if word.islower() else "M"
    own = (
        "b", "w=" + low, "W=" + word, "s=" + shape, "ss=" + short,
        "p1=" + low[:1], "p2=" + low[:2], "p3=" + low[:3], "p4=" + low[:4],
        "x1=" + low[-1:], "x2=" + low[-2:], "x3=" + low[-3:], "x4=" + low[-4:],
    )
    near = tuple((f"{o}w={low}", f"{o}ss={short}", f"{o}c={case}") for o in _WINDOW)
    capital = word[:1].isupper()
    letters = any(c.isalpha() for c in word)
    return WordFeatures(
        low=low, own=own, near=near, short=short, case=case, capital=capital,
        folded=fold(low), letters=letters,
        shouted=letters and word.isupper() and len(word) > 1,
        mid_capital=capital and not word.isupper(),
    )


@lru_cache(maxsize=128)
def _gazetteer_features(tag: str) -> tuple[str, ...]:
    """The lexicon tag as the token's own feature, then as each neighbour's in _WINDOW
    order (few distinct tags)."""
    return ("g=" + tag, "-2g=" + tag, "-1g=" + tag, "1g=" + tag, "2g=" + tag)


def _is_headline(facts: Sequence[WordFacts]) -> bool:
    letters = sum(1 for f in facts if f.letters)
    upper = sum(1 for f in facts if f.shouted)
    return letters >= 3 and upper >= 0.6 * letters


def _document_case(
    document: Sequence[Sequence[str]],
    facts: Sequence[Sequence[WordFacts]],
    headlines: Sequence[bool],
) -> tuple[set[str], set[str]]:
    """Lower-cased words seen capitalised mid-sentence, and words seen in lower case."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for sentence, sentence_facts, headline in zip(document, facts, headlines, strict=True):
        if headline:
            continue
        for index, (word, fact) in enumerate(zip(sentence, sentence_facts, strict=True)):
            if fact.case == "L":
                lower.add(word)
            elif index > 0 and fact.mid_capital:
                capitalised.add(fact.low)
    return capitalised, lower


def _document_contexts(facts: Sequence[Sequence[WordFacts]]) -> dict[str, dict[str, int]]:
    """Per capitalised word (lower-cased): the words just before and after its occurrences,
    as the features they give ("dL=el", "dR=</s>") with their counts, in order first seen."""
    contexts: dict[str, dict[str, int]] = {}
    for sentence in facts:
        last = len(sentence) - 1
        for index, fact in enumerate(sentence):
            if not fact.capital:
                continue
            seen = contexts.setdefault(fact.low, {})
            left = "dL=" + (sentence[index - 1].low if index else "<s>")
            right = "dR=" + (sentence[index + 1].low if index < last else "</s>")
            seen[left] = seen.get(left, 0) + 1
            seen[right] = seen.get(right, 0) + 1
    return contexts


def _context_features(seen: dict[str, int], left: str, right: str) -> list[str]:
    """Contexts of the word's other occurrences in the document ("el Barcelona" elsewhere
    says team, "en Barcelona" says place), without this occurrence's own."""
    own = ("dL=" + left, "dR=" + right)
    out: list[str] = []
    for key, count in seen.items():
        if count > 1 or key not in own:
            out.append(key)
            if len(out) == _MAX_CONTEXTS:
                break
    return out


def document_features(
    document: Sequence[Sequence[str]], lexicon: Lexicon
) -> list[list[list[str]]]:
    """Features of every token of every sentence of the document (training reads them;
    tagging adds up the model's weights for exactly these, known_features.py)."""
    facts = [[word_features(word) for word in sentence] for sentence in document]
    headlines = [_is_headline(sentence) for sentence in facts]
    capitalised, lower = _document_case(document, facts, headlines)
    contexts = _document_contexts(facts)
    return [
        _sentence_features(sentence, headline, lexicon, (capitalised, lower), contexts)
        for sentence, headline in zip(facts, headlines, strict=True)
    ]


def _sentence_features(
    facts: Sequence[WordFeatures],
    headline: bool,
    lexicon: Lexicon,
    document_case: tuple[set[str], set[str]],
    contexts: dict[str, dict[str, int]],
) -> list[list[str]]:
    capitalised, lower = document_case
    lows = [f.low for f in facts]
    tags = lexicon.tags(lows)
    gazetteer = [_gazetteer_features(tag) for tag in tags]
    last = len(facts) - 1
    rows: list[list[str]] = []
    for i, fact in enumerate(facts):
        low = fact.low
        row = [*fact.own, gazetteer[i][0],
               _DOCUMENT_CASE[(low in capitalised) * 2 + (low in lower)]]
        if fact.capital:
            row.append("n=" + lexicon.name_class(fact.folded))
            seen = contexts.get(low)
            if seen:
                row += _context_features(seen, lows[i - 1] if i else "<s>",
                                         lows[i + 1] if i < last else "</s>")
        if headline:
            row += ["hl", "hl|w=" + low, "hl|g=" + tags[i]]
        if i == 0:
            row += ["bos", "bos|c=" + fact.case]
        if i == last:
            row.append("eos")
        # The two neighbours on each side, in _WINDOW order: word, shape, case, lexicon tag.
        if i >= 2:
            row += facts[i - 2].near[0]
            row.append(gazetteer[i - 2][1])
        if i >= 1:
            row += facts[i - 1].near[1]
            row.append(gazetteer[i - 1][2])
        if i < last:
            row += facts[i + 1].near[2]
            row.append(gazetteer[i + 1][3])
        if i + 1 < last:
            row += facts[i + 2].near[3]
            row.append(gazetteer[i + 2][4])
        if i > 0:
            before = lows[i - 1]
            row += [f"-1w|w={before}|{low}", f"-1w|g={before}|{tags[i]}",
                    f"-1w|ss={before}|{fact.short}"]
        if i < last:
            row.append(f"w|+1w={low}|{lows[i + 1]}")
        rows.append(row)
    return rows
