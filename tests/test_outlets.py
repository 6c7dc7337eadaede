"""Outlets configuration: the default list loads, and every mistake is named precisely."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.outlets import Outlet, default_outlets_path, load_outlets, parse_outlets

ROOT = Path(__file__).resolve().parents[1]

VALID_OUTLET = """
[[outlets]]
id = "proceso"
name = "Proceso"
homepage = "https://www.proceso.com.mx"
language = "es"
country = "MX"
kind = "outlet"
feeds = ["https://www.proceso.com.mx/rss.xml"]
"""


def _with(**overrides: str) -> str:
    """VALID_OUTLET with some `key = value` lines replaced (values are TOML literals)."""
    lines = []
    for line in VALID_OUTLET.strip().splitlines():
        key = line.split("=", 1)[0].strip()
        lines.append(f"{key} = {overrides.pop(key)}" if key in overrides else line)
    lines.extend(f"{key} = {value}" for key, value in overrides.items())
    return "\n".join(lines) + "\n"


def _error(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_outlets(text, "outlets.toml")
    return str(caught.value)


def test_valid_outlet_parses_with_defaults() -> None:
    [outlet] = parse_outlets(VALID_OUTLET, "outlets.toml")
    assert outlet == Outlet(
        id="proceso",
        name="Proceso",
        homepage="https://www.proceso.com.mx",
        language="es",
        country="MX",
        kind="outlet",
        feeds=("https://www.proceso.com.mx/rss.xml",),
        interval_minutes=None,
        enabled=True,
        tags=(),
    )


def test_optional_fields_are_read() -> None:
    text = _with(interval_minutes="15", enabled="false", tags='["border", "sinaloa"]')
    [outlet] = parse_outlets(text, "outlets.toml")
    assert (outlet.interval_minutes, outlet.enabled, outlet.tags) == (
        15,
        False,
        ("border", "sinaloa"),
    )


def test_bad_language_names_file_outlet_and_field() -> None:
    message = _error(
        VALID_OUTLET + _with(id='"other"', language='"spanish"', feeds='["https://x.mx/f"]')
    )
    assert message == (
        'outlets.toml: outlets[1] (id "other"): language "spanish" is not a two-letter '
        "ISO 639-1 code"
    )


@pytest.mark.parametrize(
    ("overrides", "expected_fragment"),
    [
        ({"id": '"El Universal"'}, 'id "El Universal" must be a slug'),
        ({"name": '""'}, 'name "" must be a non-empty string'),
        ({"homepage": '"ftp://proceso.mx"'}, 'homepage "ftp://proceso.mx" is not an http(s)'),
        ({"language": '"xx"'}, 'language "xx" is not a known ISO 639-1 code'),
        ({"country": '"mx"'}, 'country "mx" is not a two-letter upper-case ISO 3166-1 code'),
        ({"country": '"QQ"'}, 'country "QQ" is not a known ISO 3166-1 alpha-2'),
        ({"kind": '"agency"'}, 'kind "agency" must be one of: outlet, wire'),
        ({"feeds": "[]"}, "feeds must be a non-empty list of feed URLs"),
        ({"feeds": '["feed://p.mx/rss"]'}, 'feeds[0] "feed://p.mx/rss" is not an http(s) URL'),
        ({"feeds": '["https:///rss"]'}, 'feeds[0] "https:///rss" has no host name'),
        ({"interval_minutes": "0"}, "interval_minutes 0 must be a whole number of minutes"),
        ({"interval_minutes": "true"}, "interval_minutes true must be a whole number"),
        ({"enabled": '"yes"'}, 'enabled "yes" must be true or false'),
        ({"tags": '["Border"]'}, 'tags entry "Border" must be lower-case'),
        ({"langauge": '"es"'}, 'unknown key "langauge"'),
    ],
)
def test_each_bad_field_is_named(overrides: dict[str, str], expected_fragment: str) -> None:
    message = _error(_with(**overrides))
    assert message.startswith("outlets.toml: outlets[0]")
    assert expected_fragment in message


def test_missing_required_key_is_named() -> None:
    text = "\n".join(line for line in VALID_OUTLET.splitlines() if not line.startswith("country"))
    assert _error(text) == 'outlets.toml: outlets[0] (id "proceso"): missing required key "country"'


def test_duplicate_id_is_an_error() -> None:
    second = _with(feeds='["https://www.proceso.com.mx/other.xml"]')
    message = _error(VALID_OUTLET + second)
    assert message == (
        'outlets.toml: outlets[1] (id "proceso"): id "proceso" is already used by '
        'outlets[0] (id "proceso")'
    )


def test_duplicate_feed_url_across_outlets_is_an_error() -> None:
    message = _error(VALID_OUTLET + _with(id='"proceso_copy"'))
    assert 'outlets[1] (id "proceso_copy"): feed "https://www.proceso.com.mx/rss.xml"' in message
    assert "already listed by outlets[0]" in message


def test_all_problems_are_reported_together() -> None:
    text = _with(language='"spanish"', kind='"agency"', colour='"red"')
    message = _error(text)
    assert message.startswith("outlets.toml: 3 problems in the outlets file:")
    for fragment in ('language "spanish"', 'kind "agency"', 'unknown key "colour"'):
        assert fragment in message


def test_unknown_top_level_key_and_missing_outlets() -> None:
    assert 'unknown top-level key "outlet"' in _error("[[outlet]]\nid = 'x'\n")
    assert _error("") == "outlets.toml: no [[outlets]] tables found"


def test_outlets_must_be_an_array_of_tables() -> None:
    assert "must be an array of tables" in _error('outlets = ["proceso"]\n')


def test_invalid_toml_is_a_config_error() -> None:
    assert _error("[[outlets]\nid = ").startswith("outlets.toml: not valid TOML:")


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match=r"nowhere\.toml: outlets file not found"):
        load_outlets(missing)


def test_load_outlets_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(VALID_OUTLET, encoding="utf-8")
    assert [outlet.id for outlet in load_outlets(path)] == ["proceso"]
    path.write_text(_with(kind='"newspaper"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine\.toml: outlets\[0\] .*kind \"newspaper\""):
        load_outlets(path)


def test_config_error_is_terminal() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_outlets("", "x.toml")
    assert caught.value.transient is False


def test_default_list_loads_and_covers_the_beat() -> None:
    outlets = load_outlets(default_outlets_path())
    enabled = [outlet for outlet in outlets if outlet.enabled]
    assert len(enabled) >= 25
    assert {outlet.language for outlet in enabled} >= {"es", "en"}
    assert {outlet.country for outlet in enabled} >= {"MX", "US"}
    wires = {outlet.id for outlet in outlets if outlet.kind == "wire"}
    assert {"efe", "ap", "reuters", "afp"} <= wires
    ids = {outlet.id for outlet in outlets}
    assert {"dw_en", "dw_es", "cubaheadlines", "cibercuba", "borderreport", "zetatijuana"} <= ids


def test_default_list_points_to_its_evidence_and_to_feeds_check() -> None:
    header = default_outlets_path().read_text(encoding="utf-8")[:900]
    assert "outlets-evidence.toml" in header
    assert "wirewatch feeds check" in header


EVIDENCE_PATH = default_outlets_path().with_name("outlets-evidence.toml")
EVIDENCE_STATUSES = {"evidenced", "corrected", "disabled", "no_public_feed"}
DOCS_STATUS = {
    "evidenced": "| enabled",
    "corrected": "| enabled, **corrected**",
    "disabled": "| **disabled** |",
    "no_public_feed": "| disabled (no public feed) |",
}


def _evidence() -> list[dict]:
    return tomllib.loads(EVIDENCE_PATH.read_text(encoding="utf-8"))["outlet"]


def test_every_packaged_outlet_has_its_evidence_record() -> None:
    outlets = load_outlets(default_outlets_path())
    records = _evidence()
    assert [record["id"] for record in records] == [outlet.id for outlet in outlets]
    for outlet, record in zip(outlets, records, strict=True):
        assert tuple(record["feeds"]) == outlet.feeds, outlet.id
        assert record["status"] in EVIDENCE_STATUSES, outlet.id
        disabled = record["status"] in ("disabled", "no_public_feed")
        assert outlet.enabled is not disabled, outlet.id


def test_enabled_outlets_have_sources_and_corrections_name_the_old_address() -> None:
    for record in _evidence():
        if record["status"] in ("evidenced", "corrected"):
            assert record["strength"] in ("verified", "listed"), record["id"]
            assert record["sources"], record["id"]
            assert all(source["where"] and source["says"] for source in record["sources"])
        if record["status"] == "corrected":
            assert record["previous"] and record["previous"] != record["feeds"], record["id"]


def test_docs_table_matches_the_evidence_file() -> None:
    docs = (ROOT / "docs" / "outlets.md").read_text(encoding="utf-8")
    table = docs.split("| outlet | feed URL | evidence | status |\n|---|---|---|---|\n")[1]
    table = table.split("\n\n")[0]
    rows = {line.split("`")[1]: line for line in table.splitlines()}
    records = _evidence()
    assert set(rows) == {record["id"] for record in records}
    for record in records:
        row = rows[record["id"]]
        assert all(f"`{feed}`" in row for feed in record["feeds"]), record["id"]
        assert DOCS_STATUS[record["status"]] in row, record["id"]
        assert (record.get("strength") or "none") in row, record["id"]
    enabled = [r for r in records if r["status"] in ("evidenced", "corrected")]
    verified = sum(record["strength"] == "verified" for record in enabled)
    assert f"{len(enabled)} are enabled" in docs
    assert f"{verified} are verified and {len(enabled) - verified} listed" in docs
