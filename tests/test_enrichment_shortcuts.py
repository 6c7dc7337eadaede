"""The extract stage's cheaper enrichment code gives what the plain definitions give.

Shingle values are stored with each article and compared with later articles' shingles, so
they must stay the CRC-32 of the space-joined tokens; topic evidence must leave out exactly
the tokens inside page furniture; shouted lines count upper-case letters only.
"""

import zlib

from extractors.entity_context import shouted_lines
from extractors.entity_text import furniture_spans, inside_any, tokenize
from extractors.fingerprints import SHINGLE_WORDS, normalise, shingles
from extractors.topics import outside_spans

PARAGRAPHS = [
    "Mexican marines dismantled a clandestine laboratory in Cosalá, Sinaloa",
    "El Ejército de México desmanteló un laboratorio clandestino en la sierra de Cosalá",
    "Северный поток: газопровод повреждён в трёх местах, сообщили власти",
    "短い 文 と もう 一つ の 文 が ここ に ある",
    "one two three",
]

FURNITURE_TEXT = (
    "The navy said the laboratory produced fentanyl for export to the United States.\n"
    "Related:\n"
    "Cartel leader arrested in Sinaloa\n"
    "Navy seizes chemicals in Sonora\n"
    "\n"
    "Menu one\nMenu two\nMenu three\nMenu four\n"
    "Officials said the site had been active for at least two years, according to the navy."
)


def joined_crcs(tokens: list[str]) -> tuple[int, ...]:
    """The definition: CRC-32 of each SHINGLE_WORDS-token run joined by spaces."""
    if len(tokens) < SHINGLE_WORDS:
        return (zlib.crc32(" ".join(tokens).encode()),) if tokens else ()
    return tuple(zlib.crc32(" ".join(tokens[i:i + SHINGLE_WORDS]).encode())
                 for i in range(len(tokens) - SHINGLE_WORDS + 1))


def test_shingles_equal_the_crc_of_joined_tokens_in_any_script() -> None:
    for paragraph in PARAGRAPHS:
        for tokens in (normalise(paragraph).split(), paragraph.split()):
            assert shingles(tokens) == joined_crcs(tokens), paragraph
    assert shingles([]) == ()


def test_outside_spans_drops_exactly_the_tokens_inside_a_span() -> None:
    tokens = tokenize(FURNITURE_TEXT)
    spans = furniture_spans(FURNITURE_TEXT)
    assert spans, "the fixture must contain furniture"
    # also empty, overlapping, out-of-order spans and spans that cut a token in two
    for chosen in (spans, [], [(5, 5)], [(40, 120), (0, 60)], [(3, 12), (100, 101)],
                   list(reversed(spans))):
        expected = [t for t in tokens if not inside_any(t.start, t.end, chosen)]
        assert list(outside_spans(tokens, chosen)) == expected, chosen
    kept = {t.key for t in outside_spans(tokens, spans)}
    assert "navy" in kept and "sonora" not in kept and "menu" not in kept


def test_shouted_lines_count_upper_case_letters_only() -> None:
    text = "BREAKING NEWS FROM SINALOA\nThe navy said so.\nⅫⅫⅫⅫⅫⅫⅫⅫ ab cd ef gh\nSHORT"
    assert shouted_lines(text) == ((0, 26),)
