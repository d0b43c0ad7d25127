"""pipeline.reconcile on the real API server: a generic resource read from the server, the
merge patch (or the apply body) written to /status, Ready reached, then zero writes.

The resource is not GitTarget: a tiny ``Widget`` CRD generated from the test's own status
model. Every object the pipeline sees is the server's JSON, as a controller gets it.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import kopf
import kr8s.asyncio
import kubernetes  # py.typed, but its config loaders are unannotated: used through Any
import pytest
from lightkube import Client as LightkubeClient
from lightkube.config.kubeconfig import KubeConfig
from lightkube.generic_resource import create_namespaced_resource

from gittarget_status import Gate, GatePipeline, GateResult, StatusModel
from gittarget_status.conditions import Condition, find_condition
from gittarget_status.manifests import custom_resource_definition
from gittarget_status.testing.control_plane import ApiError, ControlPlane

GROUP = "reconcile.example.com"
API_VERSION = f"{GROUP}/v1alpha1"
MANAGER = "widget-controller"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class WidgetStatus(StatusModel):
    phase: str | None = None
    endpoint: str | None = None


CRD = custom_resource_definition(group=GROUP, kind="Widget", status_model=WidgetStatus)


@dataclass
class World:
    available: bool = False


def _configured(world: World) -> GateResult:
    return GateResult.passed("OK")


def _available(world: World) -> GateResult:
    if not world.available:
        return GateResult.in_progress("Starting", "0 of 1 replicas", requeue_after=timedelta(5))
    return GateResult.passed("OK", details={"endpoint": "widget.svc:80"})


def _phase(conditions: Sequence[Condition]) -> str:
    ready = find_condition(conditions, "Ready")
    return "Running" if ready is not None and ready.status.value == "True" else "Pending"


PIPELINE = GatePipeline(
    [
        Gate("Configured", _configured, ready_reason="NotConfigured"),
        Gate("Available", _available, ready_reason="NotAvailable"),
    ],
    phase=_phase,
    status_model=WidgetStatus,
)

FOREIGN = {
    "type": "example.com/Audited",
    "status": "True",
    "lastTransitionTime": "2026-01-01T00:00:00Z",
    "reason": "Theirs",
    "message": "written by another controller",
}


@pytest.fixture
def widget(gts_control_plane: ControlPlane, gts_namespace: str) -> str:
    """A new Widget in a fresh namespace (CRD applied once); returns its REST path."""
    client = gts_control_plane.client
    client.apply(CRD)
    client.wait_established(CRD["metadata"]["name"])
    collection = client.resource_path(API_VERSION, "Widget", namespace=gts_namespace)
    body = {
        "apiVersion": API_VERSION,
        "kind": "Widget",
        "metadata": {"name": "w1", "namespace": gts_namespace},
        "spec": {"size": 1},
    }
    client.post(collection, body)
    return f"{collection}/w1"


def _ready(status: Mapping[str, Any]) -> str | None:
    ready = WidgetStatus.from_k8s(status).condition("Ready")
    return None if ready is None else ready.status.value


def _foreign(client: Any, path: str) -> None:
    """Another controller's condition, written before ours (by merge patch, its own way)."""
    client.patch(f"{path}/status", {"status": {"conditions": [FOREIGN]}}, "merge")


def _drive(client: Any, path: str, write: Callable[[Any], Any]) -> list[str]:
    """Reconcile from the server's objects until Ready, then two more passes.

    ``write`` sends one pass's result. Returns the resourceVersion read before each pass
    after Ready, and the one after the last.
    """
    world = World()
    clock = T0
    for step in range(3):
        obj = client.get(path)
        done = PIPELINE.reconcile(kopf.Body(obj), world, now=clock)
        assert done.resource_version == obj["metadata"]["resourceVersion"]
        assert done.generation == obj["metadata"]["generation"] == 1
        if done.ready and not done.changed:
            break
        assert done.changed, f"pass {step} changed nothing before Ready"
        write(done)
        world.available = True
        clock += timedelta(seconds=10)
    else:
        raise AssertionError("never settled")
    quiet_versions = []
    for _ in range(2):
        clock += timedelta(minutes=5)
        obj = client.get(path)
        quiet_versions.append(obj["metadata"]["resourceVersion"])
        quiet = PIPELINE.reconcile(obj, world, now=clock)
        assert quiet.ready and not quiet.changed
        assert quiet.merge_patch is None and quiet.apply_body is None  # zero writes
    quiet_versions.append(client.get(path)["metadata"]["resourceVersion"])
    return quiet_versions


def test_merge_patch_route_reaches_ready_then_writes_nothing(
    gts_control_plane: ControlPlane, widget: str
) -> None:
    client = gts_control_plane.client
    _foreign(client, widget)
    sent: list[dict[str, Any]] = []

    def write(done: Any) -> None:
        sent.append(done.merge_patch)
        client.patch(f"{widget}/status", done.merge_patch, "merge")

    versions = _drive(client, widget, write)
    assert len(set(versions)) == 1, f"a quiet pass wrote: {versions}"
    assert len(sent) == 2  # Pending (blocked by Available), then Ready
    assert all(body["metadata"]["resourceVersion"] for body in sent)
    status = client.get(widget)["status"]
    assert _ready(status) == "True" and status["phase"] == "Running"
    assert status["endpoint"] == "widget.svc:80" and status["observedGeneration"] == 1
    assert status["conditions"][0] == FOREIGN  # byte for byte, first as it was

    # A stale read: the server refuses the patch built from it (resourceVersion sent).
    stale = client.get(widget)
    client.patch(widget, {"spec": {"size": 2}}, "merge")  # generation 2
    fresh = client.get(widget)
    assert fresh["metadata"]["generation"] == 2
    late = PIPELINE.reconcile(stale, World(available=True), now=T0 + timedelta(hours=1))
    assert not late.changed  # generation 1 read: nothing to do from that read
    moved = PIPELINE.reconcile(fresh, World(available=False), now=T0 + timedelta(hours=1))
    assert moved.merge_patch is not None
    client.patch(f"{widget}/status", {"status": {"endpoint": "moved.svc:80"}}, "merge")
    with pytest.raises(ApiError) as refused:
        client.patch(f"{widget}/status", moved.merge_patch, "merge")
    assert refused.value.conflict and refused.value.code == 409
    # Re-read and re-run: accepted, and observedGeneration follows the spec edit.
    retry = PIPELINE.reconcile(
        client.get(widget), World(available=True), now=T0 + timedelta(hours=1)
    )
    assert retry.merge_patch is not None
    client.patch(f"{widget}/status", retry.merge_patch, "merge")
    status = client.get(widget)["status"]
    assert status["observedGeneration"] == 2 and status["endpoint"] == "widget.svc:80"
    assert {c.get("observedGeneration") for c in status["conditions"][1:]} == {2}


def test_apply_route_reaches_ready_then_writes_nothing(
    gts_control_plane: ControlPlane, widget: str
) -> None:
    client = gts_control_plane.client
    other = copy.deepcopy(FOREIGN)
    client.patch(
        f"{widget}/status",
        {"apiVersion": API_VERSION, "kind": "Widget", "metadata": {"name": "w1"},
         "status": {"conditions": [other]}},
        "apply",
        field_manager="audit-controller",
        force=True,
    )  # fmt: skip
    sent: list[dict[str, Any]] = []

    def write(done: Any) -> None:
        sent.append(done.apply_body)
        client.patch(
            f"{widget}/status", done.apply_body, "apply", field_manager=MANAGER, force=True
        )

    versions = _drive(client, widget, write)
    assert len(set(versions)) == 1, f"a quiet pass wrote: {versions}"
    assert len(sent) == 2
    obj = client.get(widget)
    status = obj["status"]
    assert _ready(status) == "True" and status["phase"] == "Running"
    assert other in status["conditions"]  # the other manager's entry is untouched
    managers = {entry["manager"] for entry in obj["metadata"]["managedFields"]}
    assert {MANAGER, "audit-controller"} <= managers
    # The server agrees the last body is a no-op now: re-sending it writes nothing.
    before = obj["metadata"]["resourceVersion"]
    client.patch(f"{widget}/status", sent[-1], "apply", field_manager=MANAGER, force=True)
    assert client.get(widget)["metadata"]["resourceVersion"] == before


# kr8s 0.20 names 1.35 as the newest Kubernetes it supports and warns about 1.36.
@pytest.mark.filterwarnings("ignore:Kubernetes version .* is not supported:UserWarning")
def test_every_client_library_reads_the_same_pass(
    gts_control_plane: ControlPlane, widget: str, gts_namespace: str
) -> None:
    """The server's object through kopf, lightkube, kr8s and the official client: one pass."""
    client = gts_control_plane.client
    _foreign(client, widget)
    first = PIPELINE.reconcile(client.get(widget), World(), now=T0)
    assert first.merge_patch is not None
    client.patch(f"{widget}/status", first.merge_patch, "merge")
    stored = client.get(widget)
    kubeconfig = str(gts_control_plane.kubeconfig)
    reads: dict[str, object] = {"dict": stored, "kopf": kopf.Body(stored)}
    plural = CRD["spec"]["names"]["plural"]
    widget_kind = create_namespaced_resource(GROUP, "v1alpha1", "Widget", plural)
    with LightkubeClient(config=KubeConfig.from_file(kubeconfig)) as light:
        reads["lightkube"] = light.get(widget_kind, "w1", namespace=gts_namespace)
    loop = asyncio.new_event_loop()
    try:
        api = loop.run_until_complete(kr8s.asyncio.api(kubeconfig=kubeconfig))
        kind = kr8s.asyncio.objects.new_class("Widget", version=API_VERSION, namespaced=True)
        reads["kr8s"] = loop.run_until_complete(kind.get("w1", namespace=gts_namespace, api=api))
        if api._session is not None:  # kr8s has no public close
            loop.run_until_complete(api._session.aclose())
    finally:
        loop.close()
    config: Any = kubernetes.config  # untyped functions
    with config.new_client_from_config(config_file=kubeconfig) as official:
        custom = kubernetes.client.CustomObjectsApi(official)
        reads["official"] = custom.get_namespaced_custom_object_status(
            GROUP, "v1alpha1", gts_namespace, plural, "w1"
        )
    # Each client's own type (kopf's Body and lightkube's generic resource are Mappings).
    assert type(reads["lightkube"]) is widget_kind
    assert not isinstance(reads["kr8s"], Mapping) and isinstance(reads["kr8s"].raw, Mapping)  # type: ignore[attr-defined]
    assert type(reads["kopf"]) is kopf.Body
    later = T0 + timedelta(seconds=10)
    expected = PIPELINE.reconcile(stored, World(available=True), now=later)
    assert expected.merge_patch is not None and expected.apply_body is not None
    for name, obj in reads.items():
        done = PIPELINE.reconcile(obj, World(available=True), now=later)
        assert done.merge_patch == expected.merge_patch, name
        assert done.apply_body == expected.apply_body, name
        assert done.regarding == expected.regarding, name
        quiet = PIPELINE.reconcile(obj, World(), now=later)
        assert not quiet.changed and quiet.merge_patch is None, name
