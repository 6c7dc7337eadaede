"""Acceptance: the staged-release provenance suite, six real ingest flow runs on loopback.

Outlets on their own 127.0.0.x addresses release labelled articles cycle by cycle (copies
before their originals, cross-site canonicals, a configured wire outlet, independent
other-language coverage, a late original bridging two stories); alerts go to a real local
webhook receiver. The goals are the issue's; `wirewatch evaluate provenance` prints the same
figures.
"""

from __future__ import annotations

import pytest

from flows.evaluate.provenance import format_report, run_suite

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@pytest.fixture(scope="module")
def report(prefect_harness, tmp_path_factory):
    return run_suite(tmp_path_factory.mktemp("provenance"))


def test_every_feed_item_lands_exactly_once(report):
    assert report.items >= 19
    assert report.items_once == report.items, report.lost


def test_copy_groups_from_provenance_edges(report):
    assert report.copy_f1 >= 0.97, format_report(report)


def test_event_stories_and_no_false_merges(report):
    assert report.event_f1 >= 0.97, format_report(report)
    assert report.false_merges == []
    assert report.stories_merged >= 1  # the late original bridged two stories


def test_every_method_is_used_and_same_event_names_no_source(report):
    assert {"canonical_link", "translation", "same_event", "near_duplicate",
            "original"} <= set(report.methods)
    assert report.method_errors == []


def test_credited_agency(report):
    assert report.agency_total >= 10
    assert report.agency_accuracy >= 0.95, report.agency_errors


def test_exactly_one_alert_per_event_across_all_cycles(report):
    assert len(report.alerts_per_event) >= 6
    assert report.one_alert_per_event, report.alerts_per_event
    assert report.alerts_received == len(report.alerts_per_event)
