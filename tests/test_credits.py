"""Credit lines: which agency a copy credits, in Spanish and English, and what is a mention."""

from pathlib import Path

import pytest

from extractors.credits import detect_credits, load_agencies, primary_credit

EXAMPLE = Path("/work/shared/examples/cubaheadlines-2026-01-12-sheinbaum-cartels.txt")


def credited(text: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(c.agency_id, c.kind) for c in detect_credits(text, title)]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("CIUDAD DE MÉXICO (AP) — La presidenta dijo el lunes que...", "ap"),
        ("Madrid, 3 ene (EFE).- El Gobierno aprobó este martes...", "efe"),
        ("WASHINGTON, Jan 12 (Reuters) - U.S. officials said...", "reuters"),
        ("La Fiscalía abrió una carpeta.\nCon información de AFP", "afp"),
        ("She explained, according to a DW report.", "dw"),
        ("Por EFE\nEl gobierno anunció...", "efe"),
        ("Texto de la nota.\nRedacción / EFE", "efe"),
        ("Reuters contributed to this report.", "reuters"),
        ("El reporte, según informó la agencia Reuters, dice...", "reuters"),
        ("Caracas, 15 ene (AFP/EFE) - Delcy Rodríguez asumió", "afp"),
    ],
)
def test_credit_lines_name_the_agency(text: str, agency: str) -> None:
    primary = primary_credit(detect_credits(text))
    assert primary is not None and primary.agency_id == agency
    assert primary.kind == "credit"


@pytest.mark.parametrize(
    "text",
    [
        "as reported by international news agencies",
        "según medios internacionales, el mandatario viajará",
        "Con información de agencias.",
    ],
)
def test_unnamed_agencies_are_a_generic_credit(text: str) -> None:
    assert credited(text) == [("agencies", "credit")]


def test_a_sentence_naming_an_agency_is_only_a_mention() -> None:
    text = "Un fotógrafo de la AFP resultó herido durante la protesta frente a la embajada."
    assert credited(text) == [("afp", "mention")]
    assert primary_credit(detect_credits(text)) is None


def test_photo_credit_is_a_mention_not_a_source() -> None:
    assert credited("La presidenta en Palacio Nacional (Foto: EFE) durante su mensaje.") == [
        ("efe", "mention")
    ]


def test_prose_words_are_not_agencies() -> None:
    text = "Las agencias de seguridad y la ap de la ciudad coordinan el operativo."
    assert credited(text) == []


def test_offsets_point_at_the_agency_in_the_text() -> None:
    text = "Texto inicial. Con información de Reuters."
    (credit,) = detect_credits(text)
    assert text[credit.start : credit.end] == "Reuters"
    assert credit.evidence == "Con información de Reuters"


def test_title_credit_is_used_when_the_text_has_none() -> None:
    credits = detect_credits("La presidenta habló en Guerrero.", "Sheinbaum responde a Trump (EFE)")
    assert [(c.agency_id, c.kind) for c in credits] == [("efe", "credit")]
    assert credits[0].evidence.startswith("title: ")


def test_named_agency_wins_over_generic_credit() -> None:
    text = "He said, as reported by international news agencies.\nShe added, according to AFP."
    assert primary_credit(detect_credits(text)).agency_id == "afp"


def test_agency_list_has_wires_and_generic_entry() -> None:
    agencies = load_agencies()
    assert {"ap", "reuters", "efe", "afp", "dpa", "dw"} <= set(agencies)
    assert agencies["agencies"].kind == "generic"
    assert all(a.aliases or a.case_sensitive for a in agencies.values())


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example article not present")
def test_the_example_article_credits_agencies_and_dw() -> None:
    credits = detect_credits(EXAMPLE.read_text(encoding="utf-8"))
    assert [(c.agency_id, c.kind) for c in credits if c.kind == "credit"] == [
        ("agencies", "credit"), ("dw", "credit")]
    assert primary_credit(credits).agency_id == "dw"
