"""DuckLake: the warehouse as a catalog database plus Parquet data files.

A DuckLake catalog lets many processes read and write one warehouse at once (DuckDB's own file
allows one writer or many readers). The catalog lives in SQLite (one machine) or PostgreSQL
(many machines); the data files on local disk or in object storage.

The DuckDB extensions come from PyPI packages (`duckdb-extension-<name>`) and are loaded by
file path: nothing is downloaded at run time, and automatic installation is switched off so a
missing extension is a clear error instead of a network request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from extractors.errors import WirewatchError
from warehouse.results import single_count
from warehouse.target import WarehouseTarget

LAKE_ALIAS = "lake"
# DuckLake retries a commit that lost a race for the next snapshot id; the default (10) is
# too few when several workers commit together against one catalog.
MAX_COMMIT_RETRIES = 100
SQLITE_BUSY_TIMEOUT_MS = 10_000

# extension name -> the Python package that ships its binary
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
    "fts": "duckdb_extension_fts",
}
CATALOG_EXTENSIONS = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}
S3_SCHEMES = ("s3://", "s3a://", "s3n://")  # the ones a TYPE s3 secret covers


class LakeUnavailable(WirewatchError):
    """A DuckDB extension the lake needs is not installed; terminal: install the package."""


@dataclass(frozen=True, slots=True)
class CompactionReport:
    snapshots_before: int
    snapshots_after: int
    files_before: int
    files_after: int
    files_deleted: int


def extension_file(name: str) -> Path:
    """The extension binary shipped by its PyPI package for this DuckDB version."""
    package = EXTENSION_PACKAGES[name]
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise LakeUnavailable(
            f"DuckDB extension {name!r} is missing: install the package "
            f"{package.replace('_', '-')}=={duckdb.__version__}"
        ) from exc
    path = Path(str(root)) / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise LakeUnavailable(
            f"{package.replace('_', '-')} does not ship {name} for DuckDB {duckdb.__version__}: "
            "install the release matching the duckdb package"
        )
    return path


def required_extensions(target: WarehouseTarget) -> list[str]:
    names = [CATALOG_EXTENSIONS[target.catalog_kind or "sqlite"]]
    if target.data_path and "://" in target.data_path:
        names.append("httpfs")  # s3://, gs://, r2://, https:// data files
    names.append("ducklake")
    return names


def sql_literal(value: str) -> str:
    """Quote a value for statements that take no parameters (ATTACH, LOAD)."""
    if "\x00" in value:
        raise ValueError("a NUL character cannot appear in a path or DSN")
    return "'" + value.replace("'", "''") + "'"


def connect_lake(target: WarehouseTarget, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB session with the lake attached as `lake` and made the default."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        for name in required_extensions(target):
            con.execute(f"LOAD {sql_literal(str(extension_file(name)))}")
        con.execute(f"SET ducklake_max_retry_count = {MAX_COMMIT_RETRIES}")
        if target.data_path and target.data_path.startswith(S3_SCHEMES):
            create_s3_secret(con, os.environ)
        con.execute(_attach_statement(target, read_only))
        con.execute(f"USE {LAKE_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def create_s3_secret(con: duckdb.DuckDBPyConnection, env: Mapping[str, str]) -> bool:
    """A session secret for the data files from the standard AWS_* variables, if they are set.

    Keys never come from the settings file. Without AWS_ACCESS_KEY_ID nothing is created and
    DuckDB uses what the account already has (a persistent secret, see docs/scale-out.md).
    AWS_ENDPOINT_URL points at an S3-compatible server (http://host:port); such servers are
    addressed path-style (http://host:port/bucket/key), which every one of them understands.
    Returns whether a secret was created.
    """
    key_id = env.get("AWS_ACCESS_KEY_ID", "")
    if not key_id:
        return False
    options = {"KEY_ID": key_id, "SECRET": env.get("AWS_SECRET_ACCESS_KEY", ""),
               "REGION": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"}
    if env.get("AWS_SESSION_TOKEN"):
        options["SESSION_TOKEN"] = env["AWS_SESSION_TOKEN"]
    statement = ", ".join(f"{name} {sql_literal(value)}" for name, value in options.items())
    endpoint = env.get("AWS_ENDPOINT_URL", "")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise LakeUnavailable(
                f"AWS_ENDPOINT_URL {endpoint!r} is not an http(s)://host[:port] address")
        statement += (f", ENDPOINT {sql_literal(parts.netloc)}, URL_STYLE 'path', "
                      f"USE_SSL {'true' if parts.scheme == 'https' else 'false'}")
    try:
        con.execute(f"CREATE OR REPLACE SECRET wirewatch_lake_env (TYPE s3, {statement})")
    except duckdb.Error:
        # Not chained: DuckDB's message could quote the statement, which holds the key.
        raise LakeUnavailable(
            "DuckDB refused the S3 secret built from the AWS_* environment variables "
            "(check AWS_REGION and AWS_ENDPOINT_URL)") from None
    return True


def _attach_statement(target: WarehouseTarget, read_only: bool) -> str:
    if target.catalog is None or target.data_path is None:
        raise ValueError(f"{target.describe()} is not a DuckLake target")
    options = [f"DATA_PATH {sql_literal(target.data_path)}"]
    if target.catalog_kind == "sqlite":
        # WAL: readers of the catalog never block a writer's commit (and the reverse).
        options += ["META_JOURNAL_MODE 'WAL'", f"META_BUSY_TIMEOUT {SQLITE_BUSY_TIMEOUT_MS}"]
        path = target.sqlite_catalog_path
        if path is not None and not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            if "://" not in target.data_path:
                Path(target.data_path).mkdir(parents=True, exist_ok=True)
    if read_only:
        options.append("READ_ONLY")
    return (
        f"ATTACH {sql_literal('ducklake:' + target.catalog)} AS {LAKE_ALIAS} "
        f"({', '.join(options)})"
    )


@dataclass(frozen=True, slots=True)
class CompactionPolicy:
    keep_snapshots_for: timedelta = timedelta(days=7)  # how far back time travel reaches
    file_grace: timedelta = timedelta(hours=1)  # a query still reading an old file finishes


def compact_lake(
    con: duckdb.DuckDBPyConnection, policy: CompactionPolicy | None = None
) -> CompactionReport:
    """Fold small and updated files together, expire old snapshots, delete unreachable files.

    Every load writes new Parquet files, and every UPDATE a deletion file plus rewritten rows,
    so a lake fed every few minutes grows thousands of small files a week and reads slow down
    with their number. Nothing is deleted that a snapshot younger than the policy still needs.
    """
    policy = policy or CompactionPolicy()
    lake = sql_literal(LAKE_ALIAS)
    snapshots_before, files_before = _lake_counts(con)
    con.execute(f"CALL ducklake_flush_inlined_data({lake})")
    con.execute(f"CALL ducklake_rewrite_data_files({lake})")
    con.execute(f"CALL ducklake_merge_adjacent_files({lake})")
    con.execute(
        f"CALL ducklake_expire_snapshots({lake}, older_than => now() - to_seconds(?))",
        [int(policy.keep_snapshots_for.total_seconds())],
    )
    deleted = single_count(con.execute(
        f"SELECT count(*) FROM ducklake_cleanup_old_files({lake}, "
        "older_than => now() - to_seconds(?))",
        [int(policy.file_grace.total_seconds())],
    ))
    snapshots_after, files_after = _lake_counts(con)
    return CompactionReport(snapshots_before, snapshots_after, files_before, files_after, deleted)


def _lake_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    snapshots = single_count(con.execute(
        f"SELECT count(*) FROM ducklake_snapshots({sql_literal(LAKE_ALIAS)})"
    ))
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND NOT temporary",
        [LAKE_ALIAS],
    ).fetchall()]
    files = sum(
        single_count(con.execute(
            f"SELECT count(*) FROM ducklake_list_files({sql_literal(LAKE_ALIAS)}, ?)", [table]
        ))
        for table in tables
    )
    return snapshots, files
