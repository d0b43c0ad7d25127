"""The generic state machine behind ``testing.stateful``: a status through reconcile passes.

Documented from its public module, [`gittarget_status.testing.stateful`][]; this module
holds the generic machine and its checks, that one the GitTarget machine built on it.
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
from gittarget_status.gittarget._sample import DEMO_EPOCH
from gittarget_status.testing._clock import FakeClock
from gittarget_status.testing.invariants import StatusContract, assert_status_contract
from gittarget_status.testing.strategies import condition_statuses, messages, reasons

__all__ = ["GatePipelineMachine"]

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
