"""The brief's parts that need no browser: the window, the map projection, writing, serving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from flows.alerts.rules import rules_from_config
from flows.errors import ConfigError
from flows.report import write_atomically
from flows.report.page import fmt_delay
from flows.report.server import serve_brief
from flows.report.window import ReportWindowError, parse_since
from flows.report.worldmap import outlines, path_extent, project

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("24h", NOW - timedelta(hours=24)), ("7d", NOW - timedelta(days=7)),
    ("90m", NOW - timedelta(minutes=90)), ("2w", NOW - timedelta(weeks=2)),
    ("2026-02-20", datetime(2026, 2, 20, tzinfo=UTC)),
    ("2026-02-20T08:30", datetime(2026, 2, 20, 8, 30, tzinfo=UTC)),
    ("2026-02-20T08:30-06:00", datetime(2026, 2, 20, 14, 30, tzinfo=UTC)),
])
def test_since_accepts_durations_and_iso_dates(text, expected):
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("yesterday", "expected a duration"), ("3x", "expected a duration"),
    ("0h", "more than zero"), ("2027-01-01", "not in the past"),
])
def test_since_refuses_bad_input_with_its_reason(text, reason):
    with pytest.raises(ReportWindowError, match=reason):
        parse_since(text, NOW)


def _country_extent(code: str) -> tuple[float, float, float, float]:
    boxes = [o.box for o in outlines() if o.country == code]
    assert boxes, f"no outline for {code}"
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


@pytest.mark.parametrize(("city", "lat", "lon", "country"), [
    ("Mexico City", 19.43, -99.13, "mx"), ("Culiacán", 24.80, -107.39, "mx"),
    ("Havana", 23.11, -82.37, "cu"), ("Madrid", 40.42, -3.70, "es"),
    ("Bogotá", 4.71, -74.07, "co"), ("Chicago", 41.88, -87.63, "us"),
])
def test_places_project_inside_their_country_on_the_packaged_outlines(city, lat, lon, country):
    x, y = project(lat, lon)
    x0, y0, x1, y1 = _country_extent(country)
    assert x0 <= x <= x1 and y0 <= y <= y1, f"{city} at {x:.0f},{y:.0f} outside {country}"


def test_path_extent_follows_relative_and_absolute_commands():
    assert path_extent("m 10,10 l 5,0 0,5 h -10 z M 100,50 v 20") == (5.0, 10.0, 100.0, 70.0)


def test_delays_read_as_minutes_hours_or_days():
    assert [fmt_delay(s) for s in (None, -5, 20, 600, 5400, 400_000)] == [
        "unknown", "same time or earlier", "under 1 min", "10 min", "1 h 30 min", "4.6 days"]


def test_brief_is_replaced_whole_and_served_on_loopback(tmp_path):
    brief = tmp_path / "wirewatch.brief.html"
    with serve_brief(brief) as url:
        assert url.startswith("http://127.0.0.1:")
        assert "No brief yet" in httpx.get(url).text
        write_atomically(brief, "<p>first</p>")
        assert httpx.get(url).text == "<p>first</p>"
        write_atomically(brief, "<p>second</p>")
        assert httpx.get(url + "brief.html").text == "<p>second</p>"
        assert httpx.get(url + "etc/passwd").status_code == 404
    assert [p.name for p in tmp_path.iterdir()] == ["wirewatch.brief.html"]


def test_a_digest_rule_can_ask_for_the_brief():
    entry = {"name": "desk", "topic": "us_mexico_security", "mode": "digest", "brief": True}
    (rule,) = rules_from_config({"rules": [entry]}, source="test")
    assert rule.brief and rule.is_digest
    with pytest.raises(ConfigError, match="brief: expected true or false"):
        rules_from_config({"rules": [{**entry, "brief": "yes"}]}, source="test")


def test_report_command_refuses_a_bad_window_in_one_line(tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    output = tmp_path / "brief.html"
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "w.duckdb"),
                                       "--since", "last week", "-o", str(output)], env={})
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: --since 'last week': expected a duration such as 24h, 7d, 90m, 2w or an ISO "
        "date such as 2026-01-15 or 2026-01-15T08:00"]
    assert not output.exists()


def test_an_unchanged_cycle_rewrites_the_brief_only_when_it_is_old(tmp_path):
    import os

    from flows.report import BRIEF_REFRESH_S, brief_is_stale, brief_path
    from flows.settings import Settings

    settings = Settings(db_path=tmp_path / "w.duckdb")
    assert brief_is_stale(settings)  # none yet
    write_atomically(brief_path(settings), "<p>brief</p>")
    written = brief_path(settings).stat().st_mtime
    assert not brief_is_stale(settings, now=written + 60)
    assert brief_is_stale(settings, now=written + BRIEF_REFRESH_S)
    os.utime(brief_path(settings), (written - BRIEF_REFRESH_S, written - BRIEF_REFRESH_S))
    assert brief_is_stale(settings)
    assert not brief_is_stale(settings.replace(brief_since=""))
