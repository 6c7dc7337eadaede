"""The HTML brief of the demo warehouse, opened in headless Debian chromium over CDP.

One real cycle (demo site on 127.0.0.1, a Prefect flow run) writes the brief beside the
analyst copy; `wirewatch report` writes another. The page is then checked as a reader gets
it: no console error, no request leaving the file, every chart and the map drawn with
legible text, the story list equal to the warehouse's, and screenshots at desktop and
phone width.
"""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from cdp import chromium_path, headless_chromium
from click.testing import CliRunner
from smtp_sink import SmtpSink

from flows.cli import main
from flows.demo import DemoSite
from flows.report import brief_path
from flows.settings import load_settings

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

CHARTS = ("timeline", "reach", "entities-people", "entities-organisations",
          "entities-places", "map")


@pytest.fixture(scope="module")
def demo_brief(prefect_harness, tmp_path_factory) -> dict:
    from flows.ingest import ingest

    workdir = tmp_path_factory.mktemp("brief")
    db = workdir / "wirewatch.duckdb"
    with DemoSite(phase=3) as site:
        outlets = workdir / "outlets.toml"
        outlets.write_text(site.outlets_toml(), encoding="utf-8")
        overrides = {"db_path": str(db), "outlets_file": str(outlets),
                     "allowed_networks": ["127.0.0.0/8"], "per_host_delay_s": 0.0,
                     "per_host_concurrency": 8}
        ingest(overrides=overrides, force=True)
    settings = load_settings(overrides={"db_path": str(db)})
    output = workdir / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--since", "24h",
                                       "-o", str(output)], env={})
    assert result.exit_code == 0, result.output
    return {"settings": settings, "cycle_brief": brief_path(settings), "report": output,
            "analyst": settings.resolved_analyst_db_path, "workdir": workdir}


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    with headless_chromium(executable) as page:
        yield page


def _stories_in_warehouse(analyst: Path) -> dict[str, str]:
    """story id → headline of the watched-topic stories first seen in the last day."""
    since = datetime.now(UTC) - timedelta(days=1)
    con = duckdb.connect(str(analyst), read_only=True)
    try:
        rows = con.execute(
            """SELECT DISTINCT s.story_id, a.title
               FROM stories s
               JOIN syndication y ON y.story_id = s.story_id
               JOIN article_topics t ON t.article_id = y.article_id
               JOIN articles a ON a.article_id = s.canonical_article_id
               WHERE t.topic = 'us_mexico_security' AND s.first_seen_at >= ?""",
            [since]).fetchall()
    finally:
        con.close()
    return dict(rows)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_cycle_writes_the_brief_beside_the_analyst_copy(demo_brief):
    brief = demo_brief["cycle_brief"]
    assert brief.parent == demo_brief["analyst"].parent
    assert brief.name == "wirewatch.brief.html"
    text = brief.read_text(encoding="utf-8")
    assert "<svg" in text and 'data-chart="map"' in text
    assert not [p for p in brief.parent.iterdir() if p.name.endswith(".tmp")]


CHART_FACTS = """
(() => {
  const out = {};
  for (const fig of document.querySelectorAll('figure[data-chart]')) {
    const svg = fig.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const texts = svg ? [...svg.querySelectorAll('text')].filter(t => {
      const r = t.getBoundingClientRect();
      return t.textContent.trim() && r.width > 0 && getComputedStyle(t).display !== 'none'
             && getComputedStyle(t).visibility !== 'hidden';
    }) : [];
    const heights = texts.map(t => t.getBoundingClientRect().height);
    out[fig.dataset.chart] = {
      width: box.width, height: box.height,
      shapes: svg ? svg.querySelectorAll('rect, path, circle, polyline').length : 0,
      places: svg ? svg.querySelectorAll('circle.place').length : 0,
      texts: texts.length,
      smallest_text: heights.length ? Math.min(...heights) : 0,
    };
  }
  return out;
})()
"""


def test_brief_in_a_real_browser(demo_brief, browser, tmp_path):
    url = demo_brief["report"].resolve().as_uri()
    browser.open(url, width=1280, height=900)
    assert browser.log.errors == []
    facts = browser.evaluate(CHART_FACTS)
    assert set(CHARTS) <= set(facts), f"charts on the page: {sorted(facts)}"
    for name in CHARTS:
        chart = facts[name]
        assert chart["width"] > 400 and chart["height"] > 150, (name, chart)
        assert chart["shapes"] > 5, (name, chart)
        assert chart["texts"] > 0, (name, chart)
        # Legible: no visible label under 9 CSS pixels tall at desktop width.
        assert chart["smallest_text"] >= 9, (name, chart)
    assert facts["map"]["places"] > 3

    shown = browser.evaluate(
        "[...document.querySelectorAll('[data-story-id]')].map(li => "
        "[li.dataset.storyId, li.querySelector('h3').textContent.trim()])")
    expected = _stories_in_warehouse(demo_brief["analyst"])
    assert expected, "the demo warehouse holds watched-topic stories"
    assert dict(shown) == expected

    desktop = browser.screenshot(tmp_path / "brief-desktop.png")
    assert _png_size(desktop)[0] == 1280
    _keep_top(browser)

    browser.open(url, width=390, height=844, mobile=True)
    overflow = browser.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, "the page itself must not scroll sideways on a phone"
    headline_px = browser.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.story h3')).fontSize)")
    assert headline_px >= 14
    phone = browser.screenshot(tmp_path / "brief-phone.png")
    assert _png_size(phone)[0] == 390

    # Print: the print stylesheet applies (white page, charts not forced wider than paper).
    browser.open(url, width=1280, height=900)
    browser.emulate_media("print")
    printed = browser.evaluate(
        "[getComputedStyle(document.querySelector('header.top')).backgroundColor,"
        " getComputedStyle(document.querySelector('figure.chart svg')).minWidth]")
    assert printed == ["rgb(255, 255, 255)", "0px"]
    pdf = browser.print_pdf(tmp_path / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2
    browser.emulate_media("")

    # Every request the page made was for the file itself; nothing was blocked.
    assert browser.log.blocked == []
    assert browser.log.requests and all(r.startswith("file:") for r in browser.log.requests)
    assert browser.log.errors == []


def test_a_page_that_reaches_out_is_caught(browser, tmp_path):
    # The interception is what makes "zero requests" mean something: show it catches one.
    page = tmp_path / "leaky.html"
    page.write_text('<!doctype html><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    browser.log.blocked.clear()
    browser.open(page.as_uri(), width=800)
    assert browser.log.blocked == ["http://127.0.0.1:9/pixel.png"]


def _keep_top(browser) -> None:
    """WIREWATCH_BRIEF_SCREENSHOT=path keeps the top of the desktop page (the README image)."""
    target = os.environ.get("WIREWATCH_BRIEF_SCREENSHOT")
    if target:
        browser.screenshot(Path(target), max_height=1500)


def test_digest_email_carries_the_brief_with_a_text_part(demo_brief):
    """A `brief = true` digest rule, delivered by Apprise to an SMTP server on 127.0.0.1."""
    from functools import partial

    from flows.alert_delivery import delivery_store, digest_brief
    from flows.alerts import flush_digests
    from flows.alerts.rules import AlertRule
    from flows.cycle import writer
    from warehouse.outbox import enqueue_alerts

    settings = demo_brief["settings"]
    rule = AlertRule(name="desk-brief", topic="us_mexico_security", mode="digest",
                     brief=True, destinations_env=("WIREWATCH_TEST_MAIL",))
    now = datetime.now(UTC)
    with writer(settings) as con:
        queued = enqueue_alerts(con, [rule], now=now)
    headlines = _stories_in_warehouse(demo_brief["analyst"]).values()
    with SmtpSink() as sink:
        url = f"mailto://127.0.0.1:{sink.port}?from=wirewatch@example.org&to=desk@example.org"
        stats = flush_digests(delivery_store(settings), [rule], now=now, force=True,
                              env={"WIREWATCH_TEST_MAIL": url}, emit=None,
                              brief=partial(digest_brief, settings))
    assert queued > 0 and stats.delivered == 1, stats.errors
    (message,) = sink.messages
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode("utf-8")
             for part in message.walk() if not part.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    html, text = parts["text/html"], parts["text/plain"]
    assert "<svg" not in html and html.count("data:image/svg+xml;base64,") >= 5
    assert headlines and all(h in text and h in html for h in headlines)
    assert "http://" not in html.replace("http://127.0.0.1:", "")  # no outside address


def _keep_top(browser) -> None:
    """WIREWATCH_BRIEF_SCREENSHOT=path keeps the top of the desktop page (the README image)."""
    target = os.environ.get("WIREWATCH_BRIEF_SCREENSHOT")
    if target:
        browser.screenshot(Path(target), max_height=1500)
