"""The package seams, read from the source: SQL only in warehouse/, no import running back up.

flows/ orchestrates and may call warehouse/ functions, but holds no SQL of its own and never
touches a connection's query methods; warehouse/ never imports flows/; extractors/ imports
neither. The checks parse the source (nothing is imported or run), so they cost little.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A string that *starts* as a statement, in upper case as the project writes its SQL. Log and
# help text that merely mentions a query ("query it: wirewatch sql \"SELECT ...\"") starts
# otherwise and is left alone.
_SQL_START = re.compile(
    r"""\s*\(?\s*(
        SELECT\s | INSERT\s+INTO\s | UPDATE\s+\w+\s+SET\s | DELETE\s+FROM\s
      | WITH\s+\w+\s+AS\s*\(
      | CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|MACRO|INDEX|SCHEMA)\s
      | DROP\s+(TABLE|VIEW|MACRO|INDEX|SCHEMA)\s | ALTER\s+TABLE\s | COPY\s | ATTACH\s | DETACH\s
      | SET\s+\w+\s*= | PRAGMA\s | INSTALL\s | LOAD\s+' | CHECKPOINT\b
      | (BEGIN(\s+TRANSACTION)?|COMMIT|ROLLBACK)\s*$
    )""",
    re.VERBOSE,
)
# DuckDB connection methods that run or stage SQL.
_QUERY_METHODS = frozenset({
    "execute", "executemany", "sql", "query", "register", "unregister", "fetchall", "fetchone",
    "fetchmany", "fetchdf", "fetch_arrow_table", "arrow", "df",
})


def sql_findings(source: str) -> list[str]:
    """Where a module's source holds SQL or calls a query method: 'line N: what'."""
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _SQL_START.match(node.value):
                findings.append(f"line {node.lineno}: SQL text {node.value.strip()[:40]!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in _QUERY_METHODS):
            findings.append(f"line {node.lineno}: .{node.func.attr}(...) call")
    return findings


def _modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_flows_module_holds_sql_or_queries_a_connection():
    found = {
        str(path.relative_to(ROOT)): findings
        for path in _modules("flows")
        if (findings := sql_findings(path.read_text("utf-8")))
    }
    assert found == {}, "SQL belongs in warehouse/ functions with typed results"


@pytest.mark.parametrize(("source", "flagged"), [
    ('con.execute(x)', True),
    ('q = "SELECT story_id FROM stories"', True),
    ('q = """\n  WITH counted AS (SELECT 1) SELECT * FROM counted"""', True),
    ('q = f"DELETE FROM {table} WHERE id = 1"', True),
    ('q = "BEGIN TRANSACTION"', True),
    ('log.info("select the feeds from the outlets file")', False),
    ('print(f"query it: wirewatch sql --db {p} \\"SELECT title FROM articles\\"")', False),
    ('message = "Selected 3 feeds; updated 2"', False),
])
def test_the_sql_check_flags_statements_and_calls_but_not_prose(source, flagged):
    assert bool(sql_findings(source)) is flagged


@pytest.mark.parametrize(("package", "forbidden"), [
    ("warehouse", ("flows", "bench")),
    ("extractors", ("flows", "warehouse", "bench")),
])
def test_no_import_runs_back_up(package, forbidden):
    upward = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules(package)
        for name in _imported(path)
        if name.split(".")[0] in forbidden
    }
    assert upward == set()


@pytest.mark.parametrize("package", ["flows/transport", "flows/alerts"])
def test_transport_and_alerts_take_only_the_error_tree_from_the_rest_of_flows(package):
    """Both are used by the stages, not the other way round: settings and configuration are
    turned into their inputs outside them (flows/cycle.py, flows/alert_delivery.py)."""
    own = package.replace("/", ".")
    reached = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules(package)
        for name in _imported(path)
        if name.startswith("flows.") and not name.startswith(own) and name != "flows.errors"
    }
    assert reached == set()
