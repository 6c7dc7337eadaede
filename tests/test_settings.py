from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.settings import Settings, load_settings


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "wirewatch.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_set(tmp_path):
    settings = load_settings(None, env={})
    assert settings.db_path == Settings().db_path
    assert settings.allowed_networks == ()  # loopback is never allowed by default


def test_environment_beats_file_beats_default(tmp_path):
    config = write_config(tmp_path, '[wirewatch]\ndb_path = "from-file.duckdb"\n'
                                    'per_host_delay_s = 2.5\nmax_redirects = 3\n')
    env = {"WIREWATCH_DB_PATH": "from-env.duckdb"}
    settings = load_settings(config, env=env)
    assert settings.db_path == Path("from-env.duckdb")
    assert settings.per_host_delay_s == 2.5
    assert settings.max_redirects == 3
    assert settings.read_timeout_s == Settings().read_timeout_s


def test_overrides_beat_environment_and_are_coerced(tmp_path):
    settings = load_settings(None, env={"WIREWATCH_DB_PATH": "env.duckdb"},
                             overrides={"db_path": "x.duckdb", "allowed_networks": ["127.0.0.0/8"]})
    assert settings.db_path == Path("x.duckdb")
    assert settings.allowed_networks == ("127.0.0.0/8",)


def test_env_lists_and_booleans():
    env = {"WIREWATCH_ALLOWED_HOSTS": "a.example, b.example", "WIREWATCH_RESPECT_ROBOTS": "no"}
    settings = load_settings(None, env=env)
    assert settings.allowed_hosts == ("a.example", "b.example")
    assert settings.respect_robots is False


def test_config_file_found_through_environment(tmp_path):
    config = write_config(tmp_path, '[wirewatch]\ncontact = "desk@example.org"\n')
    settings = load_settings(None, env={"WIREWATCH_CONFIG": str(config)})
    assert settings.contact == "desk@example.org"


def test_bad_value_names_its_source(tmp_path):
    with pytest.raises(ConfigError, match="WIREWATCH_MAX_BYTES"):
        load_settings(None, env={"WIREWATCH_MAX_BYTES": "ten megabytes"})


def test_unknown_setting_is_an_error(tmp_path):
    config = write_config(tmp_path, "[wirewatch]\ndb_pth = 'typo.duckdb'\n")
    with pytest.raises(ConfigError, match="db_pth"):
        load_settings(config, env={})


def test_invalid_toml_is_an_error(tmp_path):
    config = write_config(tmp_path, "[wirewatch\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config, env={})


def test_missing_config_named_by_env_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not a file"):
        load_settings(None, env={"WIREWATCH_CONFIG": str(tmp_path / "absent.toml")})


def test_analyst_copy_path_defaults_beside_the_warehouse():
    settings = Settings(db_path=Path("/data/ww.duckdb"))
    assert settings.resolved_analyst_db_path == Path("/data/ww.analyst.duckdb")


def test_a_relative_outlets_file_in_the_config_file_is_read_beside_it(tmp_path):
    config = write_config(tmp_path, '[wirewatch]\noutlets_file = "mine.toml"\n'
                                    'db_path = "data/w.duckdb"\n')
    settings = load_settings(config, env={})
    assert settings.outlets_file == tmp_path / "mine.toml"
    assert settings.db_path == Path("data/w.duckdb")  # working-directory relative, documented


@pytest.mark.parametrize(("overrides", "needle"), [
    ({"max_bytes": 1.9}, "whole number"),
    ({"max_bytes": True}, "whole number"),
    ({"db_path": ["x.duckdb"]}, "a file path"),
    ({"per_host_delay_s": float("inf")}, "finite number"),
    ({"lock_timeout_s": -1}, ">= 0"),
    ({"user_agent": "ww\r\nX-Injected: 1"}, "one line"),
    ({"min_interval_minutes": 60, "max_interval_minutes": 30}, "must not exceed"),
])
def test_values_are_converted_strictly_never_truncated(overrides, needle):
    with pytest.raises(ConfigError, match=needle):
        load_settings(None, env={}, overrides=overrides)


def test_whole_floats_and_numeric_text_are_accepted():
    settings = load_settings(None, env={"WIREWATCH_MAX_BYTES": " 2000 "},
                             overrides={"max_redirects": 3.0, "per_host_delay_s": 2})
    assert (settings.max_bytes, settings.max_redirects, settings.per_host_delay_s) == (2000, 3, 2.0)


def test_every_documented_range_is_the_one_enforced():
    from flows.setting_specs import SPECS

    text = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")
    for name, spec in SPECS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert spec.describe() in row, name


@pytest.mark.parametrize(("annotation", "raw", "expected"), [
    ("int", "7", 7), ("float", "2.5", 2.5), ("bool", "yes", True), ("str", "", ""),
    ("Path | None", "x.toml", Path("x.toml")), ("tuple[str, ...]", "a, b", ("a", "b")),
])
def test_a_setting_without_a_listed_range_still_gets_a_strict_type(annotation, raw, expected):
    from flows.setting_specs import convert, spec_from_annotation

    assert convert("new_setting", spec_from_annotation(annotation), raw, "test") == expected
    if annotation == "float":
        with pytest.raises(ConfigError, match="finite"):
            convert("new_setting", spec_from_annotation(annotation), "nan", "test")
