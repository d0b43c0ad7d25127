"""pipeline.reconcile(obj, ...): the raw object in, the outcome and both write bodies out.

Every client's representation of the same object gives the same pass; the generation
comes from metadata (a typed error naming the field otherwise); and the invariant of the
write paths holds for random objects: ``changed`` iff the merge patch and the apply body
write something, and the pass after the write is quiet.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, assert_type

import pytest
from hypothesis import event, given, settings, strategies as st

from _apply_model import applied_status
from gittarget_status import (
    ConditionStatus,
    Gate,
    GatePipeline,
    GateResult,
    GitTargetContext,
    GitTargetStatus,
    Reconciled,
    StatusModel,
    StatusValidationError,
    UsageError,
    gittarget_pipeline,
)
from gittarget_status.gates import Reconciled as FromGates
from gittarget_status.patch import json_merge_patch, owned_status_fields, status_patch
from gittarget_status.testing import FakeGitTargetWorld, demo_spec, strategies as gs

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class WidgetStatus(StatusModel):
    phase: str | None = None
    endpoint: str | None = None


@dataclass
class World:
    configured: bool = True
    available: bool = True


def _configured(world: World) -> GateResult:
    if not world.configured:
        return GateResult.failed("BadConfig", "spec.size must be positive", terminal=True)
    return GateResult.passed("OK")


def _available(world: World) -> GateResult:
    if not world.available:
        return GateResult.in_progress("Starting", "1 of 2 replicas", requeue_after=timedelta(5))
    return GateResult.passed("OK", details={"endpoint": "widget.svc:80"})


def _phase(conditions: Any) -> str:
    ready = next((c for c in conditions if c.type == "Ready"), None)
    return "Running" if ready is not None and ready.status.value == "True" else "Pending"


def _pipeline(*, phase: Any = _phase, **kwargs: Any) -> GatePipeline[World, Any]:
    return GatePipeline(
        [
            Gate("Configured", _configured, ready_reason="NotConfigured"),
            Gate("Available", _available, ready_reason="NotAvailable"),
        ],
        phase=phase,
        **kwargs,
    )


PIPELINE = _pipeline(status_model=WidgetStatus)


def _object(status: Mapping[str, Any] | None = None, *, generation: Any = 1) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "name": "w1",
        "namespace": "team-a",
        "uid": "00000000-0000-4000-8000-000000000001",
        "resourceVersion": "41",
    }
    if generation is not None:
        metadata["generation"] = generation
    obj: dict[str, Any] = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": metadata}
    if status is not None:
        obj["status"] = copy.deepcopy(dict(status))
    return obj


def _write(obj: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """What the API server stores after the merge patch (resourceVersion moves)."""
    out = copy.deepcopy(obj)
    out["status"] = _merge(out.get("status", {}), patch["status"])
    out["metadata"]["resourceVersion"] = str(int(out["metadata"]["resourceVersion"]) + 1)
    return out


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7386 apply (the inverse of ``json_merge_patch``)."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge(out.get(key), value)
    return out


# ------------------------------------------------------------------ the controller loop


def test_a_new_object_to_ready_then_zero_writes() -> None:
    obj = _object()
    frozen = copy.deepcopy(obj)
    first = PIPELINE.reconcile(obj, World(available=False), now=NOW)
    assert obj == frozen, "reconcile mutated the object"
    assert isinstance(first, Reconciled) and Reconciled is FromGates
    assert first.changed and not first.ready and first.outcome.blocked_by == "Available"
    assert isinstance(first.status, WidgetStatus) and first.status.phase == "Pending"
    assert first.merge_patch is not None
    assert first.merge_patch["metadata"] == {"resourceVersion": "41"}
    assert first.apply_body is not None
    assert first.apply_body["metadata"] == {"name": "w1", "namespace": "team-a"}
    assert first.generation == 1 and first.stored == WidgetStatus()

    obj = _write(obj, first.merge_patch)
    second = PIPELINE.reconcile(obj, World(), now=NOW + timedelta(seconds=5))
    assert second.ready and second.status.endpoint == "widget.svc:80"
    assert second.transitions == second.outcome.transitions
    assert ("Ready", ConditionStatus.FALSE, ConditionStatus.TRUE) in second.transitions
    assert second.merge_patch is not None
    assert second.merge_patch["metadata"] == {"resourceVersion": "42"}

    obj = _write(obj, second.merge_patch)
    assert obj["status"] == second.status.to_k8s()
    for minutes in (1, 2):
        quiet = PIPELINE.reconcile(obj, World(), now=NOW + timedelta(minutes=minutes))
        assert not quiet.changed and quiet.ready
        assert quiet.merge_patch is None and quiet.apply_body is None
        assert quiet.events(reporting_controller="example.com/w", reporting_instance="0",
                            now=NOW) == ()  # fmt: skip


def test_the_apply_body_names_only_what_the_pipeline_owns() -> None:
    foreign = {"type": "example.com/Audited", "status": "True", "reason": "Theirs",
               "message": "", "lastTransitionTime": "2026-01-01T00:00:00.5+01:00"}  # fmt: skip
    done = PIPELINE.reconcile(
        _object({"conditions": [foreign], "theirField": {"a": 1}}), World(), now=NOW
    )
    body = done.apply_body
    assert body is not None
    assert body["apiVersion"] == "example.com/v1" and body["kind"] == "Widget"
    types = [c["type"] for c in body["status"]["conditions"]]
    assert types == list(PIPELINE.owned_types[:3])  # Configured, Available, Ready
    assert set(types) <= set(PIPELINE.owned_types)
    assert "theirField" not in body["status"]
    assert set(body["status"]) - {"conditions"} <= set(owned_status_fields(WidgetStatus))
    # The merge patch writes the foreign entry back byte for byte (a list is replaced whole).
    assert done.merge_patch is not None
    assert done.merge_patch["status"]["conditions"][0] == foreign
    assert "theirField" not in done.merge_patch["status"]


def test_events_are_about_the_object() -> None:
    done = PIPELINE.reconcile(_object(), World(configured=False), now=NOW)
    assert done.regarding == {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "name": "w1",
        "namespace": "team-a",
        "uid": "00000000-0000-4000-8000-000000000001",
    }
    events = done.events(reporting_controller="example.com/widgets", reporting_instance="p0",
                         now=NOW)  # fmt: skip
    assert events == done.outcome.events(regarding=done.regarding,
                                         reporting_controller="example.com/widgets",
                                         reporting_instance="p0", now=NOW)  # fmt: skip
    assert {e["type"] for e in events} == {"Warning", "Normal"}
    assert all(e["regarding"]["name"] == "w1" for e in events)


# ------------------------------------------------------------------ every client's object


class KopfBody(Mapping[str, Any]):
    """Like kopf's Body: a read-only Mapping view, not a dict."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Kr8sObject:
    def __init__(self, data: dict[str, Any]) -> None:
        self.raw = data


class LightkubeObject:
    """Like a lightkube model: ``to_dict()`` gives the API's camelCase JSON."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)


_SNAKE = {"apiVersion": "api_version", "resourceVersion": "resource_version",
          "observedGeneration": "observed_generation",
          "lastTransitionTime": "last_transition_time"}  # fmt: skip


def _snake(value: Any) -> Any:
    """The official client's ``to_dict()``: snake_case keys, datetimes as datetimes."""
    if isinstance(value, dict):
        return {_SNAKE.get(k, k): _snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake(v) for v in value]
    if isinstance(value, str) and value.endswith("Z") and value[:2] == "20":
        return datetime.fromisoformat(value)
    return value


class OfficialClientObject:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return _snake(self._data)  # type: ignore[no-any-return]


def _attributes(value: dict[str, Any]) -> Any:
    """An object read by attribute (``obj.metadata.generation``), its status a dict."""
    metadata = SimpleNamespace(**{_SNAKE.get(k, k): v for k, v in value["metadata"].items()})
    top = {_SNAKE.get(k, k): v for k, v in value.items()}
    return SimpleNamespace(**{**top, "metadata": metadata})


def _ready_object() -> dict[str, Any]:
    obj = _object()
    for world in (World(), World()):
        done = PIPELINE.reconcile(obj, world, now=NOW)
        if done.merge_patch is not None:
            obj = _write(obj, done.merge_patch)
    return obj


FORMS = {
    "dict": lambda o: o,
    "kopf": KopfBody,
    "kr8s": Kr8sObject,
    "lightkube": LightkubeObject,
    "official": OfficialClientObject,
    "attributes": _attributes,
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_client_form_gives_the_same_pass(form: str) -> None:
    ready = _ready_object()
    wrap = FORMS[form]
    quiet = PIPELINE.reconcile(wrap(ready), World(), now=NOW + timedelta(hours=1))
    assert not quiet.changed and quiet.merge_patch is None, form
    assert quiet.resource_version == ready["metadata"]["resourceVersion"]
    moved = PIPELINE.reconcile(wrap(ready), World(available=False), now=NOW + timedelta(hours=1))
    reference = PIPELINE.reconcile(ready, World(available=False), now=NOW + timedelta(hours=1))
    assert moved.status == reference.status
    assert moved.merge_patch == reference.merge_patch
    assert moved.apply_body == reference.apply_body
    assert moved.regarding == reference.regarding


# ------------------------------------------------------------------------- the model


def test_the_status_model_is_declared_once_or_per_call_or_plain() -> None:
    obj = _object({"endpoint": "x:1", "conditions": []})
    assert PIPELINE.status_model is WidgetStatus
    assert isinstance(PIPELINE.reconcile(obj, World(), now=NOW).stored, WidgetStatus)
    plain = _pipeline()
    assert plain.status_model is StatusModel
    done = plain.reconcile(obj, World(), now=NOW)
    assert type(done.stored) is StatusModel
    # A plain model keeps what it does not declare, and never deletes it.
    assert done.merge_patch is not None and "endpoint" not in done.merge_patch["status"]
    per_call = plain.reconcile(obj, World(), now=NOW, status_model=WidgetStatus)
    assert isinstance(per_call.status, WidgetStatus) and per_call.status.endpoint == "widget.svc:80"
    with pytest.raises(UsageError, match="StatusModel subclass"):
        _pipeline(status_model=dict)
    with pytest.raises(UsageError, match="StatusModel subclass"):
        PIPELINE.reconcile(obj, World(), now=NOW, status_model=World)  # type: ignore[type-var]


def test_the_gittarget_pipeline_reads_objects_into_gittarget_status() -> None:
    pipeline = gittarget_pipeline()
    assert pipeline.status_model is GitTargetStatus
    assert gittarget_pipeline(asynchronous=True).status_model is GitTargetStatus
    obj = {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": "prod", "namespace": "team-a", "uid": "u-1", "generation": 2},
        "spec": demo_spec().to_k8s(),
        "status": {"observedGeneration": 1, "workerRef": {"name": "w-0", "uid": "w-uid"}},
    }
    ctx = GitTargetContext(
        spec=demo_spec(), ports=FakeGitTargetWorld(), previous=GitTargetStatus(), now=NOW
    )
    done = pipeline.reconcile(obj, ctx, now=NOW)
    assert_type(done.stored, GitTargetStatus)
    assert_type(done.status, GitTargetStatus)
    assert isinstance(done.stored, GitTargetStatus) and done.stored.worker_ref is not None
    assert isinstance(done.status, GitTargetStatus) and done.status.observed_generation == 2
    assert done.status.worker_ref is not None and done.merge_patch is not None


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        (_object(generation=None), "metadata.generation"),
        (_object(generation="3"), "metadata.generation"),
        (_object(generation=True), "metadata.generation"),
        (_object(generation=-1), "metadata.generation"),
        (_object(generation=2**63), "metadata.generation"),
        ({"apiVersion": "v1", "kind": "Widget", "status": {}}, "metadata"),
        (None, ""),
        ({**_object(), "kind": 5}, "kind"),
        (_object({"conditions": [{"type": "Ready"}]}), "conditions[0].status"),
    ],
)
def test_a_bad_object_is_a_typed_error_naming_the_field(obj: Any, path: str) -> None:
    with pytest.raises(StatusValidationError) as raised:
        PIPELINE.reconcile(obj, World(), now=NOW)
    assert path in raised.value.paths


def test_the_apply_body_needs_the_identity() -> None:
    obj = _object()
    del obj["kind"]  # an official-client list item has no kind
    done = PIPELINE.reconcile(obj, World(), now=NOW)
    assert done.merge_patch is not None  # the merge patch does not need it
    with pytest.raises(StatusValidationError) as raised:
        _ = done.apply_body
    assert raised.value.paths == ("kind",)


# ----------------------------------------------------------------------------- async


def test_areconcile_awaits_async_gates_and_reconcile_refuses_them() -> None:
    async def slow(world: World) -> GateResult:
        await asyncio.sleep(0)
        return _available(world)

    pipeline = GatePipeline(
        [
            Gate("Configured", _configured, ready_reason="A"),
            Gate("Available", slow, ready_reason="B"),
        ],
        status_model=WidgetStatus,
    )
    done = asyncio.run(pipeline.areconcile(_object(), World(), now=NOW))
    assert done.ready and done.status.endpoint == "widget.svc:80"
    sync = _pipeline(phase=None).reconcile(_object(), World(), now=NOW, status_model=WidgetStatus)
    assert done.merge_patch == sync.merge_patch and done.apply_body == sync.apply_body
    with pytest.raises(UsageError, match="areconcile"):
        pipeline.reconcile(_object(), World(), now=NOW)


# ------------------------------------------------------------------------ the invariant


@st.composite
def widget_objects(draw: st.DrawFn) -> dict[str, Any]:
    """A Widget as the server returns it: a drawn status, foreign conditions, metadata."""
    status = draw(gs.status_models(WidgetStatus)).to_k8s()
    foreign = draw(gs.foreign_condition_lists(exclude=PIPELINE.owned_types))
    ours = status.get("conditions", [])
    present = {c["type"] for c in ours}
    # Distinct types: a CRD's list-map refuses duplicates, so no server stores them.
    status["conditions"] = [*ours, *(c for c in foreign if c["type"] not in present)]
    observed = status.get("observedGeneration")
    low = max(1, observed or 1)
    generation = draw(st.integers(low, min(low + 3, 2**63 - 1)))  # metadata is int64
    return _object(status, generation=generation)


def _check_invariant(
    obj: dict[str, Any],
    world: World,
    pipeline: GatePipeline[Any],
    model: type[StatusModel],
    settle: bool,
) -> None:
    """The invariant on ``obj``, or (``settle``) on ``obj`` after our write of one pass."""
    frozen = copy.deepcopy(obj)
    done = pipeline.reconcile(obj, world, now=NOW, status_model=model)
    assert obj == frozen, "reconcile mutated the object"
    if settle and done.merge_patch is not None:  # the object after our last write
        obj = _write(obj, done.merge_patch)
        frozen = copy.deepcopy(obj)
        done = pipeline.reconcile(obj, world, now=NOW, status_model=model)
    assert obj == frozen
    stored = obj.get("status", {})
    changed = done.changed
    event(f"changed={changed}")
    assert (done.merge_patch is not None) == changed
    assert (done.apply_body is not None) == changed
    assert (status_patch(stored, done.status) is not None) == changed
    if not changed:
        return
    assert done.merge_patch is not None and done.apply_body is not None
    written = _write(obj, done.merge_patch)
    assert written["status"] == done.status.to_k8s()
    assert json_merge_patch(stored, written["status"]) == done.merge_patch["status"]
    fields = owned_status_fields(model)
    applied = applied_status(stored, done.apply_body["status"], pipeline.owned_types, fields)
    assert applied != stored
    for after in (written, {**obj, "status": applied}):
        again = pipeline.reconcile(after, world, now=NOW + timedelta(hours=1), status_model=model)
        assert not again.changed and again.merge_patch is None and again.apply_body is None


@settings(max_examples=max(25, (settings.default or settings()).max_examples // 2))
@given(
    obj=widget_objects(), configured=st.booleans(), available=st.booleans(), settle=st.booleans()
)
def test_changed_iff_the_bodies_write_for_random_widgets(
    obj: dict[str, Any], configured: bool, available: bool, settle: bool
) -> None:
    _check_invariant(obj, World(configured, available), PIPELINE, WidgetStatus, settle)


@settings(max_examples=max(25, (settings.default or settings()).max_examples // 2))
@given(
    obj=gs.kube_objects(), configured=st.booleans(), available=st.booleans(), settle=st.booleans()
)
def test_changed_iff_the_bodies_write_for_objects_with_many_fields(
    obj: dict[str, Any], configured: bool, available: bool, settle: bool
) -> None:
    # A generic pipeline over GitTargetStatus: its many detail fields and conditions
    # (Validated, Bootstrapped, ...) are not this pipeline's; Ready and kstatus are.
    _check_invariant(
        obj, World(configured, available), _pipeline(phase=None), GitTargetStatus, settle
    )
