from pathlib import Path
from typing import Optional

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
    assert settings.fetch.allowed_networks == ()  # loopback is never allowed by default


def test_environment_beats_file_beats_default(tmp_path):
    config = write_config(tmp_path, '[wirewatch]\ndb_path = "from-file.duckdb"\n'
                                    'per_host_delay_s = 2.5\nmax_redirects = 3\n')
    env = {"WIREWATCH_DB_PATH": "from-env.duckdb"}
    settings = load_settings(config, env=env)
    assert settings.db_path == Path("from-env.duckdb")
    assert settings.fetch.per_host_delay_s == 2.5
    assert settings.fetch.max_redirects == 3
    assert settings.fetch.read_timeout_s == Settings().fetch.read_timeout_s


def test_overrides_beat_environment_and_are_coerced(tmp_path):
    settings = load_settings(None, env={"WIREWATCH_DB_PATH": "env.duckdb"},
                             overrides={"db_path": "x.duckdb", "allowed_networks": ["127.0.0.0/8"]})
    assert settings.db_path == Path("x.duckdb")
    assert settings.fetch.allowed_networks == ("127.0.0.0/8",)


def test_env_lists_and_booleans():
    env = {"WIREWATCH_ALLOWED_HOSTS": "a.example, b.example", "WIREWATCH_RESPECT_ROBOTS": "no"}
    settings = load_settings(None, env=env)
    assert settings.fetch.allowed_hosts == ("a.example", "b.example")
    assert settings.fetch.respect_robots is False


def test_config_file_found_through_environment(tmp_path):
    config = write_config(tmp_path, '[wirewatch]\ncontact = "desk@example.org"\n')
    settings = load_settings(None, env={"WIREWATCH_CONFIG": str(config)})
    assert settings.fetch.contact == "desk@example.org"


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
    fetch = settings.fetch
    assert (fetch.max_bytes, fetch.max_redirects, fetch.per_host_delay_s) == (2000, 3, 2.0)


def test_every_documented_range_is_the_one_enforced():
    from flows.setting_specs import SPECS

    text = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")
    for name, spec in SPECS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert spec.describe() in row, name


@pytest.mark.parametrize(("annotation", "raw", "expected"), [
    (int, "7", 7), (float, "2.5", 2.5), (bool, "yes", True), (bool, False, False),
    (str, "", ""), (Path | None, "x.toml", Path("x.toml")), (Path | None, None, None),
    (Optional[int], " 12 ", 12), (int | None, None, None),  # noqa: UP045 (both spellings)
    (tuple[str, ...], "a, b", ("a", "b")), (tuple[str, ...], ["a", "b"], ("a", "b")),
])
def test_the_type_of_a_setting_comes_from_its_annotation(annotation, raw, expected):
    from flows.setting_specs import convert, spec_from_annotation

    value = convert("new_setting", spec_from_annotation(annotation), raw, "test")
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("annotation", "raw", "needle"), [
    (float, "nan", "finite"), (int, "1.5", "whole number"), (int, True, "whole number"),
    (bool, "maybe", "true or false"), (tuple[str, ...], 5, "list"),
    (Path, ["x"], "file path"), (int, None, "whole number"),  # None only when optional
])
def test_a_bad_value_is_a_config_error_naming_the_setting(annotation, raw, needle):
    from flows.setting_specs import convert, spec_from_annotation

    with pytest.raises(ConfigError, match=needle) as refused:
        convert("new_setting", spec_from_annotation(annotation), raw, "test")
    assert "new_setting" in str(refused.value)


@pytest.mark.parametrize("annotation", [dict[str, int], list[str], int | str, bytes])
def test_an_annotation_without_a_converter_is_refused_not_guessed(annotation):
    from flows.setting_specs import spec_from_annotation

    with pytest.raises(TypeError):
        spec_from_annotation(annotation)


def test_every_setting_has_a_spec_that_agrees_with_its_annotation():
    from flows.setting_specs import SPECS, Spec, checked_spec
    from flows.settings import specs_of_settings

    assert set(SPECS) == set(specs_of_settings())  # every setting listed, nothing stale
    with pytest.raises(TypeError, match="max_bytes"):
        checked_spec("max_bytes", float, Spec("int", 1, 10))
    with pytest.raises(TypeError, match="contact"):
        checked_spec("contact", str | None, Spec("text"))


def fetch_values() -> dict[str, tuple[str, object]]:
    """For every FetchPolicy field: a non-default value as TOML text and as Python."""
    return {
        "user_agent": ('"newsdesk/2.0"', "newsdesk/2.0"),
        "contact": ('"desk@example.org"', "desk@example.org"),
        "connect_timeout_s": ("3.5", 3.5), "read_timeout_s": ("4.5", 4.5),
        "total_timeout_s": ("30.0", 30.0), "max_bytes": ("123456", 123456),
        "max_redirects": ("2", 2), "per_host_concurrency": ("3", 3),
        "per_host_delay_s": ("0.25", 0.25), "total_concurrency": ("9", 9),
        "respect_robots": ("false", False),
        "allowed_hosts": ('["a.example", "b.example"]', ("a.example", "b.example")),
        "allowed_networks": ('["127.0.0.0/8"]', ("127.0.0.0/8",)),
        "max_retry_wait_s": ("4.0", 4.0), "robots_max_bytes": ("700000", 700000),
        "max_crawl_delay_s": ("2.0", 2.0),
    }


def test_every_fetch_policy_field_is_settable_from_a_file_and_from_the_environment(tmp_path):
    from dataclasses import fields

    from flows.transport import FetchPolicy

    values = fetch_values()
    assert set(values) == {f.name for f in fields(FetchPolicy)}
    assert all(getattr(FetchPolicy(), name) != value for name, (_, value) in values.items())
    body = "[wirewatch]\n" + "".join(f"{name} = {toml}\n" for name, (toml, _) in values.items())
    from_file = load_settings(write_config(tmp_path, body), env={}).fetch
    env = {f"WIREWATCH_{name.upper()}": toml.strip('"[]').replace('"', "")
           for name, (toml, _) in values.items()}
    from_env = load_settings(None, env=env).fetch
    for name, (_, value) in values.items():
        assert getattr(from_file, name) == value, name
        assert getattr(from_env, name) == value, name


def test_one_user_agent_default_and_the_policy_is_built_from_the_settings():
    from flows.transport import FetchPolicy

    settings = load_settings(None, env={"WIREWATCH_CONTACT": "ops@example.org"})
    assert Settings().fetch == FetchPolicy()
    assert settings.fetch.user_agent == FetchPolicy().user_agent == "wirewatch/0.1"
    assert settings.fetch.user_agent_header == "wirewatch/0.1 (contact: ops@example.org)"
    changed = settings.replace(per_host_delay_s=0.0, lock_timeout_s=2.0)
    assert (changed.fetch.per_host_delay_s, changed.fetch.contact) == (0.0, "ops@example.org")
    assert changed.lock_timeout_s == 2.0 and settings.fetch.per_host_delay_s == 1.0


def test_the_policy_s_own_checks_name_the_setting():
    with pytest.raises(ConfigError, match="allowed_networks"):
        load_settings(None, env={"WIREWATCH_ALLOWED_NETWORKS": "localhost"})
    with pytest.raises(ConfigError, match="WIREWATCH_ROBOTS_MAX_BYTES"):
        load_settings(None, env={"WIREWATCH_ROBOTS_MAX_BYTES": "0"})
