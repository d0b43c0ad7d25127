"""A stateful walk over what operators and the world do to an object: spec edits, suspend
and resume (spec edits too), reconcile requests made and withdrawn, the world changing,
and passes at any moment. After every pass the contract holds against the status before
it, a repeated pass writes nothing, a suspended pass called no evaluator and kept every
other owned condition, the handled request moved iff one was answered, and any pass from
a suspended status is the pass from that status without its ``Suspended`` mark.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gittarget_status.conditions import SUSPENDED
from gittarget_status.testing import assert_status_contract
from test_operating import CONTRACT, NOW, PIPELINE, WidgetStatus, World, _bytes, _without

_VALUES = st.sampled_from(["1764579600", "1764583200", "2026-12-01T09:00:00Z", "x"])


class OperatedObject(RuleBasedStateMachine):
    @initialize()
    def create(self) -> None:
        self.world = World()
        self.generation = 1
        self.suspend = False
        self.annotation: str | None = None
        self.minutes = 0
        self.status = WidgetStatus()
        self.passes = 0
        self.seen_suspend = False

    @rule(configured=st.booleans(), available=st.booleans())
    def world_changes(self, configured: bool, available: bool) -> None:
        self.world.configured, self.world.available = configured, available

    @rule()
    def spec_edit(self) -> None:
        self.generation += 1

    @rule()
    def toggle_suspend(self) -> None:
        self.suspend = not self.suspend
        self.generation += 1  # kubectl patch spec.suspend: a spec edit

    @rule(value=st.none() | st.just("") | _VALUES)
    def annotate(self, value: str | None) -> None:
        self.annotation = value

    def _run(self, status: WidgetStatus) -> Any:
        return PIPELINE.evaluate(
            status,
            self.world,
            generation=self.generation,
            now=NOW + timedelta(minutes=self.minutes),
            requested_at=self.annotation,
            suspended=self.suspend,
        )

    @rule(wait=st.integers(0, 90))
    def reconcile(self, wait: int) -> None:
        self.minutes += wait
        before = self.status
        self.world.calls.clear()
        outcome = self._run(before)
        after = WidgetStatus.from_k8s(outcome.status.to_k8s())  # as the server stores it
        assert outcome.suspended is self.suspend
        if self.suspend:
            assert self.world.calls == []
            if before.condition("Ready") is not None:
                kept = [c.to_k8s() for c in after.conditions if c.type != SUSPENDED]
                assert kept == [c.to_k8s() for c in before.conditions if c.type != SUSPENDED]
        answered = None if self.suspend or not self.annotation else self.annotation
        expected = answered or before.last_handled_reconcile_at
        assert after.last_handled_reconcile_at == expected
        now = NOW + timedelta(minutes=self.minutes)
        assert_status_contract(
            after, generation=self.generation, previous=before, contract=CONTRACT, now=now
        )
        again = self._run(after)
        assert not again.changed and _bytes(again.status) == _bytes(after)
        if not self.suspend and before.condition(SUSPENDED) is not None:  # the resume
            unmarked = WidgetStatus.from_k8s(_without(before.to_k8s(), SUSPENDED))
            assert _bytes(self._run(unmarked).status) == _bytes(after)
        self.status = after
        self.passes += 1
        self.seen_suspend = self.suspend

    @invariant()
    def marked_iff_the_last_pass_was_suspended(self) -> None:
        marked = self.status.condition(SUSPENDED) is not None
        assert marked is (self.passes > 0 and self.seen_suspend)


OperatedObject.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestOperatedObject = OperatedObject.TestCase
