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
