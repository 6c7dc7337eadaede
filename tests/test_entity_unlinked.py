"""Unlinked entities (grouped, stable ids, stored, in views and export) and the text the
tagger reads (table and list lines kept, furniture dropped)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extractors.entities import yields_to_model
from extractors.entity_gazetteer import load_gazetteer
from extractors.entity_text import furniture_spans, inside_any
from extractors.entity_unlinked import group_unlinked, unlinked_id
from extractors.ner import NerMention
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from warehouse.export import export_articles
from warehouse.migrate import migrate
from warehouse.tags import store_tags

OFF = TaggerConfig(ner="off")
STORY = (
    "Néstor Isidro Pérez Salas fue detenido en Culiacán. Según la fiscalía, Pérez Salas "
    "dirigía una célula. Pérez negó los cargos ante el juez Aurelio Pérez Salinas."
)


def _spans(text: str, *names: tuple[str, str, int]) -> list[NerMention]:
    """Model mentions (type, surface, occurrence) located in `text`, as the NER gives them."""
    spans = []
    for label, surface, occurrence in names:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        spans.append(NerMention(start, start + len(surface), surface, label, 0.99))
    return spans


def _group(text: str, spans: list[NerMention], language: str = "es"):
    linked = list(tag_article(text, None, language, OFF).mentions)
    return group_unlinked([(s.type, s.start, s.end) for s in spans], text, linked,
                          furniture_spans(text))


def test_forms_of_one_name_are_one_entity_with_the_longest_form_canonical() -> None:
    spans = _spans(
        STORY,
        ("PER", "Néstor Isidro Pérez Salas", 0),
        ("PER", "Pérez Salas", 1),
        ("PER", "Pérez", 2),
        ("PER", "Aurelio Pérez Salinas", 0),
    )
    found = _group(STORY, spans)
    nestor = unlinked_id("PERSON", "Néstor Isidro Pérez Salas")
    by_surface = {m.surface: m for m in found}
    assert {by_surface[s].entity_id for s in ("Néstor Isidro Pérez Salas", "Pérez Salas")} == {
        nestor
    }
    assert by_surface["Pérez Salas"].name == "Néstor Isidro Pérez Salas"
    # "Pérez" goes to the full name written closest before it, not to the later one.
    assert by_surface["Pérez"].entity_id == nestor
    assert by_surface["Aurelio Pérez Salinas"].entity_id != nestor
    assert all(not m.linked for m in found)
    assert [STORY[m.start : m.end] for m in found] == [m.surface for m in found]


def test_ids_are_stable_across_articles_and_differ_by_type() -> None:
    assert unlinked_id("PERSON", "Néstor Isidro PÉREZ  Salas") == unlinked_id(
        "PERSON", "nestor isidro perez salas"
    )
    assert unlinked_id("PERSON", "Los Zetas") != unlinked_id("ORG", "Los Zetas")
    assert unlinked_id("ORG", "Los Zetas").startswith("unlinked:org:")


def test_short_form_of_a_linked_person_joins_the_linked_entity() -> None:
    text = "Ovidio Guzmán López fue extraditado. Guzmán se declaró culpable en Chicago."
    found = _group(text, _spans(text, ("PER", "Guzmán", 1)))
    assert [(m.entity_id, m.surface, m.linked) for m in found] == [
        ("ww:ovidio-guzman", "Guzmán", True)
    ]


def test_spans_overlapping_links_outside_types_or_in_furniture_are_dropped() -> None:
    text = "Ana Pérez visitó Culiacán.\nInicio\nJuan Soto\nContacto\nLa visita terminó pronto."
    spans = _spans(
        text, ("PER", "Ana Pérez", 0), ("LOC", "Culiacán", 0), ("MISC", "visita", 0),
        ("PER", "Juan Soto", 0),
    )
    found = _group(text, spans)
    assert [(m.surface, m.type) for m in found] == [("Ana Pérez", "PERSON")]


def test_the_model_s_names_are_grouped_end_to_end() -> None:
    text = (
        "Autoridades detuvieron a Néstor Isidro Pérez Salas en Culiacán, Sinaloa. "
        "La fiscalía dijo que Pérez Salas era jefe de seguridad de una facción. "
        "El abogado de Pérez Salas pidió su liberación."
    )
    mentions = tag_article(text, None, "es", TaggerConfig()).mentions
    unlinked = [m for m in mentions if not m.linked and "Pérez" in m.surface]
    assert len(unlinked) >= 2
    assert {m.entity_id for m in unlinked} == {unlinked_id("PERSON", "Néstor Isidro Pérez Salas")}
    assert {m.name for m in unlinked} == {"Néstor Isidro Pérez Salas"}
    assert "ww:mx-culiacan" in {m.entity_id for m in mentions}


# --- storage, views, export ----------------------------------------------------------------


@pytest.fixture()
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(connection)
    for n, (article_id, outlet) in enumerate((("a1", "noroeste"), ("a2", "efe"))):
        connection.execute(
            "INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, "
            "discovered_at, published_at, text) VALUES (?, ?, ?, ?, 'extracted', ?, ?, ?)",
            [article_id, outlet, f"http://x/{article_id}", f"http://x/{article_id}",
             datetime(2026, 1, 12 + n, tzinfo=UTC), datetime(2026, 1, 12 + n, tzinfo=UTC),
             STORY],
        )
    yield connection
    connection.close()


def _stored_tags() -> dict[str, ArticleTags]:
    first = _spans(STORY, ("PER", "Néstor Isidro Pérez Salas", 0), ("PER", "Pérez Salas", 1))
    second = _spans(STORY, ("PER", "Néstor Isidro Pérez Salas", 0), ("PER", "Pérez", 2))
    tags = {}
    for article_id, spans in (("a1", first), ("a2", second)):
        base = tag_article(STORY, None, "es", OFF)
        extra = _group(STORY, spans)
        mentions = tuple(sorted([*base.mentions, *extra], key=lambda m: m.start))
        tags[article_id] = ArticleTags(mentions, base.topics)
    return tags


def test_unlinked_entities_are_stored_counted_and_exported(con, tmp_path: Path) -> None:
    store_tags(con, _stored_tags())
    nestor = unlinked_id("PERSON", "Néstor Isidro Pérez Salas")
    row = con.execute(
        "SELECT name, type, surface_forms, mentions, articles, outlets FROM unlinked_entities "
        "WHERE entity_id = ?", [nestor]
    ).fetchone()
    assert row == ("Néstor Isidro Pérez Salas", "PERSON",
                   ["Néstor Isidro Pérez Salas", "Pérez", "Pérez Salas"], 4, 2, 2)
    kinds = dict(con.execute(
        "SELECT entity_id, any_value(kind) FROM entity_mentions GROUP BY 1"
    ).fetchall())
    assert kinds[nestor] == "unlinked" and kinds["ww:mx-culiacan"] == "linked"
    output = tmp_path / "out.jsonl"
    assert export_articles(con, output, "jsonl") == 2
    record = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    entities = {e["id"]: e for e in record["entities"]}
    assert entities[nestor]["linked"] is False and entities[nestor]["count"] == 2
    assert entities["ww:mx-culiacan"]["linked"] is True
    assert record["entities"][0]["linked"] is True  # linked entities first


def test_generated_place_is_stored_with_its_coordinates(con) -> None:
    text = "Lluvias en Antioquia."
    store_tags(con, {"a1": tag_article(text, None, "es", OFF)})
    row = con.execute(
        "SELECT entity_name, country, country_name, kind, round(latitude) FROM entity_mentions"
    ).fetchone()
    assert row[:4] == ("Antioquia", "CO", "Colombia", "linked") and row[4] is not None


# --- the text the tagger reads -------------------------------------------------------------

STANDINGS = (
    "Tigres beat Monterrey on Sunday and lead the table.\n"
    "Standings after week 9\n"
    "Tigres 9 7 1 1 22\n"
    "Monterrey 9 6 2 1 20\n"
    "Toluca 9 5 2 2 17\n"
    "Roster: Juan Pérez (Mexico), Luis Soto (Colombia), Ana Ruiz (Chile)\n"
    "\n"
    "Share\nFacebook\nWhatsApp\nCopy link\n"
    "\n"
    "Home\nSports\nMexico\nOpinion\n"
)


def test_table_and_roster_lines_are_kept_and_furniture_is_dropped() -> None:
    spans = furniture_spans(STANDINGS)
    table_at = STANDINGS.index("Toluca 9")
    roster_at = STANDINGS.index("Roster")
    assert not inside_any(table_at, table_at + 6, spans)
    assert not inside_any(roster_at, roster_at + 6, spans)
    for word in ("Facebook", "Sports", "Opinion"):
        at = STANDINGS.index(word)
        assert inside_any(at, at + len(word), spans)
    linked = tag_article(STANDINGS, None, "en", OFF).mentions
    surfaces = [(m.surface, m.start) for m in linked]
    assert ("Toluca", table_at) in surfaces and ("Colombia", STANDINGS.index("Colombia")) in (
        surfaces
    )
    assert ("Mexico", STANDINGS.index("Mexico\nOpinion")) not in surfaces  # in the menu


def test_related_headlines_after_a_header_stay_furniture() -> None:
    text = "Police found a car.\n\nRead more:\nTrump meets Sheinbaum 2 hours ago\nTexas floods\n"
    spans = furniture_spans(text)
    assert inside_any(text.index("Trump"), text.index("Trump") + 5, spans)


def test_generated_place_yields_to_a_sure_model_name_of_a_club() -> None:
    gazetteer = load_gazetteer()
    text = "Boston beat Texas 3-1 on Sunday."
    boston, texas = tag_article(text, None, "en", OFF).mentions
    assert boston.entity_id.startswith("geonames:") and texas.entity_id == "Q1439"
    sure = [NerMention(0, 6, "Boston", "ORG", 0.97), NerMention(12, 17, "Texas", "ORG", 0.97)]
    assert yields_to_model(boston, sure, gazetteer.entities, text)
    # A hand-written place yields only after a team's article, and a country never.
    assert not yields_to_model(texas, sure, gazetteer.entities, text)
    unsure = [NerMention(0, 6, "Boston", "ORG", 0.4)]
    other_words = [NerMention(0, 11, "Boston beat", "ORG", 0.97)]
    place = [NerMention(0, 6, "Boston", "LOC", 0.97)]
    for spans in (unsure, other_words, place):
        assert not yields_to_model(boston, spans, gazetteer.entities, text)


def test_hand_written_state_after_a_team_article_yields_but_a_country_does_not() -> None:
    gazetteer = load_gazetteer()
    text = "Los dirigentes del Puebla y el Brasil de Ronaldo."
    puebla, brasil = tag_article(text, None, "es", OFF).mentions
    assert (puebla.entity_id, brasil.entity_id) == ("ww:mx-puebla", "Q155")
    sure = [NerMention(puebla.start, puebla.end, "Puebla", "ORG", 0.9),
            NerMention(brasil.start, brasil.end, "Brasil", "ORG", 0.9)]
    assert yields_to_model(puebla, sure, gazetteer.entities, text)
    assert not yields_to_model(brasil, sure, gazetteer.entities, text)
    in_state = "Las lluvias en Puebla."
    (state,) = tag_article(in_state, None, "es", OFF).mentions
    state_span = [NerMention(state.start, state.end, "Puebla", "ORG", 0.9)]
    assert not yields_to_model(state, state_span, gazetteer.entities, in_state)
