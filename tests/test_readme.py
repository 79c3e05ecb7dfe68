"""The README holds exactly two commands, and CI runs exactly the test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_two_commands() -> None:
    commands = _commands()
    assert len(commands) == 2
    run, test = commands
    assert "regiokompas serve" in run
    assert "pytest" in test and "ruff" in test and "mypy" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test = _commands()[1]
    assert test in ci.splitlines()
    assert "apt-get update" in ci
    for package in ("chromium", "chromium-driver", "postgresql"):
        assert re.search(rf"apt-get install .*\b{package}\b", ci)
