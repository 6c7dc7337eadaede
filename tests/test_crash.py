"""SIGKILL at random points of a cycle, then the next cycle: nothing lost, nothing doubled.

Each trial runs a real cycle (`run_cycle` inside a Prefect flow, tests/crash_driver.py) in a
subprocess against the demo site at its final phase, kills it with SIGKILL at a chosen point
(a random delay into a stage, or a named seam inside a transaction or right after an alert
was acknowledged), then runs the next cycle to completion (in the test process: the killed
one is gone). Half the trials start from an empty warehouse, half from one that already
holds the demo's first phase (their next cycle is forced: its feeds are not due for minutes).

The recovered warehouse is compared with an uninterrupted run from the same start.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.demo import DemoSite
from flows.demo.inbox import AlertInbox

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

DRIVER = Path(__file__).with_name("crash_driver.py")
TRIALS = 20
SEED = 20260106
# (kill point, start from the phase-1 warehouse?). Alert kills start empty: phase 3 on an
# empty warehouse certainly raises alerts.
TRIAL_PLAN = (
    ("stage:plan", False), ("stage:poll", True), ("stage:discover", False),
    ("discover-written", True), ("stage:fetch", False), ("stage:fetch", True),
    ("stage:extract", False), ("extract-pool", True), ("stage:extract", False),
    ("load-saved", True), ("load-stories", False), ("load-enqueued", True),
    ("load-enqueued", False), ("stage:load", True), ("alert-sent", False),
    ("stage:deliver", True), ("alert-sent", False), ("stage:publish", True),
    ("alert-sent", False), ("stage:load", False),
)
DOCUMENTED_STATES = {"extracted", "failed", "skipped"}
ALERT_LEASE = timedelta(minutes=15)  # docs/alerts.md: a 'sending' claim older than this is resent


@dataclass(frozen=True)
class Outcome:
    db: Path
    inbox_messages: list[dict]
    killed: bool


@dataclass
class Rig:
    site: DemoSite
    api_url: str
    work: Path
    outlets: Path
    base_db: Path  # a warehouse holding the demo's phase 1, delivered
    orphans: dict[str, int] = field(default_factory=dict)  # processes left by a dead cycle
    pool_started: dict[str, bool] = field(default_factory=dict)  # extraction pool was up

    def overrides(self, db: Path, workers: int) -> dict:
        return {"db_path": str(db), "outlets_file": str(self.outlets),
                "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                "per_host_concurrency": 8, "lock_timeout_s": 20.0, "extract_workers": workers}

    def run(self, db: Path, inbox: AlertInbox, kill: dict | None, *, force: bool,
            workers: int = 1) -> tuple[int, str]:
        """One cycle in a subprocess; returns its exit code and progress log."""
        progress = db.with_suffix(".progress")
        progress.unlink(missing_ok=True)
        job = db.with_suffix(".job.json")
        job.write_text(json.dumps({"overrides": self.overrides(db, workers), "force": force,
                                   "progress": str(progress), "kill": kill}), encoding="utf-8")
        env = {**os.environ, "PREFECT_API_URL": self.api_url,
               "WIREWATCH_ALERT_URLS": inbox.apprise_url}
        stderr = db.with_suffix(".stderr")
        # Output goes to a file, not a pipe: orphaned extraction workers of a killed cycle
        # would hold a pipe open.
        with stderr.open("w") as err:
            proc = subprocess.Popen([sys.executable, str(DRIVER), str(job)], env=env,
                                    start_new_session=True, stdout=subprocess.DEVNULL,
                                    stderr=err)
            try:
                proc.wait(timeout=120)
                self.orphans[str(db)] = self.orphans.get(str(db), 0) + _survivors(proc.pid)
            finally:
                _reap_group(proc)
        log = progress.read_text(encoding="utf-8") if progress.exists() else ""
        if proc.returncode not in (0, -signal.SIGKILL):
            tail = stderr.read_text(encoding="utf-8")[-3000:]
            raise AssertionError(f"cycle failed ({proc.returncode}): {log}\n{tail}")
        return proc.returncode, log

    def trial(self, name: str, start_from_base: bool, kill: dict | None) -> Outcome:
        db = self.work / name / "w.duckdb"
        db.parent.mkdir()
        if start_from_base:
            shutil.copy(self.base_db, db)
        with AlertInbox() as inbox:
            # The interrupted cycle is forced (a phase-1 warehouse has no feed due yet); the
            # recovery is an ordinary scheduled cycle. Extraction runs in a process pool only
            # where the kill may land in it: a pool costs seconds to start on two cores.
            workers = 2 if kill and "extract" in kill["point"] else 1
            code, log = self.run(db, inbox, kill, force=True, workers=workers)
            killed = code == -signal.SIGKILL
            self.pool_started[str(db)] = "pool-ready" in log
            if kill is not None:
                # A named seam always fires; a timer may outlast a short last stage.
                assert killed or kill["point"].startswith("stage:"), f"{name}: {kill}: {log}"
                # Feeds of a phase-1 warehouse are not due again for minutes; the cycle that
                # finds what the killed one did not commit is the next one they are due in.
                recover(self.overrides(db, 1), inbox, force=start_from_base)
            else:
                assert code == 0 and "\ndone " in "\n" + log, f"{name}: {log}"
            deliver_expired_claims(db, inbox)
            return Outcome(db, inbox.messages, killed)


def _survivors(pgid: int, grace_s: float = 10.0) -> int:
    """Processes of the cycle's group still alive `grace_s` after the cycle process ended."""
    deadline = time.monotonic() + grace_s
    while True:
        alive = [pid for pid in _group_members(pgid) if pid != pgid]
        if not alive or time.monotonic() >= deadline:
            return len(alive)
        time.sleep(0.2)


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
                fields = stat.rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    members.append(int(entry))
    return members


def _reap_group(proc: subprocess.Popen) -> None:
    """Extraction workers of a killed cycle exit on their own; make sure none outlives it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the driver's own group (start_new_session)
    if proc.poll() is None:
        proc.wait(timeout=10)


@contextlib.contextmanager
def alert_urls(url: str) -> Iterator[None]:
    before = os.environ.get("WIREWATCH_ALERT_URLS")
    os.environ["WIREWATCH_ALERT_URLS"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("WIREWATCH_ALERT_URLS", None)
        else:
            os.environ["WIREWATCH_ALERT_URLS"] = before


def recover(overrides: dict, inbox: AlertInbox, *, force: bool) -> None:
    """The next cycle, run to completion in this (already warm) process: a new process is
    not needed once the killed one is gone, and importing the pipeline costs seconds."""
    from prefect import flow

    from flows.ingest import run_cycle
    from flows.settings import load_settings

    @flow(name="crash-recovery")
    def next_cycle() -> str:
        return run_cycle(load_settings(overrides=overrides), force=force).status

    with alert_urls(inbox.apprise_url):
        assert next_cycle() == "ok"


def deliver_expired_claims(db: Path, inbox: AlertInbox) -> None:
    """What a cycle after the lease would do: resend rows a killed run left 'sending'."""
    from flows.alert_delivery import deliver_after_cycle
    from flows.configured_lists import load_rules_for
    from flows.settings import load_settings

    settings = load_settings(overrides={"db_path": str(db)})
    later = datetime.now(UTC) + ALERT_LEASE + timedelta(minutes=1)
    with alert_urls(inbox.apprise_url):
        deliver_after_cycle(settings, load_rules_for(settings), later)


def q(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def article_states(db: Path) -> set[tuple[str, str]]:
    return set(q(db, "SELECT canonical_url, status FROM articles"))


def story_partition(db: Path) -> set[frozenset[str]]:
    rows = q(db, "SELECT s.story_id, a.canonical_url FROM syndication s "
                 "JOIN articles a USING (article_id)")
    groups: dict[str, set[str]] = {}
    for story_id, url in rows:
        groups.setdefault(story_id, set()).add(url)
    return {frozenset(members) for members in groups.values()}


def alerted_stories(db: Path) -> set[frozenset[str]]:
    by_story = q(db, "SELECT al.alert_id, list(a.canonical_url) FROM alerts al "
                     "JOIN syndication s USING (story_id) JOIN articles a USING (article_id) "
                     "GROUP BY al.alert_id")
    return {frozenset(urls) for _, urls in by_story}


@pytest.fixture(scope="module")
def rig(prefect_harness, tmp_path_factory) -> Iterator[Rig]:
    from prefect.settings import PREFECT_API_URL

    work = tmp_path_factory.mktemp("crash")
    with DemoSite(phase=1) as site:
        outlets = work / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        rig = Rig(site, str(PREFECT_API_URL.value()), work, outlets, work / "base.duckdb")
        with AlertInbox() as inbox:
            code, log = rig.run(rig.base_db, inbox, None, force=True)
            assert code == 0, log
        site.set_phase(3)
        yield rig


@pytest.fixture(scope="module")
def trials(rig) -> Iterator[dict]:
    rng = random.Random(SEED)
    references = {False: rig.trial("ref-fresh", False, None),
                  True: rig.trial("ref-base", True, None)}
    results = []
    for n, (point, from_base) in enumerate(TRIAL_PLAN[:TRIALS]):
        kill = {"point": point, "delay_s": round(rng.uniform(0.0, 1.2), 3)}
        results.append((kill, from_base, rig.trial(f"t{n:02d}", from_base, kill)))
    yield {"references": references, "results": results}


def test_every_feed_item_is_in_the_warehouse_exactly_once(trials):
    for kill, from_base, out in trials["results"]:
        ref = trials["references"][from_base]
        counts = q(out.db, "SELECT count(*), count(DISTINCT canonical_url), "
                           "count(DISTINCT article_id) FROM articles")[0]
        assert counts[0] == counts[1] == counts[2], (kill, counts)
        assert article_states(out.db) == article_states(ref.db), kill


def test_no_article_is_half_written(trials):
    for kill, _, out in trials["results"]:
        states = {s for (s,) in q(out.db, "SELECT DISTINCT status FROM articles")}
        assert states <= DOCUMENTED_STATES, (kill, states)
        half = q(out.db, "SELECT count(*) FROM articles WHERE status = 'extracted' AND "
                         "(text IS NULL OR text = '' OR content_hash IS NULL "
                         "OR fetched_at IS NULL)")
        assert half == [(0,)], kill
        unexplained = q(out.db, "SELECT count(*) FROM articles WHERE status <> 'extracted' "
                                "AND reason IS NULL")
        assert unexplained == [(0,)], kill
        orphans = q(out.db, "SELECT count(*) FROM articles a WHERE status = 'extracted' AND "
                            "NOT EXISTS (SELECT 1 FROM syndication s "
                            "WHERE s.article_id = a.article_id)")
        assert orphans == [(0,)], kill


def test_no_story_is_split_or_merged_by_a_crash(trials):
    for kill, from_base, out in trials["results"]:
        ref = trials["references"][from_base]
        assert story_partition(out.db) == story_partition(ref.db), kill
        one_story_each = q(out.db, "SELECT count(*) FROM (SELECT article_id FROM syndication "
                                   "GROUP BY article_id HAVING count(*) > 1)")
        assert one_story_each == [(0,)], kill


def test_the_uninterrupted_runs_keep_each_demo_story_together(trials, rig):
    from extractors.urls import canonicalize_url
    from flows.demo import expected_demo_facts

    facts = expected_demo_facts(3)
    for ref in trials["references"].values():
        partition = story_partition(ref.db)
        for story, keys in facts.stories().items():
            urls = {canonicalize_url(rig.site.url_for(facts.page(k).outlet_id,
                                                      facts.page(k).path)) for k in keys}
            holding = [group for group in partition if group & urls]
            assert len(holding) == 1 and urls <= holding[0], story


def test_alerts_are_delivered_at_least_once_and_repeats_carry_the_same_key(trials):
    for kill, from_base, out in trials["results"]:
        ref = trials["references"][from_base]
        assert alerted_stories(out.db) == alerted_stories(ref.db), kill
        statuses = {s for (s,) in q(out.db, "SELECT DISTINCT status FROM alerts")}
        assert statuses == {"delivered"}, (kill, statuses)
        once = q(out.db, "SELECT count(*) = count(DISTINCT (rule_name, story_id)) FROM alerts")
        assert once == [(True,)], kill
        already = set()
        if from_base:
            already = {a for (a,) in q(rig_base_db(ref), "SELECT alert_id FROM alerts")}
        expected = {a for (a,) in q(out.db, "SELECT alert_id FROM alerts")} - already
        keys = [m.get("idempotency_key") for m in out.inbox_messages]
        assert None not in keys, kill
        assert set(keys) == expected, kill
        # A repeat is possible only when the kill fell between a send and its record.
        if len(keys) != len(set(keys)):
            assert kill["point"] in {"alert-sent", "stage:deliver"}, kill


def rig_base_db(ref: Outcome) -> Path:
    return ref.db.parent.parent / "base.duckdb"


def test_a_killed_cycle_leaves_no_process_behind(trials, rig):
    """Extraction workers and their fork server end when the cycle that owns them dies.

    Known gap (docs/robustness.md): a kill while the pool is still starting can leave the
    fork server and a half-started worker behind; those trials are excluded here.
    """
    in_pool = [o for k, _, o in trials["results"] if k["point"] == "extract-pool"]
    assert in_pool and all(o.killed for o in in_pool)
    started = {db for db, up in rig.pool_started.items() if up}
    leftovers = {db: n for db, n in rig.orphans.items()
                 if n and (db in started or not _extract_kill(trials, db))}
    assert leftovers == {}


def _extract_kill(trials: dict, db: str) -> bool:
    return any(str(o.db) == db and "extract" in k["point"] for k, _, o in trials["results"])


def test_the_killed_cycles_really_died_at_their_points(trials):
    """Guards the test itself: a kill that never fired would prove nothing."""
    seams = [k["point"] for k, _, o in trials["results"] if not k["point"].startswith("stage:")]
    assert len(seams) >= 8
    assert sum(o.killed for _, _, o in trials["results"]) >= TRIALS - 3
    for kill, _, out in trials["results"]:
        runs = q(out.db, "SELECT status, finished_at IS NULL FROM runs ORDER BY started_at")
        assert runs[-1] == ("ok", False), kill
        # A run killed before its load is marked interrupted by the next cycle.
        assert all(r in {("ok", False), ("interrupted", False)} for r in runs), (kill, runs)
