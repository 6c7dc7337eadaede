"""`wirewatch evaluate provenance`: the staged-release acceptance suite, scored.

Fictional outlets (flows/evaluate/data/provenance) are served by real HTTP servers, each on its
own loopback address; their feeds release the labelled articles over six cycles of the real
`ingest` flow, into a fresh warehouse, with alerts delivered to a local webhook receiver.
Copies arrive before their originals, copies declare cross-site rel=canonicals, one outlet
is a configured wire (`kind = "wire"`), independent coverage in the other language arrives
late, and the wire's own article arrives last and bridges two stories. The labels say which
articles are copies of which and which report the same event; the report compares them with
what the warehouse holds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path

import duckdb

from extractors.urls import canonicalize_url
from flows.evaluate import metrics
from flows.evaluate.provenance_site import StagedSite, SuiteArticle, load_suite
from warehouse.evaluation_queries import alert_stories, landed_articles, merged_story_count

CYCLES = 6
ALERT_ENV = "WIREWATCH_PROVENANCE_ALERT_URLS"
# A trending rule: a story carried by two outlets. Every labelled event reaches two outlets,
# so each must be alerted exactly once; a story seen at one outlet only (the two halves of
# the bridged event, before the bridge) is not announced early.
CONFIG = """
[[rules]]
name = "provenance-trending"
min_outlets = {min_outlets}
languages = ["en", "es"]
destinations_env = ["{env}"]
"""
COPY_METHODS = ("exact", "near_duplicate", "translation", "canonical_link", "credit_only")


@dataclass(slots=True)
class ProvenanceReport:
    items: int = 0
    items_once: int = 0
    lost: list[str] = field(default_factory=list)
    copy_precision: float = 0.0
    copy_recall: float = 0.0
    copy_f1: float = 0.0
    event_precision: float = 0.0
    event_recall: float = 0.0
    event_f1: float = 0.0
    false_merges: list[str] = field(default_factory=list)
    agency_correct: int = 0
    agency_total: int = 0
    agency_errors: list[str] = field(default_factory=list)
    alerts_per_event: dict[str, int] = field(default_factory=dict)
    alerts_received: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    method_errors: list[str] = field(default_factory=list)
    stories_merged: int = 0

    @property
    def agency_accuracy(self) -> float:
        return metrics.ratio(self.agency_correct, self.agency_total, empty=1.0)

    @property
    def one_alert_per_event(self) -> bool:
        return bool(self.alerts_per_event) and set(self.alerts_per_event.values()) == {1}

    def as_dict(self) -> dict:
        return {**asdict(self), "agency_accuracy": self.agency_accuracy,
                "one_alert_per_event": self.one_alert_per_event}


def run_suite(workdir: Path, data_dir: Path | None = None, min_outlets: int = 2
              ) -> ProvenanceReport:
    """Serve the suite, run CYCLES real ingest flow runs against it, and score the result.

    `min_outlets` is the alert rule's reach; 1 shows what a rule alerting every story would
    have sent for events whose stories merged only after each was alerted."""
    from flows.demo.inbox import AlertInbox
    from flows.ingest import ingest

    outlets, articles = load_suite(data_dir) if data_dir else load_suite()
    db = workdir / "wirewatch.duckdb"
    config = workdir / "wirewatch.toml"
    config.write_text(CONFIG.format(min_outlets=min_outlets, env=ALERT_ENV), encoding="utf-8")
    with StagedSite(outlets, articles) as site, AlertInbox() as inbox:
        (workdir / "outlets.toml").write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": str(db), "outlets_file": str(workdir / "outlets.toml"),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8, "publish_analyst_copy": False}
        previous = os.environ.get(ALERT_ENV)
        os.environ[ALERT_ENV] = inbox.apprise_url
        try:
            for stage in range(1, CYCLES + 1):
                site.release(stage)
                ingest(config_path=str(config), overrides=overrides, force=True)
        finally:
            if previous is None:
                os.environ.pop(ALERT_ENV, None)
            else:
                os.environ[ALERT_ENV] = previous
        keys = {canonicalize_url(site.url_for(a.key)): a.key for a in articles}
        messages = inbox.messages
    con = duckdb.connect(str(db), read_only=True)
    try:
        return score(con, articles, keys, messages)
    finally:
        con.close()


def evaluate() -> ProvenanceReport:
    with tempfile.TemporaryDirectory(prefix="wirewatch-provenance-") as tmp:
        return run_suite(Path(tmp))


def score(con: duckdb.DuckDBPyConnection, articles: list[SuiteArticle],
          keys: dict[str, str], messages: list[dict]) -> ProvenanceReport:
    """Compare the warehouse with the labels."""
    report = ProvenanceReport(items=len(articles))
    rows = landed_articles(con)
    per_key: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        if row[0] in keys:
            per_key[keys[row[0]]].append(row)
    labels = {a.key: a for a in articles}
    for a in articles:
        found = per_key.get(a.key, [])
        if len(found) == 1 and found[0][2] == "extracted":
            report.items_once += 1
        else:
            report.lost.append(f"{a.key}: {[(r[2], r[5]) for r in found]}")
    landed = {key: found[0] for key, found in per_key.items() if len(found) == 1}
    by_article = {row[1]: key for key, row in landed.items()}
    _score_copies(report, labels, landed, by_article)
    _score_events(report, labels, landed)
    _score_agencies(report, labels, landed)
    _score_alerts(report, con, labels, landed, messages)
    report.stories_merged = merged_story_count(con)
    return report


def _pairwise(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key, label in labels.items():
            groups[label].append(key)
        return {(min(p), max(p)) for members in groups.values()
                for p in combinations(members, 2)}

    gold_pairs, predicted_pairs = pairs(gold), pairs(predicted)
    true = len(gold_pairs & predicted_pairs)
    precision = metrics.ratio(true, len(predicted_pairs), empty=1.0)
    recall = metrics.ratio(true, len(gold_pairs), empty=1.0)
    return precision, recall, metrics.f1(precision, recall)


def _score_copies(report: ProvenanceReport, labels: dict[str, SuiteArticle],
                  landed: dict[str, tuple], by_article: dict[str, str]) -> None:
    """Copy groups are the connected components of the provenance edges (copy -> source)."""
    parent = {key: key for key in labels}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    methods: Counter[str] = Counter()
    for key, row in landed.items():
        source, method = row[4], row[5]
        methods[method or "unassigned"] += 1
        if method == "same_event" and source is not None:
            report.method_errors.append(f"{key}: same_event with a source")
        if method in COPY_METHODS and source in by_article:
            parent[root(key)] = root(by_article[source])
    report.methods = dict(methods)
    predicted = {key: root(key) for key in labels}
    gold = {key: a.copy_group for key, a in labels.items()}
    report.copy_precision, report.copy_recall, report.copy_f1 = _pairwise(gold, predicted)


def _score_events(report: ProvenanceReport, labels: dict[str, SuiteArticle],
                  landed: dict[str, tuple]) -> None:
    predicted = {key: (landed[key][3] if key in landed and landed[key][3] else f"none:{key}")
                 for key in labels}
    gold = {key: a.event for key, a in labels.items()}
    report.event_precision, report.event_recall, report.event_f1 = _pairwise(gold, predicted)
    events_per_story: dict[str, set[str]] = defaultdict(set)
    for key, story in predicted.items():
        events_per_story[story].add(gold[key])
    report.false_merges = sorted(" + ".join(sorted(e)) for e in events_per_story.values()
                                 if len(e) > 1)


def _score_agencies(report: ProvenanceReport, labels: dict[str, SuiteArticle],
                    landed: dict[str, tuple]) -> None:
    for key, a in labels.items():
        if not a.credited:
            continue
        report.agency_total += 1
        got = landed[key][6] if key in landed else None
        if got == a.credited:
            report.agency_correct += 1
        else:
            report.agency_errors.append(f"{key}: expected {a.credited}, got {got}")


def _score_alerts(report: ProvenanceReport, con: duckdb.DuckDBPyConnection,
                  labels: dict[str, SuiteArticle], landed: dict[str, tuple],
                  messages: list[dict]) -> None:
    """Each message received names its alert (idempotency key); its story, followed through
    any merge, names the event."""
    story_of_alert = alert_stories(con)
    events_of_story: dict[str, Counter[str]] = defaultdict(Counter)
    for key, row in landed.items():
        if row[3]:
            events_of_story[row[3]][labels[key].event] += 1
    report.alerts_received = len(messages)
    per_event = Counter({a.event: 0 for a in labels.values()})
    for message in messages:
        story = story_of_alert.get(str(message.get("idempotency_key")))
        events = events_of_story.get(story or "")
        per_event[events.most_common(1)[0][0] if events else f"unknown:{story}"] += 1
    report.alerts_per_event = dict(sorted(per_event.items()))


def format_report(report: ProvenanceReport) -> str:
    """A plain-text table of the figures."""
    lines = [
        ("feed items landed exactly once", f"{report.items_once}/{report.items}"),
        ("copy groups (provenance edges): P / R / F1",
         f"{report.copy_precision:.3f} / {report.copy_recall:.3f} / {report.copy_f1:.3f}"),
        ("event stories: P / R / F1",
         f"{report.event_precision:.3f} / {report.event_recall:.3f} / {report.event_f1:.3f}"),
        ("false merges (stories mixing events)", str(len(report.false_merges))),
        ("credited agency right", f"{report.agency_accuracy:.3f} "
                                  f"({report.agency_correct}/{report.agency_total})"),
        ("alerts received / events", f"{report.alerts_received} / "
                                     f"{len(report.alerts_per_event)}"),
        ("exactly one alert per event", "yes" if report.one_alert_per_event else "no"),
        ("stories merged across cycles", str(report.stories_merged)),
        ("methods", ", ".join(f"{k} {v}" for k, v in sorted(report.methods.items()))),
    ]
    out = metrics.metric_table(lines)
    out += [f"lost: {d}" for d in report.lost]
    out += [f"false merge: {d}" for d in report.false_merges]
    out += [f"agency error: {d}" for d in report.agency_errors]
    out += [f"method error: {d}" for d in report.method_errors]
    out += [f"alerts for {e}: {n}" for e, n in report.alerts_per_event.items() if n != 1]
    return "\n".join(out)


def format_json(report: ProvenanceReport) -> str:
    return json.dumps(report.as_dict(), sort_keys=True)


if __name__ == "__main__":
    print(format_report(evaluate()))
