"""The status subresource's rules on the real API server, and kubectl wait across them.

``/status`` ignores spec changes and the main resource ignores status changes; only spec
edits bump ``metadata.generation``. ``kubectl wait --for=condition=Ready=true`` (each
kubectl version) keeps blocking after a spec edit, whatever else is written, until a
pass that observed the new generation is written. The lifecycle driven with kubectl
alone (apply, patch ``--subresource=status``) gives the same verdicts as
``condition_met`` at every step: what the retired real-cluster mode checked, now on
the server every run starts.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from gittarget_status import initialize_gittarget, reconcile_gittarget
from gittarget_status.kubectl import condition_met
from gittarget_status.manifests import gittarget_crd, to_json
from gittarget_status.patch import status_patch
from gittarget_status.testing import DEMO_EPOCH, SCENARIOS, FakeGitTargetWorld, demo_spec
from gittarget_status.testing.control_plane import ApiClient, ControlPlane

from . import _tally
from ._real import (
    API_VERSION,
    FOREIGN,
    KIND,
    create_gittarget,
    foreign_condition,
    write_merge,
)

#: How long a still-waiting kubectl is given to (wrongly) return before we move on.
SETTLE = 0.6
#: The kubectl the retired real-cluster mode used (the one on PATH, v1.32).
OLDEST = "1.32"


@pytest.fixture(scope="module")
def client(gittarget_api: ControlPlane) -> ApiClient:
    return gittarget_api.client


def _ready_object(client: ApiClient, namespace: str) -> tuple[str, dict[str, Any]]:
    """A GitTarget whose last written pass is Ready=True at generation 1."""
    path, _ = create_gittarget(client, namespace)
    for record in SCENARIOS["happy-path"].run():
        write_merge(client, path, record.outcome.status)
    obj: dict[str, Any] = client.get(path)
    assert condition_met(obj, "condition=Ready=true")
    return path, obj


# ------------------------------------------------------------ the subresource rules


def test_status_ignores_spec_and_the_main_resource_ignores_status(
    client: ApiClient, gts_namespace: str
) -> None:
    path, obj = _ready_object(client, gts_namespace)
    spec, status = obj["spec"], obj["status"]
    edited_spec = {**spec, "branch": "release"}
    other_status = {"phase": "ERROR", "conditions": [foreign_condition(False)]}

    # Spec through /status: by merge patch and by PUT, ignored (no generation bump).
    client.patch(f"{path}/status", {"spec": edited_spec}, "merge")
    client.put(f"{path}/status", {**client.get(path), "spec": edited_spec})
    after = client.get(path)
    assert after["spec"] == spec
    assert after["metadata"]["generation"] == 1
    assert after["status"] == status

    # Status through the main resource: by merge patch and by PUT, ignored.
    client.patch(path, {"status": other_status}, "merge")
    client.put(path, {**client.get(path), "status": other_status})
    assert client.get(path)["status"] == status

    # ... and on create: the status a POST carries is dropped.
    created_path, created = create_gittarget(client, gts_namespace)
    assert "status" not in created
    body = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": "with-status"},
        "spec": spec,
        "status": other_status,
    }
    collection = created_path.rsplit("/", 1)[0]
    assert "status" not in client.post(collection, body)


def test_only_spec_edits_bump_the_generation(client: ApiClient, gts_namespace: str) -> None:
    path, obj = _ready_object(client, gts_namespace)
    version = obj["metadata"]["resourceVersion"]
    client.patch(path, {"metadata": {"labels": {"team": "a"}}}, "merge")  # metadata only
    client.patch(f"{path}/status", {"status": {"conditions": []}}, "merge")
    assert client.get(path)["metadata"]["generation"] == 1
    for expected, branch in ((2, "release"), (3, "main")):
        edited = client.patch(path, {"spec": {"branch": branch}}, "merge")
        assert edited["metadata"]["generation"] == expected
    same = client.patch(path, {"spec": {"branch": "main"}}, "merge")  # no change, no bump
    assert same["metadata"]["generation"] == 3
    assert same["metadata"]["resourceVersion"] != version


# ------------------------------------------------ kubectl wait and the generation


def _popen_wait(
    plane: ControlPlane, binary: str, name: str, namespace: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            binary,
            f"--kubeconfig={plane.kubeconfig}",
            "-n",
            namespace,
            "wait",
            "--for=condition=Ready=true",
            f"gittarget/{name}",
            "--timeout=30s",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def waiters() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_kubectl_wait_blocks_until_a_pass_observes_the_new_generation(
    gittarget_api: ControlPlane,
    client: ApiClient,
    gts_namespace: str,
    kubectl_binaries: dict[str, str],
    waiters: list[subprocess.Popen[str]],
) -> None:
    path, obj = _ready_object(client, gts_namespace)
    name = obj["metadata"]["name"]
    for binary in kubectl_binaries.values():
        now = gittarget_api.kubectl(
            "-n", gts_namespace, "wait", "--for=condition=Ready", f"gittarget/{name}",
            "--timeout=0", binary=binary,
        )  # fmt: skip
        assert now.returncode == 0, now.stderr

    spec = demo_spec().model_copy(update={"branch": "release"})
    bumped = client.patch(path, {"spec": spec.to_k8s()}, "merge")
    assert bumped["metadata"]["generation"] == 2
    ready = next(c for c in bumped["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["observedGeneration"]) == ("True", 1)  # for the old spec
    for version, binary in kubectl_binaries.items():
        once = gittarget_api.kubectl(
            "-n", gts_namespace, "wait", "--for=condition=Ready=true", f"gittarget/{name}",
            "--timeout=0", binary=binary,
        )  # fmt: skip
        assert once.returncode == 1, (version, once.stdout, once.stderr)

    waiters.extend(
        _popen_wait(gittarget_api, b, name, gts_namespace) for b in kubectl_binaries.values()
    )
    time.sleep(SETTLE)
    assert all(p.poll() is None for p in waiters), "kubectl accepted Ready of an old generation"
    # Other writes arrive as watch events and change nothing: another controller's
    # condition, and our pass still computed for the old generation (a slow controller).
    live = client.get(path)
    client.patch(
        f"{path}/status",
        {"status": {"conditions": [*live["status"]["conditions"], foreign_condition(True)]}},
        "merge",
    )
    later = DEMO_EPOCH + timedelta(minutes=5)
    old_pass = reconcile_gittarget(
        demo_spec(), client.get(path)["status"], FakeGitTargetWorld(), generation=1, now=later
    )
    write_merge(client, path, old_pass.status)
    time.sleep(SETTLE / 2)
    assert all(p.poll() is None for p in waiters), "kubectl returned before generation 2"

    live = client.get(path)
    outcome = reconcile_gittarget(
        spec, live["status"], FakeGitTargetWorld(), generation=2, now=later
    )
    assert outcome.changed and outcome.status.observed_generation == 2
    stored = write_merge(client, path, outcome.status)
    assert FOREIGN in {c["type"] for c in stored["status"]["conditions"]}
    for process in waiters:
        try:
            out, err = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("kubectl wait did not return after the generation-2 pass")
        assert process.returncode == 0, err
        assert out.strip() == f"gittarget.configbutler.ai/{name} condition met"


# ------------------------------------------- the lifecycle driven by kubectl alone


def test_the_lifecycle_through_kubectl_agrees_with_condition_met(
    gittarget_api: ControlPlane, gts_namespace: str, kubectl_binaries: dict[str, str]
) -> None:
    plane = gittarget_api

    def kubectl(*args: str, stdin: str | None = None, binary: str | None = None) -> str:
        answer = plane.kubectl("-n", gts_namespace, *args, stdin=stdin, binary=binary)
        assert answer.returncode == 0, (args, answer.stderr)
        return answer.stdout

    def get() -> dict[str, Any]:  # the API read (kubectl get costs half a second a run)
        obj: dict[str, Any] = plane.client.get(path)
        return obj

    def write(old: Any, new: Any) -> bool:
        body = status_patch(old, new)
        if body is None:
            return False
        args = ("patch", "gittarget/demo", "--subresource=status", "--type=merge")
        _tally.record("merge", lambda: kubectl(*args, "-p", json.dumps(body)))
        return True

    crd = plane.kubectl(
        "wait", "--for=condition=Established", "crd/gittargets.configbutler.ai", "--timeout=30s"
    )
    assert crd.returncode == 0, crd.stderr
    dry = plane.kubectl("apply", "--dry-run=server", "-f", "-", stdin=to_json(gittarget_crd()))
    assert dry.returncode == 0, dry.stderr
    assert "(server dry run)" in dry.stdout
    spec = demo_spec()
    obj = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": "demo"},
        "spec": spec.to_k8s(),
    }
    kubectl("apply", "-f", "-", stdin=json.dumps(obj))
    path = plane.client.resource_path(API_VERSION, KIND, "demo", namespace=gts_namespace)
    served = get()
    del served["metadata"]["managedFields"]  # kubectl hides them unless asked
    assert json.loads(kubectl("get", "gittarget/demo", "-o", "json")) == served
    world = FakeGitTargetWorld(snapshot_state="running")
    now = DEMO_EPOCH
    write(get().get("status"), initialize_gittarget(None, generation=1, now=now).status)
    for step in ("snapshot running", "snapshot completed", "steady"):
        if step == "snapshot completed":
            world.snapshot_state = "completed"
        now += timedelta(seconds=30)
        live = get()
        outcome = reconcile_gittarget(
            spec, live.get("status"), world, generation=live["metadata"]["generation"], now=now
        )
        assert write(live.get("status"), outcome.status) == outcome.changed
        live = get()
        for expression in ("condition=Ready=true", "condition=SnapshotSynced=true"):
            verdict = plane.kubectl(
                "-n", gts_namespace, "wait", f"--for={expression}", "gittarget/demo",
                "--timeout=0", binary=kubectl_binaries[OLDEST],
            )  # fmt: skip
            met = condition_met(live, expression)
            assert (verdict.returncode == 0) == met, (step, expression)
    assert condition_met(live, "condition=Ready=true")
    spec = spec.model_copy(update={"branch": "release"})
    kubectl("apply", "-f", "-", stdin=json.dumps({**obj, "spec": spec.to_k8s()}))
    live = get()
    assert live["metadata"]["generation"] == 2
    assert not condition_met(live, "condition=Ready=true")
    outcome = reconcile_gittarget(spec, live.get("status"), world, generation=2, now=now)
    assert write(live.get("status"), outcome.status)
    kubectl("wait", "--for=condition=Ready=true", "gittarget/demo", "--timeout=30s")
