"""outcome.events() bodies posted to the real API server (events.k8s.io/v1, strict)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gittarget_status import GitTargetSpec, GitTargetStatus, reconcile_gittarget
from gittarget_status.gates import object_reference
from gittarget_status.manifests import DEFAULT_GROUP, DEFAULT_VERSION
from gittarget_status.testing import FakeGitTargetWorld
from gittarget_status.testing.control_plane import ApiError, ControlPlane

NOW = datetime(2026, 5, 1, 10, 0, 0, 654321, tzinfo=UTC)
CONTROLLER = "configbutler.ai/gittarget-controller"
INSTANCE = "controller-0"
STRICT = {"fieldValidation": "Strict"}


def _events_path(namespace: str) -> str:
    return f"/apis/events.k8s.io/v1/namespaces/{namespace}/events"


def _gittarget(api: ControlPlane, namespace: str) -> dict[str, Any]:
    spec = GitTargetSpec(provider_ref={"name": "github"}, branch="main", path="clusters/prod")
    api_version = f"{DEFAULT_GROUP}/{DEFAULT_VERSION}"
    body: dict[str, Any] = {
        "apiVersion": api_version,
        "kind": "GitTarget",
        "metadata": {"name": "prod", "namespace": namespace},
        "spec": spec.to_k8s(),
    }
    path = api.client.resource_path(api_version, "GitTarget", namespace=namespace)
    created: dict[str, Any] = api.client.post(path, body)
    return created


def test_events_of_a_real_pass_are_accepted_and_read_back(
    gittarget_api: ControlPlane, gts_namespace: str
) -> None:
    obj = _gittarget(gittarget_api, gts_namespace)
    spec = GitTargetSpec.from_k8s(obj["spec"])
    world = FakeGitTargetWorld()
    outcome = reconcile_gittarget(spec, None, world, generation=1, now=NOW)
    assert outcome.changed
    regarding = object_reference(obj)
    events = outcome.events(
        regarding=regarding, now=NOW, reporting_controller=CONTROLLER, reporting_instance=INSTANCE
    )
    assert events, "a first pass moves conditions: it must have Events"
    for event in events:
        stored = gittarget_api.client.post(_events_path(gts_namespace), event, params=STRICT)
        for key in ("type", "reason", "note", "action", "reportingController"):
            assert stored[key] == event[key]
        assert stored["reportingInstance"] == event["reportingInstance"]
        assert stored["regarding"] == regarding
        assert stored["metadata"]["name"] == event["metadata"]["name"]
        # MicroTime keeps the microseconds we sent, byte for byte.
        assert stored["eventTime"] == "2026-05-01T10:00:00.654321Z"
    listed = gittarget_api.client.get(_events_path(gts_namespace))
    assert {e["metadata"]["name"] for e in listed["items"]} == {
        e["metadata"]["name"] for e in events
    }


def test_a_retried_post_is_refused_not_duplicated(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    """Deterministic names: posting the same Event twice cannot record it twice."""
    outcome = reconcile_gittarget(
        GitTargetSpec(provider_ref={"name": "p"}, branch="main", path=""),
        GitTargetStatus(),
        FakeGitTargetWorld(),
        generation=1,
        now=NOW,
    )
    regarding = {
        "apiVersion": f"{DEFAULT_GROUP}/{DEFAULT_VERSION}",
        "kind": "GitTarget",
        "name": "retried",
        "namespace": gts_namespace,
    }
    event = outcome.events(
        regarding=regarding, now=NOW, reporting_controller=CONTROLLER, reporting_instance=INSTANCE
    )[0]
    gts_control_plane.client.post(_events_path(gts_namespace), event, params=STRICT)
    with pytest.raises(ApiError) as refused:
        gts_control_plane.client.post(_events_path(gts_namespace), event, params=STRICT)
    assert refused.value.code == 409 and refused.value.reason == "AlreadyExists"


def test_warnings_generate_name_and_cluster_scoped_references_are_accepted(
    gts_control_plane: ControlPlane,
) -> None:
    world = FakeGitTargetWorld()
    world.provider_exists = False
    spec = GitTargetSpec(provider_ref={"name": "missing"}, branch="main", path="")
    outcome = reconcile_gittarget(spec, None, world, generation=1, now=NOW)
    regarding = {"apiVersion": "example.com/v1", "kind": "ClusterThing", "name": "global"}
    events = outcome.events(
        regarding=regarding,
        now=NOW,
        generate_name=True,
        reporting_controller=CONTROLLER,
        reporting_instance=INSTANCE,
    )
    assert "Warning" in {e["type"] for e in events}
    for event in events:
        stored = gts_control_plane.client.post(_events_path("default"), event, params=STRICT)
        assert stored["metadata"]["name"].startswith("global")
        assert stored["type"] == event["type"]


def test_the_api_server_refuses_what_events_never_produce(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    """The limits events() enforces are the server's: a note over 1024 bytes is refused
    there (the error says "characters"; Go counts bytes: 513 two-byte letters fail)."""
    outcome = reconcile_gittarget(
        GitTargetSpec(provider_ref={"name": "p"}, branch="main", path=""),
        None,
        FakeGitTargetWorld(),
        generation=1,
        now=NOW,
    )
    regarding = {"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "namespace": gts_namespace}
    event = dict(
        outcome.events(
            regarding=regarding,
            now=NOW,
            reporting_controller=CONTROLLER,
            reporting_instance=INSTANCE,
        )[0]
    )
    event["metadata"] = {"name": "too-long", "namespace": gts_namespace}
    event["note"] = "x" * 1025
    with pytest.raises(ApiError) as refused:
        gts_control_plane.client.post(_events_path(gts_namespace), event, params=STRICT)
    assert refused.value.code == 422 and "at most 1024 characters" in refused.value.message
    event["note"] = "é" * 513  # 513 characters, 1026 bytes
    with pytest.raises(ApiError) as refused:
        gts_control_plane.client.post(_events_path(gts_namespace), event, params=STRICT)
    assert refused.value.code == 422
    event["note"] = "é" * 512  # exactly 1024 bytes
    gts_control_plane.client.post(_events_path(gts_namespace), event, params=STRICT)
    event["metadata"] = {"name": "dotted", "namespace": gts_namespace}
    event["note"] = "x"
    body = {**event, "metadata": {"generateName": "dotted.", "namespace": gts_namespace}}
    with pytest.raises(ApiError) as refused:  # why events() never ends generateName with "."
        gts_control_plane.client.post(_events_path(gts_namespace), body, params=STRICT)
    assert refused.value.code == 422 and "generateName" in refused.value.message
