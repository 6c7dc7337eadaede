"""Credits, fingerprints and the content hash give what their plain definitions give.

Each cheaper step (docs/extraction.md, "Credits, fingerprints and the content hash for less
CPU") is compared with the code it replaces: the credit patterns narrowed to the spellings a
text may contain against the full patterns, the gate against each spelling's own pattern,
the split furniture patterns against the one pattern, MinHash without division against `%`,
the shingle set against `np.unique`, the capital pattern against `\\b`, the one-pass
normalisation against normalising each paragraph, the content hash against translating every
character. On the fixture pages always; on shared corpus and WCXB pages when present.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest
from page_sets import missing, pages

import extractors.credits as credits_module
from extractors.agencies import (
    AgencyCatalogue,
    WireOutlet,
    builtin_catalogue,
    catalogue_with_wire_outlets,
)
from extractors.article import extract_article
from extractors.boilerplate import _FURNITURE, furniture_flags, is_furniture
from extractors.credit_gate import spelling_gate
from extractors.credit_patterns import _spellings, compiled, compiled_for
from extractors.fingerprints import (
    _CAPITALISED,
    _CAPITALISED_DEFINITION,
    normalise,
    normalised_paragraphs,
    split_paragraphs,
)
from extractors.hashing import _punctuation_to_space, content_hash
from extractors.records import Credit
from extractors.story_sketch import minhash, minhash_by_division, shingle_array

WRITTEN = [
    "CIUDAD DE MÉXICO (AP) — La presidenta dijo el lunes que...\nPor EFE",
    "Con información de REUTERſ y AFP.\nRedacción / Agencias",  # "ſ" is "s" to the engine
    "XİNHUA informó que... Según Xınhua, el Agencia EFE.- dijo",  # dotted and dotless i
    "Caracas, 15 ene (efe, dpa, afp) - Delcy Rodríguez asumió\n© 2024 Reuters",
    "AP Business Writer Kelvin Chan contributed to this report.\nAssociated Press in Valencia",
    "Un fotógrafo de la AFP resultó herido (Foto: EFE/EPA/Name).\nNOEL CELIS (AFP)",
    "as reported by international news agencies\nSíguenos en Google News",
    "ΟΔΟΣ ΑΘΗΝΑΣ\nΣ ΣΟΦΙΑ\nMe\u0301xico y Pentágono, 250.000 personas en 2024; 97 %",
    "Copyright2024Reuters all rights reserved\nFollow us on X\nLea también: otra nota",
    "Read more about it here now\nPhoto by Someone\nBOLETÍN de la tarde, ÚNETE A NUESTRO canal",
    "Nothing here names an agency; it is ordinary prose about the weather in Sinaloa.",
]


@cache
def shared_texts() -> tuple[str, ...]:
    """Extracted texts of the fixture pages and, when present, some shared pages."""
    now = datetime(2026, 12, 6, tzinfo=UTC)
    chosen = list(pages("fixtures"))
    if missing("corpus") is None:
        chosen += list(pages("corpus"))[::8]
    if missing("wcxb") is None:
        chosen += list(pages("wcxb"))[::16]
    texts = [extract_article(html, f"https://page.example/{n}", now=now).text
             for n, (_, html) in enumerate(chosen)]
    return tuple(WRITTEN + [t for t in texts if t])


def full_detect_credits(text: str, title: str | None, catalogue: AgencyCatalogue
                        ) -> list[Credit]:
    """detect_credits as it was: every pattern with every spelling, on every text."""
    m = credits_module
    cat = compiled(catalogue)
    hits = list(cat.one.finditer(text))
    found = (m._paren_credits(cat, text, captions=True) + m._phrase_credits(cat, text, hits)
             + m._line_credits(cat, text) + m._contributor_credits(cat, text))
    result = m._without_overlaps(found)
    result += m._mentions(cat, text, result, hits)
    result.sort(key=lambda c: (c.start, c.end))
    if title and not any(c.kind == "credit" for c in result):
        result += [Credit(c.agency_id, c.agency_name, c.kind, f"title: {c.evidence}", 0, 0)
                   for c in m._paren_credits(cat, title, captions=False) if c.kind == "credit"]
    return result


CATALOGUES = [
    builtin_catalogue(),
    catalogue_with_wire_outlets([
        WireOutlet("cpw", "Continental Press Wire", "https://cpw.example"),
        WireOutlet("anadolu", "Anadolu Ajansı", "https://aa.example")]),
]


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_narrowed_credit_patterns_give_the_credits_of_the_full_ones(
        catalogue: AgencyCatalogue) -> None:
    texts = shared_texts()
    named = 0
    for text in texts:
        expected = full_detect_credits(text, "Sheinbaum responde (EFE)", catalogue)
        assert credits_module.detect_credits(text, "Sheinbaum responde (EFE)", None,
                                             catalogue) == expected, text[:80]
        named += any(c.kind == "credit" for c in expected)
    assert named >= 5  # the comparison covers texts that credit someone


def test_the_gate_never_misses_a_spelling_the_engine_matches() -> None:
    spellings = _spellings(builtin_catalogue())
    gate = spelling_gate(spellings)
    assert gate.unsafe is not None and {"ſ", "ı", "İ"} <= set(gate.unsafe.pattern)
    narrowed = 0
    for text in shared_texts():
        present = gate.present(text)
        for spelling, exact in spellings:
            pattern = re.escape(spelling) if exact else f"(?i:{re.escape(spelling)})"
            if re.search(pattern, text):
                assert present is None or (spelling, exact) in present, (spelling, text[:80])
        narrowed += present is not None and len(present) < len(spellings)
        if present is not None and not present:
            assert not compiled_for(builtin_catalogue(), text).any_spelling
    assert narrowed > 0
    assert gate.present("Con información de REUTERſ") is None  # left to the full patterns


def test_split_furniture_patterns_decide_as_the_one_pattern() -> None:
    furniture = 0
    for text in shared_texts():
        paragraphs = split_paragraphs(text)
        expected = [is_furniture(p) for p in paragraphs]
        assert furniture_flags(text, paragraphs) == expected
        furniture += sum(expected)
    assert furniture >= 8
    # the two patterns hold exactly the one pattern's alternatives
    from extractors.boilerplate import _ANCHORED, _FLOATING
    assert sorted(_top_level(_ANCHORED.pattern) + _top_level(_FLOATING.pattern)) == sorted(
        _top_level(_FURNITURE.pattern))


def _top_level(source: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in source:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def test_minhash_without_division_equals_the_modulo_definition() -> None:
    rng = np.random.default_rng(11)
    for size in (1, 2, 7, 300, 512, 513, 1024, 3000):  # one block, several, partial
        values = np.unique(rng.integers(0, 1 << 32, size, dtype=np.uint64).astype(np.uint32))
        assert np.array_equal(minhash(values), minhash_by_division(values))
    extremes = np.array([0, 1, 2, (1 << 31) - 1, 1 << 31, (1 << 32) - 1], dtype=np.uint32)
    assert np.array_equal(minhash(extremes), minhash_by_division(extremes))


def test_shingle_set_equals_numpy_unique() -> None:
    rng = np.random.default_rng(5)
    for values in ([], [3], [2, 2, 2], [int(v) for v in rng.integers(0, 1 << 32, 2000)] * 2):
        got, expected = shingle_array(values), np.unique(np.asarray(values, dtype=np.uint32))
        assert got.dtype == expected.dtype and np.array_equal(got, expected)


def _normalise_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", kept))


def _content_hash_definition(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in folded)
    return hashlib.sha1(" ".join(spaced.split()).encode("utf-8")).hexdigest()


def test_text_steps_equal_their_definitions() -> None:
    definition = re.compile(_CAPITALISED_DEFINITION)
    for text in shared_texts():
        assert normalised_paragraphs(text) == [
            (p, _normalise_definition(p)) for p in split_paragraphs(text)]
        assert normalise(text) == _normalise_definition(text)
        assert content_hash(text) == _content_hash_definition(text)
        assert ([m.span() for m in _CAPITALISED.finditer(text)]
                == [m.span() for m in definition.finditer(text)])
    assert _punctuation_to_space()[ord("«")] == " "


def test_one_class_scan_finds_the_unsafe_characters_of_one_scan_per_character() -> None:
    from extractors.boilerplate import FLOATING_WORDS
    from extractors.credit_gate import _unsafe_characters, unsafe_characters_by_scans
    for words in ([s for s, exact in _spellings(builtin_catalogue()) if not exact],
                  list(FLOATING_WORDS), ["Anadolu Ajansı", "σοφία", "Straße"]):
        characters = "".join(sorted({ch for word in words for ch in word}))
        assert _unsafe_characters(characters) == unsafe_characters_by_scans(characters)
