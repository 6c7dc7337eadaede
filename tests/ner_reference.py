"""The NER model's tokeniser and features as they were before they were made faster.

The fast code in extractors/ner/tokens.py and features.py must give exactly what this gives
(tests/test_ner_equivalence.py): the packaged models were trained on these features, and a
feature list that differs in one string or in its order can change a tag or a score. Kept
verbatim; not used outside the tests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pycrfsuite

from extractors.entity_text import fold
from extractors.ner.conll import bio_spans
from extractors.ner.lexicon import Lexicon, load_lexicon
from extractors.ner.model import _TITLES, LEXICON_PATH, NerMention, model_path

# Titles and abbreviations whose dot belongs to the word; lower case, without the dot.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "sr", "sra", "srta", "dra", "lic", "gen", "gov", "sen",
    "rep", "lt", "capt", "cmdr", "sgt", "jr", "prof", "ing", "arq", "mons", "nº", "núm",
    "vs", "etc", "jan", "feb", "apr", "aug", "sept", "oct", "nov", "dec", "inc", "corp",
    "ltd", "bros", "av", "avda", "gral", "cnel", "gob", "pdte",
})

_TOKEN_RE = re.compile(
    r"""
      (?:[^\W\d_]{1,2}\.){2,}             # initialisms: U.S., EE.UU., a.m.
    | \d+(?:[.,:/-]\d+)*                  # numbers, dates, times
    | [^\W\d_]\w*(?:-\w+)*(?=n['’]t\b)    # "do" of "don't"
    | n['’]t\b
    | ['’][sS]\b                          # English possessive 's
    | \w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*  # words, hyphenated words, O'Neill, d'Estaing
    | \S                                  # any other character on its own
    """,
    re.VERBOSE,
)
_SENTENCE_END = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "'", "”", "’", "»", ")", "]"})
# Longer "sentences" (tables, run-on lists) are cut so one line cannot dominate the cost.
MAX_SENTENCE_TOKENS = 120


@dataclass(frozen=True, slots=True)
class TextToken:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[TextToken]:
    """Tokens of `text` with offsets; abbreviation dots are attached to their word."""
    tokens: list[TextToken] = []
    for match in _TOKEN_RE.finditer(text):
        token = TextToken(match.group(), match.start(), match.end())
        previous = tokens[-1] if tokens else None
        if (
            token.text == "."
            and previous is not None
            and previous.end == token.start
            and _takes_dot(previous.text)
        ):
            tokens[-1] = TextToken(previous.text + ".", previous.start, token.end)
            continue
        tokens.append(token)
    return tokens


def _takes_dot(word: str) -> bool:
    # A single capital is an initial ("John F. Kennedy"); titles come from the list.
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def split_sentences(text: str, tokens: list[TextToken]) -> Iterator[list[TextToken]]:
    """Group tokens into sentences (see the module docstring for the rule)."""
    sentence: list[TextToken] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        sentence.append(token)
        if (
            following is None
            or _ends_sentence(text, sentence, following)
            or len(sentence) >= MAX_SENTENCE_TOKENS
        ):
            yield sentence
            sentence = []


def _ends_sentence(text: str, sentence: list[TextToken], following: TextToken) -> bool:
    last = sentence[-1]
    if "\n" in text[last.end : following.start]:
        return True
    quoted_end = last.text in _CLOSERS and len(sentence) > 1 and sentence[-2].text in _SENTENCE_END
    if last.text not in _SENTENCE_END and not quoted_end:
        return False
    head = following.text[0]
    return head.isupper() or head.isdigit() or head in "\"'“‘«¿¡(-—"




_WINDOW = (-2, -1, 1, 2)
_MAX_CONTEXTS = 8


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


def _is_headline(sentence: Sequence[str]) -> bool:
    letters = [w for w in sentence if any(c.isalpha() for c in w)]
    upper = sum(1 for w in letters if w.isupper() and len(w) > 1)
    return len(letters) >= 3 and upper >= 0.6 * len(letters)


def _document_case(document: Sequence[Sequence[str]]) -> tuple[set[str], set[str]]:
    """Lower-cased words seen capitalised mid-sentence, and words seen in lower case."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for sentence in document:
        if _is_headline(sentence):
            continue
        for index, word in enumerate(sentence):
            if word.islower():
                lower.add(word)
            elif index > 0 and word[:1].isupper() and not word.isupper():
                capitalised.add(word.lower())
    return capitalised, lower


def _document_contexts(document: Sequence[Sequence[str]]) -> dict[str, Counter[str]]:
    """Per capitalised word (lower-cased): the words just before and after its occurrences."""
    contexts: dict[str, Counter[str]] = {}
    for sentence in document:
        for index, word in enumerate(sentence):
            if not word[:1].isupper():
                continue
            seen = contexts.setdefault(word.lower(), Counter())
            seen["L=" + (sentence[index - 1].lower() if index else "<s>")] += 1
            seen["R=" + (sentence[index + 1].lower() if index + 1 < len(sentence) else "</s>")] += 1
    return contexts


def _context_features(
    low: str, left: str, right: str, contexts: dict[str, Counter[str]]
) -> list[str]:
    """Contexts of the word's other occurrences in the document ("el Barcelona" elsewhere
    says team, "en Barcelona" says place), without this occurrence's own."""
    seen = contexts.get(low)
    if not seen:
        return []
    own = {"L=" + left, "R=" + right}
    return ["d" + key for key, count in seen.items() if key not in own or count > 1][:_MAX_CONTEXTS]


def _token_facts(word: str, low: str) -> tuple[str, str, str]:
    shape = _shape(word)
    short = _collapse(shape)
    case = "T" if word.istitle() else "U" if word.isupper() else "L" if word.islower() else "M"
    return shape, short, case


def document_features(
    document: Sequence[Sequence[str]], lexicon: Lexicon
) -> list[list[list[str]]]:
    """Features of every token of every sentence of the document."""
    capitalised, lower = _document_case(document)
    contexts = _document_contexts(document)
    return [_sentence_features(s, lexicon, capitalised, lower, contexts) for s in document]


def _sentence_features(
    sentence: Sequence[str],
    lexicon: Lexicon,
    capitalised: set[str],
    lower: set[str],
    contexts: dict[str, Counter[str]],
) -> list[list[str]]:
    lows = [w.lower() for w in sentence]
    facts = [_token_facts(w, low) for w, low in zip(sentence, lows, strict=True)]
    gazetteer = lexicon_tags(lexicon, lows)
    headline = _is_headline(sentence)
    size = len(sentence)
    rows: list[list[str]] = []
    for i, word in enumerate(sentence):
        low = lows[i]
        shape, short, case = facts[i]
        row = [
            "b",
            "w=" + low,
            "W=" + word,
            "s=" + shape,
            "ss=" + short,
            "p1=" + low[:1], "p2=" + low[:2], "p3=" + low[:3], "p4=" + low[:4],
            "x1=" + low[-1:], "x2=" + low[-2:], "x3=" + low[-3:], "x4=" + low[-4:],
            "g=" + gazetteer[i],
            "dc=" + ("1" if low in capitalised else "0") + ("1" if low in lower else "0"),
        ]
        if word[:1].isupper():
            row.append("n=" + lexicon.name_class(fold(low)))
            left = lows[i - 1] if i else "<s>"
            right = lows[i + 1] if i + 1 < size else "</s>"
            row += _context_features(low, left, right, contexts)
        if headline:
            row += ["hl", "hl|w=" + low, "hl|g=" + gazetteer[i]]
        if i == 0:
            row += ["bos", "bos|c=" + case]
        if i == size - 1:
            row.append("eos")
        for offset in _WINDOW:
            j = i + offset
            if 0 <= j < size:
                key = str(offset)
                row += [
                    key + "w=" + lows[j],
                    key + "ss=" + facts[j][1],
                    key + "c=" + facts[j][2],
                    key + "g=" + gazetteer[j],
                ]
        if i > 0:
            before = lows[i - 1]
            row += ["-1w|w=" + before + "|" + low, "-1w|g=" + before + "|" + gazetteer[i],
                    "-1w|ss=" + before + "|" + short]
        if i + 1 < size:
            row.append("w|+1w=" + low + "|" + lows[i + 1])
        rows.append(row)
    return rows


_MAX_PHRASE_TOKENS = 6


def lexicon_tags(lexicon: Lexicon, lows: Sequence[str]) -> list[str]:
    """Lexicon.tags as it was: per token the longest phrase there, "<category>-B"/"-I"."""
    tags = ["O"] * len(lows)
    index = 0
    while index < len(lows):
        for size in range(min(_MAX_PHRASE_TOKENS, len(lows) - index), 0, -1):
            category = lexicon.phrases.get(tuple(lows[index : index + size]))
            if category is not None:
                tags[index] = category + "-B"
                for inner in range(index + 1, index + size):
                    tags[inner] = category + "-I"
                index += size
                break
        else:
            index += 1
    return tags


def reference_mentions(text: str, language: str) -> list[NerMention]:
    """find_mentions as it was: these tokens and features, every feature handed to crfsuite,
    a fresh tagger on the packaged model."""
    if language not in ("es", "en") or not text.strip():
        return []
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path(language)))
    sentences = list(split_sentences(text, tokenize(text)))
    words = [[t.text for t in sentence] for sentence in sentences]
    mentions: list[NerMention] = []
    for sentence, features in zip(
        sentences, document_features(words, load_lexicon(LEXICON_PATH)), strict=True
    ):
        tags = tagger.tag(pycrfsuite.ItemSequence(features))
        for kind, first, stop in bio_spans(tags):
            if kind == "PER":
                while first < stop - 1 and sentence[first].text.lower().rstrip(".") in _TITLES:
                    first += 1
            score = min(tagger.marginal(tags[i], i) for i in range(first, stop))
            start, end = sentence[first].start, sentence[stop - 1].end
            mentions.append(NerMention(start, end, text[start:end], kind, round(score, 4)))
    return mentions
