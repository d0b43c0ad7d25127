"""The README is executable documentation: its snippets and commands must stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("block", _blocks("python"))
def test_python_blocks_run(block: str) -> None:
    exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = [b.strip() for b in _blocks("console")]
    test_command = next(c for c in commands if "pytest" in c)
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()


def test_readme_has_the_demo_command() -> None:
    assert "pip install . && gittarget-status demo" in README
