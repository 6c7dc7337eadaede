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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from extractors.entity_text import fold
from extractors.ner.lexicon import Lexicon

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
    gazetteer = lexicon.tags(lows)
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
