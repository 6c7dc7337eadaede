"""A crfsuite model's weights as arrays, and its best tags and marginals computed with numpy.

crfsuite (python-crfsuite) takes a token as a list of attribute strings, looks each up in
the model's dictionary and adds its weights in list order; at ~9 ms of CPU per news article
that conversion and lookup, with building the strings, was most of the NER model's cost
(docs/ner.md, "CPU"). Here the model file is read once into a weight matrix (a row per
attribute, a column per label), the tagging path hands over attribute rows as integers
(known_features.py), and the best path and the marginals are computed for all sentences of
a document together.

The results are crfsuite's own, not an approximation of them:

- state scores are sums of the same doubles in the same order (starting from 0.0, a
  missing attribute adding 0.0, which changes no sum), so they are equal bit for bit;
- the best path is crfsuite's Viterbi: `prev[i] + trans[i][j]` maximised over `i` with the
  first maximum kept, plus the state score, and the last label the first maximum as well;
- marginals follow crfsuite's scaled forward-backward (`alpha[t][l] * beta[t][l] /
  scale[t]`); `exp` and the matrix products' order of summing may differ from crfsuite's
  in the last bits (the tests allow 1e-9), far below the four decimals a mention's score
  keeps.

tests/test_ner_equivalence.py checks the model reading against `Tagger.info()`, the tags
and marginals against pycrfsuite, and the mentions against the reference path.

The model file (crfsuite's "FOMC" format, written by `crf1dmw_*` in crfsuite's
crf1d_model.c) starts with "lCRF" and eleven little-endian 32-bit fields: size, type,
version, feature count (left 0 by the writer), label count, attribute count, and the
offsets of the features, the label and attribute dictionaries (CQDB) and the two reference
tables. The feature chunk is "FEAT", its size, its count, then per feature: type (0 state,
1 transition), source (attribute or label id), destination (label id), weight (double).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from extractors.errors import WirewatchError

_maximum, _sum = np.maximum.reduce, np.add.reduce
_FEATURE = np.dtype([("type", "<u4"), ("source", "<u4"), ("label", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


class NerModelMissing(WirewatchError, RuntimeError):
    """The packaged model file of a language is missing or unreadable (a broken install;
    terminal)."""


@dataclass(frozen=True, slots=True, eq=False)
class CrfModel:
    """One model's labels and weights. Attribute ids are rows of `weights`, from 1: row 0
    is all zeros, the id of every attribute the model does not have."""

    labels: tuple[str, ...]
    attributes: dict[str, int]  # attribute name -> row of `weights`
    weights: np.ndarray  # (attributes + 1, labels) float64
    transitions: np.ndarray  # (labels, labels): from row label to column label
    exp_transitions: np.ndarray


def _dictionary(data: bytes, at: int) -> list[str]:
    """The names of a CQDB chunk in id order: its backward array gives, per id, the offset
    of a record (id, size with the closing NUL, UTF-8 name)."""
    chunk, _, _, _, count, backward_at = struct.unpack_from("<4s5I", data, at)
    if chunk != b"CQDB":
        raise ValueError("no CQDB dictionary where the header points")
    names = []
    for offset in struct.unpack_from(f"<{count}I", data, at + backward_at):
        size = struct.unpack_from("<I", data, at + offset + 4)[0]
        names.append(data[at + offset + 8 : at + offset + 7 + size].decode("utf-8"))
    return names


@lru_cache(maxsize=4)
def read_model(path: Path) -> CrfModel:
    """`path`'s model as arrays (about 10 ms; cached per process)."""
    if not path.is_file():
        raise NerModelMissing(f"NER model {path} is missing; reinstall the package")
    try:
        data = path.read_bytes()
        if data[:4] != b"lCRF":
            raise ValueError("not a crfsuite model")
        fields = struct.unpack_from("<11I", data, 4)
        label_count, features_at, labels_at, attributes_at = (
            fields[4], fields[6], fields[7], fields[8])
        labels = _dictionary(data, labels_at)
        names = _dictionary(data, attributes_at)
        chunk, size, count = struct.unpack_from("<4sII", data, features_at)
        if chunk != b"FEAT" or size != 12 + _FEATURE.itemsize * count:
            raise ValueError("no feature chunk where the header points")
        features = np.frombuffer(data, _FEATURE, count=count, offset=features_at + 12)
    except (OSError, ValueError, struct.error, UnicodeDecodeError) as error:
        raise NerModelMissing(f"NER model {path} is unreadable: {error}; reinstall the package"
                              ) from error
    if len(labels) != label_count:
        raise NerModelMissing(f"NER model {path} is unreadable: label count; reinstall")
    state = features[features["type"] == _STATE]
    weights = np.zeros((len(names) + 1, label_count))
    weights[state["source"] + 1, state["label"]] = state["weight"]
    moves = features[features["type"] == _TRANSITION]
    transitions = np.zeros((label_count, label_count))
    transitions[moves["source"], moves["label"]] = moves["weight"]
    return CrfModel(
        labels=tuple(labels),
        attributes={name: row for row, name in enumerate(names, start=1)},
        weights=weights,
        transitions=transitions,
        exp_transitions=np.exp(transitions),
    )


@dataclass(frozen=True, slots=True)
class Batch:
    """The sentences of a document, longest first, as one array of state scores.

    Laid out (position, label, row): numpy's fixed cost per call, not the arithmetic, is
    what a document's few dozen sentences pay, and in this layout each step of the
    recursions is three calls over the rows still running, with the reduction over labels
    along an outer axis."""

    order: np.ndarray  # sentence index of each row
    lengths: np.ndarray  # tokens per row, non-increasing
    states: np.ndarray  # (longest, labels, rows); past a row's length: unused
    running: np.ndarray  # per position: how many rows (the first ones) reach it


def batch(scores: np.ndarray, starts: Sequence[int], lengths: Sequence[int]) -> Batch:
    """Rows of `scores` (one per token position) gathered per sentence, longest first."""
    sizes = np.asarray(lengths, dtype=np.intp)
    order = np.argsort(-sizes, kind="stable")
    sizes = sizes[order]
    longest = int(sizes[0])
    first = np.asarray(starts, dtype=np.intp)[order]
    steps = np.arange(longest)
    # Past its end a row reads its own last token again: any finite value will do there.
    at = first[None, :] + np.minimum(steps[:, None], sizes[None, :] - 1)
    return Batch(order=order, lengths=sizes,
                 states=np.ascontiguousarray(scores[at].transpose(0, 2, 1)),
                 running=np.searchsorted(-sizes, -steps, side="left"))


def best_paths(model: CrfModel, sentences: Batch) -> list[list[int]]:
    """crfsuite's Viterbi for every sentence, in the order the sentences were given.

    The back pointers are not stored: walking back, the label before `j` is recomputed as
    the first `i` maximising `score[t-1][i] + trans[i][j]`, the same sum and comparison
    crfsuite makes for its pointer."""
    states, sizes, running = sentences.states, sentences.lengths, sentences.running
    longest, _, rows = states.shape
    into = model.transitions.T[:, :, None]  # [to, from, 1]
    scores = np.empty_like(states)
    scores[0] = states[0]
    for t in range(1, longest):
        k = running[t]
        candidates = scores[t - 1, None, :, :k] + into  # [to, from, row]
        # ufunc.reduce directly: ndarray.max goes through a Python wrapper on every call.
        np.add(_maximum(candidates, axis=1), states[t, :, :k], out=scores[t, :, :k])
    last = scores[sizes - 1, :, np.arange(rows)].argmax(axis=1)
    paths = np.empty((rows, longest), dtype=np.intp)
    paths[np.arange(rows), sizes - 1] = last
    current = last
    for t in range(longest - 1, 0, -1):
        k = running[t]
        current = current[:k]
        current = (scores[t - 1, :, :k] + model.transitions[:, current]).argmax(axis=0)
        paths[:k, t - 1] = current
        current = np.concatenate([current, last[k : running[t - 1]]]) if (
            running[t - 1] > k) else current
    out: list[list[int]] = [[] for _ in range(rows)]
    for row, (index, size) in enumerate(zip(sentences.order.tolist(), sizes.tolist(),
                                            strict=True)):
        out[index] = paths[row, :size].tolist()
    return out


def marginals(model: CrfModel, sentences: Batch) -> np.ndarray:
    """Per position, label and row the marginal probability, by crfsuite's scaled
    forward-backward; indexed like `sentences.states`."""
    states, sizes, running = sentences.states, sentences.lengths, sentences.running
    longest, _, rows = states.shape
    exp_states = np.exp(states)
    into = np.ascontiguousarray(model.exp_transitions.T)  # [to, from]
    alpha = np.zeros_like(states)
    scale = np.ones((longest, 1, rows))
    alpha[0] = exp_states[0]
    scale[0, 0] = _inverse(_sum(alpha[0], axis=0))
    alpha[0] *= scale[0]
    for t in range(1, longest):
        k = running[t]
        current = (into @ alpha[t - 1, :, :k]) * exp_states[t, :, :k]
        scale[t, 0, :k] = _inverse(_sum(current, axis=0))
        alpha[t, :, :k] = current * scale[t, :, :k]
    beta = np.zeros_like(states)
    everyone = np.arange(rows)
    beta[sizes - 1, :, everyone] = scale[sizes - 1, 0, everyone][:, None]
    for t in range(longest - 2, -1, -1):
        k = running[t + 1]  # rows that have a token after t
        following = beta[t + 1, :, :k] * exp_states[t + 1, :, :k]
        beta[t, :, :k] = (model.exp_transitions @ following) * scale[t, :, :k]
    probabilities: np.ndarray = alpha * beta / scale
    return probabilities


def _inverse(sums: np.ndarray) -> np.ndarray:
    """1 / sums, and 1 where a sum is 0, as crfsuite scales."""
    inverse: np.ndarray = np.where(sums != 0.0, 1.0 / np.where(sums != 0.0, sums, 1.0), 1.0)
    return inverse
