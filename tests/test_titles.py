"""An outlet's name beside the headline is removed; real headlines are left alone."""

from __future__ import annotations

import pytest

from extractors.titles import strip_outlet_name


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Sheinbaum anuncia plan de seguridad - Milenio", ["Milenio"],
         "Sheinbaum anuncia plan de seguridad"),
        ("Sheinbaum anuncia plan de seguridad | El Universal", ["El Universal"],
         "Sheinbaum anuncia plan de seguridad"),
        ("Sheinbaum anuncia plan — El Universal", [None, "El Universal"], "Sheinbaum anuncia plan"),
        ("Milenio: Sheinbaum anuncia plan", ["Milenio"], "Sheinbaum anuncia plan"),
        ("Nepal says 'no proof' plane suffered bird strike | Reuters", ["reuters.com"],
         "Nepal says 'no proof' plane suffered bird strike"),
        ("Sheinbaum anuncia plan - eluniversal.com.mx", ["www.eluniversal.com.mx"],
         "Sheinbaum anuncia plan"),
        ("Habeck will besseren Schutz für Brasiliens Regenwald | DW | 14.03.2023", ["DW.COM"],
         "Habeck will besseren Schutz für Brasiliens Regenwald"),
        ("México - EU acuerdan plan - Milenio", ["Milenio"], "México - EU acuerdan plan"),
        ("El Universal: Sheinbaum anuncia plan | El Universal", ["El Universal"],
         "Sheinbaum anuncia plan"),
        ("Ñandú escapa del zoológico | Diario Añejo", ["diario anejo"],
         "Ñandú escapa del zoológico"),
    ],
)
def test_the_outlet_name_is_removed(title: str, names: list, expected: str) -> None:
    assert strip_outlet_name(title, names) == expected


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Sheinbaum: no habrá intervención militar", ["Milenio"]),  # a colon headline
        ("México - EU acuerdan plan de seguridad", ["Milenio"]),  # a dash inside the headline
        ("Milenio", ["Milenio"]),  # the name alone stays
        ("Milenio | Milenio", ["Milenio"]),  # never down to the name
        ("Milenio: ", ["Milenio"]),  # never down to nothing
        ("Sheinbaum anuncia plan - Milenio", []),  # no names given
        ("Sheinbaum anuncia plan - Milenio Diario", ["Milenio"]),  # another name
        ("Headline | Outlet", [None, ""]),
    ],
)
def test_real_headlines_and_bare_names_are_kept(title: str, names: list) -> None:
    assert strip_outlet_name(title, names) == title


def test_no_title_stays_none() -> None:
    assert strip_outlet_name(None, ["Milenio"]) is None
    assert strip_outlet_name("", ["Milenio"]) == ""
