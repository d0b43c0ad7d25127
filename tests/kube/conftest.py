"""Fixtures for the Kubernetes wiring tests: the real API server, kubectl, the fake endpoint."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gittarget_status.manifests import gittarget_crd
from gittarget_status.testing.control_plane import ControlPlane
from gittarget_status.testing.pytest_plugin import REQUIRE_CONTROL_PLANE_ENV

from ._fakeapi import FakeAPIServer, serve
from ._kubectl import Kubectl, find_kubectl

GITTARGET_CRD = "gittargets.configbutler.ai"

KUBECTL_MISSING = (
    "kubectl is not on PATH: the kubectl integration tests need the real binary "
    "(install kubectl >= 1.29; CI machines have v1.32)"
)


@pytest.fixture(scope="session")
def kubectl_binary() -> str:
    binary = find_kubectl()
    if binary is None:
        pytest.skip(KUBECTL_MISSING)
    return binary


@pytest.fixture
def api() -> Iterator[FakeAPIServer]:
    with serve() as server:
        yield server


@pytest.fixture
def kubectl(kubectl_binary: str, api: FakeAPIServer, tmp_path: Path) -> Kubectl:
    config = api.write_kubeconfig(tmp_path / "kubeconfig")
    return Kubectl(kubectl_binary, config, tmp_path / "cache")


@pytest.fixture(scope="module")
def shared_api() -> Iterator[FakeAPIServer]:
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
def shared_kubectl(
    kubectl_binary: str, shared_api: FakeAPIServer, tmp_path_factory: pytest.TempPathFactory
) -> Kubectl:
    directory = tmp_path_factory.mktemp("kubectl")
    config = shared_api.write_kubeconfig(directory / "kubeconfig")
    return Kubectl(kubectl_binary, config, directory / "cache")


# ------------------------------------------------------------------ the real API server


@pytest.fixture(scope="session")
def gittarget_api(gts_control_plane: ControlPlane) -> ControlPlane:
    """The session's real API server with the generated GitTarget CRD applied and served."""
    gts_control_plane.client.apply(gittarget_crd())
    gts_control_plane.client.wait_established(GITTARGET_CRD)
    return gts_control_plane


@pytest.fixture(scope="session")
def kubectl_binaries(gts_control_plane: ControlPlane) -> dict[str, str]:
    """Every kubectl to test with, by minor version: the assets' one and the one on PATH.

    CI has both (v1.36 from shared/k8s, v1.32 on PATH); with GTS_REQUIRE_CONTROL_PLANE=1
    a missing one fails instead of shrinking the matrix.
    """
    found: dict[str, str] = {}
    for candidate in (gts_control_plane.assets.kubectl, find_kubectl()):
        if candidate is None:
            continue
        answer = subprocess.run(
            [str(candidate), "version", "--client=true", "-o", "json"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if answer.returncode == 0:
            client = json.loads(answer.stdout)["clientVersion"]
            found[f"{client['major']}.{client['minor'].rstrip('+')}"] = str(candidate)
    if len(found) < 2 and os.environ.get(REQUIRE_CONTROL_PLANE_ENV) == "1":
        pytest.fail(f"two kubectl versions are required, found {sorted(found)}", pytrace=False)
    if not found:
        pytest.skip(KUBECTL_MISSING)
    return found


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many statuses the real API server accepted and rejected this session."""
    from . import _tally

    lines = _tally.summary_lines()
    if lines:
        terminalreporter.section("status writes on the real API server")
        for line in lines:
            terminalreporter.write_line(line)
