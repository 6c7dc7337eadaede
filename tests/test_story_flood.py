"""A flood of near-identical articles in one cycle: the right stories, with bounded work.

The texts are the scale bench farm's (one sentence repeated, only "Paragraph n of story f-i"
differs): every article is a near-copy of every other, so every candidate key is shared by
the whole cycle. Within a cycle a key keeps only its MAX_CYCLE_POSTINGS most recent articles
(warehouse/story_model.py); these tests pin that this bound changes no story.
"""

import heapq
import random
from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa
import pytest
from test_stories import LAB

from warehouse import story_model
from warehouse.migrate import migrate
from warehouse.stories import assign_stories
from warehouse.story_model import MAX_CYCLE_POSTINGS

T0 = datetime(2026, 1, 12, 12, tzinfo=UTC)
SENTENCE = ("Officials in the border city said on Tuesday that the crossing would reopen "
            "after inspections of the bridge were completed by engineers from both sides. ")
FLOOD = MAX_CYCLE_POSTINGS + 60  # enough that the bound is reached
OTHER = LAB[:3]  # a different story, copied within the same cycle


def farm_text(n: int) -> str:
    feed, item = divmod(n, 20)
    return "\n".join(f"{SENTENCE * 4}Paragraph {p} of story {feed}-{item}."
                     for p in range(8))


def article(article_id: str, outlet: str, text: str, minutes: int) -> dict:
    when = T0 + timedelta(minutes=minutes)
    return {"article_id": article_id, "outlet_id": outlet,
            "url": f"http://127.0.0.1/{article_id}",
            "canonical_url": f"http://127.0.0.1/{article_id}", "status": "extracted",
            "title": f"Story {article_id} from the farm", "text": text, "language": "en",
            "published_at": when, "discovered_at": when}


def flood_rows() -> list[dict]:
    rows = [article(f"f{n:04d}", f"farm{n // 20}", farm_text(n), n) for n in range(FLOOD)]
    # copies of another story among them: the flood must not swallow them
    rows += [article(f"lab{k}", f"site{k}", "\n".join(OTHER[: 3 - k % 2]), 7 + 50 * k)
             for k in range(4)]
    return rows


def load(tmp_path, name: str, cycles: list[list[dict]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
    migrate(con)
    for n, rows in enumerate(cycles):
        con.register("batch", pa.Table.from_pylist(rows))
        con.execute("INSERT INTO articles (article_id, outlet_id, url, canonical_url, status,"
                    " title, text, language, published_at, discovered_at)"
                    " SELECT * FROM batch")
        con.unregister("batch")
        assign_stories(con, [r["article_id"] for r in rows], now=T0 + timedelta(hours=n + 6))
    return con


def decisions(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in con.execute(
        "SELECT article_id, story_id, source_article_id, method FROM syndication").fetchall()}


@pytest.fixture(scope="module")
def flooded(tmp_path_factory) -> dict[str, tuple]:
    con = load(tmp_path_factory.mktemp("flood"), "bounded", [flood_rows()])
    try:
        return decisions(con)
    finally:
        con.close()


def test_a_flood_in_one_cycle_is_one_story_and_other_stories_stay_apart(flooded):
    flood = {a: d for a, d in flooded.items() if a.startswith("f")}
    labs = {a: d for a, d in flooded.items() if a.startswith("lab")}
    assert len(flood) == FLOOD and len(labs) == 4
    assert len({story for story, _, _ in flood.values()}) == 1
    assert flood["f0000"][2] == "original"
    copies = [a for a in flood if a != "f0000"]
    assert {flood[a][2] for a in copies} == {"near_duplicate"}
    # every copy names an earlier article of the flood as its source
    assert all(flood[a][1] in flood and flood[a][1] < a for a in copies)
    assert len({story for story, _, _ in labs.values()}) == 1
    assert {story for story, _, _ in labs.values()}.isdisjoint(
        {story for story, _, _ in flood.values()})


def test_the_bound_changes_no_story(flooded, tmp_path, monkeypatch):
    """The same cycle with the per-key postings unbounded (as before the bound): the same
    stories and methods; only which earlier copy is named as the source may differ."""
    monkeypatch.setattr(story_model, "MAX_CYCLE_POSTINGS", None)
    con = load(tmp_path, "unbounded", [flood_rows()])
    try:
        unbounded = decisions(con)
    finally:
        con.close()
    assert {a: (d[0], d[2]) for a, d in unbounded.items()} == {
        a: (d[0], d[2]) for a, d in flooded.items()}


def test_below_the_bound_the_decisions_are_identical(tmp_path, monkeypatch):
    """A cycle where no key reaches the bound decides exactly as the unbounded lookup."""
    rows = flood_rows()[MAX_CYCLE_POSTINGS - 40:]  # 100 flood articles and the other story
    bounded = load(tmp_path, "below", [rows])
    monkeypatch.setattr(story_model, "MAX_CYCLE_POSTINGS", None)
    unbounded = load(tmp_path, "below-unbounded", [rows])
    try:
        assert decisions(bounded) == decisions(unbounded)
    finally:
        bounded.close()
        unbounded.close()


def test_top_candidates_equal_a_full_sort():
    """near_duplicates takes the 12 in-cycle articles sharing the most keys with heapq.nlargest;
    it must equal the full stable sort it replaced, ties in first-met order."""
    rng = random.Random(5)
    for _ in range(200):
        shared = {f"a{rng.randrange(10_000)}": rng.randint(1, 6) for _ in range(rng.randint(0, 80))}
        assert heapq.nlargest(12, shared, key=shared.__getitem__) == sorted(
            shared, key=lambda a: -shared[a])[:12]


def test_a_posting_list_keeps_the_most_recent_ids_oldest_first():
    """remember_posting keeps what deque(maxlen=MAX_CYCLE_POSTINGS) kept, in the same order."""
    postings: dict[int, list[str]] = {}
    ids = [f"a{n:04d}" for n in range(MAX_CYCLE_POSTINGS + 37)]
    for article_id in ids:
        story_model.remember_posting(postings, 7, article_id)
        story_model.remember_posting(postings, len(article_id) * 1000, article_id)
    assert postings[7] == ids[-MAX_CYCLE_POSTINGS:]
    assert postings[5000] == ids[-MAX_CYCLE_POSTINGS:]
    story_model.remember_posting(postings, 8, "b")
    assert postings[8] == ["b"] and len(postings) == 3
