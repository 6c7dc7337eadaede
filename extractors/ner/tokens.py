"""Running text to sentences of tokens with character offsets, close to CoNLL tokenisation.

The model was trained on CoNLL-2002/2003 tokens, so article text is cut the same way:
punctuation is its own token, English clitics are split ("Trump" "'s", "do" "n't"),
abbreviations with inner dots stay whole ("U.S.", "EE.UU.", "Mr."), numbers keep their
separators ("1,200", "22/05/2000"). Sentences end at a line break, or at ".", "!", "?"
(and any closing quotes) when the next token starts like a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

# Titles and abbreviations whose dot belongs to the word; lower case, without the dot.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "sr", "sra", "srta", "dra", "lic", "gen", "gov", "sen",
    "rep", "lt", "capt", "cmdr", "sgt", "jr", "prof", "ing", "arq", "mons", "nº", "núm",
    "vs", "etc", "jan", "feb", "apr", "aug", "sept", "oct", "nov", "dec", "inc", "corp",
    "ltd", "bros", "av", "avda", "gral", "cnel", "gob", "pdte",
})

_INITIALISMS = r"(?:[^\W\d_]{1,2}\.){2,}"         # U.S., EE.UU., a.m.
_NUMBERS = r"\d+(?:[.,:/-]\d+)*"                    # numbers, dates, times
_BEFORE_NT = r"[^\W\d_]\w*(?:-\w+)*(?=n['’]t\b)"    # "do" of "don't"
_NT = r"n['’]t\b"
_POSSESSIVE = r"['’][sS]\b"                         # English possessive 's
_WORDS = r"\w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*"       # words, hyphenated words, O'Neill, d'Estaing
_ANY = r"\S"                                        # any other character on its own
_TOKEN_RE = re.compile("|".join(
    (_INITIALISMS, _NUMBERS, _BEFORE_NT, _NT, _POSSESSIVE, _WORDS, _ANY)))
# The same without the two alternatives that split "n't". Both need "n't" or "n’t" in the
# text to match at all, and a pattern tries its alternatives in order, so on any other text
# this one finds the same tokens; it costs about half as much, because the first of them
# runs to the end of every word and then backs off one character at a time looking for an
# "n't" after it (docs/ner.md, "Fourth pass").
_TOKEN_RE_WITHOUT_NT = re.compile("|".join(
    (_INITIALISMS, _NUMBERS, _POSSESSIVE, _WORDS, _ANY)))
_SENTENCE_END = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "'", "”", "’", "»", ")", "]"})
_MAY_END = _SENTENCE_END | _CLOSERS
# Longer "sentences" (tables, run-on lists) are cut so one line cannot dominate the cost.
MAX_SENTENCE_TOKENS = 120


class TextToken(NamedTuple):
    """A named tuple rather than a frozen dataclass: an article has thousands of tokens, and a
    frozen dataclass checks every field it sets (tokenising cost about twice as much)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[TextToken]:
    """Tokens of `text` with offsets; abbreviation dots are attached to their word."""
    tokens: list[TextToken] = []
    append = tokens.append
    # tuple.__new__ with the fields in order is what TextToken(...) does, without the call
    # through the named tuple's own __new__ (a sixth of tokenising an article).
    new = tuple.__new__
    pattern = _TOKEN_RE if "n't" in text or "n’t" in text else _TOKEN_RE_WITHOUT_NT
    for match in pattern.finditer(text):
        word = match[0]
        if word == "." and tokens:
            previous, start = tokens[-1], match.start()
            if previous.end == start and _takes_dot(previous.text):
                tokens[-1] = new(TextToken, (previous.text + ".", previous.start, start + 1))
                continue
        append(new(TextToken, (word, *match.span())))
    return tokens


def _takes_dot(word: str) -> bool:
    # A single capital is an initial ("John F. Kennedy"); titles come from the list.
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def split_sentences(text: str, tokens: list[TextToken]) -> Iterator[list[TextToken]]:
    """Group tokens into sentences (see the module docstring for the rule).

    Only a token after which a line break comes, or one that is a sentence end or a closer,
    can end a sentence before MAX_SENTENCE_TOKENS; those are found first (a C-level scan for
    the line breaks, a set test per token) and the rule is asked of them alone, the tokens
    between are cut as slices. tests/test_ner_equivalence.py compares the sentences with the
    token-by-token definition on every page set."""
    last = len(tokens) - 1
    begin = 0
    for index in _possible_ends(text, tokens):
        while begin + MAX_SENTENCE_TOKENS - 1 < index:  # a run too long to wait for the end
            yield tokens[begin:begin + MAX_SENTENCE_TOKENS]
            begin += MAX_SENTENCE_TOKENS
        if (index - begin + 1 == MAX_SENTENCE_TOKENS
                or _ends_sentence(text, tokens[max(begin, index - 1):index + 1],
                                  tokens[index + 1])):
            yield tokens[begin:index + 1]
            begin = index + 1
    while begin + MAX_SENTENCE_TOKENS - 1 < last:
        yield tokens[begin:begin + MAX_SENTENCE_TOKENS]
        begin += MAX_SENTENCE_TOKENS
    if begin <= last:
        yield tokens[begin:]


def _possible_ends(text: str, tokens: list[TextToken]) -> list[int]:
    """In order, every index but the last's whose token may end a sentence: one followed by a
    line break (no token holds one, so the break lies between it and the next token), a
    sentence end, or a closer."""
    last = len(tokens) - 1
    found = {index for index, token in enumerate(tokens) if token.text in _MAY_END}
    starts: list[int] | None = None
    at = text.find("\n")
    while at >= 0:
        if starts is None:
            starts = [token.start for token in tokens]
        found.add(bisect_right(starts, at) - 1)
        at = text.find("\n", at + 1)
    return sorted(index for index in found if 0 <= index < last)


def _ends_sentence(text: str, sentence: list[TextToken], following: TextToken) -> bool:
    last = sentence[-1]
    if text.find("\n", last.end, following.start) >= 0:
        return True
    word = last.text
    if word not in _SENTENCE_END and not (
        word in _CLOSERS and len(sentence) > 1 and sentence[-2].text in _SENTENCE_END
    ):
        return False
    head = following.text[0]
    return head.isupper() or head.isdigit() or head in "\"'“‘«¿¡(-—"
