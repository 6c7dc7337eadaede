"""Teaser and call-to-action removal, paragraph by paragraph, in Spanish and English."""

from __future__ import annotations

import pytest

from extractors.teasers import remove_teasers, teaser_kind


@pytest.mark.parametrize(
    "line",
    [
        "Lea también: El cártel de Sinaloa pierde terreno en Culiacán",
        "LEE TAMBIÉN: Detienen a líder criminal",
        "Lee también | Balacera en Reynosa",
        "» Te recomendamos: Así cambiaron los cruces",
        "Te puede interesar: Bloqueos en Reynosa",
        "Síguenos en Google News",
        "Suscríbete a nuestro boletín",
        "Más información: www.gob.mx",
        "Read more: Shelters in Ciudad Juárez brace for new arrivals",
        "RELATED: Border crossings fall",
        "Related: Wait times drop",
        "Sign up for our daily newsletter",
        "Follow us on X and Instagram",
        "Click here to download the report",
        "- Read more: bullet teaser",
    ],
)
def test_teaser_lines_are_recognised(line):
    assert teaser_kind(line) == "inline"


@pytest.mark.parametrize(
    "line",
    [
        "Más información sobre el caso se dará a conocer mañana, dijo el fiscal.",
        "More than 40 people were arrested in the operation.",
        "Moreover, the agency said the checkpoints would stay.",
        "Relatedly, prosecutors filed new charges.",
        "Related parties were not named in the filing.",
        "El gobierno estatal pidió reforzar las inspecciones.",
        "",
    ],
)
def test_prose_is_not_a_teaser(line):
    assert teaser_kind(line) is None


def test_long_paragraph_starting_like_a_teaser_is_kept():
    paragraph = "Read more " + "words " * 70
    assert teaser_kind(paragraph) is None


def test_bare_label_removes_the_link_list_under_it():
    text = ("Primer párrafo del artículo con información.\n"
            "LEE TAMBIÉN\n- Detienen a líder criminal\nCae red de tráfico en Sonora\n"
            "El operativo continuará durante la semana, informó la Marina.")
    result = remove_teasers(text)
    assert result.text == ("Primer párrafo del artículo con información.\n"
                           "El operativo continuará durante la semana, informó la Marina.")
    assert result.removed == ("LEE TAMBIÉN", "- Detienen a líder criminal",
                              "Cae red de tráfico en Sonora")


def test_removed_lines_are_returned_in_order_and_text_kept_otherwise():
    text = ("Uno.\nLea también: Otra nota\nDos.\n\n\n\nRead more: Another story\nTres.")
    result = remove_teasers(text)
    assert result.text == "Uno.\nDos.\n\nTres."
    assert result.removed == ("Lea también: Otra nota", "Read more: Another story")
