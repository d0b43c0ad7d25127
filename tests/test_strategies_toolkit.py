"""The toolkit's strategies generate what they promise (the library's own tests use them)."""

from __future__ import annotations

from typing import Any

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
