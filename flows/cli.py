"""The `wirewatch` command line: a thin layer over the library. Errors: one line, exit code 1/2."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

# Set before Prefect is imported anywhere: there is no network for telemetry.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from flows import commands
from flows.errors import WirewatchError


class _Group(click.Group):
    """Maps known errors to one clear line and a non-zero exit instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (WirewatchError, FileNotFoundError) as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)


config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: $WIREWATCH_CONFIG or ./wirewatch.toml).",
)
db_option = click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False),
                         help="Warehouse file (default: setting db_path).")


@click.group(cls=_Group)
@click.version_option(package_name="wirewatch")
def main() -> None:
    """wirewatch: news feeds to clean articles, stories, tags and alerts in DuckDB."""


@main.command()
@config_option
@db_option
@click.option("--force", is_flag=True, help="Poll every feed now, due or not.")
def run(config_path: Path | None, db_path: Path | None, force: bool) -> None:
    """Run one ingest cycle against the configured outlets."""
    commands.run_once(config_path, db_path, force)


@main.command()
@config_option
@db_option
@click.option("--interval-seconds", type=float,
              help="Ingest every N seconds (default: setting ingest_interval_minutes).")
def serve(config_path: Path | None, db_path: Path | None, interval_seconds: float | None) -> None:
    """Run on a schedule: a local Prefect API (unless PREFECT_API_URL is set) and deployments."""
    commands.serve(config_path, db_path, interval_seconds)


@main.command()
@click.option("--dir", "workdir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("wirewatch-demo"), show_default=True,
              help="Where the demo warehouse is written.")
@click.option("--fresh/--keep", default=True, show_default=True,
              help="Start from an empty warehouse.")
def demo(workdir: Path, fresh: bool) -> None:
    """Serve the bundled sample outlets on 127.0.0.1 and run one full cycle (offline)."""
    commands.run_demo(workdir, fresh)


@main.group()
def feeds() -> None:
    """List and check the configured feeds."""


@feeds.command("list")
@config_option
@db_option
def feeds_list(config_path: Path | None, db_path: Path | None) -> None:
    """Configured feeds with their last poll status."""
    commands.list_feeds(config_path, db_path)


@feeds.command("add")
@click.argument("feed_url")
@click.option("--outlet", "outlet_id", required=True, help="New outlet id ([a-z0-9_]+).")
@click.option("--name", required=True, help="Outlet name.")
@click.option("--homepage", required=True)
@click.option("--language", required=True, help="ISO 639-1, e.g. es.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2, e.g. MX.")
@click.option("--kind", type=click.Choice(["outlet", "wire"]), default="outlet",
              show_default=True)
@click.option("--file", "outlets_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Outlets file to append to (default: setting outlets_file).")
@config_option
def feeds_add(feed_url: str, outlet_id: str, name: str, homepage: str, language: str,
              country: str, kind: str, outlets_file: Path | None,
              config_path: Path | None) -> None:
    """Add an outlet with its feed to your outlets file (validated before writing)."""
    commands.add_feed(config_path, outlets_file, {
        "id": outlet_id, "name": name, "homepage": homepage, "language": language,
        "country": country, "kind": kind, "feeds": [feed_url]})


@feeds.command("check")
@config_option
@click.option("--outlet", "outlet_ids", multiple=True, help="Only these outlet ids.")
def feeds_check(config_path: Path | None, outlet_ids: tuple[str, ...]) -> None:
    """Fetch every configured feed once and report its status (writes nothing)."""
    commands.check_feeds(config_path, outlet_ids)


@main.command()
@click.argument("query")
@config_option
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--live", is_flag=True, help="Read the live warehouse, not the analyst copy.")
def sql(query: str, config_path: Path | None, db_path: Path | None, fmt: str,
        live: bool) -> None:
    """Run a read-only SQL query and print the result."""
    commands.run_sql(query, config_path, db_path, fmt, live)


@main.command()
@config_option
@db_option
@click.option("--limit", default=20, show_default=True)
def stories(config_path: Path | None, db_path: Path | None, limit: int) -> None:
    """Recent stories with their copy counts."""
    commands.show_stories(config_path, db_path, limit)


@main.command()
@config_option
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "csv"]),
              default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--since", help="Only articles discovered on or after this date (YYYY-MM-DD).")
def export(config_path: Path | None, db_path: Path | None, fmt: str, output: Path,
           since: str | None) -> None:
    """Export articles with their story, syndication, entities and topics."""
    commands.export_articles(config_path, db_path, fmt, output, since)


@main.group()
def alerts() -> None:
    """The alert outbox: list, test a rule's destinations, replay an alert."""


@alerts.command("list")
@config_option
@db_option
@click.option("--limit", default=50, show_default=True)
def alerts_list(config_path: Path | None, db_path: Path | None, limit: int) -> None:
    """The newest alerts with status, attempts and last error."""
    commands.list_alerts(config_path, db_path, limit)


@alerts.command("test")
@config_option
@click.option("--rule", "rule_name", help="Rule to test (default: every rule).")
def alerts_test(config_path: Path | None, rule_name: str | None) -> None:
    """Send a sample alert through each rule's destinations (records nothing)."""
    commands.test_alerts(config_path, rule_name)


@alerts.command("replay")
@click.argument("alert_id")
@config_option
@db_option
def alerts_replay(alert_id: str, config_path: Path | None, db_path: Path | None) -> None:
    """Re-send one alert on purpose (recorded as a replay attempt)."""
    commands.replay(alert_id, config_path, db_path)


@main.group()
def evaluate() -> None:
    """Score the pipeline against the labelled fixtures."""


@evaluate.command("stories")
def evaluate_stories() -> None:
    """Story clustering, credits and canonical articles."""
    commands.evaluate("stories")


@evaluate.command("entities")
def evaluate_entities() -> None:
    """Entity linking, per type and language."""
    commands.evaluate("entities")


@evaluate.command("topics")
def evaluate_topics() -> None:
    """Topic tagging, per topic."""
    commands.evaluate("topics")


@evaluate.command("extraction")
def evaluate_extraction() -> None:
    """Article extraction against labelled pages, beside trafilatura alone."""
    commands.evaluate("extraction")


@evaluate.command("ner")
@click.option("--conll", "conll", required=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="CoNLL file (token … TAG per line), e.g. ../shared/ner/es.dev.conll.")
@click.option("--lang", "language", required=True, type=click.Choice(["es", "en"]))
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of tables.")
@click.option("--ner", default="auto", type=click.Choice(["auto", "off", "spacy"]),
              show_default=True, help="The entity step's ner mode to score.")
def evaluate_ner(conll: Path, language: str, as_json: bool, ner: str) -> None:
    """Named entities on CoNLL newswire: the default entity step and the bare model."""
    commands.evaluate_ner(conll, language, as_json, ner)


@evaluate.command("all")
def evaluate_all() -> None:
    """Every evaluation in turn."""
    for kind in ("extraction", "stories", "entities", "topics"):
        commands.evaluate(kind)


if __name__ == "__main__":
    main()
