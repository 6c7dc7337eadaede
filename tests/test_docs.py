"""Every command is in the README and every setting in docs/settings.md."""

from pathlib import Path

import click
import pytest

from flows.cli import main
from flows.settings import specs_of_settings

ROOT = Path(__file__).resolve().parents[1]


def command_paths(group: click.Group, prefix: str = "wirewatch") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
        else:
            paths.append(path)
    return paths


README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", command_paths(main))
def test_every_command_is_documented_in_the_readme(path):
    top = " ".join(path.split()[:2])
    sub = path.split()[2] if len(path.split()) > 2 else None
    assert f"`{top}" in README, f"{top} missing from README"
    if sub:
        lines = [line for line in README.splitlines() if f"`{top}" in line]
        assert any(sub in line for line in lines), f"{path} missing from README"


@pytest.mark.parametrize("name", list(specs_of_settings()))
def test_every_setting_is_documented(name):
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"`{name}`" in text
