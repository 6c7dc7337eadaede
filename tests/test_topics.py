"""Topic tags: conditions, near-misses, evidence, user taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.tagging import TaggerConfig, tag_article
from extractors.topics import TaxonomyError, load_taxonomy

OFF = TaggerConfig(ner="off")


def topics(text: str, title: str | None = None, language: str = "en", config=OFF) -> dict:
    return {t.topic: t for t in tag_article(text, title, language, config).topics}


SECURITY = (
    "Mexico extradited two cartel leaders to the United States on Friday. The DEA said the "
    "Sinaloa Cartel smuggled fentanyl across the border, and Mexican marines seized a lab. "
    "U.S. officials praised security cooperation with Mexico."
)


def test_us_mexico_security_needs_both_sides_and_security_terms() -> None:
    found = topics(SECURITY)
    assert "us_mexico_security" in found
    assert "security_other" not in found
    tag = found["us_mexico_security"]
    assert 0 < tag.score < 1
    assert "term:cartel*" in tag.evidence and "entity:ww:dea" in tag.evidence


def test_security_without_the_us_is_security_other() -> None:
    text = (
        "Colombia's National Police arrested 14 members of the Clan del Golfo in Medellín. "
        "The ELN guerrilla attacked a police station; the violence left six soldiers dead."
    )
    found = topics(text)
    assert set(found) == {"security_other"}


def test_fentanyl_tariffs_are_trade_not_security() -> None:
    text = (
        "President Trump raised fentanyl tariffs on Mexican imports to 30%. Mexico's Economy "
        "Minister Marcelo Ebrard will travel to Washington to negotiate, and exporters under the "
        "USMCA are exempt. The United States is Mexico's main trade partner."
    )
    found = topics(text)
    assert "us_mexico_security" not in found
    assert {"us_mexico_relations", "trade"} <= set(found)


def test_weather_and_baseball_in_cartel_country_are_not_security() -> None:
    weather = (
        "Un frente frío trajo nevadas y heladas a Chihuahua; el Servicio Meteorológico "
        "Nacional pronostica temperaturas de 10 grados bajo cero en Ciudad Juárez."
    )
    assert set(topics(weather, language="es")) == {"weather"}
    baseball = (
        "Los Tomateros de Culiacán vencieron a los Naranjeros con dos jonrones; el lanzador "
        "ponchó a ocho en el estadio de Culiacán ante 20.000 aficionados."
    )
    assert set(topics(baseball, language="es")) == {"sports"}


def test_furniture_terms_do_not_count() -> None:
    text = "A quiet day in Culiacán.\n\nRelated:\nCartel violence\nFentanyl seized\nArrests\n"
    assert topics(text) == {}


def test_title_counts_as_evidence() -> None:
    body = "The talks continue. Mexico and the United States will meet again in Washington."
    assert "us_mexico_relations" not in topics(body)
    with_title = topics(body, title="Mexico and U.S. negotiate tariffs and trade deal")
    assert "us_mexico_relations" in with_title


def test_user_topics_file_adds_a_topic(tmp_path: Path) -> None:
    extra = tmp_path / "topics.toml"
    extra.write_text(
        '[sets.energy]\nterms = ["oil*", "petróleo", "barrels", "barriles"]\n'
        'entity_categories = ["economy"]\n'
        '[topics.energy]\nlabel = "Energy"\nevidence = ["energy"]\nmin_strength = 3\n',
        encoding="utf-8",
    )
    text = "Pemex said oil output rose to 1.6 million barrels a day."
    assert "energy" not in topics(text)
    found = topics(text, config=TaggerConfig(extra_topics_path=extra, ner="off"))
    assert "entity:ww:pemex" in found["energy"].evidence


def test_bad_topics_file_is_a_clear_error(tmp_path: Path) -> None:
    extra = tmp_path / "topics.toml"
    extra.write_text('[topics.x]\nevidence = ["nowhere"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown set 'nowhere'"):
        load_taxonomy(extra)
