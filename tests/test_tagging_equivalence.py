"""Tagging's faster text plumbing gives what the plain definitions give, value for value.

Each reference below is the definition the faster code in entity_text.py / entity_context.py
replaced (docs/extraction.md, "Tagging for less CPU"). They are compared on the fixture
pages and, when /work/shared is present, on the shared corpus pages and every eighth WCXB
development page (their visible text: tags, scripts and styles removed; the whole-output
comparison on all 792 pages is in docs/extraction.md, here the time a test may take rules).
"""

from __future__ import annotations

import gzip
import html
import random
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import pytest

from extractors.entity_context import _shouted
from extractors.entity_gazetteer import load_gazetteer
from extractors.entity_text import (
    _FOLD_TABLE,
    TOKEN_RE,
    Line,
    PhraseTrie,
    Token,
    _looks_like_link,
    fold,
    split_lines,
    tokenize,
)
from extractors.topics import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_INVISIBLE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_WILD = "\x00wild"


# --- the definitions the fast code replaced ------------------------------------------------


def reference_fold(text: str) -> str:
    folded = text.translate(_FOLD_TABLE)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


def reference_tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text)))


def reference_starts(trie: PhraseTrie, tokens: Sequence[Token]) -> list[int]:
    """Every token that is the first word of a phrase or starts like a one-word wildcard."""
    root = trie._root
    wild = root.get(_WILD) or {}
    return [n for n, token in enumerate(tokens)
            if token.key in root or token.key[:2] in wild or token.key[:1] in wild]


def reference_shouted(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and sum(1 for c in letters if c.isupper()) >= 0.7 * len(letters)


def reference_looks_like_link(line: Line) -> bool:
    words = line.text.split()
    return 0 < len(words) <= 12 and not re.search(r"[.!?…:;\"”»)]\s*$", line.text)


# --- the texts ---------------------------------------------------------------------------


def visible_text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", markup)))


@lru_cache(maxsize=2)
def page_texts(shared: bool) -> tuple[tuple[str, str], ...]:
    """(name, visible text) of the fixture pages, or of the shared pages."""
    return tuple(_page_texts(shared))


def _page_texts(shared: bool) -> Iterator[tuple[str, str]]:
    if not shared:
        for page in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html")):
            yield page.name, visible_text(page.read_bytes().decode("utf-8", "replace"))
        return
    for page in sorted((SHARED / "corpus" / "pages").rglob("*.html")):
        yield page.name, visible_text(page.read_bytes().decode("utf-8", "replace"))
    wcxb = sorted((SHARED / "extraction" / "wcxb-dev-articles" / "html").glob("*.html.gz"))
    for page in wcxb[::8]:
        yield page.name, visible_text(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))


def _sources() -> list[bool]:
    present = (SHARED / "corpus" / "pages").is_dir() and (
        SHARED / "extraction" / "wcxb-dev-articles" / "html").is_dir()
    return [False, pytest.param(True, marks=pytest.mark.skipif(
        not present, reason="the shared corpus and WCXB pages are not on this machine"))]


# --- the tests ---------------------------------------------------------------------------


def test_fold_equals_translate_for_every_character() -> None:
    characters = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert fold(characters) == reference_fold(characters)
    # one at a time too: lower() lengthening a character changes the whole text's branch
    assert [fold(c) for c in characters] == [reference_fold(c) for c in characters]
    assert fold("İstanbul’s Ñandú — `x´") == reference_fold("İstanbul’s Ñandú — `x´")


@pytest.mark.parametrize("shared", _sources())
def test_tokens_and_trie_starts_equal_the_definitions(shared: bool) -> None:
    gazetteer = load_gazetteer()
    tries = (gazetteer.trie, gazetteer.cues, load_taxonomy().trie)
    checked = 0
    for name, text in page_texts(shared):
        tokens = tokenize(text)
        reference = reference_tokenize(text)
        assert tuple(tokens) == reference, name
        assert all(type(token) is Token for token in tokens), name
        assert len(tokens) == len(reference) and tokens.keys == [t.key for t in reference]
        if reference:  # read by index, from either end, as the linker reads them
            assert [tokens[i] for i in (0, -1, len(reference) // 2)] == [
                reference[i] for i in (0, -1, len(reference) // 2)], name
        for trie in tries:
            possible = reference_starts(trie, tokens)
            found = trie.start_positions(tokens)
            # only positions the definition allows, in order, and every one with a hit
            assert found == sorted(set(found)) and set(found) <= set(possible), name
            with_hits = [n for n in possible if trie.candidates(tokens, n)]
            assert set(with_hits) <= set(found), name
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("shared", _sources())
def test_line_tests_equal_the_definitions(shared: bool) -> None:
    lines = [line for _, text in page_texts(shared) for line in split_lines(text)]
    rng = random.Random(11)
    alphabet = "aZ ÉñÑ’ⅫⅻⒶⓐ1.ΣσДд"
    lines += [Line("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))), 0, 0)
              for _ in range(3000)]
    assert [_shouted(line.text) for line in lines] == [
        reference_shouted(line.text) for line in lines]
    assert [_looks_like_link(line) for line in lines] == [
        reference_looks_like_link(line) for line in lines]
    assert any(_shouted(line.text) for line in lines)


def test_tokens_read_as_the_tuple_of_them_reads() -> None:
    """Every way the taggers read tokens: index (negative too), slice (any bounds and step),
    iteration, length, bisection, equality, joined runs; IndexError past either end."""
    text = "Sheinbaum dijo: «no habrá injerencia» — Trump’s 25 %\nMéxico, D.F."
    tokens, reference = tokenize(text), reference_tokenize(text)
    count = len(reference)
    assert len(tokens) == count > 10
    assert [tokens[i] for i in range(-count, count)] == [reference[i] for i in range(-count, count)]
    for bad in (count, -count - 1):
        with pytest.raises(IndexError):
            tokens[bad]
    for start in (None, -3, 0, 2, count, count + 5):
        for stop in (None, -1, 0, 3, count, count + 5):
            for step in (None, 1, 2, -1):
                assert tuple(tokens[start:stop:step]) == reference[start:stop:step]
                assert tokens[start:stop:step] == tokenize(text)[start:stop:step]
    assert list(tokens) == list(reference) and tokens == tokenize(text)
    assert tokens.starts() == [t.start for t in reference]
    assert tokens.ends() == [t.end for t in reference]
    by_start = attrgetter("start")
    assert [bisect_left(tokens, n, key=by_start) for n in range(len(text))] == [
        bisect_left(reference, n, key=by_start) for n in range(len(text))]
    runs = [(0, 2), (4, 4), (5, count)]
    assert tuple(tokens.joined(runs)) == reference[0:2] + reference[5:]
    assert tokens != list(reference) and tokens != tokenize(text + " x")


def test_start_positions_follow_terms_added_after_a_look_up() -> None:
    trie = PhraseTrie()
    trie.add("elect*", "a")
    tokens = tokenize("They elected a new mayor in Madrid")
    assert trie.start_positions(tokens) == [1]
    trie.add("may*", "b")  # the wildcard pattern is rebuilt after a later add
    trie.add("in madrid", "c")
    assert trie.start_positions(tokens) == [1, 4, 5]
    assert [trie.candidates(tokens, n)[0].payloads for n in (1, 4, 5)] == [
        ("a",), ("b",), ("c",)]
