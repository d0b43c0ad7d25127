"""Reconcile requests and suspend: the two switches an operator flips on an object.

The handshake (``requested_at`` -> ``lastHandledReconcileAt``) moves the handled value iff
a request is made, and never churns; a suspended pass calls no evaluator, keeps every
stored owned condition and field, writes ``Suspended=True`` once, and a resumed pass is the
pass that would have run had the object never been suspended. Checked for a generic
pipeline (a Widget with the mixin) and for GitTarget, with what kstatus and ``kubectl
wait`` then conclude.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import (
    FLUX_RECONCILE_REQUEST_ANNOTATION,
    RECONCILE_REQUEST_ANNOTATION,
    Gate,
    GatePipeline,
    GateResult,
    GitTargetStatus,
    ReconcileRequestStatus,
    StatusModel,
    StatusValidationError,
    UsageError,
    reconcile_gittarget,
    reconcile_requested,
)
from gittarget_status.conditions import SUSPENDED
from gittarget_status.kstatus import KStatus, compute
from gittarget_status.kubectl import condition_met
from gittarget_status.testing import (
    FakeGitTargetWorld,
    StatusContract,
    assert_status_contract,
    check_status,
    demo_spec,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class WidgetStatus(ReconcileRequestStatus):
    phase: str | None = None
    last_reconcile_time: datetime | None = None


@dataclass
class World:
    """What the evaluators see; ``calls`` counts every evaluator call."""

    configured: bool = True
    available: bool = True
    calls: list[str] = field(default_factory=list)


def _configured(world: World) -> GateResult:
    world.calls.append("Configured")
    if not world.configured:
        return GateResult.failed("BadConfig", "size must be positive", terminal=True)
    return GateResult.passed("OK")


def _available(world: World) -> GateResult:
    world.calls.append("Available")
    return GateResult.passed("OK") if world.available else GateResult.in_progress("Starting")


def _phase(conditions: Any) -> str:
    ready = next((c for c in conditions if c.type == "Ready"), None)
    return "Running" if ready is not None and ready.status.value == "True" else "Pending"


def _pipeline(**kwargs: Any) -> GatePipeline[World, WidgetStatus]:
    return GatePipeline(
        [
            Gate("Configured", _configured, ready_reason="NotConfigured", terminal={"BadConfig"}),
            Gate("Available", _available, ready_reason="NotAvailable"),
        ],
        phase=_phase,
        status_model=WidgetStatus,
        **kwargs,
    )


PIPELINE = _pipeline()
CONTRACT = StatusContract.for_pipeline(PIPELINE)


def _pass(
    status: WidgetStatus,
    world: World | None = None,
    *,
    generation: int = 1,
    at: int = 0,
    **switches: Any,
) -> Any:
    return PIPELINE.evaluate(
        status, world or World(), generation=generation, now=NOW + timedelta(minutes=at), **switches
    )


def _bytes(status: StatusModel) -> str:
    return json.dumps(status.to_k8s(), sort_keys=True)


def _without(status: Mapping[str, Any], type_: str) -> dict[str, Any]:
    kept = [c for c in status.get("conditions", []) if c["type"] != type_]
    return {**status, "conditions": kept}


worlds = st.builds(World, configured=st.booleans(), available=st.booleans())
requests = st.none() | st.sampled_from(["", "1733043600", "2026-12-01T09:00:00Z"]) | st.text()


@st.composite
def stored_statuses(draw: st.DrawFn) -> tuple[WidgetStatus, int]:
    """A status as a few passes left it (some under a request), read back from JSON."""
    status, generation = WidgetStatus(), 1
    for step in range(draw(st.integers(0, 3))):
        generation += draw(st.integers(0, 1))
        requested = draw(requests)
        outcome = _pass(
            status, draw(worlds), generation=generation, at=step, requested_at=requested
        )
        status = WidgetStatus.from_k8s(outcome.status.to_k8s())
    return status, generation


# ------------------------------------------------------------------- reconcile requests


@given(stored=stored_statuses(), world=worlds, requested=requests, bump=st.integers(0, 1))
def test_the_handled_value_moves_iff_a_request_is_made(
    stored: tuple[WidgetStatus, int], world: World, requested: str | None, bump: int
) -> None:
    status, generation = stored
    before = status.last_handled_reconcile_at
    outcome = _pass(status, world, generation=generation + bump, at=10, requested_at=requested)
    expected = before if requested in (None, "") else requested
    assert outcome.status.last_handled_reconcile_at == expected
    again = _pass(
        outcome.status, world, generation=generation + bump, at=20, requested_at=requested
    )
    assert not again.changed  # answered once: the same request again writes nothing
    assert _bytes(again.status) == _bytes(outcome.status)


def test_a_request_is_one_write_and_the_field_never_moves_on_its_own() -> None:
    steady = _pass(WidgetStatus(), generation=1).status
    assert not _pass(steady, at=5).changed
    asked = _pass(steady, at=5, requested_at="1733043600")
    assert asked.changed and asked.status.last_handled_reconcile_at == "1733043600"
    assert asked.transitions == ()  # no condition moved: only the handshake and the time
    assert asked.status.last_reconcile_time == NOW + timedelta(minutes=5)
    for minutes in (6, 60, 6000):
        quiet = _pass(asked.status, at=minutes)  # annotation removed: the value stays
        assert not quiet.changed and quiet.status.last_handled_reconcile_at == "1733043600"


def test_a_status_model_without_the_field_ignores_requests() -> None:
    plain = GatePipeline([Gate("A", lambda _: GateResult.passed("OK"), ready_reason="NotA")])
    first = plain.evaluate(StatusModel(), None, generation=1, now=NOW)
    again = plain.evaluate(first.status, None, generation=1, now=NOW, requested_at="7")
    assert not again.changed


@pytest.mark.parametrize(
    ("annotations", "status", "expected"),
    [
        (None, None, False),
        ({}, None, False),
        ({RECONCILE_REQUEST_ANNOTATION: ""}, None, False),
        ({RECONCILE_REQUEST_ANNOTATION: "1"}, None, True),
        ({RECONCILE_REQUEST_ANNOTATION: "1"}, {}, True),
        ({RECONCILE_REQUEST_ANNOTATION: "1"}, {"lastHandledReconcileAt": "1"}, False),
        ({RECONCILE_REQUEST_ANNOTATION: "2"}, {"lastHandledReconcileAt": "1"}, True),
        ({FLUX_RECONCILE_REQUEST_ANNOTATION: "2"}, {"lastHandledReconcileAt": "1"}, False),
    ],
)
def test_reconcile_requested(
    annotations: dict[str, str] | None, status: dict[str, Any] | None, expected: bool
) -> None:
    metadata: dict[str, Any] = {"name": "w", "generation": 1}
    if annotations is not None:
        metadata["annotations"] = annotations
    obj: dict[str, Any] = {"metadata": metadata}
    if status is not None:
        obj["status"] = status
    assert reconcile_requested(obj) is expected
    # The same object as an attribute-only model (official client style) agrees.
    model = SimpleNamespace(
        metadata=SimpleNamespace(annotations=annotations, name="w", generation=1),
        status=None if status is None else SimpleNamespace(**_snake(status)),
    )
    assert reconcile_requested(model) is expected


def _snake(status: Mapping[str, Any]) -> dict[str, Any]:
    return {"last_handled_reconcile_at": status.get("lastHandledReconcileAt")}


def test_reconcile_requested_with_flux_annotation() -> None:
    obj = {"metadata": {"annotations": {FLUX_RECONCILE_REQUEST_ANNOTATION: "now"}}}
    assert reconcile_requested(obj, annotation=FLUX_RECONCILE_REQUEST_ANNOTATION)
    assert not reconcile_requested(obj)


def test_request_values_that_are_not_strings_are_refused_naming_the_field() -> None:
    obj = {"metadata": {"generation": 1, "annotations": {RECONCILE_REQUEST_ANNOTATION: 5}}}
    path = f'metadata.annotations["{RECONCILE_REQUEST_ANNOTATION}"]'
    with pytest.raises(StatusValidationError, match="must be a string") as raised:
        reconcile_requested(obj)
    assert raised.value.errors[0].path == path
    with pytest.raises(StatusValidationError) as raised:
        PIPELINE.reconcile(obj, World(), now=NOW)
    assert raised.value.errors[0].path == path
    with pytest.raises(StatusValidationError) as raised:
        _pass(WidgetStatus(), requested_at=1733043600)
    assert raised.value.errors[0].path == "requested_at"
    with pytest.raises(StatusValidationError) as raised:
        reconcile_requested({"metadata": {"annotations": ["x"]}})
    assert raised.value.errors[0].path == "metadata.annotations"


def _object(
    status: StatusModel | None = None,
    *,
    generation: int = 1,
    annotations: dict[str, str] | None = None,
    spec: dict[str, Any] | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "w1", "namespace": "a", "generation": generation}
    if annotations is not None:
        metadata["annotations"] = annotations
    obj: dict[str, Any] = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": metadata}
    obj["spec"] = spec or {}
    if status is not None:
        obj["status"] = status.to_k8s()
    return obj


class _Model:
    """A lightkube/official-client style model: ``to_dict()`` gives the object."""

    def __init__(self, obj: dict[str, Any]) -> None:
        self._obj = obj

    def to_dict(self) -> dict[str, Any]:
        return self._obj


def test_reconcile_reads_the_annotation_and_the_switch_from_any_client_shape() -> None:
    steady = _pass(WidgetStatus()).status
    obj = _object(steady, annotations={RECONCILE_REQUEST_ANNOTATION: "42"})
    for shape in (obj, _Model(obj)):
        done = PIPELINE.reconcile(shape, World(), now=NOW)
        assert done.status.last_handled_reconcile_at == "42"
        assert done.merge_patch is not None
        assert done.merge_patch["status"]["lastHandledReconcileAt"] == "42"
        assert not reconcile_requested({**obj, "status": done.status.to_k8s()})
    suspended = _object(steady, spec={"suspend": True}, generation=2)
    world = World()
    for shape in (suspended, _Model(suspended)):
        assert PIPELINE.reconcile(shape, world, now=NOW).outcome.suspended
    assert world.calls == []


def test_the_annotation_and_the_field_are_configurable() -> None:
    flux = _pipeline(request_annotation=FLUX_RECONCILE_REQUEST_ANNOTATION, suspend_field="paused")
    assert (flux.request_annotation, flux.suspend_field) == (
        FLUX_RECONCILE_REQUEST_ANNOTATION,
        "paused",
    )
    assert (_pipeline().request_annotation, _pipeline().suspend_field) == (
        RECONCILE_REQUEST_ANNOTATION,
        "suspend",
    )
    steady = _pass(WidgetStatus()).status
    ours = _object(steady, annotations={RECONCILE_REQUEST_ANNOTATION: "1"})
    theirs = _object(steady, annotations={FLUX_RECONCILE_REQUEST_ANNOTATION: "1"})
    assert not flux.reconcile(ours, World(), now=NOW).changed
    assert flux.reconcile(theirs, World(), now=NOW).status.last_handled_reconcile_at == "1"
    assert not flux.reconcile(_object(steady, spec={"suspend": True}), World(), now=NOW).changed
    assert flux.reconcile(_object(steady, spec={"paused": True}), World(), now=NOW).changed
    off = _pipeline(request_annotation=None, suspend_field=None)
    assert (off.request_annotation, off.suspend_field) == (None, None)
    assert not off.reconcile(theirs, World(), now=NOW).changed
    assert not off.reconcile(_object(steady, spec={"suspend": True}), World(), now=NOW).changed


# ------------------------------------------------------------------------------ suspend


def _owned_except_suspended(status: StatusModel) -> list[dict[str, Any]]:
    return [c.to_k8s() for c in status.conditions if c.type != SUSPENDED]


@given(stored=stored_statuses(), bump=st.integers(0, 3), requested=requests)
def test_a_suspended_pass_evaluates_nothing_and_keeps_the_stored_verdict(
    stored: tuple[WidgetStatus, int], bump: int, requested: str | None
) -> None:
    status, generation = stored
    world = World()
    outcome = _pass(status, world, generation=generation + bump, at=30, suspended=True)
    assert world.calls == []
    assert outcome.suspended and outcome.results == {}
    new = outcome.status
    if status.condition("Ready") is not None:  # a verdict was stored: kept, field by field
        assert _owned_except_suspended(new) == _owned_except_suspended(status)
        for name in ("phase", "observed_generation", "last_reconcile_time"):
            assert getattr(new, name) == getattr(status, name), name
    assert new.last_handled_reconcile_at == status.last_handled_reconcile_at
    suspended = new.condition(SUSPENDED)
    assert suspended is not None and suspended.status.value == "True"
    assert (suspended.reason, suspended.observed_generation) == (SUSPENDED, generation + bump)
    assert_status_contract(new, generation=generation + bump, contract=CONTRACT, previous=status)
    # Written once: a second suspended pass (a request made meanwhile) writes nothing.
    again = _pass(
        new, World(), generation=generation + bump, at=40, suspended=True, requested_at=requested
    )
    assert not again.changed and _bytes(again.status) == _bytes(new)


@given(stored=stored_statuses(), world=worlds, bump=st.integers(0, 2), requested=requests)
def test_resuming_is_the_pass_that_would_have_run_without_the_suspension(
    stored: tuple[WidgetStatus, int], world: World, bump: int, requested: str | None
) -> None:
    status, generation = stored
    paused = _pass(status, generation=generation + 1, at=30, suspended=True).status
    paused = WidgetStatus.from_k8s(paused.to_k8s())
    later: dict[str, Any] = {
        "generation": generation + 1 + bump,
        "at": 50,
        "requested_at": requested,
    }
    resumed = _pass(paused, World(world.configured, world.available), **later)
    if status.condition("Ready") is None:  # suspended from creation: initialised as new
        status = PIPELINE.initialize(
            status, generation=generation + 1, now=NOW + timedelta(minutes=30)
        ).status
    never = _pass(status, World(world.configured, world.available), **later)
    assert resumed.status.condition(SUSPENDED) is None
    assert _bytes(resumed.status) == _bytes(never.status)
    assert resumed.changed  # at least the Suspended condition goes
    assert not _pass(resumed.status, World(world.configured, world.available), **later).changed


def test_a_request_made_while_suspended_is_answered_on_resume() -> None:
    steady = _pass(WidgetStatus(), requested_at="1").status
    paused = _pass(steady, generation=2, suspended=True, requested_at="2")
    assert paused.status.last_handled_reconcile_at == "1"
    obj = _object(paused.status, generation=2, annotations={RECONCILE_REQUEST_ANNOTATION: "2"})
    assert reconcile_requested(obj)  # still pending, as the event filter sees it
    resumed = _pass(paused.status, generation=3, requested_at="2")
    assert resumed.status.last_handled_reconcile_at == "2"


def test_an_object_created_suspended_reads_as_new_not_as_current() -> None:
    world = World()
    outcome = _pass(WidgetStatus(), world, generation=1, suspended=True)
    assert world.calls == []
    status = outcome.status.to_k8s()
    reasons = {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]}
    assert reasons == {
        "Configured": ("Unknown", "NotChecked"),
        "Available": ("Unknown", "NotChecked"),
        "Ready": ("False", "NotChecked"),
        "Reconciling": ("True", "Progressing"),
        SUSPENDED: ("True", SUSPENDED),
    }
    obj = {**_object(generation=1), "status": status}
    assert compute(obj).status is KStatus.IN_PROGRESS
    assert not condition_met(obj, "condition=Ready")
    assert condition_met(obj, "condition=Suspended")
    assert_status_contract(status, generation=1, contract=CONTRACT)


def test_what_kstatus_and_kubectl_wait_read_from_a_suspended_object() -> None:
    ready = _pass(WidgetStatus()).status
    paused = _pass(ready, generation=2, at=1, suspended=True).status.to_k8s()
    obj = {**_object(generation=2), "status": paused}
    verdict = compute(obj)
    assert verdict.status is KStatus.IN_PROGRESS
    assert "generation is 2, but latest observed generation is 1" in verdict.message
    assert not condition_met(obj, "condition=Ready")  # stale: observedGeneration 1 < 2
    assert condition_met(obj, "condition=Suspended")
    # Suspended without a spec change (a controller-side switch): the verdict is current.
    same = {**_object(generation=1), "status": _pass(ready, suspended=True).status.to_k8s()}
    assert compute(same).status is KStatus.CURRENT
    assert condition_met(same, "condition=Ready")


def test_the_contract_accepts_a_suspended_status_and_only_that() -> None:
    ready = _pass(WidgetStatus()).status
    paused = _pass(ready, generation=2, suspended=True).status.to_k8s()
    assert check_status(paused, generation=2, contract=CONTRACT) == []
    unmarked = _without(paused, SUSPENDED)  # the same lag without the mark is a violation
    rules = {v.rule for v in check_status(unmarked, generation=2, contract=CONTRACT)}
    assert {"GTS009", "GTS010", "GTS019"} <= rules
    stale_mark = {**_object(generation=3), "status": paused}  # a newer spec edit unanswered
    assert check_status(stale_mark, contract=CONTRACT) != []


def test_suspend_switch_errors() -> None:
    with pytest.raises(StatusValidationError) as raised:
        _pass(WidgetStatus(), suspended="yes")
    assert raised.value.errors[0].path == "suspended"
    with pytest.raises(StatusValidationError) as raised:
        PIPELINE.reconcile(_object(spec={"suspend": "true"}), World(), now=NOW)
    assert raised.value.errors[0].path == "spec.suspend"
    none = _pipeline(suspended_type=None)
    assert SUSPENDED not in none.owned_types and none.suspend_field is None
    with pytest.raises(UsageError, match="suspended_type=None"):
        none.evaluate(WidgetStatus(), World(), generation=1, now=NOW, suspended=True)
    assert not none.reconcile(_object(spec={"suspend": True}), World(), now=NOW).outcome.suspended


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"suspended_type": "not a type"}, "suspended_type"),
        ({"suspended_type": "Ready"}, "differ from ready_type"),
        ({"request_annotation": "not an annotation!"}, "request_annotation"),
        ({"suspend_field": ""}, "suspend_field"),
    ],
)
def test_pipeline_switch_configuration_errors(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        _pipeline(**kwargs)


def test_a_gate_cannot_be_called_suspended() -> None:
    with pytest.raises(ValueError, match="written by the pipeline"):
        GatePipeline([Gate(SUSPENDED, lambda _: GateResult.passed("OK"), ready_reason="X")])


def test_async_evaluators_are_not_awaited_while_suspended() -> None:
    awaited: list[str] = []

    async def probe(_: None) -> GateResult:
        awaited.append("probe")
        return GateResult.passed("OK")

    pipeline = GatePipeline([Gate("Probed", probe, ready_reason="NotProbed")])
    first = asyncio.run(pipeline.aevaluate(StatusModel(), None, generation=1, now=NOW))
    awaited.clear()
    paused = asyncio.run(
        pipeline.aevaluate(first.status, None, generation=2, now=NOW, suspended=True)
    )
    assert awaited == [] and paused.suspended and paused.changed


def test_the_suspended_condition_is_a_normal_event_once() -> None:
    ready = _pass(WidgetStatus()).status
    paused = _pass(ready, generation=2, suspended=True)
    reference = {"apiVersion": "example.com/v1", "kind": "Widget", "name": "w1"}
    args = {"regarding": reference, "reporting_controller": "example.com/w", "now": NOW}
    events = paused.events(reporting_instance="w-0", **args)
    assert [(e["type"], e["reason"]) for e in events] == [("Normal", SUSPENDED)]
    assert (
        _pass(paused.status, generation=2, suspended=True).events(reporting_instance="w-0", **args)
        == ()
    )


# ----------------------------------------------------------------------------- GitTarget


class _NoPorts(FakeGitTargetWorld):
    """Ports that fail the test if a suspended pass touched the world."""

    def __getattribute__(self, name: str) -> Any:
        attribute = super().__getattribute__(name)
        if callable(attribute) and not name.startswith("_") and name != "async_ports":

            def refuse(*args: Any, **kwargs: Any) -> Any:
                raise AssertionError(f"port {name} called while suspended")

            return refuse
        return attribute


def test_gittarget_spec_suspend_stops_every_port() -> None:
    spec = demo_spec().to_k8s()
    ready = reconcile_gittarget(spec, None, FakeGitTargetWorld(), generation=1, now=NOW)
    assert ready.ready
    suspended = {**spec, "suspend": True}
    paused = reconcile_gittarget(suspended, ready.status, _NoPorts(), generation=2, now=NOW)
    assert paused.suspended and paused.changed
    assert_status_contract(paused.status, generation=2, previous=ready.status)
    assert [t.type for t in paused.transitions] == [SUSPENDED]
    quiet = reconcile_gittarget(suspended, paused.status, _NoPorts(), generation=2, now=NOW)
    assert not quiet.changed
    resumed = reconcile_gittarget(
        spec, paused.status, FakeGitTargetWorld(), generation=3, now=NOW, requested_at="9"
    )
    assert resumed.ready and resumed.status.condition(SUSPENDED) is None
    assert resumed.status.last_handled_reconcile_at == "9"
    assert isinstance(resumed.status, GitTargetStatus)
