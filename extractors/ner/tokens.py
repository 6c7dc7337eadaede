"""Running text to sentences of tokens with character offsets, close to CoNLL tokenisation.

The model was trained on CoNLL-2002/2003 tokens, so article text is cut the same way:
punctuation is its own token, English clitics are split ("Trump" "'s", "do" "n't"),
abbreviations with inner dots stay whole ("U.S.", "EE.UU.", "Mr."), numbers keep their
separators ("1,200", "22/05/2000"). Sentences end at a line break, or at ".", "!", "?"
(and any closing quotes) when the next token starts like a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

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


class TextToken(NamedTuple):
    """A named tuple rather than a frozen dataclass: an article has thousands of tokens, and a
    frozen dataclass checks every field it sets (tokenising cost about twice as much)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[TextToken]:
    """Tokens of `text` with offsets; abbreviation dots are attached to their word."""
    tokens: list[TextToken] = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        start, end = match.span()
        if word == "." and tokens:
            previous = tokens[-1]
            if previous.end == start and _takes_dot(previous.text):
                tokens[-1] = TextToken(previous.text + ".", previous.start, end)
                continue
        tokens.append(TextToken(word, start, end))
    return tokens


def _takes_dot(word: str) -> bool:
    # A single capital is an initial ("John F. Kennedy"); titles come from the list.
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def split_sentences(text: str, tokens: list[TextToken]) -> Iterator[list[TextToken]]:
    """Group tokens into sentences (see the module docstring for the rule)."""
    sentence: list[TextToken] = []
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        sentence.append(token)
        if (
            index == last
            or len(sentence) >= MAX_SENTENCE_TOKENS
            or _ends_sentence(text, sentence, tokens[index + 1])
        ):
            yield sentence
            sentence = []


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
