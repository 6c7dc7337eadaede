"""The tagging path's features: features.py's lists as a model's state scores.

`document_scores(document, lexicon, path)` gives, for every token, the sum of the weights
that `path`'s model has for the token's features in features.py: the same doubles added in
the same order as crfsuite adds them for `document_features(document, lexicon)`, so the
scores are equal bit for bit (a feature the model does not know adds a row of zeros, which
changes no sum). It is built for the cost of tagging (docs/ner.md, "CPU"):

- a word's fixed features come from a bounded cache per model, its own features already
  summed into one score per label (they come first in a token's list, so their running
  sum is the token's score so far) and its features for the neighbours as attribute ids;
- the word-pair features ("-1w|w=el|gobierno", "-1w|g=de|loc-B", "-1w|ss=de|Xx",
  "w|+1w=ciudad|de") are looked up, not built: the model's own pair attributes are indexed
  by the two parts they join, so a token pays a dictionary lookup per pair instead of
  formatting a string that the model mostly does not know (about 9 in 10 pairs);
- the sentences are laid out one after the other with two empty positions around each, so
  the features a token takes from its neighbours are columns of the document's arrays
  shifted by one or two positions, and the weights are added a column at a time with numpy.

tests/test_ner_equivalence.py checks the scores against the reference lists summed one
feature at a time, and the mentions against the reference path through crfsuite.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np

from extractors.ner.crf import CrfModel, read_model
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
_NEAR = 3  # features a word gives each neighbour: <o>w=, <o>ss=, <o>c=
_OFFSETS = (-2, -1, 1, 2)  # features._WINDOW: the order the neighbours' features come in
_PAD = 2  # empty positions around each sentence: the farthest neighbour is two away
# The word (and lexicon tag) of an empty position: white space is never a token, so no
# lexicon phrase, pair attribute or document fact holds it.
_EMPTY = " "
# Columns for a token's features between its lexicon/case features and its neighbours':
# name class, other contexts, three headline features, two of sentence start, one of end.
_HEADLINE_COLUMN = 1 + _MAX_CONTEXTS
_BOS_COLUMN = _HEADLINE_COLUMN + 3
_EOS_COLUMN = _BOS_COLUMN + 2


class KeptWord(NamedTuple):
    """What a token's scores take from the word alone, for one model."""

    low: str
    own: bytes  # float64 per label: the word's own features' weights, summed in list order
    near: bytes  # int32 attribute ids, _NEAR per offset of _OFFSETS (0: not in the model)
    short: str
    case: str
    capital: bool
    folded: str
    letters: bool
    shouted: bool
    mid_capital: bool


@dataclass(frozen=True, slots=True, eq=False)
class ModelIndex:
    """What scoring with one model needs, prepared once per process."""

    model: CrfModel
    words: Callable[[str], KeptWord]  # bounded cache of the words' fixed parts
    gazetteer: Callable[[str], bytes]  # lexicon tag -> int32 ids: own, then per offset
    document_case: tuple[int, ...]  # features._DOCUMENT_CASE as ids
    # (first part, second part) -> the attribute id, for each family of _PAIR_PREFIXES.
    pairs: tuple[dict[tuple[str, str], int], ...]
    names: dict[str, tuple[int, ...]]  # name class -> (id of "n=<class>",) or ()
    bos: dict[str, tuple[int, int]]  # case of the first word -> ids of "bos", "bos|c=<case>"
    eos: int
    empty_word: KeptWord  # an empty position between sentences: no score, no attribute


def _ids(model: CrfModel, features: Sequence[str]) -> tuple[int, ...]:
    """The ids of the features the model has, in order."""
    attributes = model.attributes
    return tuple(attributes[f] for f in features if f in attributes)


def _id_or_zero(model: CrfModel, feature: str) -> int:
    return model.attributes.get(feature, 0)


def _running_sum(model: CrfModel, ids: Sequence[int]) -> bytes:
    """The weights of `ids` added one after the other from 0.0, as crfsuite adds them."""
    total = [0.0] * len(model.labels)
    for row in model.weights[list(ids)].tolist():
        total = [a + b for a, b in zip(total, row, strict=True)]
    return struct.pack(f"<{len(total)}d", *total)


def _pair_index(attributes: dict[str, int], prefix: str) -> dict[tuple[str, str], int]:
    """Every split at a "|" of every known attribute with `prefix`: a token may itself be
    "|", so each split is indexed; a key (a, b) then maps to `prefix + a + "|" + b` and to
    nothing else, and is present exactly when that string is a known attribute."""
    index: dict[tuple[str, str], int] = {}
    for feature, row in attributes.items():
        if not feature.startswith(prefix):
            continue
        rest = feature[len(prefix):]
        at = rest.find("|")
        while at >= 0:
            index[(rest[:at], rest[at + 1:])] = row
            at = rest.find("|", at + 1)
    return index


@lru_cache(maxsize=4)
def model_index(path: Path) -> ModelIndex:
    model = read_model(path)
    int32s = struct.Struct(f"<{_NEAR * len(_OFFSETS)}i").pack

    @lru_cache(maxsize=WORD_CACHE_SIZE)
    def words(word: str) -> KeptWord:
        # Uncached: this cache holds the word already, and features.py's would only keep a
        # second copy of it.
        fact = word_features.__wrapped__(word)
        near = [_id_or_zero(model, feature) for features in fact.near for feature in features]
        return KeptWord(fact.low, _running_sum(model, _ids(model, fact.own)), int32s(*near),
                        fact.short, fact.case, fact.capital, fact.folded, fact.letters,
                        fact.shouted, fact.mid_capital)

    @lru_cache(maxsize=128)
    def gazetteer(tag: str) -> bytes:
        if tag == _EMPTY:
            return bytes(4 * 5)
        # As features._gazetteer_features: the tag as own feature, then each neighbour's.
        features = ("g=" + tag, "-2g=" + tag, "-1g=" + tag, "1g=" + tag, "2g=" + tag)
        return struct.pack("<5i", *(_id_or_zero(model, f) for f in features))

    classes = ("O", *NAME_CATEGORIES, "+".join(NAME_CATEGORIES))
    return ModelIndex(
        model=model,
        words=words,
        gazetteer=gazetteer,
        document_case=tuple(_id_or_zero(model, f) for f in _DOCUMENT_CASE),
        pairs=tuple(_pair_index(model.attributes, prefix) for prefix in _PAIR_PREFIXES),
        names={name: _ids(model, ("n=" + name,)) for name in classes},
        bos={case: (_id_or_zero(model, "bos"), _id_or_zero(model, "bos|c=" + case))
             for case in _CASES},
        eos=_id_or_zero(model, "eos"),
        empty_word=KeptWord(_EMPTY, bytes(8 * len(model.labels)),
                            bytes(4 * _NEAR * len(_OFFSETS)), _EMPTY, "L", False, _EMPTY,
                            False, False, False),
    )


def document_scores(
    document: Sequence[Sequence[str]], lexicon: Lexicon, path: Path
) -> tuple[np.ndarray, list[int]]:
    """State scores of every position of the document by `path`'s model: (positions,
    labels), and the position of each sentence's first token."""
    index = model_index(path)
    facts = [list(map(index.words, sentence)) for sentence in document]
    headlines = [_is_headline(sentence) for sentence in facts]
    capitalised, lower = _document_case(document, facts, headlines)
    contexts = _document_contexts(facts)
    empty = index.empty_word
    flat = [empty] * _PAD
    starts = []
    for sentence in facts:
        starts.append(len(flat))
        flat += sentence
        flat += (empty,) * _PAD
    lows = [f.low for f in flat]
    # The lexicon's phrases cannot run over the empty positions: no phrase holds _EMPTY.
    tags = lexicon.tags(lows)
    for start in [*starts, len(flat)]:
        tags[start - _PAD : start] = (_EMPTY,) * _PAD
    document_case = index.document_case
    extras = _extras(flat, lows, tags, contexts, lexicon, index)
    for start, sentence, headline in zip(starts, facts, headlines, strict=True):
        extras += _sentence_extras(start, sentence, headline, lows, tags, index)
    scores = _scores(
        index,
        own=b"".join([f.own for f in flat]),
        near=b"".join([f.near for f in flat]),
        gazetteer=b"".join(map(index.gazetteer, tags)),
        case=[document_case[(low in capitalised) * 2 + (low in lower)] for low in lows],
        extras=extras,
        pairs=_pairs(flat, lows, tags, index),
    )
    return scores, starts


def _extras(
    flat: list[KeptWord],
    lows: list[str],
    tags: list[str],
    contexts: dict[str, dict[str, int]],
    lexicon: Lexicon,
    index: ModelIndex,
) -> list[tuple[int, int, int]]:
    """(position, column, id) of a capitalised word's name class and the contexts of its
    other occurrences, in their columns (0, then 1 to _MAX_CONTEXTS). A column a token has
    nothing in adds zeros, so fixed columns keep the order of the lists without counting."""
    extras: list[tuple[int, int, int]] = []
    attributes = index.model.attributes
    for at in [at for at, fact in enumerate(flat) if fact.capital]:
        fact = flat[at]
        extras += [(at, 0, row) for row in _name_ids(index, lexicon.name_class(fact.folded))]
        seen = contexts.get(fact.low)
        if seen:
            left, right = lows[at - 1], lows[at + 1]
            found = _context_ids(seen, "<s>" if left == _EMPTY else left,
                                 "</s>" if right == _EMPTY else right, attributes)
            extras += [(at, column, row) for column, row in enumerate(found, start=1)]
    return extras


def _sentence_extras(
    start: int,
    sentence: list[KeptWord],
    headline: bool,
    lows: list[str],
    tags: list[str],
    index: ModelIndex,
) -> list[tuple[int, int, int]]:
    """The headline features of a headline's tokens, the first token's "bos" features and
    the last token's "eos", in their columns (from _HEADLINE_COLUMN on)."""
    extras = [(start, column, row)
              for column, row in enumerate(index.bos[sentence[0].case], start=_BOS_COLUMN)
              if row]
    if index.eos:
        extras.append((start + len(sentence) - 1, _EOS_COLUMN, index.eos))
    if headline:
        for at in range(start, start + len(sentence)):
            found = (_id_or_zero(index.model, feature)
                     for feature in ("hl", "hl|w=" + lows[at], "hl|g=" + tags[at]))
            extras += [(at, column, row)
                       for column, row in enumerate(found, start=_HEADLINE_COLUMN) if row]
    return extras


def _pairs(
    flat: list[KeptWord], lows: list[str], tags: list[str], index: ModelIndex
) -> list[tuple[int, int, int]]:
    """(position, column, id) of the word-pair features, in the order of _PAIR_PREFIXES:
    the word before with this word, its lexicon tag and its shape; this word with the
    next. Next to an empty position no key is found (no attribute holds _EMPTY), as a
    sentence's first token has no pair with a word before and its last none with one after."""
    pair_word, pair_tag, pair_shape, next_word = index.pairs
    adjacent = list(pairwise(lows))  # (word p, word p + 1)
    shorts = [f.short for f in flat[1:]]
    pairs: list[tuple[int, int, int]] = []
    for column, table, keys, start in (
        (0, pair_word, adjacent, 1),
        (1, pair_tag, zip(lows, tags[1:], strict=False), 1),
        (2, pair_shape, zip(lows, shorts, strict=False), 1),
        (3, next_word, adjacent, 0),
    ):
        pairs += [(at, column, row)
                  for at, row in enumerate(map(table.get, keys), start=start) if row]
    return pairs


def _add_sparse(scores: np.ndarray, weights: np.ndarray,
                entries: list[tuple[int, int, int]]) -> None:
    """Add the weights of (position, column, id) entries, a column at a time in column
    order; a column holds a position at most once, so one fancy-indexed add per column is
    the same as adding entry by entry, and the positions it does not hold add nothing."""
    if not entries:
        return
    at, column, ids = (np.asarray(values, dtype=np.intp) for values in zip(*entries, strict=True))
    for number in np.unique(column).tolist():
        chosen = column == number
        scores[at[chosen]] += weights[ids[chosen]]


def _scores(
    index: ModelIndex,
    *,
    own: bytes,
    near: bytes,
    gazetteer: bytes,
    case: list[int],
    extras: list[tuple[int, int, int]],
    pairs: list[tuple[int, int, int]],
) -> np.ndarray:
    """The weights added in the order of a token's feature list (features.py): own,
    lexicon tag, document case, the few extras, the neighbours at -2, -1, +1, +2 (word,
    shape, case, then lexicon tag), the pairs."""
    weights = index.model.weights
    labels = len(index.model.labels)
    positions = len(case)
    scores = np.frombuffer(own, dtype="<f8").reshape(positions, labels).copy()
    near_ids = np.frombuffer(near, dtype="<i4").reshape(positions, -1)
    lexicon_ids = np.frombuffer(gazetteer, dtype="<i4").reshape(positions, 5)
    scores += weights[lexicon_ids[:, 0]]
    scores += weights[np.asarray(case, dtype=np.intp)]
    _add_sparse(scores, weights, extras)
    for slot, offset in enumerate(_OFFSETS):
        # Position p takes the features of the word at p + offset.
        target = slice(max(0, -offset), positions - max(0, offset))
        source = slice(max(0, offset), positions - max(0, -offset))
        for column in range(slot * _NEAR, slot * _NEAR + _NEAR):
            scores[target] += weights[near_ids[source, column]]
        scores[target] += weights[lexicon_ids[source, 1 + slot]]
    _add_sparse(scores, weights, pairs)
    return scores


def _name_ids(index: ModelIndex, name_class: str) -> tuple[int, ...]:
    kept = index.names.get(name_class)
    if kept is None:  # a class the lexicon format does not have today
        kept = _ids(index.model, ("n=" + name_class,))
    return kept


def _context_ids(
    seen: dict[str, int], left: str, right: str, attributes: dict[str, int]
) -> list[int]:
    """features._context_features as ids of the model's attributes: the first
    _MAX_CONTEXTS contexts are chosen before the unknown ones are left out, as there."""
    own_left, own_right = "dL=" + left, "dR=" + right
    out: list[int] = []
    taken = 0
    for key, count in seen.items():
        if count > 1 or (key != own_left and key != own_right):
            row = attributes.get(key)
            if row is not None:
                out.append(row)
            taken += 1
            if taken == _MAX_CONTEXTS:
                break
    return out
