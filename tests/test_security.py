"""Security: `wirewatch sql` cannot change anything, hostile configuration values stay data,
secrets stay out of every record, and a name that resolves to loopback is refused by default.

Read-only, as `wirewatch sql` promises it: no change to the warehouse or its analyst copy (no
DML, no DDL), no other database attached for writing (which would reach the live warehouse
from the copy), no file written (COPY ... TO), no extension installed or loaded, and no way to
switch those guards off from inside the query.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from faultserver import FaultHandler, FaultServer, running_fault_server, send

from flows.cli import main
from warehouse.migrate import migrate
from warehouse.publish import publish_analyst_copy

HOSTILE = "x'); DROP TABLE articles; --"


def table_digest(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = all_tables(con)
        rows = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables]
        return hashlib.sha256(repr((tables, rows)).encode()).hexdigest()
    finally:
        con.close()


def all_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of every schema (the full-text index keeps its own), quoted."""
    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                       "ORDER BY ALL").fetchall()
    return [f'"{schema}"."{name}"' for schema, name in rows]


def warehouse_text(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return "\n".join(repr(con.execute(f"SELECT * FROM {t}").fetchall())
                         for t in all_tables(con))
    finally:
        con.close()


# --- wirewatch sql is read-only ---------------------------------------------------------------


@pytest.fixture
def published(tmp_path) -> tuple[Path, Path]:
    live = tmp_path / "w.duckdb"
    con = duckdb.connect(str(live))
    migrate(con)
    con.execute("INSERT INTO outlets VALUES ('o1', 'Outlet', NULL, 'en', 'US', 'outlet', now())")
    con.close()
    analyst = tmp_path / "w.analyst.duckdb"
    publish_analyst_copy(live, analyst)
    return live, analyst


def writes(tmp_path: Path, live: Path) -> list[str]:
    out = tmp_path / "stolen.csv"
    return [
        "INSERT INTO outlets VALUES ('o2', 'x', NULL, 'en', 'US', 'outlet', now())",
        "UPDATE outlets SET name = 'changed'",
        "DELETE FROM outlets",
        "DROP TABLE articles",
        "CREATE TABLE extra (x INTEGER)",
        "ALTER TABLE outlets ADD COLUMN extra INTEGER",
        "CREATE OR REPLACE VIEW stories_view AS SELECT 1",
        f"COPY outlets TO '{out}' (FORMAT csv)",
        f"ATTACH '{live}' AS w (READ_WRITE); INSERT INTO w.outlets SELECT * FROM w.outlets",
        f"ATTACH '{tmp_path / 'new.duckdb'}' AS n; CREATE TABLE n.t AS SELECT 1",
        "INSTALL httpfs",
        f"LOAD '{tmp_path / 'evil.duckdb_extension'}'",
        "SET enable_external_access = true; "
        f"COPY outlets TO '{out}' (FORMAT csv)",
        "RESET lock_configuration",
    ]


@pytest.mark.parametrize("live_flag", [False, True], ids=["analyst-copy", "live"])
def test_sql_command_cannot_write_anything(published, tmp_path, live_flag):
    live, analyst = published
    before = (table_digest(live), table_digest(analyst))
    runner = CliRunner()
    extra = ["--live"] if live_flag else []
    for statement in writes(tmp_path, live):
        result = runner.invoke(main, ["sql", statement, "--db", str(live), *extra])
        assert result.exit_code != 0, (statement, result.output)
        assert "error" in result.output.lower(), statement
    assert (table_digest(live), table_digest(analyst)) == before
    assert not (tmp_path / "stolen.csv").exists()
    assert not (tmp_path / "new.duckdb").exists()
    # ...and reading still works, through the same command.
    ok = runner.invoke(main, ["sql", "SELECT name FROM outlets", "--db", str(live),
                              "--format", "json", *extra])
    assert ok.exit_code == 0 and "Outlet" in ok.output


# --- hostile configuration values are data, never SQL ---------------------------------------


def hostile_feed(handler: FaultHandler) -> None:
    items = "".join(
        f"<item><title>{HOSTILE.replace('&', '&amp;')} {n}</title>"
        f"<link>/good/{n}?q=x%27)%3B%20DROP%20TABLE%20articles%3B%20--</link>"
        f"<guid>{HOSTILE} {n}</guid></item>" for n in (1, 2))
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{HOSTILE}</title>{items}</channel></rss>")
    send(handler, 200, body.encode(), "application/rss+xml")


def hostile_page(handler: FaultHandler) -> None:
    words = " ".join(f"{HOSTILE} word{i}" for i in range(40))
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{HOSTILE}</title>"
            f"</head><body><article><h1>{HOSTILE}</h1><p>{words}.</p><p>Second paragraph "
            f"with more words so that it is an article. {words}.</p></article></body></html>")
    send(handler, 200, html.encode())


@dataclass
class HostileRun:
    server: FaultServer
    work: Path
    config: Path
    db: Path
    run_output: str


def toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory) -> Iterator[HostileRun]:
    work = tmp_path_factory.mktemp("hostile") / f"it's {HOSTILE}"
    work.mkdir()
    db = work / "w.duckdb"
    routes = {"/feeds/h.xml": hostile_feed, "/good/": hostile_page}
    with running_fault_server(routes) as server:
        feed_url = server.url("/feeds/h.xml?x=" + "y'%3B--")
        outlets = work / "outlets.toml"
        outlets.write_text(
            f'[[outlets]]\nid = "hostile"\nname = {toml_str(HOSTILE)}\n'
            f'homepage = {toml_str(server.url("/"))}\nlanguage = "en"\ncountry = "US"\n'
            f'kind = "outlet"\nfeeds = [{toml_str(feed_url)}]\ntags = ["x"]\n',
            encoding="utf-8")
        config = work / "wirewatch.toml"
        config.write_text(
            "[wirewatch]\n"
            f"db_path = {toml_str(str(db))}\noutlets_file = {toml_str(str(outlets))}\n"
            f'allowed_networks = ["127.0.0.0/8"]\nper_host_delay_s = 0.0\n'
            f"user_agent = {toml_str('wirewatch/0.1 ' + HOSTILE)}\n"
            f"contact = {toml_str(HOSTILE)}\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["run", "--config", str(config), "--force"])
        assert result.exit_code == 0, result.output
        yield HostileRun(server, work, config, db, result.output)


def test_hostile_values_land_verbatim_and_every_table_survives(hostile_run):
    con = duckdb.connect(str(hostile_run.db), read_only=True)
    try:
        assert con.execute("SELECT name FROM outlets").fetchall() == [(HOSTILE,)]
        titles = sorted(t for (t,) in con.execute("SELECT feed_title FROM articles").fetchall())
        assert titles == [f"{HOSTILE} 1", f"{HOSTILE} 2"]
        assert con.execute("SELECT count(*) FROM articles WHERE status = 'extracted' "
                           "AND strpos(text, ?) > 0", [HOSTILE]).fetchall() == [(2,)]
        tables = {t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert {"articles", "outlets", "feeds", "feed_polls", "runs", "alerts"} <= tables


def test_hostile_values_pass_through_every_read_command(hostile_run):
    runner = CliRunner()
    cfg = ["--config", str(hostile_run.config)]
    for args in (["sql", "SELECT name FROM outlets", "--format", "json"], ["stories"],
                 ["feeds", "list"], ["alerts", "list"]):
        result = runner.invoke(main, [*args, *cfg])
        assert result.exit_code == 0, (args, result.output)
    names = runner.invoke(main, ["sql", "SELECT name FROM outlets", "--format", "json", *cfg])
    assert HOSTILE in names.output
    out = hostile_run.work / f"{HOSTILE}.csv"
    exported = runner.invoke(main, ["export", "--format", "csv", "--output", str(out), *cfg])
    assert exported.exit_code == 0, exported.output
    assert out.read_text(encoding="utf-8").count("DROP TABLE articles") >= 2
    assert table_digest(hostile_run.db)  # still readable, nothing dropped


def test_a_hostile_outlet_id_is_refused_by_validation_before_any_sql(hostile_run, tmp_path):
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(
        f'[[outlets]]\nid = {toml_str(HOSTILE)}\nname = "n"\n'
        f'homepage = "http://127.0.0.1/"\nlanguage = "en"\ncountry = "US"\nkind = "outlet"\n'
        f'feeds = ["http://127.0.0.1/feed.xml"]\n', encoding="utf-8")
    before = table_digest(hostile_run.db)
    result = CliRunner().invoke(main, ["run", "--db", str(hostile_run.db), "--config",
                                       str(write_config(tmp_path, outlets))])
    assert result.exit_code == 3  # a configuration error (docs/robustness.md)
    assert "id" in result.output and str(outlets) in result.output.replace("\n", "")
    assert table_digest(hostile_run.db) == before


def write_config(tmp_path: Path, outlets: Path) -> Path:
    config = tmp_path / "wirewatch.toml"
    config.write_text(f"[wirewatch]\noutlets_file = {toml_str(str(outlets))}\n",
                      encoding="utf-8")
    return config


# --- secrets stay secret -----------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SecretRun:
    db: Path
    secrets: tuple[str, ...]
    logs: str
    prefect_texts: str


@pytest.fixture(scope="module")
def secret_run(prefect_harness, tmp_path_factory) -> Iterator[SecretRun]:
    from flows.demo import DemoSite
    from flows.demo.inbox import AlertInbox
    from flows.ingest import ingest

    work = tmp_path_factory.mktemp("secrets")
    secrets = ("tokSECRETuser", "pwSECRETpass", "pathSECRETsegment", "qSECRETvalue",
               "downSECRETtoken")
    with DemoSite(phase=1) as site, AlertInbox() as inbox:
        port = inbox.apprise_url.split(":")[2].split("/")[0]
        urls = (f"json://{secrets[0]}:{secrets[1]}@127.0.0.1:{port}/{secrets[2]}"
                f"?token={secrets[3]} json://127.0.0.1:{closed_port()}/{secrets[4]}")
        outlets = work / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": str(work / "w.duckdb"), "outlets_file": str(outlets),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8}
        handler = CollectingHandler()
        root = logging.getLogger()
        root.addHandler(handler)
        previous_level = root.level
        root.setLevel(logging.DEBUG)
        # Documented exception (docs/alerts.md): urllib3's own DEBUG lines print request
        # paths, where webhook tokens live. Everything else is captured at DEBUG.
        urllib3_logger = logging.getLogger("urllib3")
        urllib3_level = urllib3_logger.level
        urllib3_logger.setLevel(logging.INFO)
        mp = pytest.MonkeyPatch()
        mp.setenv("WIREWATCH_ALERT_URLS", urls)
        try:
            summary = ingest(overrides=overrides, force=True)
        finally:
            mp.undo()
            root.removeHandler(handler)
            root.setLevel(previous_level)
            urllib3_logger.setLevel(urllib3_level)
        assert summary.counts["alerts_enqueued"] > 0
        assert inbox.messages, "the working destination should have received the alerts"
        yield SecretRun(work / "w.duckdb", secrets, "\n".join(handler.lines),
                        prefect_records())


class CollectingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def prefect_records() -> str:
    """Every flow run, task run, log line and artifact the Prefect API holds, as raw JSON."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    api = str(PREFECT_API_URL.value()).rstrip("/")
    texts = []
    for kind in ("flow_runs", "task_runs", "logs", "artifacts"):
        response = httpx.post(f"{api}/{kind}/filter", json={"limit": 200}, timeout=30)
        response.raise_for_status()
        texts.append(response.text)
    return "\n".join(texts)


def test_secrets_never_reach_the_warehouse(secret_run):
    text = warehouse_text(secret_run.db)
    assert "WIREWATCH_ALERT_URLS[0] json" in text  # destinations are named, not spelled out
    for secret in secret_run.secrets:
        assert secret not in text, secret


def test_secrets_never_reach_logs_or_prefect_records(secret_run):
    assert secret_run.logs and "ingest-summary" in secret_run.prefect_texts
    for secret in secret_run.secrets:
        assert secret not in secret_run.logs, secret
        assert secret not in secret_run.prefect_texts, secret


# --- a name that resolves to loopback is refused by default --------------------------------------


def test_a_feed_link_to_a_name_resolving_to_loopback_is_refused(prefect_harness, tmp_path):
    from flows.ingest import ingest

    def feed(handler: FaultHandler) -> None:
        port = handler.server.server_address[1]
        body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f"<item><title>Local</title><link>http://localhost:{port}/good/1</link></item>"
                f"<item><title>Hop</title><link>/to-localhost</link></item>"
                "</channel></rss>")
        send(handler, 200, body.encode(), "application/rss+xml")

    with running_fault_server({"/feed.xml": feed, "/good/": hostile_page}) as server:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(
            f'[[outlets]]\nid = "local"\nname = "Local"\nhomepage = "{server.url("/")}"\n'
            f'language = "en"\ncountry = "US"\nkind = "outlet"\n'
            f'feeds = ["{server.url("/feed.xml")}"]\n', encoding="utf-8")
        db = tmp_path / "w.duckdb"
        # The feed's own address is allowed by name only; no network is allowed.
        ingest(overrides={"db_path": str(db), "outlets_file": str(outlets),
                          "allowed_hosts": ["127.0.0.1"], "per_host_delay_s": 0.0},
               force=True)
        assert server.hits("/good/1") == 0 and server.hits("/article") == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT feed_title, status, reason, retryable FROM articles "
                           "ORDER BY feed_title").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["Hop", "Local"]
    for _, status, reason, retryable in rows:
        assert status == "failed" and retryable is False
        assert reason.startswith("fetch blocked_address") and "localhost" in reason
