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

About 450 lines, most of them the generic machine's checks: the GitTarget machine is the
generic one with world-event rules, and both are documented from this one public module.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from pydantic import BaseModel

from gittarget_status.conditions._common import STALLED, CommonReason
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._operations import find_condition, set_condition
from gittarget_status.gates._outcome import ReconcileOutcome
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._fake_world import FakeGitTargetWorld
from gittarget_status.gittarget._gates import GitTargetContext
from gittarget_status.gittarget._lifecycle import (
    areconcile_gittarget,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.gittarget._sample import DEMO_EPOCH, demo_spec
from gittarget_status.gittarget._spec import GitTargetSpec
from gittarget_status.gittarget._status import GitTargetStatus
from gittarget_status.gittarget._world_events import PORT_METHODS, apply_world_event
from gittarget_status.testing._clock import FakeClock
from gittarget_status.testing.invariants import (
    GITTARGET_CONTRACT,
    StatusContract,
    assert_status_contract,
)
from gittarget_status.testing.strategies import (
    condition_statuses,
    gittarget_specs,
    messages,
    reasons,
)

__all__ = ["GatePipelineMachine", "GitTargetLifecycleMachine"]

_FOREIGN_TYPES = ("example.com/Audited", "Available", "backup.io/Protected")


class GatePipelineMachine(RuleBasedStateMachine):
    """A status driven through reconcile passes, with the contract checked after each.

    Hooks to implement (or override):

    ``make_status()``
        The status of a new object (e.g. ``MyStatus()``).
    ``make_pipeline()``
        The [`GatePipeline`][gittarget_status.GatePipeline] under test (default: None; a
        ``self.pipeline`` set before ``super().__init__()`` is kept). With one, the hooks
        below have defaults: the contract is
        ``StatusContract.for_pipeline(pipeline)``, the first write is
        ``pipeline.initialize``, and a pass evaluates ``make_context()``.
    ``make_context()``
        What the gates evaluate on this pass (read the world your rules change).
    ``make_contract()``
        The [`StatusContract`][gittarget_status.testing.StatusContract] the status keeps
        (default: from the pipeline, its phase function and declared terminal reasons).
    ``run_pass(status, *, generation, now)``
        One reconcile pass against the current world; returns the ReconcileOutcome
        (default: the pipeline's ``evaluate``, or ``aevaluate`` in async mode).
    ``run_initialize(status, *, generation, now)``
        The first write for a new object (default: ``pipeline.initialize``, or none).
    ``check_outcome(outcome, previous)``
        Extra assertions of your own after every pass (default: none).
    ``make_clock()``
        The clock (default: a FakeClock at DEMO_EPOCH).

    Class attributes: ``ignored_rules`` (rule ids or names to skip, e.g. ``("GTS007",)``
    with ``kstatus_present=True``), ``idempotence_delay`` (how much later the
    idempotence pass runs) and ``asynchronous``: True runs each pass (the idempotence
    pass too) as ``asyncio.run(pipeline.aevaluate(...))``, False through ``evaluate``,
    None (the default) decides from the pipeline: async when a gate is ``async def``.
    Hypothesis's rules are synchronous, so each pass gets its own event loop; do not run
    the machine inside a running loop.
    """

    ignored_rules: ClassVar[tuple[str, ...]] = ()
    idempotence_delay: ClassVar[timedelta] = timedelta(seconds=1)
    asynchronous: ClassVar[bool | None] = None
    #: The pipeline under test: ``make_pipeline()``, unless set before ``__init__`` runs.
    pipeline: GatePipeline[Any, Any] | None = None

    def __init__(self) -> None:
        super().__init__()
        self.clock = self.make_clock()
        self.generation = 1
        if getattr(self, "pipeline", None) is None:  # a subclass may set it before us
            self.pipeline = self.make_pipeline()
        self.status: Any = self.make_status()
        self.contract = self.make_contract()
        self.passes = 0
        self.outcome: ReconcileOutcome[Any] | None = None

    # --- hooks -----------------------------------------------------------------------

    def make_clock(self) -> FakeClock:
        return FakeClock(DEMO_EPOCH)

    def make_status(self) -> Any:
        raise NotImplementedError("return the status of a new object")

    def make_pipeline(self) -> GatePipeline[Any, Any] | None:
        return None

    def make_context(self) -> Any:
        raise NotImplementedError("return what the pipeline's gates evaluate on this pass")

    def make_contract(self) -> StatusContract:
        if self.pipeline is None:
            raise NotImplementedError("return a pipeline from make_pipeline, or a contract")
        return StatusContract.for_pipeline(self.pipeline)

    def run_pass(self, status: Any, *, generation: int, now: Any) -> ReconcileOutcome[Any]:
        if self.pipeline is None:
            raise NotImplementedError("return a pipeline from make_pipeline, or run a pass")
        context = self.make_context()
        if self.runs_async:
            return asyncio.run(
                self.pipeline.aevaluate(status, context, generation=generation, now=now)
            )
        return self.pipeline.evaluate(status, context, generation=generation, now=now)

    def run_initialize(
        self, status: Any, *, generation: int, now: Any
    ) -> ReconcileOutcome[Any] | None:
        if self.pipeline is None:
            return None
        return self.pipeline.initialize(status, generation=generation, now=now)

    @property
    def runs_async(self) -> bool:
        """Whether passes go through ``aevaluate`` (see ``asynchronous``)."""
        if self.asynchronous is not None:
            return self.asynchronous
        return self.pipeline is not None and any(gate.is_async for gate in self.pipeline.gates)

    def check_outcome(self, outcome: ReconcileOutcome[Any], previous: Any) -> None:
        """Your own assertions after every pass (the contract is already checked)."""

    # --- rules -----------------------------------------------------------------------

    @initialize()
    def new_object(self) -> None:
        previous = self.status
        before = _json(previous)
        outcome = self.run_initialize(previous, generation=self.generation, now=self.clock.now)
        if outcome is not None:
            self._verify(outcome, previous, before, check_idempotence=False)
            self.status = outcome.status

    @rule()
    def reconcile(self) -> None:
        """One pass; every invariant is checked, then the pass is repeated to prove no churn."""
        previous = self.status
        outcome = self._checked_pass(previous)
        self.status = outcome.status
        self.outcome = outcome
        self.passes += 1

    @rule(seconds=st.integers(1, 7200))
    def time_passes(self, seconds: int) -> None:
        self.clock.advance(seconds=seconds)

    @rule()
    def generation_bumped(self) -> None:
        """metadata.generation moves (a spec edit the gates do not look at)."""
        self.generation += 1

    @rule()
    def api_round_trip(self) -> None:
        """The status is written and read back: nothing may change on the way."""
        to_k8s = getattr(self.status, "to_k8s", None)
        from_k8s = getattr(type(self.status), "from_k8s", None)
        if to_k8s is None or from_k8s is None:
            return  # a status model without the JSON round trip
        read_back = from_k8s(to_k8s())
        assert read_back == self.status, "status changed on a round trip through JSON"
        assert read_back.to_k8s() == to_k8s()
        self.status = read_back

    @rule(
        type_=st.sampled_from(_FOREIGN_TYPES),
        status=condition_statuses(),
        reason=reasons(),
        message=messages(),
    )
    def foreign_writer(
        self, type_: str, status: ConditionStatus, reason: str, message: str
    ) -> None:
        """Another controller writes its own condition (with a field we do not know)."""
        updated = self.status.model_copy(deep=True)
        condition = Condition.from_k8s(
            {
                "type": type_,
                "status": status.value,
                "reason": reason,
                "message": message,
                "severity": "Info",
            }
        )
        set_condition(updated, condition, now=self.clock.now)
        self.status = updated

    # --- checks ----------------------------------------------------------------------

    def _checked_pass(self, previous: Any) -> ReconcileOutcome[Any]:
        before = _json(previous)
        outcome = self.run_pass(previous, generation=self.generation, now=self.clock.now)
        self._verify(outcome, previous, before, check_idempotence=True)
        return outcome

    def _verify(
        self,
        outcome: ReconcileOutcome[Any],
        previous: Any,
        before: Any,
        *,
        check_idempotence: bool,
    ) -> None:
        status = outcome.status
        assert _json(previous) == before, "the pass mutated its input status"
        assert outcome.changed == (status != previous), (
            f"outcome.changed={outcome.changed} but the status "
            f"{'differs' if status != previous else 'is unchanged'}"
        )
        assert_status_contract(
            status,
            generation=self.generation,
            previous=previous,
            contract=self.contract,
            ignore=self.ignored_rules,
            now=self.clock.now,
        )
        self._check_outcome_fields(outcome, evaluated=check_idempotence)
        self._check_transitions(outcome, previous)
        self.check_outcome(outcome, previous)
        if check_idempotence:
            again = self.run_pass(
                status, generation=self.generation, now=self.clock.now + self.idempotence_delay
            )
            churn = (
                "a second pass over an unchanged world changed the status:\n"
                f"  first:  {_json(status)}\n  second: {_json(again.status)}"
            )
            assert again.status == status, churn
            assert not again.changed, churn
            assert again.transitions == (), f"no-op pass reported {again.transitions}"

    def _check_outcome_fields(self, outcome: ReconcileOutcome[Any], *, evaluated: bool) -> None:
        conditions = outcome.status.conditions
        ready = find_condition(conditions, self.contract.ready_type)
        assert outcome.ready == (ready is not None and ready.status is ConditionStatus.TRUE), (
            f"outcome.ready={outcome.ready} but {self.contract.ready_type} is {ready!r}"
        )
        if self.contract.phase is not None and hasattr(outcome.status, "phase"):
            assert outcome.phase == outcome.status.phase
        blocker = next(
            (
                type_
                for type_, _, blocking in self.contract.gates
                if blocking
                and (
                    (found := find_condition(conditions, type_)) is None
                    or found.status is not ConditionStatus.TRUE
                )
            ),
            None,
        )
        # initialize() evaluates nothing, so nothing blocked it.
        assert outcome.blocked_by == (blocker if evaluated else None), (
            f"outcome.blocked_by={outcome.blocked_by!r}, first blocking non-True gate {blocker!r}"
        )
        stalled = find_condition(conditions, STALLED)
        if self.contract.kstatus:
            is_stalled = stalled is not None and stalled.status is ConditionStatus.TRUE
            assert outcome.stalled == is_stalled, f"outcome.stalled={outcome.stalled}"
        failed = [
            c.type
            for c in conditions
            if c.type in self.contract.gate_types and c.reason == CommonReason.EVALUATION_FAILED
        ]
        assert (outcome.error is not None) == bool(failed), (
            f"outcome.error={outcome.error!r} but EvaluationFailed gates: {failed}"
        )

    def _check_transitions(self, outcome: ReconcileOutcome[Any], previous: Any) -> None:
        expected = set()
        for type_ in self.contract.owned_types:
            before = find_condition(previous.conditions, type_)
            after = find_condition(outcome.status.conditions, type_)
            old = None if before is None else before.status
            new = None if after is None else after.status
            if old is not new:
                expected.add((type_, old, new))
        assert set(outcome.transitions) == expected, (
            f"outcome.transitions={outcome.transitions}, status moves {sorted(map(str, expected))}"
        )


def _json(status: Any) -> Any:
    if isinstance(status, BaseModel):
        return status.model_dump(mode="json", by_alias=True)
    return status


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
