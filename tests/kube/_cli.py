"""Running the ``gittarget-status`` command in-process, on models of the user's own."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from gittarget_status.cli import main

__all__ = ["run_cli", "user_module"]


def run_cli(*argv: str) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of one command."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def user_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str
) -> Iterator[str]:
    """For a fixture to ``yield from``: ``source`` importable as ``name`` from the cwd."""
    (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)
