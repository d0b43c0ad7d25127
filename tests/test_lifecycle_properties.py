"""Idempotence and no-churn properties of the lifecycle over generated worlds."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st

from gittarget_status import (
    GATE_ORDER,
    GitTargetSpec,
    GitTargetStatus,
    areconcile_gittarget,
    derive_phase,
    find_condition,
    is_true,
    reconcile_gittarget,
)
from gittarget_status.testing import FakeGitTargetWorld, demo_spec
from gittarget_status.testing.strategies import fake_worlds

START = datetime(2026, 6, 1, tzinfo=UTC)

worlds = fake_worlds()
specs = st.builds(
    demo_spec, generate_when_missing=st.booleans(), encrypted=st.booleans()
) | st.just(demo_spec().model_copy(update={"path": ""}))


def _check_invariants(status: GitTargetStatus, generation: int) -> None:
    types = [c.type for c in status.conditions]
    assert len(types) == len(set(types)), types
    assert status.phase is derive_phase(status)
    assert is_true(status, "Ready") is all(is_true(status, g) for g in GATE_ORDER)
    assert not (is_true(status, "Reconciling") and is_true(status, "Stalled"))
    assert status.observed_generation == generation
    assert all(c.observed_generation == generation for c in status.conditions)
    assert all(c.last_transition_time is not None for c in status.conditions)


@given(spec=specs, world=worlds)
def test_second_pass_over_an_unchanged_world_changes_nothing(
    spec: GitTargetSpec, world: FakeGitTargetWorld
) -> None:
    first = reconcile_gittarget(spec, None, world, generation=1, now=START)
    _check_invariants(first.status, 1)
    second = reconcile_gittarget(
        spec, first.status, replace(world), generation=1, now=START + timedelta(minutes=7)
    )
    assert not second.changed
    assert second.status == first.status
    assert second.transitions == ()


@given(spec=specs, sequence=st.lists(worlds, min_size=1, max_size=6))
def test_transition_time_moves_iff_status_moves(
    spec: GitTargetSpec, sequence: list[FakeGitTargetWorld]
) -> None:
    status: GitTargetStatus | None = None
    for step, world in enumerate(sequence):
        now = START + timedelta(minutes=step)
        outcome = reconcile_gittarget(spec, status, world, generation=1, now=now)
        _check_invariants(outcome.status, 1)
        moved_types = {t.type for t in outcome.transitions}
        for condition in outcome.status.conditions:
            before = None if status is None else find_condition(status, condition.type)
            if before is None:
                assert condition.last_transition_time == now
                continue
            status_moved = before.status is not condition.status
            assert (condition.type in moved_types) is status_moved
            assert (condition.last_transition_time != before.last_transition_time) is status_moved
        status = outcome.status


@given(spec=specs, world=worlds, generation=st.integers(1, 2**40))
def test_sync_and_async_agree(
    spec: GitTargetSpec, world: FakeGitTargetWorld, generation: int
) -> None:
    sync = reconcile_gittarget(spec, None, replace(world), generation=generation, now=START)
    coro = areconcile_gittarget(
        spec, None, replace(world).async_ports, generation=generation, now=START
    )
    asynchronous = asyncio.run(coro)
    assert sync.status == asynchronous.status
    assert (sync.changed, sync.ready, sync.phase, sync.blocked_by) == (
        asynchronous.changed,
        asynchronous.ready,
        asynchronous.phase,
        asynchronous.blocked_by,
    )


@given(world=worlds)
def test_a_generation_bump_is_observed_by_every_written_condition(
    world: FakeGitTargetWorld,
) -> None:
    first = reconcile_gittarget(demo_spec(), None, world, generation=1, now=START)
    bumped = reconcile_gittarget(demo_spec(), first.status, replace(world), generation=2, now=START)
    assert bumped.changed
    _check_invariants(bumped.status, 2)
    before = find_condition(first.status, "Ready")
    after = find_condition(bumped.status, "Ready")
    assert before is not None and after is not None
    assert after.status is before.status
    assert after.last_transition_time == before.last_transition_time
