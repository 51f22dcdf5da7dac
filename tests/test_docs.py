"""Every CLI command is documented: in the README or under docs/."""

import re
from pathlib import Path

import pytest
import typer.main

from innerpace.cli import app

ROOT = Path(__file__).resolve().parents[1]


def command_paths() -> list[str]:
    root = typer.main.get_command(app)
    found = []

    def walk(group, prefix):
        for name, command in sorted(getattr(group, "commands", {}).items()):
            path = f"{prefix} {name}".strip()
            found.append(path)
            walk(command, path)

    walk(root, "")
    return found


def documentation() -> str:
    texts = [(ROOT / "README.md").read_text("utf-8")]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(texts)


@pytest.mark.parametrize("command", command_paths())
def test_every_command_is_documented(command):
    pattern = r"innerpace\s+(?:--data-dir\s+\S+\s+)?" + r"\s+".join(map(re.escape, command.split()))
    assert re.search(pattern, documentation()), f"`innerpace {command}` is not documented"


def test_the_readme_gives_the_two_set_up_commands_on_its_first_screen():
    first_screen = "\n".join((ROOT / "README.md").read_text("utf-8").splitlines()[:40])
    assert "make run" in first_screen
    assert "make test" in first_screen


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
