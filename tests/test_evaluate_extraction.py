"""Floors for article extraction on the labelled pages (the demo's + evaluate/data/extraction).

The floors sit a little below the measured figures (docs/extraction-evaluation.md); the
comparison with trafilatura alone is computed, never written down.
"""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from lxml import html as lxml_html

from flows.evaluate.extraction import (
    DEFAULT_DATA_DIR,
    LabelledSetError,
    evaluate,
    format_report,
    token_counts,
    written_pages,
)

BODY = [
    "The city council of Laredo approved on Tuesday a plan to add lighting and cameras along "
    "the river walk, after months of complaints from residents about break-ins and vandalism.",
    "Council members said the first cameras will be installed in March and that the police "
    "department will review the footage only when a crime is reported in the area.",
    "Residents who spoke at the meeting welcomed the plan but asked the city to also fix the "
    "sidewalks and the broken benches near the international bridge.",
]


@pytest.fixture(scope="module")
def report():
    return evaluate()


def write_page(folder: Path, stem: str, label: dict, html: str) -> None:
    (folder / f"{stem}.json").write_text(json.dumps(label), "utf-8")
    (folder / f"{stem}.html").write_text(html, "utf-8")


def small_page_with_teaser() -> tuple[dict, str]:
    paragraphs = [f"<p>{p}</p>" for p in BODY]
    paragraphs.insert(2, '<p><strong>Read more:</strong> <a href="/x">Mayor names new '
                         "police chief</a></p>")
    html = ("<html lang='en'><head><title>Laredo approves river walk cameras</title>"
            "<meta name='author' content='Pat Lee'>"
            "<meta property='article:published_time' content='2026-01-10T15:00:00-06:00'>"
            "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
            "<h1>Laredo approves river walk cameras</h1>" + "\n".join(paragraphs) +
            "</article><footer>© 2026 Laredo Example Times</footer></body></html>")
    label = {"url": "https://laredo.example/news/cameras", "title":
             "Laredo approves river walk cameras", "author": "Pat Lee",
             "published": "2026-01-10T21:00:00+00:00", "language": "en", "text": BODY}
    return label, html


def test_labelled_set_is_large_and_in_both_languages(report):
    assert report.pages >= 30
    by_language = report.pages_by_language()
    assert set(by_language) == {"en", "es"}
    assert min(by_language.values()) >= 10
    assert report.pages_by_source()["written"] == len(list(DEFAULT_DATA_DIR.glob("*.json")))


def test_hand_written_pages_carry_inline_teasers_outside_the_gold_text():
    pages = written_pages(DEFAULT_DATA_DIR)
    assert {page.language for page in pages} == {"en", "es"}
    for page in pages:
        label = json.loads((DEFAULT_DATA_DIR / f"{page.page_id[5:]}.json").read_text("utf-8"))
        assert label["inline_teasers"] >= 2, page.page_id
        html = unescape(page.html.decode("utf-8"))
        assert all(paragraph in html for paragraph in label["text"]), page.page_id
        # Menus, bylines, captions, footers: at least 40 words of page that are not the body.
        page_words = len(lxml_html.fromstring(page.html).text_content().split())
        assert page_words - len(page.text.split()) >= 40, page.page_id


def test_body_floors(report):
    ours = report.body("ours")
    assert ours.micro.f1 >= 0.95
    assert ours.micro.recall >= 0.98
    assert ours.macro_f1 >= 0.94
    for language in ("en", "es"):
        assert report.body("ours", language).micro.f1 >= 0.94, language


def test_our_extraction_beats_trafilatura_alone(report):
    for language in (None, "en", "es"):
        ours, alone = report.body("ours", language), report.body("trafilatura", language)
        assert ours.micro.f1 > alone.micro.f1, language
        assert ours.macro_f1 > alone.macro_f1, language
    assert report.f1_gain >= 0.05


def test_teaser_removal_costs_no_gold_words(report):
    # Removal must only take words trafilatura let in, never words of the article itself.
    assert report.body("ours").micro.fn <= report.body("trafilatura").micro.fn


def test_metadata_floors(report):
    assert report.title_accuracy >= 0.98
    assert report.author_accuracy >= 0.86
    assert report.date_accuracy >= 0.86
    assert report.language_accuracy >= 0.98
    assert report.authored_pages >= 30


def test_report_prints_both_systems_and_the_gain(report):
    text = format_report(report)
    assert f"{report.body('ours').micro.f1:.3f}" in text
    assert f"{report.body('trafilatura').micro.f1:.3f}" in text
    assert f"{report.f1_gain:+.3f}" in text
    for field in ("title", "author", "published (within 1 min, UTC)", "language"):
        assert field in text


def test_token_counts_are_multisets_of_normalised_words():
    counts = token_counts("The CARTEL, the cartel; Sinaloa!", "the cartel in Sinaloa")
    assert (counts.tp, counts.fp, counts.fn) == (3, 2, 1)
    assert token_counts(None, "uno dos").recall == 0.0


def test_a_teaser_in_a_custom_set_is_scored_against_trafilatura_alone(tmp_path):
    label, html = small_page_with_teaser()
    write_page(tmp_path, "en_cameras", label, html)
    small = evaluate(tmp_path, include_demo=False)
    assert small.pages == 1
    result = small.results[0]
    assert result.ours.recall == 1.0
    assert result.trafilatura.fp > result.ours.fp  # the teaser's words
    assert (result.title_ok, result.author_ok, result.date_ok, result.language_ok) == (
        True, True, True, True), result.problems


def test_wrong_gold_is_reported_as_a_problem(tmp_path):
    label, html = small_page_with_teaser()
    write_page(tmp_path, "en_cameras", {**label, "author": "Someone Else",
                                        "published": "2026-01-10T15:00:00+00:00"}, html)
    result = evaluate(tmp_path, include_demo=False).results[0]
    assert result.author_ok is False and result.date_ok is False
    assert any(p.startswith("author 'Pat Lee'") for p in result.problems)
    assert any(p.startswith("published 2026-01-10T21:00:00+00:00") for p in result.problems)


@pytest.mark.parametrize(("change", "message"), [
    ({"published": "2026-01-10T15:00:00"}, "no UTC offset"),
    ({"published": "yesterday"}, "not an ISO 8601 time"),
    ({"text": "one string"}, "list of paragraphs"),
    ({"title": None}, "missing title"),
])
def test_malformed_labels_name_the_file(tmp_path, change, message):
    label, html = small_page_with_teaser()
    label = {k: v for k, v in {**label, **change}.items() if v is not None}
    write_page(tmp_path, "bad_page", label, html)
    with pytest.raises(LabelledSetError, match=r"bad_page\.json") as error:
        evaluate(tmp_path, include_demo=False)
    assert message in str(error.value)


def test_label_without_its_page_and_empty_set_are_errors(tmp_path):
    label, _ = small_page_with_teaser()
    (tmp_path / "orphan.json").write_text(json.dumps(label), "utf-8")
    with pytest.raises(LabelledSetError, match=r"orphan\.json: no orphan\.html"):
        evaluate(tmp_path, include_demo=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(LabelledSetError, match="no labelled pages"):
        evaluate(tmp_path / "empty", include_demo=False)
    with pytest.raises(LabelledSetError, match="does not exist"):
        evaluate(tmp_path / "typo")  # a wrong folder is not silently replaced by the demo


def test_unknown_system_is_refused(report):
    with pytest.raises(ValueError, match="system must be one of"):
        report.body("readability")
