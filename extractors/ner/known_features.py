"""The tagging path's features: features.py's lists with only the attributes a model knows.

`known_document_features(document, lexicon, known)` returns exactly
`document_features(document, lexicon, known)`, UTF-8 encoded: the lists of features.py, string
for string
and in the same order, without the strings outside `known` (crfsuite skips an attribute its
model does not have, so leaving them out changes no tag and no score). It is built for the
cost of tagging (docs/ner.md, "CPU"):

- a word's fixed features, already filtered, come from a bounded cache per model;
- the word-pair features ("-1w|w=el|gobierno", "-1w|g=de|loc-B", "-1w|ss=de|Xx",
  "w|+1w=ciudad|de") are looked up, not built: the model's own pair attributes are indexed
  by the two parts they join, so a token pays a dictionary lookup per pair instead of
  formatting a string that the model mostly does not know (about 9 in 10 pairs);
- the features a token gets from its position or its name class are filtered once per
  model, not once per token;
- every feature is handed over as UTF-8 bytes, encoded once when it is cached: the tagger
  takes bytes as they are, where it encodes each str it is given on every call.

tests/test_ner_equivalence.py checks it against the reference lists filtered by `known`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from extractors.ner.features import (
    _DOCUMENT_CASE,
    _MAX_CONTEXTS,
    WORD_CACHE_SIZE,
    _document_case,
    _document_contexts,
    _is_headline,
    word_features,
)
from extractors.ner.lexicon import NAME_CATEGORIES, Lexicon

# The word-pair families of features.py: prefix, then the two parts joined by "|".
_PAIR_PREFIXES = ("-1w|w=", "-1w|g=", "-1w|ss=", "w|+1w=")
_CASES = ("T", "U", "L", "M")
Row = list[bytes]


class KeptWord(NamedTuple):
    """features.WordFeatures with only the model's attributes, as UTF-8 bytes."""

    low: str
    own: tuple[bytes, ...]
    near: tuple[tuple[bytes, ...], ...]
    short: str
    case: str
    capital: bool
    folded: str
    letters: bool
    shouted: bool
    mid_capital: bool


@dataclass(frozen=True, slots=True)
class ModelIndex:
    """What tagging with one model's attribute set needs, prepared once per process."""

    known: frozenset[str]
    words: Callable[[str], KeptWord]  # bounded cache of filtered word features
    gazetteer: Callable[[str], tuple[tuple[bytes, ...], ...]]  # per lexicon tag
    document_case: tuple[tuple[bytes, ...], ...]  # features._DOCUMENT_CASE, kept
    # (first part, second part) -> the attribute, for each family of _PAIR_PREFIXES.
    pairs: tuple[dict[tuple[str, str], bytes], ...]
    names: dict[str, tuple[bytes, ...]]  # name class -> ("n=<class>",) or ()
    bos: dict[str, tuple[bytes, ...]]  # case of the first word -> kept "bos", "bos|c=<case>"
    eos: tuple[bytes, ...]


def _kept(features: tuple[str, ...], known: frozenset[str]) -> tuple[bytes, ...]:
    return tuple(feature.encode() for feature in features if feature in known)


def _pair_index(known: frozenset[str], prefix: str) -> dict[tuple[str, str], bytes]:
    """Every split at a "|" of every known attribute with `prefix`: a token may itself be
    "|", so each split is indexed; a key (a, b) then maps to `prefix + a + "|" + b` and to
    nothing else, and is present exactly when that string is a known attribute."""
    index: dict[tuple[str, str], bytes] = {}
    for feature in known:
        if not feature.startswith(prefix):
            continue
        rest = feature[len(prefix):]
        at = rest.find("|")
        while at >= 0:
            index[(rest[:at], rest[at + 1:])] = feature.encode()
            at = rest.find("|", at + 1)
    return index


@lru_cache(maxsize=4)
def model_index(known: frozenset[str]) -> ModelIndex:
    @lru_cache(maxsize=WORD_CACHE_SIZE)
    def words(word: str) -> KeptWord:
        # Uncached: this cache holds the word already, and features.py's would only keep a
        # second, unfiltered copy of it.
        fact = word_features.__wrapped__(word)
        return KeptWord(fact.low, _kept(fact.own, known),
                        tuple(_kept(near, known) for near in fact.near), fact.short, fact.case,
                        fact.capital, fact.folded, fact.letters, fact.shouted, fact.mid_capital)

    @lru_cache(maxsize=128)
    def gazetteer(tag: str) -> tuple[tuple[bytes, ...], ...]:
        # As features._gazetteer_features: the tag as own feature, then each neighbour's.
        features = ("g=" + tag, "-2g=" + tag, "-1g=" + tag, "1g=" + tag, "2g=" + tag)
        return tuple(_kept((feature,), known) for feature in features)

    classes = ("O", *NAME_CATEGORIES, "+".join(NAME_CATEGORIES))
    return ModelIndex(
        known=known,
        words=words,
        gazetteer=gazetteer,
        document_case=tuple(_kept((feature,), known) for feature in _DOCUMENT_CASE),
        pairs=tuple(_pair_index(known, prefix) for prefix in _PAIR_PREFIXES),
        names={name: _kept(("n=" + name,), known) for name in classes},
        bos={case: _kept(("bos", "bos|c=" + case), known) for case in _CASES},
        eos=_kept(("eos",), known),
    )


def known_document_features(
    document: Sequence[Sequence[str]], lexicon: Lexicon, known: frozenset[str]
) -> list[list[Row]]:
    """`document_features(document, lexicon, known)` as UTF-8 bytes, built for less CPU."""
    index = model_index(known)
    facts = [list(map(index.words, sentence)) for sentence in document]
    headlines = [_is_headline(sentence) for sentence in facts]
    case_sets = _document_case(document, facts, headlines)
    contexts = _document_contexts(facts)
    return [
        _sentence_features(sentence, headline, lexicon, case_sets, contexts, index)
        for sentence, headline in zip(facts, headlines, strict=True)
    ]


def _sentence_features(
    facts: Sequence[KeptWord],
    headline: bool,
    lexicon: Lexicon,
    case_sets: tuple[set[str], set[str]],
    contexts: dict[str, dict[str, int]],
    index: ModelIndex,
) -> list[Row]:
    capitalised, lower = case_sets
    known = index.known
    pair_word, pair_tag, pair_shape, next_word = index.pairs
    lows = [f.low for f in facts]
    tags = lexicon.tags(lows)
    gazetteer = list(map(index.gazetteer, tags))
    case_features = index.document_case
    last = len(facts) - 1
    rows: list[Row] = []
    for i, fact in enumerate(facts):
        low = fact.low
        row = [*fact.own, *gazetteer[i][0],
               *case_features[(low in capitalised) * 2 + (low in lower)]]
        if fact.capital:
            row += _name_features(index, lexicon.name_class(fact.folded))
            seen = contexts.get(low)
            if seen:
                row += _context_features(seen, lows[i - 1] if i else "<s>",
                                         lows[i + 1] if i < last else "</s>", known)
        if headline:
            row += _kept(("hl", "hl|w=" + low, "hl|g=" + tags[i]), known)
        if i == 0:
            row += index.bos[fact.case]
        if i == last:
            row += index.eos
        # The two neighbours on each side, in features._WINDOW order.
        if i >= 2:
            row += facts[i - 2].near[0]
            row += gazetteer[i - 2][1]
        if i >= 1:
            row += facts[i - 1].near[1]
            row += gazetteer[i - 1][2]
        if i < last:
            row += facts[i + 1].near[2]
            row += gazetteer[i + 1][3]
        if i + 1 < last:
            row += facts[i + 2].near[3]
            row += gazetteer[i + 2][4]
        if i > 0:
            before = lows[i - 1]
            for table, second in ((pair_word, low), (pair_tag, tags[i]),
                                  (pair_shape, fact.short)):
                feature = table.get((before, second))
                if feature is not None:
                    row.append(feature)
        if i < last:
            feature = next_word.get((low, lows[i + 1]))
            if feature is not None:
                row.append(feature)
        rows.append(row)
    return rows


def _name_features(index: ModelIndex, name_class: str) -> tuple[bytes, ...]:
    kept = index.names.get(name_class)
    if kept is None:  # a class the lexicon format does not have today
        kept = _kept(("n=" + name_class,), index.known)
    return kept


def _context_features(
    seen: dict[str, int], left: str, right: str, known: frozenset[str]
) -> list[bytes]:
    """features._context_features filtered by `known`: the first _MAX_CONTEXTS contexts are
    chosen before filtering, as there."""
    own_left, own_right = "dL=" + left, "dR=" + right
    out: list[bytes] = []
    taken = 0
    for key, count in seen.items():
        if count > 1 or (key != own_left and key != own_right):
            if key in known:
                out.append(key.encode())
            taken += 1
            if taken == _MAX_CONTEXTS:
                break
    return out
