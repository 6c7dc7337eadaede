"""Configured wire outlets are agencies beside the built-in list; which agency owns a host."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractors.agencies import (
    WireOutlet,
    agency_for_host,
    builtin_catalogue,
    catalogue_with_wire_outlets,
)
from extractors.credits import detect_credits, primary_credit

NORTE = WireOutlet("norte", "Agencia Norte de Noticias", "https://www.norte-noticias.test/")
CATALOGUE = catalogue_with_wire_outlets([NORTE])


def credited(text: str, catalogue=CATALOGUE) -> list[str]:
    return [c.agency_id for c in detect_credits(text, catalogue=catalogue) if c.kind == "credit"]


@pytest.mark.parametrize(
    "text",
    [
        "MONTERREY (Agencia Norte de Noticias) — El gobierno estatal anunció un nuevo operativo.",
        "El alcalde inauguró este lunes la obra del nuevo hospital general.\n"
        "Las obras costaron 300 millones de pesos y duraron dos años. (Agencia Norte de Noticias)",
        "Por Agencia Norte de Noticias\nEl gobierno estatal anunció un nuevo operativo.",
        "El operativo continúa, con información de Agencia Norte de Noticias.",
        "Saltillo, 3 ene (NORTE).- La fiscalía abrió una investigación.",
        "Fuente: norte-noticias.test",
    ],
)
def test_a_configured_wire_outlet_is_credited_by_name_id_and_host(text: str) -> None:
    assert credited(text) == ["norte"]
    assert credited(text, builtin_catalogue()) == []  # not an agency until configured


def test_a_wire_outlet_in_prose_is_only_a_mention() -> None:
    text = "La Agencia Norte de Noticias cumplió diez años con una fiesta en Monterrey."
    credits = detect_credits(text, catalogue=CATALOGUE)
    assert [(c.agency_id, c.kind) for c in credits] == [("norte", "mention")]
    assert primary_credit(credits) is None


def test_a_wire_outlet_that_is_a_builtin_agency_takes_the_outlet_id() -> None:
    catalogue = catalogue_with_wire_outlets(
        [WireOutlet("efe_noticias", "Agencia EFE", "https://efe.com"),
         WireOutlet("prensa", "Europa Press", "https://www.europapress.es")])
    assert credited("Madrid, 3 ene (EFE).- El Gobierno aprobó...", catalogue) == ["efe_noticias"]
    assert credited("Con información de Europa Press.", catalogue) == ["prensa"]
    assert catalogue.get("efe") is None and catalogue.get("efe_noticias") is not None
    # the built-in list itself is a separate value and stays as it was
    assert credited("Madrid, 3 ene (EFE).- El Gobierno aprobó...") == ["efe"]
    assert builtin_catalogue().get("efe_noticias") is None


def test_catalogues_are_values() -> None:
    again = catalogue_with_wire_outlets([NORTE])
    assert again == CATALOGUE and hash(again) == hash(CATALOGUE)
    assert again != builtin_catalogue()


@pytest.mark.parametrize(
    ("url", "agency"),
    [
        ("https://apnews.com/article/mexico-cartels-abc", "ap"),
        ("https://www.reuters.com/world/americas/x/", "reuters"),
        ("faktencheck.afp.com", "afp"),
        ("https://www.dw.com/es/noticia/a-1", "dw"),
        ("https://efe.com/mundo/2026-01-12/x/", "efe"),
        ("https://www.europapress.es/internacional/x.html", "europapress"),
        ("http://spanish.news.cn/20260112/x.html", "xinhua"),
        ("https://www.prensa-latina.cu/2026/01/12/x", "prensa_latina"),
        ("https://www.ansa.it/english/x.html", "ansa"),
        ("https://www.bloomberg.com/news/articles/x", "bloomberg"),
        ("https://www.notimex.gob.mx/x", "notimex"),
        ("https://www.norte-noticias.test/nota/1", "norte"),
        ("https://notapnews.com/article/x", None),
        ("https://www.reuters.com.example.test/x", None),
        ("https://www.eluniversal.com.mx/x", "el_universal"),
        ("", None),
    ],
)
def test_agency_for_host(url: str, agency: str | None) -> None:
    assert agency_for_host(url, CATALOGUE) == agency


def test_agency_for_host_knows_wire_outlets_only_when_configured() -> None:
    assert agency_for_host("https://www.norte-noticias.test/nota/1") is None
    merged = catalogue_with_wire_outlets([WireOutlet("efe_noticias", "EFE", "https://efe.com")])
    assert agency_for_host("https://efe.com/x", merged) == "efe_noticias"


ARTICLE = """<html><head><title>Operativo en Nuevo León | Agencia Norte de Noticias</title>
<meta property="og:title" content="Operativo en Nuevo León | Agencia Norte de Noticias">
</head><body><article>
<h1>Operativo en Nuevo León</h1>
<p>MONTERREY (Agencia Norte de Noticias) — El gobierno estatal anunció este lunes un nuevo
operativo de seguridad en la zona metropolitana, con la participación de la Guardia Nacional
y de la policía estatal, después de una semana de enfrentamientos en tres municipios.</p>
<p>El secretario de Seguridad dijo que el despliegue durará al menos un mes y que las
patrullas recorrerán las colonias con más denuncias. Los alcaldes de la zona respaldaron la
medida y pidieron más recursos federales para sus corporaciones municipales.</p>
<p>La fiscalía estatal informó que abrió once carpetas de investigación por los hechos de la
semana pasada y que hay cuatro personas detenidas, a quienes se les acusa de portación de
armas de uso exclusivo del Ejército.</p>
</article></body></html>"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ARTICLE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def page_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/nota/operativo"
    finally:
        server.shutdown()
        server.server_close()


def test_the_cycle_credits_wire_outlets_and_cleans_headlines(page_server: str,
                                                             tmp_path: Path) -> None:
    """Settings → outlets file → catalogue and names → fetch and extract, as ingest runs it."""
    from extractors.tagging import TaggerConfig
    from flows import cycle
    from flows.configured_lists import load_agencies_for, load_outlets_for
    from flows.settings import load_settings
    from flows.transport import fetch_all_sync

    outlets = tmp_path / "outlets.toml"
    outlets.write_text(
        '[[outlets]]\nid = "norte"\nname = "Agencia Norte de Noticias"\n'
        'homepage = "https://www.norte-noticias.test/"\nlanguage = "es"\ncountry = "MX"\n'
        'kind = "wire"\nfeeds = ["https://www.norte-noticias.test/rss"]\nenabled = false\n',
        encoding="utf-8")
    settings = load_settings(overrides={
        "db_path": str(tmp_path / "w.duckdb"), "outlets_file": str(outlets),
        "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0})
    ctx = cycle.CycleContext.new(settings)
    item = cycle.FetchPlanItem("a1", page_server, 0, None, outlet_id="norte")
    names = {o.id: o.name for o in load_outlets_for(settings)}
    _, outcomes = cycle.fetch_and_extract(ctx, [item], fetch_all_sync, TaggerConfig(ner="off"),
                                          None, load_agencies_for(settings), names)
    (outcome,) = outcomes
    assert outcome.article.status == "extracted"
    assert primary_credit(list(outcome.credits)).agency_id == "norte"
    assert outcome.article.title == "Operativo en Nuevo León"
