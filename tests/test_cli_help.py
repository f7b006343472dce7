"""Every command is documented: help with an example, and every setting appears in README.md."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conflictlens import settings
from conflictlens.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        path = prefix + (name,)
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


ALL_COMMANDS = list(_commands(main))


def test_there_are_commands():
    names = {" ".join(p) for p, _ in ALL_COMMANDS}
    assert {"ingest", "events", "show", "actors", "export", "stats", "benchmark", "eval muc4"} <= names


@pytest.mark.parametrize("path", [p for p, _ in ALL_COMMANDS], ids=lambda p: " ".join(p))
def test_command_help_has_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"`conflictlens {' '.join(path)} --help` shows no example"
    assert "conflictlens " in result.output.split("Example:", 1)[1]


@pytest.mark.parametrize("path", [p for p, _ in ALL_COMMANDS], ids=lambda p: " ".join(p))
def test_command_is_in_readme(path):
    assert f"conflictlens {' '.join(path)}" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", settings.ALL, ids=lambda s: s.name)
def test_setting_is_documented(setting):
    assert setting.name in README.read_text(encoding="utf-8")


def test_top_level_help_and_version():
    runner = CliRunner()
    assert "Example:" in runner.invoke(main, ["--help"]).output
    assert runner.invoke(main, ["--version"]).output.startswith("conflictlens, version")
