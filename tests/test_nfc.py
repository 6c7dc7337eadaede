"""extractors.nfc.is_nfc gives unicodedata.is_normalized("NFC", …)'s answer on every text."""

from __future__ import annotations

import random
import unicodedata

import pytest
from page_sets import missing, pages

from extractors.body_text import clean_markup
from extractors.charset import declared_html_charset, decode_body
from extractors.nfc import CHUNK_CHARS, is_nfc, unsafe_characters, unsafe_code_points

# One of each kind: a combining acute after its letter, marks out of canonical order, a
# character NFC replaces (CJK compatibility ideograph, U+0340), a Tamil vowel sign that
# composes with the one before it (class 0, quick check Maybe), Hangul jamo that compose into
# a syllable, a lone surrogate as a decoder may leave one.
CASES = ["Cafe\u0301 con leche", "caf\u00e9", "a\u0301\u0323", "a\u0323\u0301", "\uf900 text",
         "x\u0340y", "\u0bc6\u0bbe", "\u0bbe alone", "\u1100\u1161", "\uac00\u11a8",
         "\u1161 alone", "\ud800 lone", "naïve “quotes” — ok ✓ 😀", "Ωμέγα", "Ω\u0301",
         "\u212b angstrom", "A\u030a", "\u00c5", "Stra\u00dfe", "\u0627\u064e", "日本語のテキスト"]


def test_every_crafted_case_gets_the_library_answer():
    for text in CASES:
        assert is_nfc(text) == unicodedata.is_normalized("NFC", text), ascii(text)
    # both answers occur, so neither path is left untested
    assert {is_nfc(text) for text in CASES} == {True, False}


def test_random_mixtures_of_safe_and_unsafe_characters():
    unsafe = sorted(unsafe_characters().characters)
    safe = list("aeoAZ .,é€ñü“”—日本語한국ΩжŁ\u00ff\u0100😀")
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(unsafe if rng.random() < 0.15 else safe)
                       for _ in range(rng.randint(1, 8)))
        assert is_nfc(text) == unicodedata.is_normalized("NFC", text), ascii(text)


def test_the_stored_table_is_this_unicode_versions_unsafe_set():
    computed = frozenset(map(chr, unsafe_code_points()))
    assert unsafe_characters().characters == computed
    # the Latin-1 shortcut holds: nothing below U+0100 is unsafe
    assert unsafe_characters().latin1_safe and min(map(ord, computed)) == 0x300


def test_every_character_next_to_starters_and_marks():
    """Every character of the blocks with marks and compositions (below CJK), after and
    before a few starters and marks: the same answer as the library, both answers seen."""
    neighbours = ["a", "e", "\u0301", "\u0323", "\u1100", "\u0bc6", "\uac00", "Ω"]
    answers = set()
    for point in range(0x80, 0x3400):
        if 0xD800 <= point < 0xE000:
            continue
        for other in neighbours:
            for text in (other + chr(point), chr(point) + other):
                expected = unicodedata.is_normalized("NFC", text)
                assert is_nfc(text) == expected, ascii(text)
                answers.add(expected)
    assert answers == {True, False}


def test_long_texts_checked_in_pieces():
    """Texts of several pieces with a combining mark or a Hangul pair on each side of a cut,
    after a long stretch without ASCII (where a cut cannot fall), and in NFC elsewhere."""
    filler = "Caf\u00e9 “news” 😀 — " * (3 * CHUNK_CHARS // 18)
    answers = set()
    for offset in (-2, -1, 0, 1, 2, CHUNK_CHARS // 2):
        for insert in ("e\u0301", "\u00e9\u0301", "\u1100\u1161", "a\u0301\u0323", "\u0338"):
            for text in (filler[:CHUNK_CHARS + offset] + insert + filler[CHUNK_CHARS + offset:],
                         "é" * (CHUNK_CHARS + offset) + insert + filler):
                expected = unicodedata.is_normalized("NFC", text)
                assert is_nfc(text) == expected, (offset, ascii(insert))
                answers.add(expected)
    assert is_nfc(filler) and answers == {True, False}


def test_clean_markup_still_composes():
    assert clean_markup("<p>Cafe\u0301</p>") == "<p>Caf\u00e9</p>"
    assert clean_markup("<p>caf\u00e9 “x”</p>") == "<p>caf\u00e9 “x”</p>"


@pytest.mark.parametrize("kind", ["fixtures", "corpus", "wcxb"])
def test_every_page_gets_the_library_answer(kind):
    if (folder := missing(kind)) is not None:
        pytest.skip(f"{folder} not present")
    checked = 0
    for name, raw in pages(kind):
        text = decode_body(raw, [declared_html_charset(raw)]).text
        assert is_nfc(text) == unicodedata.is_normalized("NFC", text), name
        checked += 1
    assert checked
