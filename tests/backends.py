"""Both warehouse backends as one parametrised fixture: the DuckDB file and DuckLake on SQLite.

Import the fixture into a test module (`from backends import warehouse_target`) and every
test using it runs once per backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.target import WarehouseTarget

BACKENDS = ("duckdb", "ducklake-sqlite")


def make_target(backend: str, root: Path) -> WarehouseTarget:
    """A fresh, empty warehouse of the given backend under `root`."""
    db_path = root / "wirewatch.duckdb"
    if backend == "duckdb":
        return WarehouseTarget.parse("", db_path)
    if backend == "ducklake-sqlite":
        return WarehouseTarget.parse(f"ducklake:sqlite:{root / 'catalog.sqlite'}", db_path)
    raise ValueError(f"unknown backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def warehouse_target(request: pytest.FixtureRequest, tmp_path: Path) -> WarehouseTarget:
    return make_target(request.param, tmp_path)
