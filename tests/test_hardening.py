"""Hostile values that once hung a cycle or slipped past the address policy, and a full disk."""

from __future__ import annotations

import asyncio
import os
import subprocess
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.errors import ConfigError
from flows.exit_codes import EXIT_DISK_FULL, verdict_for
from flows.transport import FetchPolicy
from flows.transport.netpolicy import is_target_allowed
from flows.transport.scheduling import HostScheduler, Pacing
from warehouse.connection import WarehouseDiskFull, write_transaction

DEFAULT = FetchPolicy()


# --- the scheduler can never spin -------------------------------------------------------------


@pytest.mark.parametrize("delay", [float("nan"), float("inf"), -1.0])
def test_a_non_finite_or_negative_spacing_is_refused(delay):
    with pytest.raises(ConfigError, match="per_host_delay_s"):
        Pacing(per_host_concurrency=1, per_host_delay_s=delay, total_concurrency=1,
               max_retry_wait_s=10)
    with pytest.raises(ConfigError, match="per_host_delay_s"):
        FetchPolicy(per_host_delay_s=delay)


def test_a_turn_that_can_never_come_still_yields_and_can_be_cancelled():
    """A clock that says nan (every comparison false): the claim loop must keep yielding to
    the event loop, so a timeout (or a signal's cancellation) ends it."""
    pacing = Pacing(per_host_concurrency=1, per_host_delay_s=0.0, total_concurrency=1,
                    max_retry_wait_s=10)
    scheduler = HostScheduler(pacing, clock=lambda: float("nan"))

    async def claim() -> None:
        async with scheduler.slot("example.org", "https://example.org/"):
            pass

    async def main_task() -> None:
        await asyncio.wait_for(claim(), timeout=0.5)

    with pytest.raises(TimeoutError):
        asyncio.run(main_task())


def test_a_non_finite_crawl_delay_is_ignored():
    pacing = Pacing(per_host_concurrency=1, per_host_delay_s=0.5, total_concurrency=1,
                    max_retry_wait_s=10)
    scheduler = HostScheduler(pacing)
    scheduler.slow_down("example.org", float("nan"))
    scheduler.slow_down("example.org", 2.0)
    assert scheduler._state("example.org").delay_s == 2.0


# --- IPv6 forms that lead somewhere private ----------------------------------------------------


@pytest.mark.parametrize(("address", "reason"), [
    ("2002:a9fe:a9fe::", "6to4 of link-local 169.254.169.254"),
    ("2002:7f00:1::1", "6to4 of loopback 127.0.0.1"),
    ("2002:0a00:0001::", "6to4 of private 10.0.0.1"),
    ("fec0::1", "site-local"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo (client 192.0.2.45)"),
    ("::127.0.0.1", "ipv4-compatible of loopback 127.0.0.1"),
    ("::a9fe:a9fe", "ipv4-compatible of link-local 169.254.169.254"),
    ("64:ff9b::7f00:1", "nat64 of loopback 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "nat64 of link-local 169.254.169.254"),
    ("64:ff9b:1::1", "nat64-local"),
    ("::ffff:169.254.169.254", "link-local"),
])
def test_ipv6_forms_embedding_a_non_public_address_are_refused(address, reason):
    decision = is_target_allowed("example.org", [address], DEFAULT)
    assert not decision.allowed
    assert reason in decision.reason


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808",
                                     "2606:4700::1111", "8.8.8.8"])
def test_public_sites_through_6to4_and_nat64_stay_reachable(address):
    assert is_target_allowed("example.org", [address], DEFAULT).allowed


def test_a_6to4_url_to_the_metadata_service_is_refused_before_any_request(tmp_path):
    from flows.transport import FetchRequest, fetch_all_sync

    [result] = fetch_all_sync(FetchPolicy(), [FetchRequest(url="http://[2002:a9fe:a9fe::]/",
                                                           kind="page")])
    assert result.error is not None and result.error.code == "blocked_address"


# --- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path) -> Path:
    """A 4 MB tmpfs (needs root to mount); unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, leave_bytes: int) -> Path:
    """Fill the filesystem of `folder` until about `leave_bytes` are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler"
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave_bytes))
    return filler


def test_a_full_disk_at_commit_is_its_own_terminal_error_and_nothing_is_half_written(tiny_disk):
    db = tiny_disk / "w.duckdb"
    with write_transaction(db) as con:
        con.execute("CREATE TABLE notes (n INTEGER, body VARCHAR)")
        con.execute("INSERT INTO notes VALUES (1, 'before')")
    fill(tiny_disk, 64_000)
    with pytest.raises(WarehouseDiskFull) as caught, write_transaction(db) as con:
        con.execute("INSERT INTO notes SELECT range, repeat('x', 1000) FROM range(2, 5000)")
    message = str(caught.value)
    assert message.startswith("disk full:") and str(db) in message
    assert str(tiny_disk) in message  # the folder whose disk is full
    assert caught.value.transient is False  # a stage never retries it
    verdict = verdict_for(caught.value)
    assert verdict.code == EXIT_DISK_FULL and verdict.line.startswith("disk full:")
    (tiny_disk / "filler").unlink()
    with closing(duckdb.connect(str(db), read_only=True)) as con:
        assert con.execute("SELECT * FROM notes").fetchall() == [(1, "before")]


@pytest.mark.prefect
def test_a_full_disk_under_run_is_one_line_after_prefect_s_own_lines(prefect_harness, tiny_disk,
                                                                     tmp_path):
    """The same class reaches the command line: one line, exit code 5, no traceback."""
    fill(tiny_disk, 0)
    result = CliRunner().invoke(main, ["run", "--db", str(tiny_disk / "new.duckdb")],
                                env={"WIREWATCH_OUTLETS_FILE": str(_outlets(tmp_path))})
    lines = result.output.splitlines()
    assert result.exit_code == EXIT_DISK_FULL, result.output
    assert lines[-1].startswith("error: disk full") and "Traceback" not in result.output
    assert str(tiny_disk) in lines[-1]  # names where


def _outlets(folder: Path) -> Path:
    path = folder / "outlets.toml"
    path.write_text('[[outlets]]\nid = "d"\nname = "D"\nhomepage = "https://d.example"\n'
                    'language = "es"\ncountry = "MX"\nkind = "outlet"\n'
                    'feeds = ["https://d.example/rss"]\n', encoding="utf-8")
    return path


# --- the demo's summary names what failed -------------------------------------------------------


def test_the_demo_summary_names_each_failed_or_partial_feed(tmp_path, capsys):
    from types import SimpleNamespace

    from flows.demo_run import print_demo_summary

    db = tmp_path / "w.duckdb"
    with write_transaction(db) as con:
        con.execute("INSERT INTO outlets (outlet_id, name, language, kind, updated_at) "
                    "VALUES ('norte', 'Noticias del Norte', 'es', 'outlet', now())")
        con.execute("INSERT INTO feeds (feed_url, outlet_id, last_status, last_error, "
                    "interval_seconds) VALUES "
                    "('http://127.0.0.1:1/rss/ultima-hora.xml', 'norte', 'partial', "
                    "'malformed', 900),"
                    "('http://127.0.0.1:1/rss/main.xml', 'norte', 'ok', NULL, 900)")
    summary = SimpleNamespace(run_id="r1", counts={"items_new": 0})
    print_demo_summary(db, summary)
    out = capsys.readouterr().out
    assert "feed partial: http://127.0.0.1:1/rss/ultima-hora.xml" in out
    assert "main.xml" not in out


# --- `wirewatch stories` at 80 columns -----------------------------------------------------------


def test_stories_keep_titles_readable_in_an_80_column_terminal(tmp_path):
    from datetime import UTC, datetime

    from alert_warehouse import Newsroom

    at = datetime(2026, 1, 12, 14, 30, tzinfo=UTC)
    room = Newsroom(tmp_path / "w.duckdb")
    title = "Officers find 800 pounds of fentanyl pills hidden in tomato load at Nogales"
    room.outlet("ledger", "The Border Ledger", "en", at)
    room.article("a1", "ledger", title, "en", at)
    room.story("st_1", "a1", title, at)
    result = CliRunner().invoke(main, ["stories", "--db", str(room.path), "--limit", "5"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    first = next(line for line in lines if "Officers" in line)
    assert "Officers find 800 pounds" in first  # not one word per line
    wide = CliRunner().invoke(main, ["stories", "--db", str(room.path), "--wide"],
                              env={"COLUMNS": "80"})
    assert "st_1" in wide.output
