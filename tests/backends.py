"""Every warehouse backend as one parametrised fixture: the DuckDB file, DuckLake on SQLite,
and DuckLake with its catalog in PostgreSQL and its data files in S3 (tests/services.py).

Import the fixture into a test module (`from backends import warehouse_target`) and every
test using it runs once per backend. The PostgreSQL runs skip where its binaries are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.target import WarehouseTarget

BACKENDS = ("duckdb", "ducklake-sqlite", "ducklake-postgres")


def make_target(backend: str, root: Path, services=None) -> WarehouseTarget:
    """A fresh, empty warehouse of the given backend under `root` (or in `services`)."""
    db_path = root / "wirewatch.duckdb"
    if backend == "duckdb":
        return WarehouseTarget.parse("", db_path)
    if backend == "ducklake-sqlite":
        return WarehouseTarget.parse(f"ducklake:sqlite:{root / 'catalog.sqlite'}", db_path)
    if backend == "ducklake-postgres":
        if services is None:
            raise ValueError("the ducklake-postgres backend needs the lake_services fixture")
        spec, data_path = services.fresh_lake()
        return WarehouseTarget.parse(spec, db_path, data_path)
    raise ValueError(f"unknown backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def warehouse_target(request: pytest.FixtureRequest, tmp_path: Path) -> WarehouseTarget:
    services = None
    if request.param == "ducklake-postgres":
        services = request.getfixturevalue("lake_services")
    return make_target(request.param, tmp_path, services)
