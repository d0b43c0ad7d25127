"""Fixtures for the Kubernetes wiring tests: the real API server and kubectl (two versions)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from gittarget_status.manifests import gittarget_crd
from gittarget_status.testing.control_plane import ControlPlane
from gittarget_status.testing.pytest_plugin import REQUIRE_CONTROL_PLANE_ENV

from ._kubectl import Kubectl, find_kubectl

GITTARGET_CRD = "gittargets.configbutler.ai"

KUBECTL_MISSING = (
    "kubectl is not on PATH: the kubectl integration tests need the real binary "
    "(install kubectl >= 1.29; CI machines have v1.32)"
)


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


#: The kubectl versions every kubectl test runs with (CI has both, see kubectl_binaries).
KUBECTL_VERSIONS = ("1.32", "1.36")


@pytest.fixture(scope="session", params=KUBECTL_VERSIONS)
def kubectl(
    request: pytest.FixtureRequest,
    gts_control_plane: ControlPlane,
    kubectl_binaries: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Kubectl:
    """The real server's kubectl of one version (a test runs once per version).

    Each version has its own discovery cache. A version that is not installed skips, or
    fails with GTS_REQUIRE_CONTROL_PLANE=1.
    """
    version: str = request.param
    if version not in kubectl_binaries:
        missing = f"kubectl v{version} not found (have {sorted(kubectl_binaries)})"
        if os.environ.get(REQUIRE_CONTROL_PLANE_ENV) == "1":
            pytest.fail(missing, pytrace=False)
        pytest.skip(missing)
    cache = tmp_path_factory.mktemp(f"kubectl-{version}-cache")
    return Kubectl(kubectl_binaries[version], gts_control_plane.kubeconfig, cache, version)


@pytest.fixture(scope="session")
def every_kubectl(
    gts_control_plane: ControlPlane,
    kubectl_binaries: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Kubectl]:
    """All of KUBECTL_VERSIONS at once (for comparing their verdicts on one object)."""
    missing = [v for v in KUBECTL_VERSIONS if v not in kubectl_binaries]
    if missing and os.environ.get(REQUIRE_CONTROL_PLANE_ENV) == "1":
        pytest.fail(f"kubectl {missing} not found (have {sorted(kubectl_binaries)})", pytrace=False)
    found = [v for v in KUBECTL_VERSIONS if v in kubectl_binaries]
    if not found:
        pytest.skip(KUBECTL_MISSING)
    return {
        version: Kubectl(
            kubectl_binaries[version],
            gts_control_plane.kubeconfig,
            tmp_path_factory.mktemp(f"kubectl-{version}-cache"),
            version,
        )
        for version in found
    }
