"""Optional: the same kubectl contract against a real cluster.

Runs only when ``KUBECONFIG`` names a cluster that answers (any conformant cluster, e.g.
kind or k3d); skipped otherwise. It applies the generated CRD, creates a GitTarget in a
fresh namespace, writes each pipeline pass through ``/status`` with a merge patch (only
when the pass changed something), and checks ``kubectl wait`` against ``condition_met``.
The namespace is deleted afterwards; the CRD is deleted only if this test created it.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gittarget_status import initialize_gittarget, reconcile_gittarget
from gittarget_status.kubectl import condition_met
from gittarget_status.manifests import gittarget_crd, to_json
from gittarget_status.patch import status_patch
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._kubectl import find_kubectl

CRD_NAME = "gittargets.configbutler.ai"


class Cluster:
    def __init__(self, binary: str, kubeconfig: str, namespace: str) -> None:
        self.binary, self.kubeconfig, self.namespace = binary, kubeconfig, namespace

    def run(
        self, *args: str, stdin: str | None = None, check: bool = True, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.binary, f"--kubeconfig={self.kubeconfig}", "--request-timeout=20s", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed: {result.stderr}")
        return result

    def get(self, name: str) -> dict[str, Any]:
        out = self.run("-n", self.namespace, "get", f"gittarget/{name}", "-o", "json").stdout
        obj: dict[str, Any] = json.loads(out)
        return obj


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    kubeconfig = os.environ.get("KUBECONFIG", "")
    binary = find_kubectl()
    if not kubeconfig or not Path(kubeconfig.split(os.pathsep)[0]).exists():
        pytest.skip("real-cluster mode: set KUBECONFIG to a reachable cluster to run")
    if binary is None:
        pytest.skip("real-cluster mode needs kubectl on PATH")
    probe = subprocess.run(
        [binary, f"--kubeconfig={kubeconfig}", "version", "-o", "json", "--request-timeout=5s"],
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    if probe.returncode != 0 or "serverVersion" not in probe.stdout:
        pytest.skip("real-cluster mode: KUBECONFIG does not reach a cluster")
    namespace = f"gittarget-status-{uuid.uuid4().hex[:8]}"
    ctl = Cluster(binary, kubeconfig, namespace)
    existed = ctl.run("get", f"crd/{CRD_NAME}", check=False).returncode == 0
    ctl.run("apply", "-f", "-", stdin=to_json(gittarget_crd()))
    ctl.run("wait", "--for=condition=Established", f"crd/{CRD_NAME}", "--timeout=60s")
    ctl.run("create", "namespace", namespace)
    try:
        yield ctl
    finally:
        ctl.run("delete", "namespace", namespace, "--wait=false", check=False)
        if not existed:
            ctl.run("delete", f"crd/{CRD_NAME}", "--wait=false", check=False)


def _write(ctl: Cluster, name: str, old: Any, new: Any) -> bool:
    body = status_patch(old, new)
    if body is None:
        return False
    ctl.run(
        "-n", ctl.namespace, "patch", f"gittarget/{name}", "--subresource=status",
        "--type=merge", "-p", json.dumps(body),
    )  # fmt: skip
    return True


def test_kubectl_wait_on_a_real_cluster(cluster: Cluster) -> None:
    name = "demo"
    spec = demo_spec()
    obj = {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": name, "namespace": cluster.namespace},
        "spec": spec.to_k8s(),
    }
    cluster.run("apply", "-f", "-", stdin=json.dumps(obj))
    world = FakeGitTargetWorld(snapshot_state="running")
    now = DEMO_EPOCH
    live = cluster.get(name)
    _write(
        cluster, name, live.get("status"), initialize_gittarget(None, generation=1, now=now).status
    )
    for step in ("snapshot running", "snapshot completed", "steady"):
        if step == "snapshot completed":
            world.snapshot_state = "completed"
        now += timedelta(seconds=30)
        live = cluster.get(name)
        outcome = reconcile_gittarget(
            spec, live.get("status"), world, generation=live["metadata"]["generation"], now=now
        )
        wrote = _write(cluster, name, live.get("status"), outcome.status)
        assert wrote == outcome.changed
        live = cluster.get(name)
        for expression in ("condition=Ready=true", "condition=SnapshotSynced=true"):
            verdict = cluster.run(
                "-n", cluster.namespace, "wait", f"--for={expression}", f"gittarget/{name}",
                "--timeout=0", check=False,
            )  # fmt: skip
            assert (verdict.returncode == 0) == condition_met(live, expression), step
    assert condition_met(live, "condition=Ready=true")
    # A spec change: the old Ready=True no longer counts until it is reconciled.
    spec = spec.model_copy(update={"branch": "release"})
    cluster.run(
        "-n",
        cluster.namespace,
        "apply",
        "-f",
        "-",
        stdin=json.dumps({**obj, "spec": spec.to_k8s()}),
    )
    live = cluster.get(name)
    assert live["metadata"]["generation"] == 2
    assert not condition_met(live, "condition=Ready=true")
    outcome = reconcile_gittarget(spec, live.get("status"), world, generation=2, now=now)
    _write(cluster, name, live.get("status"), outcome.status)
    cluster.run(
        "-n", cluster.namespace, "wait", "--for=condition=Ready=true", f"gittarget/{name}",
        "--timeout=30s",
    )  # fmt: skip
