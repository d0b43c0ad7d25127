"""The lint and type tools are pinned once (pyproject.toml) and used with those pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _extras() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        extras: dict[str, list[str]] = tomllib.load(handle)["project"]["optional-dependencies"]
    return extras


def _hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_lint_and_type_tools_are_pinned_exactly() -> None:
    extras = _extras()
    for requirement in (*extras["lint"], *extras["types"], *extras["coverage"]):
        assert re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][0-9A-Za-z.]*", requirement), requirement


def test_pre_commit_uses_the_same_ruff_pin() -> None:
    (pin,) = _extras()["lint"]
    hooks = _hooks()
    for hook_id in ("ruff-check", "ruff-format"):
        assert hooks[hook_id]["additional_dependencies"] == [pin], hook_id


def test_pre_commit_runs_mypy_as_the_types_session_does() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    entry = _hooks()["mypy"]["entry"]
    args = ", ".join(f'"{word}"' for word in entry.split())
    assert f"session.run({args})" in noxfile


def test_nox_installs_the_tools_from_the_extras() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert 'session.install(*_extra("lint"))' in noxfile
    assert ".[test,types,bench,docs,docs-check]" in noxfile  # the types session
    assert "ruff>=" not in noxfile and "mypy>=" not in noxfile
