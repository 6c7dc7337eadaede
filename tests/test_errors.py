"""One error tree: every exception the project defines derives from WirewatchError, and its exit
code and retry flag are properties of its class, exactly as docs/robustness.md tables them."""

from __future__ import annotations

import ast
import importlib
import inspect
import pickle
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.errors import (
    EXIT_BUSY,
    EXIT_CONFIG,
    BusyError,
    ConfigError,
    TransientError,
    WirewatchError,
    is_transient,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "warehouse", "flows")
TREE_ROW = re.compile(r"([A-Z][A-Za-z]+)\s+(\d+)\s+(transient|terminal)\b")


@dataclass(frozen=True, slots=True)
class Documented:
    exit_code: int
    transient: bool


def project_exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of the three packages, by class name."""
    found: dict[str, type[BaseException]] = {}
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, BaseException) \
                        and obj.__module__ == module.__name__:
                    assert obj.__name__ not in found or found[obj.__name__] is obj, obj
                    found[obj.__name__] = obj
    return found


def documented_tree() -> dict[str, Documented]:
    """The rows of the error tree in docs/robustness.md."""
    text = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    block = text.split("### The error tree", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    rows = {}
    for line in block.splitlines():
        match = TREE_ROW.search(line)
        if match:
            rows[match[1]] = Documented(int(match[2]), match[3] == "transient")
    return rows


@pytest.fixture(scope="module")
def classes() -> dict[str, type[BaseException]]:
    return project_exception_classes()


def test_every_project_exception_derives_from_the_one_base(classes):
    outside = sorted(name for name, cls in classes.items() if not issubclass(cls, WirewatchError))
    assert outside == []
    # The walk really found the families, not just the base module.
    assert {"WarehouseBusy", "CycleAlreadyRunning", "GazetteerError", "NerUnavailable",
            "WarehouseConfigError", "LabelledSetError", "HTTPStatusError"} <= set(classes)


def test_the_documented_tree_lists_every_class_with_its_exit_code_and_retry_flag(classes):
    documented = documented_tree()
    assert sorted(set(classes) ^ set(documented)) == []
    for name, cls in classes.items():
        assert issubclass(cls, WirewatchError)
        assert (cls.exit_code, cls.transient) == (documented[name].exit_code,
                                                  documented[name].transient), name


def test_transient_comes_only_from_the_transient_family(classes):
    for name, cls in classes.items():
        assert issubclass(cls, WirewatchError)
        assert cls.transient is issubclass(cls, TransientError), name
        assert "transient" not in vars(cls) or cls in (WirewatchError, TransientError), name


def test_labelled_set_error_is_one_class_for_every_evaluation():
    from flows.evaluate import credits, entities, extraction

    assert credits.LabelledSetError is entities.LabelledSetError is extraction.LabelledSetError
    assert issubclass(credits.LabelledSetError, ValueError)  # as each copy was before


@pytest.mark.parametrize(("status", "transient"), [(503, True), (429, True), (404, False),
                                                    (501, False)])
def test_an_http_status_error_is_built_as_the_class_its_status_belongs_to(status, transient):
    from flows.errors import HTTPStatusError, TerminalHTTPStatusError, TransientHTTPStatusError

    error = HTTPStatusError("http_status", f"HTTP {status}", url="http://x/", status=status)
    assert isinstance(error, HTTPStatusError)
    assert type(error) is (TransientHTTPStatusError if transient else TerminalHTTPStatusError)
    assert "transient" not in vars(error) and error.transient is transient
    copy = pickle.loads(pickle.dumps(error))  # results cross process boundaries
    assert type(copy) is type(error) and copy.status == status


def test_stdlib_bases_are_kept_for_older_except_clauses():
    from extractors.entity_gazetteer import GazetteerError
    from extractors.entity_ner import NerUnavailable
    from warehouse.target import WarehouseConfigError

    assert issubclass(GazetteerError, ValueError) and issubclass(GazetteerError, ConfigError)
    assert issubclass(WarehouseConfigError, ValueError)
    assert issubclass(NerUnavailable, RuntimeError)


def test_retries_are_decided_by_class_and_never_for_foreign_errors():
    from flows.cycle_lock import CycleAlreadyRunning
    from warehouse.connection import WarehouseBusy, WarehouseDiskFull

    assert is_transient(WarehouseBusy("held")) and is_transient(CycleAlreadyRunning("held"))
    assert WarehouseBusy.exit_code == CycleAlreadyRunning.exit_code == EXIT_BUSY
    assert issubclass(WarehouseBusy, BusyError)
    assert not is_transient(WarehouseDiskFull("full"))
    assert not is_transient(ConfigError("bad")) and ConfigError.exit_code == EXIT_CONFIG

    class Foreign(Exception):
        transient = True  # a library's attribute of the same name means nothing to us

    assert not is_transient(Foreign()) and not is_transient(TimeoutError())


def _python_files() -> list[Path]:
    return [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]


def test_no_code_reads_transient_by_getattr():
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "getattr" and len(node.args) >= 2 \
                    and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value == "transient":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_base_module_imports_nothing_of_the_project():
    tree = ast.parse((ROOT / "extractors" / "errors.py").read_text(encoding="utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names]
    assert [name for name in imported if name.split(".")[0] in PACKAGES] == []
