"""``gittarget-status demo``: readable, deterministic, and every scenario runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gittarget_status.cli import main
from gittarget_status.testing import SCENARIOS


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_golden_path_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "demo")
    assert out.startswith("scenario golden-path:")
    for phase in ("PENDING", "BOOTSTRAPPING", "SYNCING", "RUNNING"):
        assert f"phase={phase}" in out
    assert "pass 6" in out
    assert out.rstrip().endswith("no condition changed status")
    assert "EncryptionConfigured  True     OK                       <- False -> True" in out


def test_output_is_byte_identical_across_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "demo", "--output", "json") == _run(capsys, "demo", "--output", "json")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_scenario_runs_in_every_format(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    timeline = _run(capsys, "demo", "--scenario", scenario)
    assert f"scenario {scenario}:" in timeline
    documents = json.loads(_run(capsys, "demo", "--scenario", scenario, "--output", "json"))
    assert [d["pass"] for d in documents] == list(range(len(SCENARIOS[scenario].steps) + 1))
    assert all("conditions" in d["status"] for d in documents)
    from_yaml = list(
        yaml.safe_load_all(_run(capsys, "demo", "--scenario", scenario, "--output", "yaml"))
    )
    assert from_yaml == documents


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "demo", "--list")
    assert sorted(line.split()[0] for line in out.splitlines()) == sorted(SCENARIOS)


def test_unknown_scenario_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--scenario", "nope"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gittarget_status", "demo", "--scenario", "happy-path"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "phase=RUNNING" in done.stdout


def test_a_closed_pipe_is_not_an_error() -> None:
    """``gittarget-status demo | head -1``: the reader leaves early; exit quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gittarget_status", "demo", "--output", "json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert done.stderr == ""


def test_the_cli_owns_the_scenarios_and_the_toolkit_reexports_them_lazily() -> None:
    from gittarget_status import testing
    from gittarget_status.cli import _scenarios

    for name in ("SCENARIOS", "PassRecord", "Scenario", "ScenarioStep"):
        assert getattr(testing, name) is getattr(_scenarios, name)
        assert name in testing.__all__
    with pytest.raises(AttributeError, match="no attribute 'NOPE'"):
        testing.NOPE  # noqa: B018 - the module's __getattr__ must refuse other names
    code = "import sys, gittarget_status.testing; print('gittarget_status.cli' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "False"


def test_python_dash_m_runs_the_cli_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m gittarget_status`` is ``main()`` with the process's arguments."""
    import runpy

    import gittarget_status

    # run_path, not run_module: pytest's import hook does not serve runpy's loader calls.
    # The module's own name (its body does not test __name__), so coverage attributes it.
    script = Path(gittarget_status.__file__ or "").with_name("__main__.py")
    monkeypatch.setattr(sys, "argv", ["gittarget-status", "demo", "--list"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(script), run_name="gittarget_status.__main__")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert sorted(line.split()[0] for line in out.splitlines()) == sorted(SCENARIOS)


class _ClosedPipe:
    """A stdout whose reader has gone: every flush raises BrokenPipeError."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.fd


def test_a_closed_pipe_in_process_exits_0_and_points_stdout_at_devnull(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "stdout"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        monkeypatch.setattr(sys, "stdout", _ClosedPipe(fd))
        assert main(["demo", "--scenario", "happy-path"]) == 0
        os.write(fd, b"after")  # the descriptor now refers to devnull, not the file
    finally:
        os.close(fd)
    assert target.read_bytes() == b""
