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


def credit_ids(text: str) -> set[str]:
    return {c.agency_id for c in detect_credits(text) if c.kind == "credit"}


@pytest.mark.parametrize(
    ("text", "agencies"),
    [
        ("Washington, 5 feb (AP/EFE).- El Departamento de Estado anunció...", {"ap", "efe"}),
        ("Con información de Reuters y AFP.", {"reuters", "afp"}),
        ("AFP, EFE y Europa Press", {"afp", "efe", "europapress"}),
        ("Berlín, 10 feb (dpa) - El canciller alemán viajará a México.", {"dpa"}),
        ("FEW (efe, dpa, afp)", {"efe", "dpa", "afp"}),
        ("lgc (Reuters, AFP)", {"reuters", "afp"}),
        ("The Associated Press and Reuters contributed to this report.", {"ap", "reuters"}),
        ("AP Business Writer Kelvin Chan contributed to this report from London.", {"ap"}),
        ("Associated Press in Valencia", {"ap"}),
        ("Copyright 2011 The Associated Press. All rights reserved.", {"ap"}),
        ("Beijing, 20 ene (Xinhua) -- China y México acordaron...", {"xinhua"}),
        ("Con información de Notimex y Prensa Latina.", {"notimex", "prensa_latina"}),
        ("Roma, 8 mar (ANSA) - El papa recibió hoy...", {"ansa"}),
        ("Bloomberg reported on Tuesday, citing people familiar with the matter.", {"bloomberg"}),
        ("Con información de agencias internacionales.", {"agencies"}),
        ("Según agencias internacionales de noticias, el mandatario viajará.", {"agencies"}),
        ("elDiario.es / Agencias", {"agencies"}),
    ],
)
def test_several_agencies_and_more_formats(text: str, agencies: set[str]) -> None:
    assert credit_ids(text) == agencies


@pytest.mark.parametrize(
    "text",
    [
        "Fuente: DW Español",
        "La ministra anunció el cierre de la frontera, según informó DW.",
        "Berlín (DW).- El gobierno alemán aprobó un nuevo paquete de ayuda.",
        "Sheinbaum said the working group would meet monthly, according to a DW report.",
        "Fuente: dw.com",
        "Con información de Deutsche Welle",
        "The minister resigned on Friday, DW reported.",
    ],
)
def test_dw_in_every_form(text: str) -> None:
    assert credit_ids(text) == {"dw"}


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON, Jan 12 (Reuters) - U.S. officials said...",
        "Nueva York, 14 de enero. Reuters.- Los precios del petróleo subieron el martes.",
        "NUEVA YORK (REUTERS) - Wall Street cerró con ganancias.",
        "Por Reuters",
        "El Gobierno liberó a 13 presos políticos, según informó Reuters.",
        "Thomson Reuters",
        "Reuters in New York",
        "Britain has no plans to send fighter jets to Ukraine, the spokesperson said, "
        "Reuters reports.",
    ],
)
def test_reuters_in_every_form(text: str) -> None:
    assert credit_ids(text) == {"reuters"}


@pytest.mark.parametrize(
    "text",
    [
        "A senior political source told Reuters.",
        "The first shell severely wounded Agence France-Presse (AFP) photographer Christina Assi.",
        "Fernando Alvarado (EFE)",
        "Ximo Puig. (EFE)",
        "EFE/EPA/HAITHAM IMAD",
        "El Universal, via Associated Press",
        "Photograph: Eva Manez/Reuters",
        "Según Michael Bloomberg, el cambio climático es el mayor riesgo.",
        "En un auto al que ha tenido acceso Europa Press, el juez responde.",
    ],
)
def test_mentions_captions_and_photo_credits_are_not_credits(text: str) -> None:
    assert credit_ids(text) == set()


def test_a_caption_paren_is_a_credit_when_the_paragraph_is_long() -> None:
    caption = "Turistas en Dublín, Irlanda. (Reuters)"
    story = ("El Gobierno irlandés anunció este lunes nuevas restricciones de viaje para los "
             "turistas. (Reuters)")
    assert credit_ids(caption) == set()
    assert credit_ids(story) == {"reuters"}


def test_an_acronym_spelled_out_before_it_is_not_a_credit_unless_a_dateline() -> None:
    assert credit_ids("El Partido Liberal (PL) ganó las elecciones.") == set()
    assert credit_ids("Deutsche Welle (DW) informó a sus lectores.") == set()
    assert credit_ids("La Habana, 14 ene (PL) El canciller cubano denunció...") == {
        "prensa_latina"}
    assert credit_ids("ASUNCIÓN, Paraguay (AP) — El presidente anunció...") == {"ap"}
