"""No piece of a destination's credentials (user, password, path or query token) survives into
the warehouse or any command's output, not even the characters Apprise's own masking keeps."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime

import duckdb
import pytest
from alert_warehouse import Newsroom
from click.testing import CliRunner

from flows.alerts import AlertRule, DeliveryStore, deliver_pending
from flows.alerts.destinations import redact
from flows.cli import main

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
TOPIC = "us_mexico_security"
RULE = AlertRule(name="usmx", topic=TOPIC, min_score=0.5)
# Every run of three characters holds an upper-case letter and a digit: no ordinary text,
# hexadecimal id or timestamp contains one by chance.
SECRETS = {"user": "Zq8Wv", "password": "K3xQ9jT7", "slack_a": "T4qZ8Rm", "slack_b": "B7wX2Nc",
           "slack_c": "X9kQ3vZ8mW", "path": "P8zQ4kW7", "query": "Y6vK2qX9"}
URLS = " ".join([
    f"mailtos://{SECRETS['user']}:{SECRETS['password']}@127.0.0.1:9?to=desk@example.org",
    f"slack://{SECRETS['slack_a']}/{SECRETS['slack_b']}/{SECRETS['slack_c']}",
    f"json://{SECRETS['user']}:{SECRETS['password']}@127.0.0.1:9/{SECRETS['path']}"
    f"?token={SECRETS['query']}",
])


def runs_of_three(secret: str) -> list[str]:
    return [secret[i:i + 3] for i in range(len(secret) - 2)]


def leaked(text: str) -> list[str]:
    return [run for secret in SECRETS.values() for run in runs_of_three(secret) if run in text]


def every_value(path) -> str:
    """Every value of every table in every schema of a DuckDB file."""
    with closing(duckdb.connect(str(path), read_only=True)) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        return "\n".join(repr(con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall())
                         for s, t in tables)


@pytest.fixture
def delivered(tmp_path):
    room = Newsroom(tmp_path / "wh.duckdb")
    room.outlet("jornada", "La Jornada", "es", T0)
    room.article("s1-a", "jornada", "Cartel violence near the border", "es", T0)
    room.story("s1", "s1-a", "Cartel violence near the border", T0)
    room.topic("s1-a", TOPIC, 0.8, ["term:cartel"])
    room.enqueue([RULE], T0)
    stats = deliver_pending(DeliveryStore.for_path(room.path), [RULE], now=T0,
                            env={"WIREWATCH_ALERT_URLS": URLS}, emit=None)
    return room, stats


def test_apprise_partial_masks_are_masked_whole():
    text = "Could not load E-Mail URL: mailtos://Zq8Wv:K...7@1...1:9?to=d...g | slack://T...m"
    masked = redact(text, [])
    assert "K...7" not in masked and "Zq8Wv" not in masked and "T...m" not in masked
    assert masked.startswith("Could not load E-Mail URL: mailtos://***")


def test_no_run_of_a_secret_reaches_any_table_or_the_alert_commands(delivered, tmp_path):
    room, stats = delivered
    assert stats.failed == 1  # every destination failed, so every error text was kept
    env = {"WIREWATCH_ALERT_URLS": URLS, "COLUMNS": "300"}
    listed = CliRunner().invoke(main, ["alerts", "list", "--db", str(room.path)], env=env)
    tested = CliRunner().invoke(main, ["alerts", "test"], env=env)
    assert listed.exit_code == 0 and "WIREWATCH_ALERT_URLS[0] mailtos" in listed.output
    assert tested.exit_code == 1 and "WIREWATCH_ALERT_URLS[1] slack" in tested.output
    texts = {"warehouse": every_value(room.path), "alerts list": listed.output,
             "alerts test": tested.output, "stats": " ".join(stats.errors)}
    assert "error" in texts["warehouse"].lower() or "connection" in texts["warehouse"].lower()
    for where, text in texts.items():
        assert not leaked(text), (where, leaked(text))
