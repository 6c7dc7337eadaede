"""Every failure the command line reports is one `error:` line with its documented exit code.

Configuration errors are found before Prefect starts (no Prefect output precedes the line) and
leave no warehouse behind; a busy warehouse or cycle lock is one line after `lock_timeout_s`.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.exit_codes import EXIT_BUSY, EXIT_CONFIG, EXIT_USAGE

GOOD_OUTLET = textwrap.dedent("""
    [[outlets]]
    id = "diario"
    name = "Diario"
    homepage = "https://diario.example"
    language = "es"
    country = "MX"
    kind = "outlet"
    feeds = ["https://diario.example/rss"]
""")


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env or {})


def assert_one_error_line(result, code: int, *needles: str) -> str:
    lines = result.output.splitlines()
    assert result.exit_code == code, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output and "prefect" not in result.output.lower()
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A folder with a valid outlets file; the warehouse would go to w.duckdb in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outlets.toml").write_text(GOOD_OUTLET, encoding="utf-8")
    return tmp_path


def run_env(work: Path, **extra: str) -> dict[str, str]:
    return {"WIREWATCH_OUTLETS_FILE": str(work / "outlets.toml"),
            "WIREWATCH_DB_PATH": str(work / "w.duckdb"), **extra}


@pytest.mark.parametrize(("variable", "value", "allowed"), [
    ("WIREWATCH_PER_HOST_DELAY_S", "nan", "finite number >= 0 and <= 3600"),
    ("WIREWATCH_PER_HOST_DELAY_S", "inf", "finite number >= 0 and <= 3600"),
    ("WIREWATCH_CONNECT_TIMEOUT_S", "-inf", "finite number > 0"),
    ("WIREWATCH_DEFAULT_INTERVAL_MINUTES", "-5", "> 0"),
    ("WIREWATCH_MIN_INTERVAL_MINUTES", "-5", "> 0"),
    ("WIREWATCH_MAX_INTERVAL_MINUTES", "-5", "> 0"),
    ("WIREWATCH_MAX_BACKOFF_MINUTES", "-5", "> 0"),
    ("WIREWATCH_INGEST_INTERVAL_MINUTES", "-5", "> 0"),
    ("WIREWATCH_MAX_BYTES", "1.9", "whole number >= 1"),
    ("WIREWATCH_TOTAL_CONCURRENCY", "0", "whole number >= 1"),
    ("WIREWATCH_NER", "bogus", "one of auto, off, spacy"),
    ("WIREWATCH_DB_PATH", "", "a file path"),
])
def test_a_setting_out_of_range_is_one_line_naming_it_its_source_and_the_range(
        work, variable, value, allowed):
    result = invoke("run", env={**run_env(work), variable: value})
    setting = variable.removeprefix("WIREWATCH_").lower()
    assert_one_error_line(result, EXIT_CONFIG, f"environment variable {variable}", setting,
                          allowed)
    assert not (work / "w.duckdb").exists()  # nothing was written


@pytest.mark.parametrize(("line", "needle"), [
    ("max_bytes = 1.9", "max_bytes"),
    ('db_path = ["x.duckdb"]', "db_path"),
    ("per_host_delay_s = nan", "per_host_delay_s"),
    ("respect_robots = 3", "respect_robots"),
    ("db_pth = 'typo.duckdb'", "did you mean db_path?"),
])
def test_a_bad_value_in_the_config_file_names_the_file_and_setting(work, line, needle):
    config = work / "wirewatch.toml"
    config.write_text(f"[wirewatch]\n{line}\n", encoding="utf-8")
    result = invoke("run", "--config", str(config),
                    env={"WIREWATCH_OUTLETS_FILE": str(work / "outlets.toml")})
    assert_one_error_line(result, EXIT_CONFIG, str(config), needle)


def test_a_mistyped_variable_is_refused_with_the_closest_known_name(work):
    result = invoke("run", env={**run_env(work), "WIREWATCH_PER_HOST_DELAY": "2"})
    assert_one_error_line(result, EXIT_CONFIG, "WIREWATCH_PER_HOST_DELAY",
                          "did you mean WIREWATCH_PER_HOST_DELAY_S?")


def test_a_variable_a_rule_names_is_not_mistaken_for_a_setting(work):
    config = work / "wirewatch.toml"
    config.write_text('[[rules]]\nname = "r"\ntopic = "us_mexico_security"\n'
                      'destinations_env = ["WIREWATCH_DESK_URLS"]\n', encoding="utf-8")
    result = invoke("feeds", "list", "--config", str(config),
                    env={**run_env(work), "WIREWATCH_DESK_URLS": "json://127.0.0.1:9/x"})
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("body", "needle"), [
    (b"[wirewatch]\ncontact = \"caf\xe9\"\n", "not UTF-8"),
    (b"wirewatch = 5\n", "must be a table"),
    (b"[wirewatch\n", "not valid TOML"),
])
def test_an_unreadable_config_file_is_one_line(work, body, needle):
    config = work / "wirewatch.toml"
    config.write_bytes(body)
    result = invoke("run", "--config", str(config), env=run_env(work))
    assert_one_error_line(result, EXIT_CONFIG, needle)


@pytest.mark.parametrize(("extra", "outlets", "needle"), [
    ({"WIREWATCH_ALLOWED_NETWORKS": "banana"}, GOOD_OUTLET, "banana"),
    ({"WIREWATCH_WAREHOUSE": "bogus:thing"}, GOOD_OUTLET, "bogus:thing"),
    ({}, GOOD_OUTLET + GOOD_OUTLET.replace("/rss", "/other"), "already used"),
    ({}, GOOD_OUTLET.replace('name = "Diario"', 'name = "' + "N" * 5_000_000 + '"'),
     "at most 200 characters"),
])
def test_configuration_a_cycle_needs_is_checked_before_prefect_starts(work, extra, outlets,
                                                                      needle):
    (work / "outlets.toml").write_text(outlets, encoding="utf-8")
    result = invoke("run", env={**run_env(work), **extra})
    line = assert_one_error_line(result, EXIT_CONFIG, needle)
    assert len(line) < 2100  # a 5 MB name is not echoed back
    assert not (work / "w.duckdb").exists()


def test_a_bad_rule_is_refused_before_prefect_starts(work):
    config = work / "wirewatch.toml"
    config.write_text('[[rules]]\nname = "r"\nurls = ["json://x"]\n', encoding="utf-8")
    result = invoke("run", "--config", str(config), env=run_env(work))
    assert_one_error_line(result, EXIT_CONFIG, "environment variables")


def test_forty_thousand_bad_outlets_print_the_first_few_and_a_count(work):
    bad = "".join(f'[[outlets]]\nid = "o{n}"\n' for n in range(40_001))
    (work / "outlets.toml").write_text(bad, encoding="utf-8")
    result = invoke("run", env=run_env(work))
    line = assert_one_error_line(result, EXIT_CONFIG, "more problems")
    assert len(line) <= 2000


def test_export_since_that_is_not_a_date_is_a_usage_error(work):
    result = invoke("export", "-o", str(work / "x.jsonl"), "--since", "yesterday",
                    env=run_env(work))
    assert_one_error_line(result, EXIT_USAGE, "--since", "YYYY-MM-DD")


def test_serve_refuses_a_nonsense_interval_before_starting_anything(work):
    result = invoke("serve", "--interval-seconds", "nan", env=run_env(work))
    assert_one_error_line(result, EXIT_CONFIG, "--interval-seconds")


def test_a_held_cycle_lock_is_one_line_with_exit_code_4(work):
    lock = work / "w.duckdb.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = invoke("run", env=run_env(work, WIREWATCH_LOCK_TIMEOUT_S="0.3"))
    finally:
        os.close(fd)
    assert_one_error_line(result, EXIT_BUSY, "another cycle holds", str(lock),
                          "lock_timeout_s")
    assert not (work / "w.duckdb").exists()


HOLDER = "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); " \
         "sys.stdin.read()"


def test_a_warehouse_held_by_another_writer_is_one_line_with_exit_code_4(work):
    db = work / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = db.stat().st_size
        result = invoke("run", env=run_env(work, WIREWATCH_LOCK_TIMEOUT_S="0.3"))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert_one_error_line(result, EXIT_BUSY, "held by another process", str(db))
    assert db.stat().st_size == before


@pytest.mark.prefect
def test_a_second_run_says_when_the_next_feed_is_due_and_feeds_list_shows_that_warehouse(
        prefect_harness, tmp_path):
    from flows.demo import DemoSite

    db = tmp_path / "w.duckdb"
    with DemoSite(phase=1) as site:
        first_outlet = site.outlets_toml().split("[[outlets]]")[1]
        (tmp_path / "outlets.toml").write_text("[[outlets]]" + first_outlet, encoding="utf-8")
        env = {"WIREWATCH_OUTLETS_FILE": str(tmp_path / "outlets.toml"),
               "WIREWATCH_DB_PATH": str(db), "WIREWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
               "WIREWATCH_PER_HOST_DELAY_S": "0", "COLUMNS": "250"}
        assert invoke("run", env=env).exit_code == 0
        second = invoke("run", env=env)
    assert second.exit_code == 0, second.output
    assert "nothing was due; next feed due at 20" in second.output
    # --db: the feeds of that warehouse, not of the configuration (the packaged 36 outlets).
    listed = invoke("feeds", "list", "--db", str(db), env={"COLUMNS": "250"})
    outlet_id = first_outlet.split('id = "')[1].split('"')[0]
    rows = [line for line in listed.output.splitlines() if "127.0.0.1" in line]
    assert listed.exit_code == 0 and rows and all(outlet_id in row for row in rows)


@pytest.mark.parametrize(("extra", "files", "needle"), [
    ({"WIREWATCH_EXTRA_ENTITIES_PATH": "entities.toml"}, {"entities.toml": "entity = 5\n"},
     "array of tables"),
    ({"WIREWATCH_EXTRA_TOPICS_PATH": "topics.toml"}, {"topics.toml": "[[[\n"}, "topics.toml"),
    ({"WIREWATCH_EXTRA_ENTITIES_PATH": "absent.toml"}, {}, "cannot read"),
])
def test_tagging_files_are_checked_before_prefect_starts(work, extra, files, needle):
    for name, body in files.items():
        (work / name).write_text(body, encoding="utf-8")
    result = invoke("run", env={**run_env(work), **extra})
    assert_one_error_line(result, EXIT_CONFIG, needle)


def test_ner_spacy_without_spacy_is_a_configuration_error(work):
    import importlib.util

    if importlib.util.find_spec("spacy") is not None:
        pytest.skip("spaCy is installed here, so ner = 'spacy' is valid")
    result = invoke("run", env=run_env(work, WIREWATCH_NER="spacy"))
    assert_one_error_line(result, EXIT_CONFIG, "spaCy is not installed")


def test_traceback_option_shows_the_error_itself(work):
    from flows.errors import ConfigError

    result = invoke("--traceback", "run", env=run_env(work, WIREWATCH_MAX_BYTES="-1"))
    assert isinstance(result.exception, ConfigError)
    assert "WIREWATCH_MAX_BYTES" in str(result.exception)


def test_every_error_class_has_its_documented_exit_code():
    from extractors.entity_gazetteer import GazetteerError
    from extractors.entity_ner import NerUnavailable
    from flows.cycle_lock import CycleAlreadyRunning
    from flows.errors import ConfigError, UsageError
    from flows.exit_codes import EXIT_DISK_FULL, EXIT_FAILURE, EXIT_INTERRUPTED, verdict_for
    from flows.serve import ServerStartError
    from warehouse.connection import WarehouseBusy, WarehouseConflict, WarehouseDiskFull
    from warehouse.target import WarehouseConfigError

    expected = {ConfigError("x"): EXIT_CONFIG, WarehouseConfigError("x"): EXIT_CONFIG,
                GazetteerError("x"): EXIT_CONFIG, NerUnavailable("x"): EXIT_CONFIG,
                UsageError("x"): EXIT_USAGE, CycleAlreadyRunning("x"): EXIT_BUSY,
                WarehouseBusy("x"): EXIT_BUSY, WarehouseConflict("x"): EXIT_BUSY,
                WarehouseDiskFull("x"): EXIT_DISK_FULL, ServerStartError("x"): EXIT_FAILURE,
                OSError(28, "No space left on device", "/d/w.lock"): EXIT_DISK_FULL,
                FileNotFoundError("x"): EXIT_FAILURE, RuntimeError("x"): EXIT_FAILURE,
                KeyboardInterrupt(): EXIT_INTERRUPTED}
    for error, code in expected.items():
        assert verdict_for(error).code == code, error
    assert "\n" not in verdict_for(RuntimeError("a\nb\nc")).line


def test_a_project_failure_is_one_line_with_exit_code_1(work):
    from flows.exit_codes import EXIT_FAILURE

    (work / "bad.conll").write_text("not a conll line\n", encoding="utf-8")
    result = invoke("evaluate", "ner", "--conll", str(work / "bad.conll"), "--lang", "es")
    line = assert_one_error_line(result, EXIT_FAILURE, "bad.conll:1")
    assert "unexpected" not in line  # a WirewatchError: its own message, not a crash report


def _limit_file_size(size: int) -> None:
    """Run in the child before exec: writes past `size` bytes fail with EFBIG (an
    out-of-space condition) instead of the default SIGXFSZ killing the process."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_full_disk_is_one_line_with_exit_code_5_in_a_real_process(work):
    from flows.exit_codes import EXIT_DISK_FULL

    outlets = work / "outlets.toml"
    before = outlets.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "feeds", "add",
         "https://tiempo.example/rss", "--outlet", "tiempo", "--name", "Tiempo",
         "--homepage", "https://tiempo.example", "--language", "es", "--country", "ES",
         "--file", str(outlets)],
        preexec_fn=lambda: _limit_file_size(len(before)), capture_output=True, text=True,
        timeout=120, env={**os.environ, "COLUMNS": "200"}, check=False)
    lines = done.stderr.splitlines()
    assert done.returncode == EXIT_DISK_FULL, done.stderr
    assert len(lines) == 1 and lines[0].startswith("error: disk full"), done.stderr
    assert outlets.read_bytes() == before


def _has_open(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) == str(path) for fd in fds.iterdir())
    except OSError:  # the process ended, or a descriptor closed while we looked
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the wait")
def test_ctrl_c_while_waiting_for_a_cycle_is_one_line_with_exit_code_130(work):
    import signal
    import time

    from flows.exit_codes import EXIT_INTERRUPTED

    lock = work / "w.duckdb.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    env = {**os.environ, **run_env(work, WIREWATCH_LOCK_TIMEOUT_S="120")}
    proc = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "run"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while not _has_open(proc.pid, lock) and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _has_open(proc.pid, lock), "the run never reached the lock"  # waiting on it now
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(fd)
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert stderr.splitlines() == ["error: interrupted"]
