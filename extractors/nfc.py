"""Whether a text is in Unicode NFC: `unicodedata.is_normalized("NFC", …)`'s answer for a
fraction of its CPU on web pages.

The library's quick check looks up every character, about 17-23 ns each on a page held in two
or four bytes per character: 50-80 ms on one of the 2-3 MB news pages of the shared corpus,
2.6 ms per corpus page on average, which bare trafilatura never pays. Most characters can
neither change under NFC nor combine with their neighbours: a text made only of those
(combining class 0, NFC quick check Yes) is in NFC. The others, the "unsafe" characters
(combining marks, characters NFC replaces, characters that may compose with the one before
them), all lie above U+00FF, so a text that encodes as Latin-1 is in NFC, and any other text
is in NFC when none of its non-ASCII characters is unsafe. The text is looked at in pieces cut
before ASCII characters; a piece holding an unsafe character gets the library's own check, and
a piece not in NFC sends the whole text to it, so the answer is always the library's. On the
157 shared corpus pages: 3.3 ms per page for the library's check, 1.2 for this one.

The unsafe characters depend on the Unicode version of `unicodedata`; they are stored for one
version in data/nfc_unsafe.json (`python -m extractors.nfc` writes it) and computed at first
use, in about half a second, under any other version.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UNSAFE_FILE = Path(__file__).parent / "data" / "nfc_unsafe.json"
ASCII_BYTES = bytes(range(128))
# Hangul syllables compose algorithmically: a vowel jamo after a leading consonant, a trailing
# consonant after an LV syllable (Unicode chapter 3.12). No decomposition mapping names them.
HANGUL_VOWELS = range(0x1161, 0x1176)
HANGUL_TRAILING = range(0x11A8, 0x11C3)
SURROGATES = range(0xD800, 0xE000)
ASCII_CHARACTER = re.compile("[\x00-\x7f]")
# Pieces a text is checked in: small enough that the library's check of the few pieces with
# an unsafe character costs little (a 3 MB page with 300 combining marks in one place), large
# enough that cutting costs nothing.
CHUNK_CHARS = 16_384


@dataclass(frozen=True, slots=True)
class UnsafeCharacters:
    """The unsafe characters of one Unicode version, and whether Latin-1 text is safe."""

    characters: frozenset[str]
    latin1_safe: bool


def is_nfc(text: str) -> bool:
    """`unicodedata.is_normalized("NFC", text)`.

    The text is taken in pieces of about CHUNK_CHARS characters, each cut before an ASCII
    character (a boundary NFC never looks across), so only the pieces holding an unsafe
    character are given to the library's check; should one not be in NFC, the whole text is.
    """
    if text.isascii():
        return True
    unsafe = unsafe_characters()
    start = 0
    while start < len(text):
        boundary = ASCII_CHARACTER.search(text, start + CHUNK_CHARS)
        end = boundary.start() if boundary else len(text)
        if not _piece_in_nfc(text[start:end], unsafe):
            return unicodedata.is_normalized("NFC", text)
        start = end
    return True


def _piece_in_nfc(piece: str, unsafe: UnsafeCharacters) -> bool:
    if piece.isascii():  # a slice is stored as narrow as its characters allow: O(1) here
        return True
    if unsafe.latin1_safe:
        try:
            piece.encode("latin-1")  # a copy in C, or an early stop at the first wider character
        except UnicodeEncodeError:
            pass
        else:
            return True
    # The piece's non-ASCII characters: its UTF-8 bytes without the ASCII bytes, which no
    # multi-byte sequence contains, so what remains decodes to exactly those characters.
    non_ascii = piece.encode("utf-8", "surrogatepass").translate(None, ASCII_BYTES)
    if unsafe.characters.isdisjoint(non_ascii.decode("utf-8", "surrogatepass")):
        return True
    return unicodedata.is_normalized("NFC", piece)


@lru_cache(maxsize=1)
def unsafe_characters() -> UnsafeCharacters:
    """The stored table when it is for this `unicodedata`'s Unicode version, else computed."""
    stored = json.loads(UNSAFE_FILE.read_text(encoding="utf-8"))
    if stored["unidata_version"] == unicodedata.unidata_version:
        points = [point for first, last in stored["ranges"] for point in range(first, last + 1)]
    else:
        points = unsafe_code_points()
    return UnsafeCharacters(frozenset(map(chr, points)), latin1_safe=min(points) > 0xFF)


def unsafe_code_points() -> list[int]:
    """Every code point that is not both of combining class 0 and NFC quick check Yes.

    Quick check No: NFC replaces the character wherever it stands, so it is not NFC alone.
    Quick check Maybe: it may compose with the character before it, so it is the second
    character of a canonical decomposition (at most two characters long) or a Hangul jamo
    that composes algorithmically. Taking every such second character is a superset (some
    compositions are excluded), which only sends a few more texts to the library's check.
    """
    second: set[int] = set(HANGUL_VOWELS) | set(HANGUL_TRAILING)
    for point in range(0x110000):
        mapping = unicodedata.decomposition(chr(point))
        if mapping and not mapping.startswith("<"):
            parts = mapping.split()
            if len(parts) == 2:
                second.add(int(parts[1], 16))
    return [point for point in range(0x110000)
            if point not in SURROGATES and (
                point in second or unicodedata.combining(chr(point))
                or not unicodedata.is_normalized("NFC", chr(point)))]


def as_ranges(points: list[int]) -> list[list[int]]:
    """Sorted code points as [first, last] runs."""
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


def write_table(path: Path = UNSAFE_FILE) -> None:
    table = {"unidata_version": unicodedata.unidata_version,
             "ranges": as_ranges(unsafe_code_points())}
    path.write_text(json.dumps(table, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_table()
