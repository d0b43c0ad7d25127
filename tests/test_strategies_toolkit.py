"""The toolkit's strategies generate what they promise (the library's own tests use them)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from gittarget_status import (
    ConditionStatus,
    GateResult,
    GitTargetSpec,
    GitTargetStatus,
    reconcile_gittarget,
)
from gittarget_status.testing import (
    DEMO_EPOCH,
    WORLD_EVENTS,
    FakeClock,
    FakeGitTargetWorld,
    apply_world_event,
    assert_status_contract,
    check_status,
    strategies as gs,
)
from gittarget_status.testing.strategies._hostile import _MUTATIONS, _mutate

_QUARTER = max(10, (settings.default or settings()).max_examples // 4)


@given(result=gs.gate_results())
def test_gate_results_are_valid_verdicts(result: GateResult) -> None:
    assert result.status in ConditionStatus
    assert not result.terminal or result.status is ConditionStatus.FALSE
    assert not (result.terminal and result.requeue_after is not None)


@given(result=gs.gate_results(status=ConditionStatus.FALSE))
def test_gate_results_can_be_narrowed(result: GateResult) -> None:
    assert result.status is ConditionStatus.FALSE


@given(spec=gs.gittarget_specs(encrypted=True))
def test_specs_round_trip_strictly(spec: GitTargetSpec) -> None:
    assert spec.encrypted
    assert GitTargetSpec.from_k8s(spec.to_k8s(), strict=True) == spec


@settings(max_examples=_QUARTER)
@given(world=gs.fake_worlds(raising=False), script=gs.world_event_sequences(max_size=8))
def test_a_scripted_world_keeps_the_contract_pass_after_pass(
    world: FakeGitTargetWorld, script: list[str]
) -> None:
    clock = FakeClock()
    spec = GitTargetSpec.from_k8s({"providerRef": {"name": "p"}, "branch": "main"})
    status = GitTargetStatus()
    for event in script:
        assert event in WORLD_EVENTS
        apply_world_event(world, event)
        clock.advance(seconds=30)
        outcome = reconcile_gittarget(spec, status, world, generation=1, now=clock.now)
        assert_status_contract(outcome.status, generation=1, previous=status, now=clock.now)
        status = outcome.status


@given(clock=gs.fake_clocks(), seconds=st.integers(0, 86_400))
def test_fake_clocks_advance_in_whole_seconds(clock: FakeClock, seconds: int) -> None:
    before = clock.now
    assert (clock.advance(seconds=seconds) - before).total_seconds() == seconds


@settings(max_examples=_QUARTER)
@given(obj=gs.kube_objects())
def test_whole_objects_look_like_the_api_server_s(obj: dict[str, Any]) -> None:
    assert obj["apiVersion"] == gs.API_VERSION
    metadata = obj["metadata"]
    assert metadata["generation"] >= 1
    assert {"name", "namespace", "uid", "resourceVersion"} <= set(metadata)
    # A stored status is not necessarily one a pass wrote: only parse-level rules apply.
    assert not {v.rule for v in check_status(obj, select=["unique-types", "metav1-valid"])} - {
        "GTS002"
    }


def test_a_lone_ready_is_repaired() -> None:
    world = FakeGitTargetWorld()
    raw = {"conditions": [{"type": "Ready", "status": "True", "reason": "OK"}]}
    outcome = reconcile_gittarget(
        GitTargetSpec.from_k8s({"providerRef": {"name": "p"}, "branch": "main"}),
        raw,
        world,
        generation=1,
        now=DEMO_EPOCH,
    )
    assert_status_contract(outcome.status, generation=1)


_STORED = {
    "conditions": [{"type": "Ready", "status": "True", "reason": "OK"}],
    "phase": "RUNNING",
}


@pytest.mark.parametrize("action", _MUTATIONS)
@given(data=st.data())
@settings(max_examples=_QUARTER)
def test_each_mutation_does_what_it_says(action: str, data: st.DataObject) -> None:
    """At a condition (an object in a list), each of ``mutated_statuses``' actions, every
    time: drawn, the path and so these branches are only reached now and then."""
    raw = copy.deepcopy(_STORED)
    entry = raw["conditions"][0]
    out = _mutate(data.draw, raw, ["conditions", 0], action)
    assert out is raw and out["phase"] == "RUNNING"  # only the path is touched
    if action == "remove":
        assert out["conditions"] == []
    elif action == "duplicate":
        assert out["conditions"] == [_STORED["conditions"][0]] * 2
    elif action == "add-field":
        assert out["conditions"] == [entry]  # the same object, given one field (new or not)
        assert set(entry) >= {"type", "status", "reason"} and len(entry) <= 4
    else:
        assert len(out["conditions"]) == 1  # replaced by anything, even an equal value


@given(data=st.data())
@settings(max_examples=_QUARTER)
def test_a_mutation_that_does_not_fit_its_place_replaces(data: st.DataObject) -> None:
    """A duplicate outside a list and a field added to a scalar are replacements."""
    cases: list[tuple[str, list[str | int]]] = [
        ("duplicate", ["phase"]),
        ("add-field", ["conditions", 0, "type"]),
    ]
    for action, path in cases:
        out = _mutate(data.draw, copy.deepcopy(_STORED), path, action)
        assert len(out) == 2 and len(out["conditions"]) == 1  # nothing added or removed
