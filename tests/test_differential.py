"""Differential properties: the same pass by different routes gives the same result.

sync vs async ports, a status model vs its JSON, and the same pass twice (determinism).
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from hypothesis import given, settings, strategies as st

from gittarget_status import (
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    areconcile_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import (
    DEMO_EPOCH,
    FakeGitTargetWorld,
    assert_status_contract,
    strategies as gs,
)

_THIRD = settings(max_examples=max(10, (settings.default or settings()).max_examples // 3))


def _summary(outcome: ReconcileOutcome[GitTargetStatus]) -> tuple[Any, ...]:
    error = outcome.error
    return (
        outcome.status.to_k8s(),
        outcome.changed,
        outcome.ready,
        outcome.phase,
        outcome.blocked_by,
        outcome.requeue_after,
        outcome.transitions,
        outcome.stalled,
        None if error is None else (type(error).__name__, str(error)),
    )


@_THIRD
@given(
    raw=gs.damaged_statuses(),
    world=gs.fake_worlds(),
    spec=gs.gittarget_specs(),
    generation=st.integers(1, 12),
)
def test_sync_async_json_and_repeat_agree(
    raw: dict[str, Any], world: FakeGitTargetWorld, spec: GitTargetSpec, generation: int
) -> None:
    status = GitTargetStatus.from_k8s(raw)

    def fresh() -> FakeGitTargetWorld:
        return copy.deepcopy(world)  # ports may change the world (creating the secret)

    via_model = reconcile_gittarget(spec, status, fresh(), generation=generation, now=DEMO_EPOCH)
    via_json = reconcile_gittarget(
        spec.to_k8s(), status.to_k8s(), fresh(), generation=generation, now=DEMO_EPOCH
    )
    again = reconcile_gittarget(spec, status, fresh(), generation=generation, now=DEMO_EPOCH)
    via_async = asyncio.run(
        areconcile_gittarget(
            spec, status, fresh().async_ports, generation=generation, now=DEMO_EPOCH
        )
    )
    expected = _summary(via_model)
    assert _summary(via_json) == expected
    assert _summary(again) == expected
    assert _summary(via_async) == expected
    assert_status_contract(via_model.status, generation=generation, previous=status, now=DEMO_EPOCH)
