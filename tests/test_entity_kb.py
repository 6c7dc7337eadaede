"""The knowledge base from packaged data, and the linker's precision rules (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.data.entities.build_kb import former_country_forms, iso_forms, usable_alternate
from extractors.entity_gazetteer import GazetteerError, load_gazetteer, lookup_entity
from extractors.entity_kb import NO_PLACES, PlaceLayers
from extractors.tagging import TaggerConfig, tag_article

OFF = TaggerConfig(ner="off")


def ids(text: str, language: str = "en", title: str | None = None, config=OFF) -> list[str]:
    return [m.entity_id for m in tag_article(text, title, language, config).mentions]


# --- the base ------------------------------------------------------------------------------


def test_countries_have_spanish_and_english_names_and_keep_hand_written_ids() -> None:
    assert ids("Marruecos y Corea del Sur firmaron con Japón.", "es") == [
        "iso3166-1:MA", "iso3166-1:KR", "Q17",
    ]
    assert ids("Morocco and South Korea signed with Japan.") == [
        "iso3166-1:MA", "iso3166-1:KR", "Q17",
    ]
    mexico = load_gazetteer().entities["Q96"]
    assert "Estados Unidos Mexicanos" in mexico.names_es  # lent by the generated country
    assert "iso3166-1:MX" not in load_gazetteer().entities


def test_subdivisions_and_cities_are_linked_with_coordinates() -> None:
    found = ids("Hubo lluvias en Antioquia y en Rosario, al norte de Buenos Aires.", "es")
    assert found[0] == "iso3166-2:CO-ANT"
    rosario = lookup_entity(found[1])
    assert rosario is not None and rosario.country == "AR" and rosario.population > 100_000
    assert -34 < rosario.latitude < -32 and -61 < rosario.longitude < -60
    germany = lookup_entity("iso3166-1:DE")
    assert 47 < germany.latitude < 55 and 6 < germany.longitude < 15  # city-weighted centroid


def test_city_threshold_and_layers_select_what_is_linked() -> None:
    text = "Officials met in Celaya and in Puebla."  # Celaya: about 340,000 people
    large_only = TaggerConfig(ner="off", places=PlaceLayers(city_min_population=1_000_000))
    none = TaggerConfig(ner="off", places=NO_PLACES)
    celaya = ids(text)[0]
    assert celaya.startswith("geonames:") and lookup_entity(celaya).name == "Celaya"
    assert ids(text, config=large_only) == ids(text, config=none) == ["ww:mx-puebla"]
    assert len(load_gazetteer(None, NO_PLACES).entities) < 400
    with pytest.raises(ValueError, match="city_min_population"):
        PlaceLayers(city_min_population=-1)


def test_generated_ids_resolve_outside_the_selected_layers() -> None:
    record = lookup_entity("iso3166-2:ES-MD", None, NO_PLACES)
    assert record is not None and record.name == "Comunidad de Madrid"
    assert lookup_entity("geonames:0") is None


def test_iso_name_forms() -> None:
    assert iso_forms("Korea, Republic of") == ["Republic of Korea"]
    assert iso_forms("Illes Balears [Islas Baleares]") == ["Illes Balears", "Islas Baleares"]
    assert iso_forms("Amānat al ‘Āşimah [city]") == ["Amānat al ‘Āşimah"]
    assert former_country_forms("Zaire, Republic of", set()) == ["Republic of Zaire", "Zaire"]
    assert former_country_forms("France, Metropolitan", {"france"}) == ["Metropolitan France"]
    assert usable_alternate("Nueva York") and not usable_alternate("NYC")
    assert not usable_alternate("madorido") and not usable_alternate("Мадрид")


def test_user_file_adds_cues(tmp_path: Path) -> None:
    text = "Scouts watched Vance skate for the Rangers."
    assert "ww:jd-vance" not in ids(text)
    extra = tmp_path / "mine.toml"
    extra.write_text('[cues]\ngovernment = ["skate"]\n', encoding="utf-8")
    config = TaggerConfig(extra_entities_path=extra, ner="off", places=NO_PLACES)
    assert "ww:jd-vance" in ids(text, config=config)
    extra.write_text('[cues]\ngovernment = "skate"\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match="cues"):
        load_gazetteer(extra)


# --- precision rules -----------------------------------------------------------------------


def test_longest_match_wins() -> None:
    assert ids("Storms crossed the Gulf of Mexico.") == ["ww:gulf-of-mexico"]
    assert ids("La Ciudad de México amaneció con lluvia.", "es") == ["Q1489"]


@pytest.mark.parametrize(
    ("text", "language", "not_linked"),
    [
        ("The New York Times reported the deal on Monday.", "en", "Q60"),
        ("El accidente ocurrió en Puebla de la Calzada, Badajoz.", "es", "ww:mx-puebla"),
        ("El Athletic jugó en San Antonio de Etxebarri.", "es", "ww:us-san-antonio"),
        ("The San Antonio Spurs won again.", "en", "ww:us-san-antonio"),
        ("Real Madrid ganó y el Inter de Milán perdió.", "es", "geonames:3173435"),
    ],
)
def test_known_name_inside_a_longer_name_is_not_linked(
    text: str, language: str, not_linked: str
) -> None:
    assert not_linked not in ids(text, language)


def test_place_before_a_role_or_with_its_own_place_after_de_is_linked() -> None:
    assert ids("Texas Gov. Greg Abbott sent troops.")[0] == "Q1439"
    assert "ww:tierra-caliente" in ids("Ataque en la Tierra Caliente de Guerrero.", "es")
    assert ids("El Gobierno de Chihuahua anunció un plan.", "es") == ["ww:mx-chihuahua"]


def test_shouted_headline_words_are_not_acronyms() -> None:
    assert "ww:ice" not in ids("NHL ICE HOCKEY RESULTS\nThe Rangers beat the Bruins 3-2.")
    assert "ww:ice" in ids("ICE agents detained 40 migrants in Chicago.")


def test_short_acronym_needs_support_in_the_article() -> None:
    assert "ww:ice" not in ids("Fans said the ICE at the rink was too soft.")
    assert "ww:ice" in ids(
        "Immigration and Customs Enforcement opened an office. Later ICE said it was full."
    )


def test_bare_surname_needs_support() -> None:
    assert "ww:jd-vance" not in ids("Vance scored twice as the Rangers won 4-1.")
    assert "ww:jd-vance" in ids("Vice President Vance spoke in Ohio.")
    assert "ww:jd-vance" in ids("Vance spoke in Ohio.", title="JD Vance visits the Midwest")
    assert "ww:jd-vance" in ids("Vance met lawmakers about the budget policy.")


def test_foreign_namesake_party_is_not_the_us_party() -> None:
    czech = "The Civic Democratic Party won in Prague, ahead of the Czech Pirates."
    assert "ww:democratic-party" not in ids(czech)
    assert "ww:democratic-party" not in ids("The Democratic Party won in Prague.")
    assert "ww:democratic-party" in ids("The Democratic Party lost seats in Texas.")


def test_generated_one_word_place_needs_its_accents_and_is_not_a_surname() -> None:
    assert ids("Para el gobierno, la cifra es alta.", "es") == []  # not Pará (Brazil)
    assert "iso3166-1:JO" not in ids("Michael Jordan said he was retiring.")
    assert "iso3166-1:JO" in ids("Troops crossed into Jordan on Sunday.")


def test_kb_growth_reads_conll_documents_and_scores_places(tmp_path: Path) -> None:
    from flows.evaluate.kb_growth import conll_place_scores, load_conll

    conll = tmp_path / "en.dev.conll"
    conll.write_text(
        "-DOCSTART- O\n\nTroops O\nleft O\nAntioquia B-LOC\nfor O\nNew B-ORG\nYork I-ORG\n"
        "Times I-ORG\n. O\n\n-DOCSTART- O\n\nLeeds B-ORG\nwon O\n. O\n",
        encoding="utf-8",
    )
    documents = load_conll(conll, "en")
    assert [d.text for d in documents] == [
        "Troops left Antioquia for New York Times .\n", "Leeds won .\n"
    ]
    assert documents[0].spans == {(12, 21): "LOC", (26, 40): "ORG"}
    scores = conll_place_scores(documents, "en", PlaceLayers())
    # Antioquia linked exactly; Leeds linked but typed ORG in CoNLL; New York not linked.
    assert (scores["linked"], scores["gold_loc"], scores["p"], scores["span_p"]) == (
        2, 1, 0.5, 1.0
    )
    assert conll_place_scores(documents, "en", NO_PLACES)["linked"] == 0
