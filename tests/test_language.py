"""Language detection: detected wins on real text, declared fills in on short text."""

from __future__ import annotations

import pytest

from extractors.language import MIN_WORDS_FOR_DETECTION, detect_language, primary_subtag

SPANISH = ("Las autoridades de Estados Unidos cerraron durante varias horas los carriles "
           "vehiculares de la garita de San Ysidro este martes, luego de que un grupo de personas "
           "intentara cruzar a pie.")
ENGLISH = ("Federal prosecutors in San Diego unsealed an indictment on Wednesday charging six "
           "alleged leaders of a drug trafficking organization with conspiracy to import fentanyl.")
PORTUGUESE = ("O governo brasileiro anunciou nesta terça-feira um novo pacote de medidas para "
              "reforçar a segurança nas fronteiras com o Paraguai e a Bolívia, segundo o "
              "ministério.")


@pytest.mark.parametrize(("text", "code"), [(SPANISH, "es"), (ENGLISH, "en"), (PORTUGUESE, "pt")])
def test_detects_language_of_real_text(text, code):
    guess = detect_language(text)
    assert (guess.language, guess.method) == (code, "detected")
    assert guess.confidence > 0.8


def test_detected_language_wins_over_declared():
    guess = detect_language(SPANISH, declared="en-US")
    assert (guess.language, guess.method) == ("es", "detected")


def test_short_text_falls_back_to_declared():
    short = "Cierran la garita"
    assert len(short.split()) < MIN_WORDS_FOR_DETECTION
    guess = detect_language(short, declared="es-MX")
    assert (guess.language, guess.method) == ("es", "declared")


def test_nothing_to_go_on():
    assert detect_language("", None).language is None
    assert detect_language(None, None).method == "none"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("es-MX", "es"), ("es_MX", "es"), ("EN", "en"), (" pt-br ", "pt"), ("", None), (None, None),
     ("x", None), ("12", None)],
)
def test_primary_subtag(tag, code):
    assert primary_subtag(tag) == code
