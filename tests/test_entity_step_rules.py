"""Rules of the default entity step found by comparing it with the bare model on CoNLL dev
(docs/ner.md, "Where the step departed from the model"): quoted names and initials keep their
span, headline words are not taken for towns, and places of clubs yield to the model."""

from __future__ import annotations

from extractors.entities import extract_entities, yields_to_model
from extractors.entity_gazetteer import load_gazetteer
from extractors.entity_unlinked import group_unlinked
from extractors.ner import NerMention
from extractors.tagging import TaggerConfig, tag_article

OFF = TaggerConfig(ner="off")

HEADLINE = (
    "CONSEJERO TURISMO PRESIDE REUNION MESA DEL TURISMO ANDALUZ\n"
    "Sevilla ( EFE ) . El consejero presidió hoy la reunión en Sevilla ."
)


def test_quoted_name_keeps_its_quotes_in_the_span_but_not_in_its_name() -> None:
    text = 'declaró al diario " Reforma " el actor .'
    start = text.index('"')
    end = text.index('"', start + 1) + 1
    (mention,) = group_unlinked([("ORG", start, end)], text, [])
    assert (mention.start, mention.end) == (start, end)
    assert mention.surface == '" Reforma "' and mention.name == "Reforma"
    (bare,) = group_unlinked([("ORG", start + 2, end - 2)], text, [])
    assert bare.entity_id == mention.entity_id  # same entity with or without the quotes


def test_half_quoted_span_and_trailing_full_stop_of_a_word_are_trimmed() -> None:
    text = 'el jugador " Kily" González llegó. Lo dijo Pérez.'
    start = text.index('"')
    end = text.index("González") + len("González")
    (mention,) = group_unlinked([("PER", start, end)], text, [])
    assert mention.surface == 'Kily" González'
    (surname,) = group_unlinked([("PER", text.index("Pérez"), len(text))], text, [])
    assert surname.surface == "Pérez"


def test_initials_keep_their_last_full_stop() -> None:
    text = "La policía detuvo a J. A. A. , de 42 años ."
    start = text.index("J.")
    (mention,) = group_unlinked([("PER", start, start + len("J. A. A."))], text, [])
    assert mention.surface == "J. A. A."


def test_headline_word_is_not_a_town_unless_the_model_says_place() -> None:
    off = extract_entities(HEADLINE, None, "es", None, "off").mentions
    assert "MESA" in [m.surface for m in off]  # the linker alone takes it for the town
    auto = extract_entities(HEADLINE, None, "es", None, "auto").mentions
    assert "MESA" not in [m.surface for m in auto]
    city = "INUNDACIONES EN ZARAGOZA DEJAN TRES MUERTOS\nLas lluvias afectaron a Zaragoza ."
    linked = [m for m in extract_entities(city, None, "es", None, "auto").mentions if m.linked]
    assert [m.surface for m in linked] == ["ZARAGOZA", "Zaragoza"]
    assert linked[0].entity_id == linked[1].entity_id


def test_a_word_on_the_line_before_does_not_make_a_dateline_city_a_surname() -> None:
    linked = [m for m in extract_entities(HEADLINE, None, "es", None, "off").mentions
              if m.surface == "Sevilla"]
    assert len(linked) == 2 and linked[0].entity_id == linked[1].entity_id
    same_line = "Lo dijo ANDALUZ Sevilla ayer ."  # a capitalised neighbour on the line
    assert "Sevilla" not in [m.surface for m in
                             extract_entities(same_line, None, "es", None, "off").mentions]


def test_a_place_written_where_a_place_is_expected_does_not_yield_to_a_person() -> None:
    gazetteer = load_gazetteer()
    for text in ("Lyon ( Francia ) , 23 may ( EFE ) .", "Vive en Lyon desde 1990 ."):
        (lyon,) = [m for m in tag_article(text, None, "es", OFF).mentions if m.surface == "Lyon"]
        person = [NerMention(lyon.start, lyon.end, "Lyon", "PER", 0.9)]
        club = [NerMention(lyon.start, lyon.end, "Lyon", "ORG", 0.9)]
        assert not yields_to_model(lyon, person, gazetteer.entities, text)
        assert yields_to_model(lyon, club, gazetteer.entities, text)
    text = "Lo vio Lyon ayer ."
    (lyon,) = [m for m in tag_article(text, None, "es", OFF).mentions if m.surface == "Lyon"]
    person = [NerMention(lyon.start, lyon.end, "Lyon", "PER", 0.9)]
    assert yields_to_model(lyon, person, gazetteer.entities, text)  # no place cue: the person wins
