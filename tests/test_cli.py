"""The command line: clear one-line errors, non-zero exits, machine-readable formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.demo import DemoSite
from warehouse import articles as arts
from warehouse.connection import open_writer
from warehouse.rows import PendingRow


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    with open_writer(path) as con:
        arts.insert_pending(con, [PendingRow(
            article_id="a1", outlet_id="o1", url="https://n.example/a",
            canonical_url="https://n.example/a", status="pending", title="Título",
            discovered_at=datetime(2026, 1, 12, tzinfo=UTC), attempts=0)])
    return path


def invoke(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {})


def test_sql_prints_json_and_csv(db):
    result = invoke("sql", "--db", str(db), "SELECT article_id, title FROM articles",
                    "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == [{"article_id": "a1", "title": "Título"}]
    result = invoke("sql", "--db", str(db), "SELECT article_id FROM articles", "--format", "csv")
    assert result.output.splitlines() == ["article_id", "a1"]


@pytest.mark.parametrize("statement", [
    "DELETE FROM articles", "DROP TABLE articles", "CREATE TABLE x (a INT)",
    "UPDATE articles SET title = 'x'",
])
def test_sql_cannot_write_and_says_so_in_one_line(db, statement):
    result = invoke("sql", "--db", str(db), statement)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error:")
    assert "read-only" in result.output


def test_sql_on_a_missing_warehouse_is_a_clear_error(tmp_path):
    result = invoke("sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert result.exit_code == 1 and "run a cycle first" in result.output


def test_bad_config_is_one_line_naming_the_setting(tmp_path):
    result = invoke("feeds", "list", env={"WIREWATCH_MAX_BYTES": "lots"})
    assert result.exit_code == 3  # configuration error (docs/robustness.md)
    assert "WIREWATCH_MAX_BYTES" in result.output and "Traceback" not in result.output


def test_feeds_check_reports_each_feed_and_fails_when_one_is_broken(tmp_path):
    with DemoSite() as site:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        env = {"WIREWATCH_OUTLETS_FILE": str(outlets),
               "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "COLUMNS": "200"}
        result = invoke("feeds", "check", env=env)
    assert result.exit_code == 1  # the demo's malformed feed
    assert result.output.count(" OK ") == 8 and result.output.count(" FAIL ") == 1


def test_feeds_check_refuses_loopback_by_default(tmp_path):
    with DemoSite() as site:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        result = invoke("feeds", "check", env={"WIREWATCH_OUTLETS_FILE": str(outlets),
                                               "COLUMNS": "200"})
    assert result.exit_code == 1 and "blocked_address" in result.output
    assert " OK " not in result.output


def test_feeds_add_appends_a_valid_outlet_and_refuses_a_bad_one(tmp_path):
    target = tmp_path / "mine.toml"
    args = ["feeds", "add", "https://diario.example/rss", "--outlet", "diario", "--name",
            "Diario", "--homepage", "https://diario.example", "--language", "es",
            "--country", "MX", "--file", str(target)]
    assert invoke(*args).exit_code == 0
    from flows.outlets import load_outlets

    assert [o.id for o in load_outlets(target)] == ["diario"]
    before = target.read_text(encoding="utf-8")
    bad = invoke(*[a if a != "es" else "spanish" for a in args[:-2]], "--outlet", "otro",
                 "--file", str(target))
    assert bad.exit_code == 3 and "language" in bad.output
    assert target.read_text(encoding="utf-8") == before  # nothing written
