"""What each command does, as plain functions the CLI calls (and tests can call too)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from flows.configured_lists import load_outlets_for
from flows.errors import ConfigError, UsageError, WirewatchError
from flows.files import write_atomically
from flows.render import print_result
from flows.settings import Settings, load_settings
from warehouse.adhoc import forbid_side_effects, run_query
from warehouse.connection import open_reader
from warehouse.overview import FeedState, feed_states, next_feed_due
from warehouse.target import WarehouseTarget

console = Console(stderr=True)


class SqlError(WirewatchError):
    """A query DuckDB refused (syntax, unknown table, or an attempt to write)."""


def settings_for(config_path: Path | None, db_path: Path | None, **overrides) -> Settings:
    if db_path is not None:
        overrides["db_path"] = db_path
    return load_settings(config_path, overrides=overrides)


def run_once(config_path: Path | None, db_path: Path | None, force: bool) -> None:
    from flows.ingest import ingest
    from flows.prefect_console import console_without_tracebacks
    from flows.preflight import check_configuration, wait_until_free
    from flows.serve import prefect_api

    settings = settings_for(config_path, db_path)
    check_configuration(settings)  # before Prefect: a bad setting is one line, exit code 3
    wait_until_free(settings)  # a held lock or warehouse: one line, exit code 4
    with console.status("running one ingest cycle (starting a local Prefect API if none is "
                        "set)"), prefect_api(log_path=server_log_path(settings),
                                             full_server=False), \
            console_without_tracebacks():
        summary = ingest(str(config_path) if config_path else None,
                         overrides=_overrides_of(settings), force=force)
    print_cycle_summary(summary)
    if not summary.counts.get("feeds_polled"):
        console.print(nothing_due_line(settings))


def server_log_path(settings: Settings) -> Path:
    """Where a local Prefect server started for this warehouse writes its output."""
    return settings.db_path.with_name(settings.db_path.stem + ".prefect-server.log")


def nothing_due_line(settings: Settings) -> str:
    """'nothing was due; next feed due at …' for a cycle that polled no feed."""
    with open_reader(settings.warehouse_target) as con:
        when = next_feed_due(con)
    if when is None:
        return "nothing was due: no feed is configured and enabled"
    return (f"nothing was due; next feed due at {when:%Y-%m-%d %H:%M:%S %Z} "
            "(--force polls every feed now)")


def _overrides_of(settings: Settings) -> dict:
    return {"db_path": str(settings.db_path)}


def print_cycle_summary(summary) -> None:
    rows = [(k, v) for k, v in summary.counts.items()]
    rows += [(f"seconds: {k}", f"{v:.2f}") for k, v in summary.stage_seconds.items()]
    print_result(["measure", "value"], rows, title=f"run {summary.run_id} → {summary.db_path}")


def serve(config_path: Path | None, db_path: Path | None, interval_s: float | None,
          demo_dir: Path | None = None) -> None:
    """Scheduled cycles on a local Prefect API; with `demo_dir`, against the demo outlets."""
    from flows.serve_command import serve_configured, serve_demo

    if interval_s is not None and not (math.isfinite(interval_s) and interval_s > 0):
        raise ConfigError(f"option --interval-seconds: {interval_s!r} is not valid: expected "
                          "a finite number > 0")
    if demo_dir is not None:
        serve_demo(demo_dir, interval_s)
    else:
        serve_configured(config_path, db_path, interval_s)


def run_demo(workdir: Path, fresh: bool) -> None:
    from flows.demo_run import run_demo as _run

    _run(workdir, fresh)


def list_feeds(config_path: Path | None, db_path: Path | None) -> None:
    """The configured feeds with their state; with --db, the feeds that warehouse follows."""
    settings = settings_for(config_path, db_path)
    target = _readable_target(settings, live=True)
    exists = target.is_lake or target.db_path.exists()
    state: dict[str, FeedState] = {}
    if exists:
        with open_reader(target) as con:
            state = {row.feed_url: row for row in feed_states(con)}
    if db_path is not None and exists:
        # An explicit warehouse: its own outlets (the demo's 8, not the packaged list).
        rows = [(r[7], r[8], r[9], r[0], *r[1:7]) for r in state.values()]
    else:
        rows = [(o.id, o.language, o.kind, url, *state.get(url, (None,) * 7)[1:7])
                for o in load_outlets_for(settings) for url in o.feeds]
    print_result(["outlet", "lang", "kind", "feed", "status", "http", "failures",
                  "last poll", "next poll", "error"], rows)


def add_feed(config_path: Path | None, outlets_file: Path | None, outlet: dict) -> None:
    """Append one [[outlets]] table; the whole resulting file must validate first."""
    from flows.outlets import parse_outlets

    target = outlets_file or settings_for(config_path, None).outlets_file
    if target is None:
        raise FeedCommandError("say which outlets file to add to: --file, or the "
                               "outlets_file setting (the packaged list is not edited)")
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    updated = existing.rstrip("\n") + ("\n\n" if existing else "") + _outlet_toml(outlet)
    parse_outlets(updated, str(target))  # raises ConfigError naming the bad field
    write_atomically(target, updated)
    console.print(f"added {outlet['id']} with {outlet['feeds'][0]} to {target}")


def _outlet_toml(outlet: dict) -> str:
    lines = ["[[outlets]]"]
    for key, value in outlet.items():
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


class FeedCommandError(WirewatchError):
    """A feeds command could not do what was asked."""


def check_feeds(config_path: Path | None, outlet_ids: Sequence[str]) -> None:
    from extractors.feeds import parse_feed
    from flows.transport import FetchRequest, fetch_all_sync

    settings = settings_for(config_path, None)
    outlets = [o for o in load_outlets_for(settings) if not outlet_ids or o.id in outlet_ids]
    pairs = [(o, url) for o in outlets for url in o.feeds]
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task(f"checking {len(pairs)} feeds", total=len(pairs))
        results = fetch_all_sync(settings.fetch,
                                 [FetchRequest(url=u, kind="feed") for _, u in pairs],
                                 on_result=lambda _result: progress.advance(bar))
    rows, failures = [], 0
    for (outlet, url), result in zip(pairs, results, strict=True):
        if result.error is not None:
            verdict, detail, items = "FAIL", result.error.reason, None
        else:
            parsed = parse_feed(result.body or b"", result.final_url,
                                content_type=result.content_type)
            # A malformed feed whose items were partly recovered still needs its publisher.
            verdict = "OK" if parsed.error is None and not parsed.malformed else "FAIL"
            detail = parsed.error or "; ".join(parsed.warnings)
            items = len(parsed.items)
        failures += verdict == "FAIL"
        rows.append((outlet.id, url, verdict, result.status, items, detail))
    print_result(["outlet", "feed", "verdict", "http", "items", "detail"], rows)
    if failures:
        raise FeedCommandError(f"{failures} of {len(rows)} feeds failed")


def run_sql(query: str, config_path: Path | None, db_path: Path | None, fmt: str,
            live: bool) -> None:
    settings = settings_for(config_path, db_path)
    with open_reader(_readable_target(settings, live)) as con:
        forbid_side_effects(con)
        try:
            result = run_query(con, query)
        except Exception as exc:
            raise SqlError(str(exc).splitlines()[0]) from exc
    print_result(result.columns, result.rows, fmt)


def _readable_target(settings: Settings, live: bool) -> WarehouseTarget:
    """Analysts read the published copy; a lake (or --live) is read directly."""
    target = settings.warehouse_target
    analyst = settings.resolved_analyst_db_path
    if not live and not target.is_lake and analyst.exists():
        return WarehouseTarget.parse("", analyst)
    return target


def show_stories(config_path: Path | None, db_path: Path | None, limit: int,
                 wide: bool = False) -> None:
    from flows.story_table import print_stories
    from warehouse.stories import list_recent_stories

    settings = settings_for(config_path, db_path)
    with open_reader(_readable_target(settings, False)) as con:
        records = list_recent_stories(con, limit=limit)
    if not records:
        console.print("no stories yet: run a cycle first")
        return
    print_stories(records, wide)


def print_records(records: list[dict], preferred: list[str]) -> None:
    """A readable subset of columns for the terminal (every column with --format in `sql`)."""
    columns = [c for c in preferred if c in records[0]] or list(records[0])
    print_result(columns, [tuple(_short(r[c]) for c in columns) for r in records])


def _short(value):
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def export_articles(config_path: Path | None, db_path: Path | None, fmt: str, output: Path,
                    since: str | None) -> None:
    from warehouse.export import export_articles as _export

    if since is not None:
        since = _iso_date(since, "--since")
    settings = settings_for(config_path, db_path)
    with open_reader(_readable_target(settings, False)) as con:
        count = _export(con, output, fmt, since)
    console.print(f"exported {count} articles to {output}")


def write_brief(config_path: Path | None, db_path: Path | None, since: str | None,
                topics: tuple[str, ...], output: Path) -> None:
    from flows.report import brief_options, write_report

    settings = settings_for(config_path, db_path)
    written = write_report(settings, brief_options(settings, since, topics), output)
    console.print(f"wrote {written.path} ({written.bytes / 1024:.0f} KB, "
                  f"{written.stories} new stories)")


def _iso_date(text: str, option: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise UsageError(f"option {option}: {text!r} is not a date: expected YYYY-MM-DD, "
                         "e.g. 2026-01-12") from exc


def evaluate(kind: str, as_json: bool = False) -> None:
    import importlib

    module = importlib.import_module(f"flows.evaluate.{kind}")
    report = module.evaluate()
    print(module.format_json(report) if as_json else module.format_report(report))


class EvaluationInputError(WirewatchError):
    """An evaluation input file is unreadable or malformed."""


def evaluate_ner(conll: Path, language: str, as_json: bool, ner: str) -> None:
    """NER on a CoNLL file: the default entity step and the bare model (flows/evaluate/ner.py)."""
    from extractors.ner.conll import ConllError
    from flows.evaluate import ner as ner_eval

    try:
        report = ner_eval.evaluate_conll(conll, language, ner)
    except ConllError as error:
        raise EvaluationInputError(str(error)) from error
    print(json.dumps(report.as_json()) if as_json else ner_eval.format_report(report))



def list_alerts(config_path: Path | None, db_path: Path | None, limit: int) -> None:
    from flows.alerts import list_alerts as _list

    settings = settings_for(config_path, db_path)
    with open_reader(_readable_target(settings, False)) as con:
        records = _list(con, limit)
    if not records:
        console.print("no alerts yet")
        return
    print_records(records, ["created_at", "rule_name", "status", "attempts", "title",
                            "last_error", "alert_id"])


def test_alerts(config_path: Path | None, rule_name: str | None) -> None:
    from flows.alerts import send_test
    from flows.configured_lists import load_rules_for

    rules = load_rules_for(settings_for(config_path, None))
    chosen = [r for r in rules if rule_name in (None, r.name)]
    if not chosen:
        raise AlertCommandError(f"no rule named {rule_name!r}")
    failures = 0
    for rule in chosen:
        result = send_test(rule)
        _print_attempts(result)
        failures += not result.ok
    if failures:
        raise AlertCommandError(f"{failures} of {len(chosen)} rules could not deliver")


def replay(alert_id: str, config_path: Path | None, db_path: Path | None) -> None:
    from flows.alert_delivery import delivery_store
    from flows.alerts import replay_alert
    from flows.configured_lists import load_rules_for

    settings = settings_for(config_path, db_path)
    result = replay_alert(delivery_store(settings), alert_id, load_rules_for(settings))
    _print_attempts(result)
    if not result.ok:
        raise AlertCommandError(f"replay of {alert_id} did not reach every destination")


def _print_attempts(result) -> None:
    rows = [(result.rule_name, a.destination, "ok" if a.ok else "FAIL", a.error or "")
            for a in result.attempts]
    rows += [(result.rule_name, problem, "FAIL", "no destination") for problem in result.problems]
    print_result(["rule", "destination", "result", "error"], rows)


class AlertCommandError(WirewatchError):
    """An alert command could not do what was asked."""
