"""Which warehouse a process writes to and reads from, chosen by one setting.

`warehouse` = "" (or "duckdb")            the DuckDB file at `db_path` (the default)
`warehouse` = "ducklake:sqlite:PATH"      DuckLake, SQLite catalog at PATH, data files on disk:
                                          several processes on one machine read and write at once
`warehouse` = "ducklake:postgres:DSN"     DuckLake, PostgreSQL catalog (libpq key=value DSN),
                                          data files usually in object storage (s3://…)

The DuckLake data files go to `ducklake_data_path`; for a SQLite catalog it defaults to a
folder beside the catalog file, for PostgreSQL it must be given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from extractors.errors import ConfigError

# Final, so the checker reads them as the literal kinds WarehouseTarget.kind accepts.
DUCKDB: Final = "duckdb"
DUCKLAKE: Final = "ducklake"
LAKE_PREFIX = "ducklake:"
CATALOG_KINDS = ("sqlite", "postgres")

# libpq keys whose values are secrets; hidden whenever a target is described.
_SECRET_DSN_KEYS = re.compile(r"\b(password|sslpassword)\s*=\s*('[^']*'|\S+)", re.IGNORECASE)


class WarehouseConfigError(ConfigError, ValueError):
    """The warehouse setting cannot be used as given; terminal: fix the configuration.

    Still a ValueError, as it always was, for callers that catch that."""


@dataclass(frozen=True, slots=True)
class WarehouseTarget:
    kind: Literal["duckdb", "ducklake"]
    db_path: Path  # the DuckDB file; for a lake, only where local lock files live
    catalog: str | None = None  # "sqlite:/abs/catalog.sqlite" | "postgres:dbname=… host=…"
    data_path: str | None = None  # local folder or object-storage prefix (s3://bucket/prefix/)

    @property
    def is_lake(self) -> bool:
        return self.kind == DUCKLAKE

    @property
    def catalog_kind(self) -> str | None:
        return self.catalog.split(":", 1)[0] if self.catalog else None

    @property
    def sqlite_catalog_path(self) -> Path | None:
        if self.catalog_kind != "sqlite" or self.catalog is None:
            return None
        return Path(self.catalog.split(":", 1)[1])

    def describe(self) -> str:
        """A one-line description safe for logs and run records (passwords hidden)."""
        if not self.is_lake:
            return f"duckdb file {self.db_path}"
        return f"ducklake catalog {redact(self.catalog or '')}, data {self.data_path}"

    @classmethod
    def duckdb_file(cls, db_path: Path) -> WarehouseTarget:
        return cls(DUCKDB, Path(db_path))

    @classmethod
    def parse(
        cls, spec: str, db_path: Path, data_path: str | Path | None = None
    ) -> WarehouseTarget:
        """Read the `warehouse` setting. Raises WarehouseConfigError with the reason."""
        spec = (spec or "").strip()
        if spec in ("", DUCKDB):
            return cls.duckdb_file(db_path)
        if not spec.startswith(LAKE_PREFIX):
            raise WarehouseConfigError(
                f"warehouse {spec!r} is not understood: use '' for the DuckDB file, "
                "'ducklake:sqlite:PATH' or 'ducklake:postgres:DSN'"
            )
        kind, _, location = spec.removeprefix(LAKE_PREFIX).partition(":")
        if kind not in CATALOG_KINDS or not location.strip():
            raise WarehouseConfigError(
                f"warehouse {redact(spec)!r}: the DuckLake catalog "
                "must be 'sqlite:PATH' or 'postgres:DSN' (a DuckDB-file catalog would keep "
                "DuckDB's one-writer limit)"
            )
        if kind == "sqlite":
            return _sqlite_lake(Path(db_path), Path(location).expanduser(), data_path)
        if data_path is None or not str(data_path).strip():
            raise WarehouseConfigError(
                "a PostgreSQL DuckLake catalog needs ducklake_data_path (for example "
                "s3://bucket/wirewatch/): every worker must reach the same data files"
            )
        return cls(DUCKLAKE, Path(db_path), f"postgres:{location.strip()}", str(data_path))

    @classmethod
    def from_settings(cls, settings: Any) -> WarehouseTarget:
        """The target a Settings object names (fields `warehouse`, `ducklake_data_path`)."""
        return cls.parse(
            getattr(settings, "warehouse", "") or "",
            Path(settings.db_path),
            getattr(settings, "ducklake_data_path", None),
        )


def _sqlite_lake(db_path: Path, catalog: Path, data_path: str | Path | None) -> WarehouseTarget:
    catalog = catalog.resolve()
    if data_path is None or not str(data_path).strip():
        data_path = catalog.with_name(catalog.stem + ".files")
    data = str(data_path)
    if "://" not in data:
        # Absolute, with a trailing slash: DuckLake stores file paths relative to it.
        data = str(Path(data).expanduser().resolve()) + "/"
    return WarehouseTarget(DUCKLAKE, db_path, f"sqlite:{catalog}", data)


def redact(text: str) -> str:
    """Hide password values of a libpq DSN."""
    return _SECRET_DSN_KEYS.sub(r"\1=***", text)


def as_target(target: WarehouseTarget | Path | str) -> WarehouseTarget:
    """Accept a target or, as before, the path of a DuckDB file."""
    if isinstance(target, WarehouseTarget):
        return target
    return WarehouseTarget.duckdb_file(Path(target))
