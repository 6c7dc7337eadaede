"""Story assignment against a real, migrated DuckDB file."""

from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa
import pytest

from extractors.fingerprints import fingerprint_article
from extractors.records import Credit
from warehouse.migrate import migrate
from warehouse.stories import assign_stories, list_recent_stories

T0 = datetime(2026, 1, 13, 12, tzinfo=UTC)
LAB = [
    "Mexican marines dismantled a clandestine laboratory in the mountains of Cosalá, Sinaloa, "
    "and seized more than two tonnes of chemicals used to make fentanyl, the navy said.",
    "The lab, hidden under a canopy of trees about 40 km from the nearest paved road, had "
    "reactors, drying ovens and a pill press capable of producing thousands of tablets a day.",
    "No one was arrested. The navy said the site belonged to a faction of the Sinaloa Cartel "
    "loyal to the sons of jailed drug lord Joaquín Guzmán.",
    "The operation was the 14th lab seizure in Sinaloa this year, as the government seeks to "
    "show Washington it is cracking down on synthetic drug production.",
]
SEIZURE = [
    "Border officers at the Mariposa port of entry in Nogales found nearly 150 pounds of "
    "fentanyl pills hidden inside a tractor-trailer hauling cucumbers, the agency said.",
    "A drug-sniffing dog alerted officers to the trailer's floor, where they found 38 packages "
    "wrapped in black tape beneath pallets of produce worth about $1.2 million.",
    "The 31-year-old driver, a Mexican citizen with a border crossing card, was arrested and "
    "turned over to Homeland Security Investigations.",
]
FOOTER = [
    "Frontier Daily is an independent newsroom funded by its readers; your contribution keeps "
    "local reporting alive in Sonora, Chihuahua and Baja California.",
    "This story was prepared by the Frontier Daily security desk with reports from our "
    "correspondents in Nogales, Ciudad Juárez and Tijuana.",
]


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(connection)
    connection.execute(
        "INSERT INTO outlets (outlet_id, name, kind, updated_at) VALUES "
        "('reuters', 'Reuters', 'wire', ?), ('ap', 'AP', 'wire', ?)", [T0, T0])
    yield connection
    connection.close()


def add(con, article_id, outlet, paragraphs, *, hours=0.0, language="en", title=None,
        status="extracted"):
    when = T0 + timedelta(hours=hours)
    row = {"article_id": article_id, "outlet_id": outlet, "url": f"http://127.0.0.1/{article_id}",
           "canonical_url": f"http://127.0.0.1/{article_id}", "status": status,
           "title": title or article_id, "text": "\n".join(paragraphs), "language": language,
           "published_at": when, "discovered_at": when}
    con.register("one", pa.Table.from_pylist([row]))
    con.execute("INSERT INTO articles (article_id, outlet_id, url, canonical_url, status, title,"
                " text, language, published_at, discovered_at) SELECT * FROM one")
    con.unregister("one")


def syndication(con):
    return {r[0]: r[1:] for r in con.execute(
        "SELECT article_id, story_id, source_article_id, method, agency FROM syndication"
    ).fetchall()}


def snapshot(con):
    tables = ["syndication", "stories", "article_credits", "story_index", "story_index_keys",
              "story_index_cues", "outlet_paragraphs"]
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_copies_join_the_original_and_other_stories_stay_apart(con):
    add(con, "wire", "reuters", LAB)
    add(con, "teaser", "site_a", LAB[:1], hours=1)
    add(con, "trimmed", "site_b", [*LAB[:2], "With information from Reuters."], hours=2)
    add(con, "relead", "site_c", ["A new opening paragraph written by the outlet about raids.",
                                  *LAB[1:]], hours=3)
    add(con, "other", "site_a", SEIZURE, hours=1)
    stats = assign_stories(con, ["wire", "teaser", "trimmed", "relead", "other"], now=T0)
    rows = syndication(con)
    story = rows["wire"][0]
    assert {rows[a][0] for a in ("teaser", "trimmed", "relead")} == {story}
    assert rows["other"][0] != story
    assert rows["wire"][2] == "original" and rows["wire"][1] is None
    assert rows["trimmed"][2] == "near_duplicate" and rows["trimmed"][3] == "reuters"
    assert (stats.new_stories, stats.joined, stats.near_duplicate) == (2, 3, 3)


def test_rerunning_the_same_articles_changes_nothing(con):
    add(con, "wire", "reuters", LAB)
    add(con, "copy", "site_a", LAB[:3], hours=1)
    assign_stories(con, ["wire", "copy"], now=T0)
    before = snapshot(con)
    stats = assign_stories(con, ["wire", "copy"], now=T0 + timedelta(days=1))
    assert stats.already_assigned == 2 and stats.considered == 0
    assert snapshot(con) == before


def test_late_wire_original_takes_over_without_changing_story_id(con):
    add(con, "copy1", "site_a", LAB[:3], hours=1)
    add(con, "copy2", "site_b", LAB[:2], hours=2)
    assign_stories(con, ["copy1", "copy2"], now=T0)
    story_id = syndication(con)["copy1"][0]
    assert con.execute("SELECT canonical_article_id FROM stories").fetchall() == [("copy1",)]
    add(con, "wire", "reuters", LAB, hours=0)
    stats = assign_stories(con, ["wire"], now=T0 + timedelta(hours=5))
    rows = syndication(con)
    assert stats.canonical_changes == 1
    assert rows["wire"][:3] == (story_id, None, "original")
    assert rows["copy1"][1] == "wire" and rows["copy1"][2] == "near_duplicate"
    assert con.execute("SELECT story_id, canonical_article_id, article_count FROM stories"
                       ).fetchall() == [(story_id, "wire", 3)]
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM syndication"
                       ).fetchone() == (3, 3)


def test_exact_copy_is_recognised_by_its_normalised_text(con):
    add(con, "wire", "ap", SEIZURE)
    add(con, "same", "site_a", [p.upper() for p in SEIZURE], hours=1)
    assign_stories(con, ["wire", "same"], now=T0)
    assert syndication(con)["same"][1:3] == ("wire", "exact")


def test_missing_and_unextracted_articles_are_reported_not_assigned(con):
    add(con, "failed", "site_a", [""], status="failed")
    stats = assign_stories(con, ["failed", "nowhere"], now=T0)
    assert dict(stats.skipped) == {
        "failed": "no text to compare (status failed)", "nowhere": "not in articles"}
    assert syndication(con) == {}


def test_shared_outlet_furniture_does_not_merge_different_stories(con):
    add(con, "n1", "frontier", [*FOOTER, "The DeConcini pedestrian crossing in Nogales reopened "
                                "on Tuesday after two weeks of repairs."], hours=0)
    add(con, "n2", "frontier", [*FOOTER, "Soldiers found an unfinished tunnel running 180 "
                                "meters from a Tijuana warehouse towards San Diego."], hours=1)
    add(con, "n3", "frontier", [*FOOTER, "Ciudad Juárez has gone twelve days without a femicide,"
                                " a citizens' observatory reported."], hours=2)
    assign_stories(con, ["n1", "n2", "n3"], now=T0)
    assert len({row[0] for row in syndication(con).values()}) == 3


def test_precomputed_fingerprints_give_the_same_result(con, tmp_path):
    add(con, "wire", "reuters", LAB)
    add(con, "copy", "site_a", LAB[:2], hours=1)
    prints = {"wire": fingerprint_article("\n".join(LAB), "wire", "en"),
              "copy": fingerprint_article("\n".join(LAB[:2]), "copy", "en")}
    assign_stories(con, ["wire", "copy"], now=T0, fingerprints=prints)
    assert syndication(con)["copy"][1:3] == ("wire", "near_duplicate")


def test_precomputed_credits_are_stored_instead_of_recomputed(con):
    add(con, "copy", "site_a", LAB)
    given = Credit("efe", "EFE", "credit", "(EFE)", 0, 5)
    stats = assign_stories(con, ["copy"], now=T0, credits={"copy": (given,)})
    assert stats.credits_stored == 1
    assert con.execute("SELECT agency_id, evidence FROM article_credits").fetchall() == [
        ("efe", "(EFE)")]


def test_translation_links_spanish_and_english_versions(con):
    add(con, "es", "efe_es", [
        "Fuerzas federales detuvieron este miércoles en Culiacán a Jesús Alfredo Beltrán Ochoa, "
        "alias 'El Contador', operador financiero de 'Los Chapitos'.",
        "El secretario Omar García Harfuch informó que se aseguraron dos armas largas y 18 "
        "teléfonos celulares en una vivienda de Las Quintas.",
        "De acuerdo con el Departamento del Tesoro, Beltrán Ochoa lavaba ganancias del "
        "fentanilo vendido en Arizona y California."], language="es",
        title="Detienen en Culiacán a operador financiero de Los Chapitos")
    add(con, "en", "brief", [
        "Federal forces on Wednesday arrested Jesús Alfredo Beltrán Ochoa, known as 'El "
        "Contador', in Culiacán, a financial operator for the Chapitos faction.",
        "Security Secretary Omar García Harfuch said two rifles and 18 cellphones were seized "
        "in a house in Las Quintas.",
        "According to the Treasury Department, Beltrán Ochoa laundered profits from fentanyl "
        "sold in Arizona and California."], hours=5,
        title="Mexico arrests alleged Chapitos money man")
    add(con, "unrelated", "brief", SEIZURE, hours=6)
    stats = assign_stories(con, ["es", "en", "unrelated"], now=T0)
    rows = syndication(con)
    assert rows["en"][:3] == (rows["es"][0], "es", "translation")
    assert rows["unrelated"][0] != rows["es"][0]
    assert stats.translation == 1
    assert con.execute("SELECT languages FROM stories WHERE story_id = ?",
                       [rows["es"][0]]).fetchone() == (["en", "es"],)


def test_credits_are_stored_and_views_list_copies(con):
    add(con, "wire", "reuters", LAB)
    add(con, "copy", "site_a", [*LAB[:2], "With information from Reuters.",
                                "A photographer for AFP was also at the scene."], hours=1)
    stats = assign_stories(con, ["wire", "copy"], now=T0)
    credits = con.execute("SELECT agency_id, kind FROM article_credits WHERE article_id = 'copy'"
                          " ORDER BY start_offset").fetchall()
    assert credits == [("reuters", "credit"), ("afp", "mention")]
    assert stats.credits_stored == 2
    copies = con.execute("SELECT article_id, is_canonical, method FROM story_copies "
                         "ORDER BY article_id").fetchall()
    assert copies == [("copy", False, "near_duplicate"), ("wire", True, "original")]
    assert con.execute("SELECT agency_id, outlet_id, copies FROM agency_reach").fetchall() == [
        ("reuters", "site_a", 1)]
    recent = list_recent_stories(con)
    assert [(r["canonical_article_id"], r["copy_count"]) for r in recent] == [("wire", 1)]
