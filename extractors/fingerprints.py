"""Text fingerprints for recognising copies: pure, picklable, computable ahead of time.

`fingerprint_article` does the per-article CPU work once (normalising, shingling each
paragraph, finding cross-language cues) so story assignment only has to drop an outlet's
boilerplate paragraphs and combine the rest. Shingles are hashed with CRC-32, which is
stable across processes (Python's `hash` is salted per process) and fast in C.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, sub

import numpy as np

from extractors.boilerplate import furniture_flags
from extractors.credits import load_agencies
from extractors.story_sketch import candidate_keys, shingle_array

SHINGLE_WORDS = 5
MIN_PARAGRAPH_TOKENS = 4  # "EFE", "Por AFP", datelines: too short to say anything about copying
LEAD_WORDS = 60
LEAD_PARAGRAPHS = 4
CUE_PREFIX = 5  # "Pentágono"/"Pentagon", "México"/"Mexican" meet on their first letters
CUE_CACHE = 1 << 15  # capitalised words whose cue is remembered across texts (a few MB)
_TOKEN = re.compile(r"\w+")
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:;\"“«]\s*)$")
# A capital at a word start: `\b` before it, checked after it ("(?<!\w.)": no word character
# before the capital), so the pattern opens with a character class and the engine skips
# straight to the next capital instead of trying every position (the same matches).
_CAPITALISED = re.compile(r"[A-ZÁÉÍÓÚÑÜ](?<!\w.)[\wáéíóúñü'’-]{2,}")
_CAPITALISED_DEFINITION = r"\b[A-ZÁÉÍÓÚÑÜ][\wáéíóúñü'’-]{2,}"
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# Capitalised words that say nothing about which story a text tells: articles, weekdays,
# months, titles, in both languages.
_WEAK_WORDS = (
    """the this that these those there their they his her its our but and for with from after
    before while when where what which who how also however meanwhile according monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august
    september october november december president minister secretary governor police army
    el la los las un una unos unas del al en por para con sin sobre tras ante desde hasta segun
    este esta estos estas ese esa eso ello ellos ellas pero como cuando donde que quien tambien
    sin embargo lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril
    mayo junio julio agosto septiembre octubre noviembre diciembre presidente presidenta
    ministro ministra secretario secretaria gobernador gobernadora policia ejercito"""
)
_WEAK_NAMES = frozenset(_WEAK_WORDS.split())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Everything story assignment needs from one article's text.

    paragraph_hashes[i] identifies paragraph i (for per-outlet boilerplate counts);
    paragraph_shingles[i] are its 5-word shingle hashes (empty for furniture and tiny lines).
    """

    text_hash: str
    paragraph_hashes: tuple[int, ...]
    paragraph_shingles: tuple[tuple[int, ...], ...]
    cues: frozenset[str]
    lead: str
    language: str | None
    word_count: int
    title: str = ""
    # (paragraph hash, text) of the first paragraphs, so the lead can be rebuilt once an
    # outlet's recurring boilerplate is known
    lead_paragraphs: tuple[tuple[int, str], ...] = ()
    # The shingle set and candidate keys of the whole body, computed in the extraction
    # workers; story assignment uses them unless the outlet's boilerplate must come out first.
    unique_shingles: np.ndarray | None = field(default=None, compare=False, repr=False)
    keys: tuple[int, ...] = ()


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation dropped, whitespace collapsed."""
    return " ".join(_TOKEN.findall(_folded(text)))


def _folded(text: str) -> str:
    """Lower case, accents removed: `normalise` before its tokens are taken."""
    if text.isascii():
        return text.lower()  # NFKD leaves ASCII as it is and no ASCII character combines
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # Each combining mark the text holds is deleted by one C-level replace (a text has a
    # handful of distinct ones): a third of the CPU of translating every character.
    for character in set(decomposed):
        if unicodedata.combining(character):
            decomposed = decomposed.replace(character, "")
    return decomposed


def normalised_paragraphs(text: str) -> list[tuple[str, str]]:
    """(paragraph, normalise(paragraph)) for each paragraph of `split_paragraphs(text)`.

    The text is lower-cased, decomposed and stripped of accents once, then cut at its line
    breaks: none of the three steps adds, removes or moves a line break, or looks across one
    (lower case depends on neighbours only for a final sigma, and never across white space;
    decomposition reorders only combining marks), so each line's tokens are its paragraph's.
    """
    lines = text.split("\n")
    folded = _folded(text).split("\n")
    if len(folded) != len(lines):  # not expected; the plain definition, line by line
        return [(p, normalise(p)) for p in split_paragraphs(text)]
    found: list[tuple[str, str]] = []
    for line, folded_line in zip(lines, folded, strict=True):
        paragraph = line.strip()
        if paragraph:
            found.append((paragraph, " ".join(_TOKEN.findall(folded_line))))
    return found


def _normalised_hash(normalised: str) -> int:
    """A 63-bit id of a paragraph's normalised text (fits DuckDB BIGINT)."""
    digest = hashlib.blake2b(normalised.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def shingles(tokens: list[str]) -> tuple[int, ...]:
    """CRC-32 of each run of SHINGLE_WORDS tokens joined by spaces (of all of them when
    fewer). The runs are slices of the paragraph's UTF-8 bytes, cut and hashed by C-level
    maps: the same values as joining each run, for half the CPU (docs/extraction.md)."""
    return _joined_shingles(tokens, " ".join(tokens))


def _joined_shingles(tokens: list[str], joined_text: str) -> tuple[int, ...]:
    """`shingles(tokens)` given `joined_text == " ".join(tokens)` (a normalised paragraph is
    already that string)."""
    if not tokens:
        return ()
    if len(tokens) < SHINGLE_WORDS:
        return (zlib.crc32(joined_text.encode()),)
    joined = joined_text.encode()
    sizes = map(len, tokens) if joined.isascii() else map(len, map(str.encode, tokens))
    # starts[i]: byte offset of token i; one past the end for i == len(tokens)
    starts = list(accumulate(map(add, sizes, repeat(1)), initial=0))
    ends = map(sub, starts[SHINGLE_WORDS:], repeat(1))
    return tuple(map(zlib.crc32, map(joined.__getitem__, map(slice, starts, ends))))


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def extract_cues(text: str) -> frozenset[str]:
    """Names and numbers that survive translation: "Sheinbaum", "sinaloa", "250000", "97".

    Capitalised words at the start of a sentence are skipped (they are capitalised because of
    their position); years and one-digit numbers are skipped because every story has them.
    """
    cues: set[str] = set()
    # Each capitalised word is judged once per text, and the position check (a regular
    # expression) runs only for a cue not found yet: adding one again changes nothing.
    cue_of: dict[str, str] = {}  # surface -> its cue, "" for a word that is never one
    for match in _CAPITALISED.finditer(text):
        surface = match.group(0)
        cue = cue_of.get(surface)
        if cue is None:
            cue = cue_of[surface] = _cue(surface)
        if not cue or cue in cues:
            continue
        if _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
            continue
        cues.add(cue)
    for match in _NUMBER.finditer(text):
        # a number is digits, dots and commas only: dropping the two is dropping non-digits
        digits = match.group(0).replace(".", "").replace(",", "")
        if len(digits) >= 2 and not _YEAR.match(digits):
            cues.add("#" + digits.lstrip("0"))
    return frozenset(cues)


@lru_cache(maxsize=CUE_CACHE)
def _cue(surface: str) -> str:
    """The cue a capitalised word gives where it is not at a sentence start, or "". A pure
    function of the word, kept across texts: names recur from one article to the next."""
    word = normalise(surface).replace(" ", "")
    if not word or word in _WEAK_NAMES or word in _agency_words():
        return ""
    return word[:CUE_PREFIX]


@lru_cache(maxsize=1)
def _agency_words() -> frozenset[str]:
    """Agency names are credits, not story content: two stories from EFE share "EFE"."""
    words: set[str] = set()
    for agency in load_agencies().values():
        for alias in (*agency.aliases, *agency.case_sensitive):
            words.update(normalise(alias).split())
    return frozenset(words)


def lead_text(title: str | None, paragraphs: Sequence[str]) -> str:
    """The title and the first paragraphs (each cut to LEAD_WORDS words), one per line: what
    the sentence encoder compares, paragraph against paragraph."""
    lines = [title.strip()] if title and title.strip() else []
    lines += [" ".join(p.split()[:LEAD_WORDS]) for p in paragraphs[:LEAD_PARAGRAPHS]]
    return "\n".join(lines)


def fingerprint_article(text: str, title: str | None, language: str | None) -> Fingerprint:
    """The fingerprint of one article. Pure: safe to run in worker processes ahead of time."""
    normalised_pairs = normalised_paragraphs(text or "")  # the costly step, once per text
    paragraphs = [paragraph for paragraph, _ in normalised_pairs]
    hashes: list[int] = []
    shingled: list[tuple[int, ...]] = []
    body: list[str] = []
    body_normalised: list[str] = []
    furniture = furniture_flags(text or "", paragraphs)
    for (paragraph, normalised), is_furniture in zip(normalised_pairs, furniture, strict=True):
        hashes.append(_normalised_hash(normalised))
        tokens = normalised.split()
        if is_furniture or len(tokens) < MIN_PARAGRAPH_TOKENS:
            shingled.append(())
            continue
        shingled.append(_joined_shingles(tokens, normalised))
        body.append(paragraph)
        body_normalised.append(normalised)
    body_text = "\n".join(body)
    lead_paragraphs = tuple(
        (h, p) for h, p, sh in zip(hashes, paragraphs, shingled, strict=True) if sh
    )[: LEAD_PARAGRAPHS + 2]
    ordered = [h for paragraph_shingles in shingled for h in paragraph_shingles]
    unique = shingle_array(ordered)
    return Fingerprint(
        # Tokens never span paragraphs, so this equals normalise(body_text).
        text_hash=hashlib.blake2b(" ".join(body_normalised).encode(),
                                  digest_size=16).hexdigest(),
        paragraph_hashes=tuple(hashes),
        paragraph_shingles=tuple(shingled),
        cues=extract_cues(f"{title or ''}\n{body_text}"),
        lead=lead_text(title, body),
        language=language,
        word_count=len(body_text.split()),
        title=title or "",
        lead_paragraphs=lead_paragraphs,
        unique_shingles=unique,
        keys=tuple(candidate_keys(ordered, unique)),
    )
