"""A hypothesis state machine for status lifecycles (needs the ``testing`` extra).

Use it as-is for the GitTarget lifecycle::

    from gittarget_status.testing.stateful import GitTargetLifecycleMachine

    TestGitTargetLifecycle = GitTargetLifecycleMachine.TestCase

Hypothesis then drives random sequences of world events (provider appears/disappears,
secret created/deleted, snapshot finishes/fails/restarts, worker lost/found, stream
drops/returns, port outages), spec edits (each bumps the generation), time passing,
foreign writers, API round trips and reconcile passes, and after **every** pass checks:

* every default rule of [`check_status`][gittarget_status.testing.check_status] against the
  status before the pass (LTT moves iff status moves, nothing foreign dropped, ...);
* the input status was not mutated, and ``outcome.changed`` says whether it differs;
* the outcome agrees with the status (``ready``, ``phase``, ``blocked_by``,
  ``transitions``);
* idempotence: a second pass over the unchanged world, later, changes nothing.

For your own gates, subclass
[`GatePipelineMachine`][gittarget_status.testing.stateful.GatePipelineMachine] and implement the
hooks: [`make_status`][gittarget_status.testing.stateful.GatePipelineMachine.make_status],
[`make_pipeline`][gittarget_status.testing.stateful.GatePipelineMachine.make_pipeline] and
[`make_context`][gittarget_status.testing.stateful.GatePipelineMachine.make_context] (the machine
then derives the contract, initialises, and runs each pass through ``evaluate``, or through
``aevaluate`` when a gate is ``async def``), or
[`make_contract`][gittarget_status.testing.stateful.GatePipelineMachine.make_contract] and
[`run_pass`][gittarget_status.testing.stateful.GatePipelineMachine.run_pass] for passes of your own;
optionally [`run_initialize`][gittarget_status.testing.stateful.GatePipelineMachine.run_initialize]
and [`check_outcome`][gittarget_status.testing.stateful.GatePipelineMachine.check_outcome]. Then
add ``@rule`` methods that change your world. Subclass
[`GitTargetLifecycleMachine`][gittarget_status.testing.stateful.GitTargetLifecycleMachine] to swap
the spec, the world, or the pipeline (``make_spec``, ``make_world``, ``make_pipeline``), or set
``asynchronous = True`` to go through ``areconcile_gittarget``.

Both machines are documented from this one public module; the generic one and its checks
live in ``_pipeline_machine``, the GitTarget one (the generic one with world-event rules)
here.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import rule

from gittarget_status.gates._outcome import ReconcileOutcome
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._fake_world import FakeGitTargetWorld
from gittarget_status.gittarget._gates import GitTargetContext
from gittarget_status.gittarget._lifecycle import (
    areconcile_gittarget,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.gittarget._sample import demo_spec
from gittarget_status.gittarget._spec import GitTargetSpec
from gittarget_status.gittarget._status import GitTargetStatus
from gittarget_status.gittarget._world_events import PORT_METHODS, apply_world_event
from gittarget_status.testing._pipeline_machine import GatePipelineMachine
from gittarget_status.testing.invariants import GITTARGET_CONTRACT, StatusContract
from gittarget_status.testing.strategies import gittarget_specs

__all__ = ["GatePipelineMachine", "GitTargetLifecycleMachine"]


def _toggle(good: str, bad: str) -> Any:
    """A rule that applies ``good`` or ``bad`` (a pair of WORLD_EVENTS)."""

    @rule(good_news=st.booleans(), then_reconcile=st.booleans())
    def change(self: GitTargetLifecycleMachine, good_news: bool, then_reconcile: bool) -> None:
        self.happen(good if good_news else bad, then_reconcile)

    change.__doc__ = f"World event: {good!r} or {bad!r}."
    return change


class GitTargetLifecycleMachine(GatePipelineMachine):
    """The GitTarget lifecycle on a
    [`FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld], driven by world events.

    Hooks beyond [`GatePipelineMachine`][gittarget_status.testing.stateful.GatePipelineMachine]'s:
    ``make_world()`` (default: the happy path; events then change it), ``make_spec()`` (default:
    [`demo_spec`][gittarget_status.testing.demo_spec]), ``make_pipeline()`` (default: None, the
    library's own). ``asynchronous = True`` runs every pass through ``areconcile_gittarget`` and the
    async ports.
    """

    asynchronous: ClassVar[bool | None] = False

    def __init__(self) -> None:
        self.world = self.make_world()
        self.spec = self.make_spec()
        super().__init__()

    def make_world(self) -> FakeGitTargetWorld:
        return FakeGitTargetWorld()

    def make_spec(self) -> GitTargetSpec:
        return demo_spec()

    def make_pipeline(self) -> GatePipeline[GitTargetContext, Any] | None:
        return None

    def make_status(self) -> GitTargetStatus:
        return GitTargetStatus()

    def make_contract(self) -> StatusContract:
        if self.pipeline is None:
            return GITTARGET_CONTRACT
        return StatusContract.for_pipeline(self.pipeline)

    def run_initialize(
        self, status: Any, *, generation: int, now: Any
    ) -> ReconcileOutcome[Any] | None:
        if self.pipeline is not None:  # initialize_gittarget always uses the default one
            return self.pipeline.initialize(status, generation=generation, now=now)
        return initialize_gittarget(status, generation=generation, now=now)

    def run_pass(self, status: Any, *, generation: int, now: Any) -> ReconcileOutcome[Any]:
        if self.runs_async:
            return asyncio.run(
                areconcile_gittarget(
                    self.spec,
                    status,
                    self.world.async_ports,
                    generation=generation,
                    now=now,
                    pipeline=self.pipeline,
                )
            )
        return reconcile_gittarget(
            self.spec, status, self.world, generation=generation, now=now, pipeline=self.pipeline
        )

    def happen(self, event: str, then_reconcile: bool) -> None:
        """Apply a [`WORLD_EVENTS`][gittarget_status.testing.WORLD_EVENTS] entry; a watch event then
        usually triggers a pass.

        Changes not reconciled at once pile up until the next ``reconcile`` step.
        """
        apply_world_event(self.world, event)
        if then_reconcile:
            self.reconcile()

    provider = _toggle("provider-appears", "provider-disappears")
    branch_policy = _toggle("branch-allowed", "branch-forbidden")
    conflict = _toggle("conflict-resolved", "conflict-appears")
    secret = _toggle("secret-created", "secret-deleted")
    secret_creation = _toggle("secret-creation-allowed", "secret-creation-denied")
    recipients = _toggle("recipients-valid", "recipients-invalid")
    worker = _toggle("worker-found", "worker-lost")
    bootstrap = _toggle("bootstrap-recovers", "bootstrap-fails")
    stream_registration = _toggle("stream-registration-works", "stream-registration-fails")
    stream = _toggle("stream-returns", "stream-drops")

    @rule(
        event=st.sampled_from(["snapshot-finishes", "snapshot-fails", "snapshot-restarts"]),
        then_reconcile=st.booleans(),
    )
    def snapshot(self, event: str, then_reconcile: bool) -> None:
        """The initial snapshot finishes, fails, or restarts."""
        self.happen(event, then_reconcile)

    @rule(then_reconcile=st.booleans())
    def snapshot_new_commit(self, then_reconcile: bool) -> None:
        self.happen("snapshot-new-commit", then_reconcile)

    @rule(method=st.none() | st.sampled_from(PORT_METHODS), then_reconcile=st.booleans())
    def outage(self, method: str | None, then_reconcile: bool) -> None:
        """A port starts raising (or the outage ends)."""
        event = "outage-ends" if method is None else f"outage-in-{method.replace('_', '-')}"
        self.happen(event, then_reconcile)

    @rule(spec=gittarget_specs(), then_reconcile=st.booleans())
    def spec_edited(self, spec: GitTargetSpec, then_reconcile: bool) -> None:
        """A user edits the spec: the API server bumps metadata.generation."""
        if spec != self.spec:
            self.spec = spec
            self.generation += 1
        if then_reconcile:
            self.reconcile()
