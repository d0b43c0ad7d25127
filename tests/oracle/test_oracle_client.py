"""The oracle itself: its library versions, and the client's lookup, timeouts and errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ._oracle import Oracle, OracleError, find_oracle, run_once


def test_the_oracle_answers_with_the_documented_library_versions(oracle_binary: Path) -> None:
    """shared/k8s/README.md: apimachinery v0.33.4, cli-utils v0.37.3-0.20250410211241."""
    versions = run_once(oracle_binary, "version")
    assert versions["k8s.io/apimachinery"] == "v0.33.4"
    assert versions["sigs.k8s.io/cli-utils"].startswith("v0.37.3-0.20250410211241")
    assert versions["go"].startswith("go")


def test_an_undecodable_line_is_an_error_answer_and_the_process_goes_on(
    kstatus_oracle: Oracle,
) -> None:
    assert "error" in kstatus_oracle.ask([1])  # an array, not an object
    assert kstatus_oracle.ask({}) == {"status": "Current", "message": "Resource is current"}


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_lookup_prefers_gts_k8s_oracle_then_kubebuilder_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = _script(tmp_path / "mine", "true")
    assets = tmp_path / "assets"
    assets.mkdir()
    bundled = _script(assets / "k8s-oracle", "true")
    monkeypatch.setenv("KUBEBUILDER_ASSETS", str(assets))
    monkeypatch.setenv("GTS_K8S_ORACLE", str(explicit))
    assert find_oracle() == explicit
    monkeypatch.delenv("GTS_K8S_ORACLE")
    assert find_oracle() == bundled
    bundled.chmod(0o644)  # not executable: not found
    assert find_oracle() is None
    monkeypatch.delenv("KUBEBUILDER_ASSETS")
    assert find_oracle() is None


@pytest.mark.skipif(os.name != "posix", reason="shell scripts stand in for the oracle")
def test_a_silent_oracle_times_out_and_a_dead_one_is_an_error(tmp_path: Path) -> None:
    silent = Oracle(_script(tmp_path / "silent", "exec sleep 30"), "x", timeout=0.2)
    with pytest.raises(OracleError, match="no answer"):
        silent.ask({})
    dead = Oracle(_script(tmp_path / "dead", "exit 0"), "x")
    try:
        with pytest.raises(OracleError, match="exited"):
            dead.ask({})
    finally:
        dead.close()
    echo = Oracle(_script(tmp_path / "echo", "exec cat"), "x")
    try:
        assert echo.ask({"a": [1]}) == {"a": [1]}
        with pytest.raises(OracleError, match="not a JSON object"):
            echo.ask([1])
    finally:
        echo.close()
