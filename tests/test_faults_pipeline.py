"""Faults at the level of a whole cycle: hostile feeds and pages, a busy warehouse, a full disk
and an alert destination that is down.

One journey of three real Prefect flow runs covers every feed and page fault at once (the
cheap way to prove that one bad outlet never costs the others anything):

1. forced cycle: every feed polled, every page fetched once;
2. unforced cycle: no feed is due (failing ones are backed off), transient page failures are
   fetched a second time;
3. forced cycle: failing feeds fail again and back off further; pages that have used their
   `max_fetch_attempts` (2 here) are not fetched again.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from faultserver import FaultHandler, FaultServer, running_fault_server, send

from extractors.urls import canonicalize_url

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

MAX_ATTEMPTS = 2
HUGE_FEED_ITEMS = 10_000
FEED_ITEM_CAP = 5000  # extractors.feeds.parse_feed's max_items
DISK_FULL_LIMIT = 64 * 1024  # bytes any one file may grow to in the "full disk" cycle


# --- hostile feeds -------------------------------------------------------------------------


def _rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (f'{prolog}<rss version="2.0"><channel><title>Fault feed</title>'
            f"<link>http://127.0.0.1/</link>{items}</channel></rss>")


def _item(link: str, title: str = "A headline", guid: str | None = None,
          date: str | None = "Mon, 06 Jan 2025 10:00:00 GMT", summary: str | None = None) -> str:
    parts = [f"<title>{title}</title>", f"<link>{link}</link>"]
    parts += [f"<guid>{guid}</guid>"] if guid else []
    parts += [f"<pubDate>{date}</pubDate>"] if date else []
    parts += [f"<description>{summary}</description>"] if summary else []
    return "<item>" + "".join(parts) + "</item>"


def _good_page(n: int) -> bytes:
    words = " ".join(f"word{n}x{i}" for i in range(60))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Good report {n}</title></head><body><nav>Home | World</nav><article>"
            f"<h1>Good report {n}</h1><p>Report number {n} begins here. {words}.</p>"
            f"<p>The second paragraph of report {n} adds more detail for readers. {words}.</p>"
            f"</article><footer>Contact</footer></body></html>").encode()


BOMB_DOCTYPE = ('<!DOCTYPE rss [<!ENTITY lol "lol">'
                '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
                '<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')

RETRY_AFTER_PAGE_S = 1.1  # just over the Retry-After of /st/429/1

# Pages listed by the "faulty pages" feed: path -> (expected code prefix, transient?)
PAGE_FAULTS = {
    "/st/404/-": ("http_status", False),
    "/st/410/-": ("http_status", False),
    "/st/429/-": ("http_status", True),
    "/st/429/1": ("http_status", True),
    "/st/500/-": ("http_status", True),
    "/st/503/-": ("http_status", True),
    "/reset": (("reset", "protocol", "transport"), True),
    "/slow": ("timeout", True),
    "/endless": ("too_large", False),
    "/gzip-bomb": ("too_large", False),
    "/loop/a": ("redirect_loop", False),
    "/to/ten": ("blocked_address", False),
    "/to/metadata": ("blocked_address", False),
    "/pdf": ("content_type", False),
    "/png": ("content_type", False),
}


def status_with_retry_after(handler: FaultHandler) -> None:
    """/st/<code>/<retry-after seconds or ->: a status page, distinct paths per case."""
    _, _, code, retry_after = handler.path_only.split("/")
    headers = {} if retry_after == "-" else {"Retry-After": retry_after}
    send(handler, int(code), f"status {code}".encode(), "text/plain", headers)


def feed_routes(secret_file: Path) -> dict:
    def body(text: str, encoding: str = "utf-8", ctype: str = "application/rss+xml"):
        def handler(h: FaultHandler) -> None:
            send(h, 200, text.encode(encoding), ctype)
        return handler

    huge = "".join(_item(f"/private/{n}", f"Item {n}", guid=f"g{n}")
                   for n in range(HUGE_FEED_ITEMS))
    good = "".join(_item(f"/good/{n}", f"Good report {n}") for n in range(1, 4))
    pages = _item("/article", "The one good page")
    pages += "".join(_item(path, f"Fault {path}", guid=path) for path in PAGE_FAULTS)
    pages += _item("/no-article", "A section front", summary="The summary the feed gave.")
    spanish = _item("/good/7", "Se\u00f1or Pe\u00f1a habla")
    return {
        "/st/": status_with_retry_after,
        "/good/": lambda h: send(h, 200, _good_page(int(h.path_only.rsplit("/", 1)[-1]))),
        "/feeds/good.xml": body(_rss(good)),
        "/feeds/pages.xml": body(_rss(pages)),
        "/feeds/malformed.xml": body(_rss(_item("/good/4", "Recovered")
                                         + "<item><title>broken & <b></item>")),
        "/feeds/html.xml": body("<!doctype html><html><body><p>Not a feed</p></body></html>",
                                ctype="text/html"),
        "/feeds/empty.xml": body(""),
        "/feeds/wrong-encoding.xml": body(_rss(spanish), encoding="latin-1"),
        "/feeds/no-encoding.xml": body(_rss(_item("/good/8", "Se\u00f1ora Mu\u00f1oz"),
                                            prolog='<?xml version="1.0"?>'),
                                       encoding="latin-1", ctype="application/xml"),
        "/feeds/bomb.xml": body(_rss(_item("/good/5", "&lol9;"),
                                     prolog='<?xml version="1.0"?>' + BOMB_DOCTYPE)),
        "/feeds/xxe.xml": body(_rss(_item("/good/6", "&xxe;", summary="&xxe;"),
                                    prolog='<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe '
                                    f'SYSTEM "file://{secret_file}">]>')),
        "/feeds/huge.xml": body(_rss(huge)),
        "/feeds/dups.xml": body(_rss(_item("/good/9", "First", guid="same")
                                     + _item("/good/10", "Second", guid="same")
                                     + _item("/good/9", "First again", guid="other"))),
        "/feeds/dates.xml": body(_rss(_item("/good/11", "From the future",
                                            date="Mon, 06 Jan 2031 10:00:00 GMT")
                                      + _item("/good/12", "Undated", date=None))),
        "/feeds/gone.xml": lambda h: send(h, 502, b"bad gateway", "text/plain"),
    }


FEEDS = {  # outlet id -> feed paths
    "goodnews": ["/feeds/good.xml"],
    "faultypages": ["/feeds/pages.xml"],
    "brokenfeeds": ["/feeds/malformed.xml", "/feeds/html.xml", "/feeds/empty.xml",
                    "/feeds/bomb.xml", "/feeds/xxe.xml", "/feeds/gone.xml"],
    "oddfeeds": ["/feeds/wrong-encoding.xml", "/feeds/no-encoding.xml", "/feeds/dups.xml",
                 "/feeds/dates.xml"],
    "hugefeed": ["/feeds/huge.xml"],
}


def outlets_toml(server: FaultServer) -> str:
    blocks = []
    for outlet_id, paths in FEEDS.items():
        feeds = ", ".join(json.dumps(server.url(p)) for p in paths)
        blocks.append(f'[[outlets]]\nid = "{outlet_id}"\nname = "{outlet_id}"\n'
                      f'homepage = "{server.url("/")}"\nlanguage = "en"\ncountry = "US"\n'
                      f'kind = "outlet"\nfeeds = [{feeds}]\n')
    return "\n".join(blocks)


# --- the journey ---------------------------------------------------------------------------


@dataclass
class Journey:
    server: FaultServer
    db: str
    secret: str
    summaries: list[dict] = field(default_factory=list)
    hits: list[dict[str, int]] = field(default_factory=list)
    feeds_after: list[dict[str, tuple]] = field(default_factory=list)

    def q(self, sql: str, params: list | None = None) -> list[tuple]:
        return query(self.db, sql, params)

    def article(self, path: str) -> dict:
        rows = self.q("SELECT status, reason, retryable, attempts, text, extraction_method, "
                      "feed_title, published_at, title FROM articles WHERE canonical_url = ?",
                      [canonicalize_url(self.server.url(path))])
        assert len(rows) == 1, f"{path}: {rows}"
        keys = ["status", "reason", "retryable", "attempts", "text", "method", "feed_title",
                "published_at", "title"]
        return dict(zip(keys, rows[0], strict=True))

    def polls(self, path: str) -> list[tuple]:
        return self.q("SELECT status, error, warnings, items FROM feed_polls WHERE feed_url = ? "
                      "ORDER BY polled_at", [self.server.url(path)])


def query(db: str, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def base_overrides(db: Path, outlets: Path) -> dict:
    return {"db_path": str(db), "outlets_file": str(outlets),
            "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
            # The fault server's listen backlog is 5: a refused SYN is retried after 1 s, so
            # connecting gets more than that on a busy machine.
            "per_host_concurrency": 8, "connect_timeout_s": 2.5, "read_timeout_s": 1.0,
            "total_timeout_s": 3.0, "max_bytes": 2_000_000, "max_fetch_attempts": MAX_ATTEMPTS,
            "publish_analyst_copy": False, "lock_timeout_s": 10.0}


def _feed_rows(db: str) -> dict[str, tuple]:
    rows = query(db, "SELECT feed_url, last_status, consecutive_failures, "
                     "epoch(next_poll_at) - epoch(last_polled_at) FROM feeds")
    return {r[0]: r[1:] for r in rows}


def _fault_hits(server: FaultServer) -> dict[str, int]:
    paths = [*PAGE_FAULTS, "/article", "/no-article", "/good/1", "/private/0"]
    paths += [p for ps in FEEDS.values() for p in ps]
    return {p: server.hits(p) for p in paths}


@pytest.fixture(scope="module")
def journey(prefect_harness, tmp_path_factory) -> Iterator[Journey]:
    from flows.ingest import ingest

    work = tmp_path_factory.mktemp("faults")
    secret = f"SECRET-{uuid.uuid4().hex}"
    secret_file = work / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    with running_fault_server(feed_routes(secret_file)) as server:
        outlets = work / "outlets.toml"
        outlets.write_text(outlets_toml(server), encoding="utf-8")
        record = Journey(server, str(work / "w.duckdb"), secret)
        overrides = base_overrides(work / "w.duckdb", outlets)
        for force in (True, False, True):
            summary = ingest(overrides=overrides, force=force)
            record.summaries.append(summary.counts)
            record.hits.append(_fault_hits(server))
            record.feeds_after.append(_feed_rows(record.db))
            # /st/429/1 asks for a 1-second pause, honoured across cycles too: the next cycle
            # starts after it, so "retried next cycle" does not depend on how fast this was.
            time.sleep(RETRY_AFTER_PAGE_S)
        yield record


def _code_of(reason: str) -> str:
    # reasons are "fetch <code>: <message>"
    return reason.removeprefix("fetch ").split(":", 1)[0]


def test_every_page_fault_is_recorded_with_its_code_and_transience(journey):
    for path, (code, transient) in PAGE_FAULTS.items():
        row = journey.article(path)
        codes = code if isinstance(code, tuple) else (code,)
        assert row["status"] == "failed", (path, row)
        assert _code_of(row["reason"]) in codes, (path, row["reason"])
        assert row["retryable"] is transient, (path, row)
        assert row["text"] is None


def test_transient_page_failures_are_retried_until_max_attempts_terminal_never(journey):
    first, second, third = journey.hits
    for path, (_, transient) in PAGE_FAULTS.items():
        expected = MAX_ATTEMPTS if transient else 1
        # /loop/a and the redirects count their first hop only
        assert third[path] == expected, (path, first[path], second[path], third[path])
        assert journey.article(path)["attempts"] == expected, path
    # The unforced cycle requested exactly the transient failures, the third one no page.
    transient = {p for p, (_, t) in PAGE_FAULTS.items() if t}
    requested = {p for p in first if p.startswith("/") and second[p] > first[p]}
    assert requested == transient
    assert {p for p in second if third[p] > second[p]} <= {ps for v in FEEDS.values()
                                                           for ps in v}
    assert journey.summaries[2]["pages_fetched"] == 0


def test_good_pages_land_in_the_same_cycle_as_the_faults(journey):
    for path in ["/good/1", "/good/2", "/good/3"]:
        row = journey.article(path)
        assert row["status"] == "extracted" and row["method"] == "trafilatura", (path, row)
        assert len(row["text"]) > 100
    assert journey.summaries[0]["articles_extracted"] >= 10


def test_a_page_without_an_article_keeps_the_feed_summary_and_says_why(journey):
    row = journey.article("/no-article")
    assert row["status"] in {"extracted", "failed"}
    assert row["reason"]  # why the page itself gave nothing
    if row["status"] == "extracted":
        assert row["method"] == "feed_summary"
        assert row["text"] == "The summary the feed gave."


def test_broken_feeds_are_recorded_with_reasons(journey):
    malformed = journey.polls("/feeds/malformed.xml")[0]
    assert malformed[0] == "partial" and malformed[1].startswith("feed: malformed")
    assert journey.article("/good/4")["status"] == "extracted"  # the recovered item landed
    assert journey.polls("/feeds/html.xml")[0][:2] == ("failed", "feed: not a feed: html page")
    assert journey.polls("/feeds/empty.xml")[0][:2] == ("failed", "feed: empty body")
    gone = journey.polls("/feeds/gone.xml")[0]
    assert gone[0] == "failed" and gone[1].startswith("http_status")


def test_wrong_or_missing_encodings_are_detected_not_garbled(journey):
    assert journey.article("/good/7")["feed_title"] == "Se\u00f1or Pe\u00f1a habla"
    assert journey.article("/good/8")["feed_title"] == "Se\u00f1ora Mu\u00f1oz"
    for path in ["/feeds/wrong-encoding.xml", "/feeds/no-encoding.xml"]:
        status, _, warnings, _ = journey.polls(path)[0]
        assert status == "ok" and "encoding" in warnings


def test_entities_are_never_expanded_and_no_file_is_read(journey):
    bomb = journey.article("/good/5")
    assert "lollol" not in (bomb["feed_title"] or "")
    status, _, warnings, _ = journey.polls("/feeds/bomb.xml")[0]
    assert status == "partial" and "never expanded" in warnings
    xxe = journey.polls("/feeds/xxe.xml")[0]
    assert xxe[0] == "partial" and "never expanded" in xxe[2]
    assert journey.article("/good/6")["status"] == "extracted"
    assert journey.secret not in warehouse_text(journey.db)


def test_a_ten_thousand_item_feed_is_capped_with_a_warning_and_nothing_lost_silently(journey):
    status, _, warnings, items = journey.polls("/feeds/huge.xml")[0]
    assert status == "ok" and items == FEED_ITEM_CAP
    assert f"feed has {HUGE_FEED_ITEMS} items; kept the first {FEED_ITEM_CAP}" in warnings
    (count, skipped, reasons) = journey.q(
        "SELECT count(*), count(*) FILTER (WHERE status = 'skipped'), "
        "list(DISTINCT split_part(reason, ':', 1)) FROM articles WHERE outlet_id = 'hugefeed'")[0]
    assert count == skipped == FEED_ITEM_CAP
    assert reasons == ["fetch robots"]  # refused before any request for the pages
    assert journey.hits[-1]["/private/0"] == 0


def test_duplicate_guids_and_repeated_links_make_one_article(journey):
    assert journey.article("/good/9")["status"] == "extracted"
    assert journey.q("SELECT count(*) FROM articles WHERE canonical_url = ?",
                     [canonicalize_url(journey.server.url("/good/10"))]) == [(0,)]
    warnings = journey.polls("/feeds/dups.xml")[0][2]
    assert "duplicate GUID" in warnings


def test_future_and_missing_dates_never_become_a_future_publication_time(journey):
    future = journey.article("/good/11")
    undated = journey.article("/good/12")
    now = datetime.now(UTC)
    for row in (future, undated):
        assert row["status"] == "extracted"
        assert row["published_at"] is None or row["published_at"] <= now + timedelta(days=1)
    assert "implausible dates dropped" in journey.polls("/feeds/dates.xml")[0][2]


def test_failing_feeds_back_off_and_are_not_polled_before_they_are_due(journey):
    first, second, third = journey.hits
    gone = journey.server.url("/feeds/gone.xml")
    html = journey.server.url("/feeds/html.xml")
    assert first["/feeds/gone.xml"] == second["/feeds/gone.xml"] == 1  # not due in cycle 2
    assert journey.summaries[1]["feeds_polled"] == 0
    assert third["/feeds/gone.xml"] == 2
    for url in (gone, html):
        (_, failures_1, delay_1) = journey.feeds_after[0][url]
        (_, failures_3, delay_3) = journey.feeds_after[2][url]
        assert (failures_1, failures_3) == (1, 2)
        assert delay_3 > delay_1 * 1.5  # doubled, whatever the ±10 % jitter
    good = journey.feeds_after[2][journey.server.url("/feeds/good.xml")]
    assert good[1] == 0


def test_no_article_is_left_pending_and_every_state_is_documented(journey):
    states = {s for (s,) in journey.q("SELECT DISTINCT status FROM articles")}
    assert states <= {"extracted", "failed", "skipped"}
    assert journey.q("SELECT count(*) FROM articles WHERE status <> 'extracted' "
                     "AND reason IS NULL") == [(0,)]
    assert [s for (s,) in journey.q("SELECT status FROM runs ORDER BY started_at")] == ["ok"] * 3


def warehouse_text(db: str) -> str:
    """Every value of every table, as one string, to search for things that must not be there."""
    con = duckdb.connect(db, read_only=True)
    try:
        tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                             "WHERE table_type = 'BASE TABLE'").fetchall()
        return "\n".join(repr(con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall())
                         for s, t in tables)
    finally:
        con.close()


# --- the warehouse held by another process -------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])  # a read-write connection: DuckDB's one writer
    con.execute("SELECT count(*) FROM articles").fetchall()
    print("ready", flush=True)
    sys.stdin.read()  # hold until the test closes our stdin
""")


@contextmanager
def warehouse_held(db: Path) -> Iterator[subprocess.Popen]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield holder
    finally:
        release(holder)


def release(holder: subprocess.Popen) -> None:
    if holder.stdin and not holder.stdin.closed:
        holder.stdin.close()
    holder.wait(timeout=30)


@dataclass
class SmallSite:
    server: FaultServer
    work: Path
    overrides: dict

    @property
    def db(self) -> str:
        return self.overrides["db_path"]


@pytest.fixture
def small_site(prefect_harness, tmp_path) -> Iterator[SmallSite]:
    from flows.ingest import ingest

    with running_fault_server(feed_routes(tmp_path / "none")) as server:
        outlets = tmp_path / "outlets.toml"
        text = outlets_toml(server).split("\n\n")[0]  # the good outlet only
        outlets.write_text(text, encoding="utf-8")
        site = SmallSite(server, tmp_path, base_overrides(tmp_path / "w.duckdb", outlets))
        ingest(overrides=site.overrides, force=True)
        yield site


def test_a_held_warehouse_fails_the_cycle_with_a_transient_error_and_writes_nothing(small_site):
    from flows.ingest import ingest
    from warehouse.connection import WarehouseBusy

    runs_before = query(small_site.db, "SELECT count(*) FROM runs")
    polls_before = small_site.server.hits("/feeds/good.xml")
    overrides = {**small_site.overrides, "lock_timeout_s": 0.3}
    with warehouse_held(Path(small_site.db)), pytest.raises(WarehouseBusy) as caught:
        ingest(overrides=overrides, force=True)
    assert caught.value.transient is True
    assert "held by another process" in str(caught.value) and small_site.db in str(caught.value)
    # Planning comes first and could not start: nothing polled, no run half-recorded.
    assert small_site.server.hits("/feeds/good.xml") == polls_before
    assert query(small_site.db, "SELECT count(*) FROM runs") == runs_before


def test_a_cycle_waits_for_a_writer_that_finishes_within_the_lock_timeout(small_site):
    from flows.ingest import ingest

    overrides = {**small_site.overrides, "lock_timeout_s": 60.0}
    with warehouse_held(Path(small_site.db)) as holder:
        threading.Timer(1.0, release, args=(holder,)).start()
        summary = ingest(overrides=overrides, force=True)
    assert summary.status == "ok" and summary.counts["feeds_polled"] == 1
    assert query(small_site.db, "SELECT status FROM runs ORDER BY started_at") == [("ok",)] * 2


def test_a_page_retry_after_is_honoured_in_later_cycles_not_only_in_its_batch(small_site):
    from flows.ingest import ingest

    parked = "/st/503/3600"
    feed = _rss(_item("/good/1", "Good report 1") + _item(parked, "Parked for an hour"))
    small_site.server.add_route("/feeds/good.xml",
                                lambda h: send(h, 200, feed.encode(), "application/rss+xml"))
    before = datetime.now(UTC)
    ingest(overrides=small_site.overrides, force=True)
    row = query(small_site.db, "SELECT status, retryable, attempts, retry_not_before, reason "
                               "FROM articles WHERE canonical_url = ?",
                [canonicalize_url(small_site.server.url(parked))])[0]
    assert row[:3] == ("failed", True, 1) and "503" in row[4]
    assert before + timedelta(minutes=59) < row[3] < datetime.now(UTC) + timedelta(hours=1)
    assert small_site.server.hits(parked) == 1

    ingest(overrides=small_site.overrides, force=True)  # within the hour: not asked again
    assert small_site.server.hits(parked) == 1

    with duckdb.connect(small_site.db) as con:  # an hour later
        con.execute("UPDATE articles SET retry_not_before = retry_not_before - INTERVAL 1 HOUR")
    ingest(overrides=small_site.overrides, force=True)
    assert small_site.server.hits(parked) == 2
    assert query(small_site.db, "SELECT attempts FROM articles WHERE canonical_url = ?",
                 [canonicalize_url(small_site.server.url(parked))]) == [(2,)]


# --- a full disk -------------------------------------------------------------------------------


def run_driver(job: dict, work: Path, env: dict[str, str]) -> tuple[int, str]:
    progress = work / "progress.log"
    progress.unlink(missing_ok=True)
    job_file = work / "job.json"
    job_file.write_text(json.dumps({**job, "progress": str(progress)}), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("crash_driver.py")),
                           str(job_file)], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=180)
    return proc.returncode, progress.read_text(encoding="utf-8") if progress.exists() else ""


def test_a_full_disk_fails_the_cycle_clearly_and_the_next_one_completes(small_site):
    from prefect.settings import PREFECT_API_URL

    api = {"PREFECT_API_URL": str(PREFECT_API_URL.value())}
    db = Path(small_site.db)
    small_site.server.add_route("/feeds/good.xml", lambda h: send(h, 200, _rss("".join(
        _item(f"/good/{n}", f"Good report {n}") for n in range(20, 60))).encode(),
        "application/rss+xml"))
    limit = DISK_FULL_LIMIT
    code, log = run_driver({"overrides": small_site.overrides, "force": True,
                            "fsize_limit": limit}, small_site.work, api)
    assert code == 1, log
    error = log.splitlines()[-1]
    assert error.startswith("error ") and "File too large" in error, log
    code, log = run_driver({"overrides": small_site.overrides, "force": False},
                           small_site.work, api)
    assert code == 0, log
    rows = query(str(db), "SELECT status, count(*), count(DISTINCT canonical_url) "
                          "FROM articles GROUP BY status")
    assert rows == [("extracted", 43, 43)]
    assert query(str(db), "SELECT status FROM runs ORDER BY started_at")[-1] == ("ok",)


# --- an alert destination that is down ------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_alerts_wait_in_the_outbox_while_the_destination_is_down(prefect_harness, tmp_path,
                                                                  monkeypatch):
    from flows.alert_delivery import deliver_after_cycle
    from flows.configured_lists import load_rules_for
    from flows.demo import DemoSite
    from flows.demo.inbox import AlertInbox
    from flows.ingest import ingest
    from flows.settings import load_settings

    with DemoSite(phase=1) as site, AlertInbox() as inbox:
        outlets = tmp_path / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {**base_overrides(tmp_path / "w.duckdb", outlets), "total_timeout_s": 10.0}
        db = overrides["db_path"]
        monkeypatch.setenv("WIREWATCH_ALERT_URLS", f"json://127.0.0.1:{closed_port()}/down")
        first = ingest(overrides=overrides, force=True)
        assert first.status == "ok" and first.counts["alerts_enqueued"] > 0
        assert first.counts["alerts_failed"] == first.counts["alerts_enqueued"]
        failed = query(db, "SELECT alert_id, status, last_error FROM alerts")
        assert {s for _, s, _ in failed} == {"failed"} and all(e for _, _, e in failed)
        assert query(db, "SELECT bool_and(NOT ok), count(*) > 0 FROM alert_attempts") == [
            (True, True)]

        monkeypatch.setenv("WIREWATCH_ALERT_URLS", inbox.apprise_url)
        second = ingest(overrides=overrides, force=False)
        # Still inside the retry backoff (1 minute after the first failure): nothing re-sent.
        assert second.counts["alerts_delivered"] == 0 and inbox.messages == []

        settings = load_settings(overrides=overrides)
        later = datetime.now(UTC) + timedelta(minutes=2)
        stats = deliver_after_cycle(settings, load_rules_for(settings), later)
        assert stats.delivered == len(failed)
        keys = sorted(m["idempotency_key"] for m in inbox.messages)
        assert keys == sorted(a for a, _, _ in failed)
        assert {s for (s,) in query(db, "SELECT DISTINCT status FROM alerts")} == {"delivered"}
