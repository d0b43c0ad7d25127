"""The gate pipeline: the public class, its configuration and its entry points.

The pass itself lives in ``_pass`` (one generator yielding each gate to evaluate);
[`GatePipeline.evaluate`][gittarget_status.GatePipeline.evaluate] and
[`GatePipeline.aevaluate`][gittarget_status.GatePipeline.aevaluate] only differ in how they call the
evaluator (``_verdict``), so the semantics cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar, cast, overload

from pydantic import BaseModel
from typing_extensions import TypeVar as DefaultTypeVar

from gittarget_status._errors import UsageError
from gittarget_status.conditions._common import READY, RECONCILING, STALLED
from gittarget_status.conditions._rules import check_type
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._outcome import ReconcileOutcome
from gittarget_status.gates._pass import PassRules, PhaseFunction, drain, run
from gittarget_status.gates._reconcile import (
    ObjectRead,
    Reconciled,
    check_status_model,
    read_object,
    reconciled,
)
from gittarget_status.gates._verdict import acall, call, unreachable
from gittarget_status.gates._writes import check_generation

__all__ = ["GatePipeline", "PhaseFunction"]

C = TypeVar("C")
S = TypeVar("S", bound=BaseModel)
M = TypeVar("M", bound=StatusModel)
#: The status model a pipeline reads raw objects into (``status_model=``).
P = DefaultTypeVar("P", bound=StatusModel, default=StatusModel, covariant=True)


class GatePipeline(Generic[C, P]):
    """An ordered list of gates and the rules that summarise them.

    ``phase`` is a pure function of the condition list (None: no phase is written).
    ``kstatus`` maintains ``Reconciling`` and ``Stalled``; they are removed when not
    applicable unless ``kstatus_present`` keeps them as False. ``heartbeat`` moves
    ``lastReconcileTime`` on an otherwise unchanged pass once it is that old (off by
    default: a field that moves on every pass means a write, a watch event and another
    reconcile, for every object, forever).

    ``ready_type`` names the summary condition (default ``Ready``). A second controller
    sharing an object with another one built on this library gives its summary its own
    type (``example.com/PolicyReady``) and passes ``kstatus=False``, so the two never
    write the same condition.

    ``status_model`` is the StatusModel subclass
    [`reconcile`][gittarget_status.GatePipeline.reconcile] reads raw objects' status into
    (default: a plain ``StatusModel``); it is the second type parameter,
    ``GatePipeline[Context, MyStatus]``, which defaults to ``StatusModel``.
    """

    def __init__(
        self,
        gates: Iterable[Gate[C]],
        *,
        phase: PhaseFunction | None = None,
        kstatus: bool = True,
        kstatus_present: bool = False,
        heartbeat: timedelta | None = None,
        ready_type: str = READY,
        status_model: type[P] | None = None,
    ) -> None:
        self._gates = tuple(gates)
        if not self._gates:
            raise ValueError("a pipeline needs at least one gate")
        try:
            check_type(ready_type)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"ready_type: {exc}") from None
        self._ready_type = ready_type
        types = [gate.type for gate in self._gates]
        reserved = {READY, ready_type, RECONCILING, STALLED}.intersection(types)
        if reserved:
            raise ValueError(f"gate types {sorted(reserved)} are written by the pipeline itself")
        if len(set(types)) != len(types):
            raise ValueError(f"gate types must be unique, got {types}")
        if heartbeat is not None and heartbeat <= timedelta(0):
            raise ValueError("heartbeat must be positive")
        self._async_gates = tuple(gate.type for gate in self._gates if gate.is_async)
        self._optional = frozenset(gate.type for gate in self._gates if not gate.required)
        self._phase = phase
        self._kstatus = kstatus
        owned = self.owned_types
        self._rules = PassRules(
            gates=self._gates,
            phase=phase,
            kstatus=kstatus,
            kstatus_present=kstatus_present,
            heartbeat=heartbeat,
            ready_type=ready_type,
            owned_types=owned,
            owned=frozenset(owned),
        )
        self._status_model: type[StatusModel] | None = check_status_model(
            status_model, "GatePipeline"
        )

    @property
    def gates(self) -> tuple[Gate[C], ...]:
        return self._gates

    @property
    def owned_types(self) -> tuple[str, ...]:
        """Every condition type this pipeline writes (gates, Ready, kstatus)."""
        extra = (RECONCILING, STALLED) if self._kstatus else ()
        return (*(gate.type for gate in self._gates), self._ready_type, *extra)

    @property
    def ready_type(self) -> str:
        """The summary condition's type (``Ready`` unless given)."""
        return self._ready_type

    @property
    def phase_function(self) -> PhaseFunction | None:
        """The ``phase`` function given to the constructor (None: no phase is written)."""
        return self._phase

    @property
    def status_model(self) -> type[P]:
        """What [`reconcile`][gittarget_status.GatePipeline.reconcile] parses a status into."""
        return cast("type[P]", self._status_model or StatusModel)

    @overload
    def reconcile(
        self, obj: object, context: C, *, now: datetime, status_model: type[M]
    ) -> Reconciled[M]: ...
    @overload
    def reconcile(
        self, obj: object, context: C, *, now: datetime, status_model: None = None
    ) -> Reconciled[P]: ...
    def reconcile(
        self,
        obj: object,
        context: C,
        *,
        now: datetime,
        status_model: type[StatusModel] | None = None,
    ) -> Reconciled[Any]:
        """One pass over the raw object, with the write bodies ready.

        ``obj`` is the object as the client returns it: a kopf body, a kr8s or plain dict,
        a lightkube or official-client model. Its ``status`` is parsed leniently into
        ``status_model`` (else the pipeline's), the generation is ``metadata.generation``
        (a StatusValidationError naming the field when missing or invalid), and the result
        carries the outcome, the merge patch (with ``metadata.resourceVersion``) and the
        server-side apply body, both None at steady state. The object is never mutated.
        """
        if self._async_gates:
            raise UsageError(
                f"gates {list(self._async_gates)} are async; use 'await pipeline.areconcile(...)'"
            )
        read, generation = self._read(obj, status_model)
        outcome = self.evaluate(read.stored, context, generation=generation, now=now)
        return reconciled(read, outcome, self.owned_types, generation)

    @overload
    async def areconcile(
        self, obj: object, context: C, *, now: datetime, status_model: type[M]
    ) -> Reconciled[M]: ...
    @overload
    async def areconcile(
        self, obj: object, context: C, *, now: datetime, status_model: None = None
    ) -> Reconciled[P]: ...
    async def areconcile(
        self,
        obj: object,
        context: C,
        *,
        now: datetime,
        status_model: type[StatusModel] | None = None,
    ) -> Reconciled[Any]:
        """[`reconcile`][gittarget_status.GatePipeline.reconcile], awaiting async evaluators."""
        read, generation = self._read(obj, status_model)
        outcome = await self.aevaluate(read.stored, context, generation=generation, now=now)
        return reconciled(read, outcome, self.owned_types, generation)

    def _read(self, obj: object, status_model: type[StatusModel] | None) -> tuple[ObjectRead, int]:
        model = check_status_model(status_model, "reconcile") or self.status_model
        read = read_object(obj, model)
        return read, check_generation(read.generation, path="metadata.generation")

    def initialize(self, status: S, *, generation: int, now: datetime) -> ReconcileOutcome[S]:
        """Mark every gate not seen before as Unknown/NotChecked, then summarise.

        For a new object, before the first evaluation: Ready=False, phase PENDING.
        """
        steps = run(self._rules, status, generation=generation, now=now, evaluate=False)
        return self._finish(drain(steps, unreachable))

    def evaluate(
        self, status: S, context: C, *, generation: int, now: datetime
    ) -> ReconcileOutcome[S]:
        """One pass with plain evaluators; the input status is never mutated."""
        if self._async_gates:
            raise UsageError(
                f"gates {list(self._async_gates)} are async; use 'await pipeline.aevaluate(...)'"
            )
        steps = run(self._rules, status, generation=generation, now=now, evaluate=True)
        return self._finish(drain(steps, lambda gate: call(gate, context)))

    async def aevaluate(
        self, status: S, context: C, *, generation: int, now: datetime
    ) -> ReconcileOutcome[S]:
        """One pass, awaiting async evaluators (plain ones are called directly)."""
        steps = run(self._rules, status, generation=generation, now=now, evaluate=True)
        try:
            gate = next(steps)
            while True:
                gate = steps.send(await acall(gate, context))
        except StopIteration as done:
            outcome: ReconcileOutcome[S] = done.value
            return self._finish(outcome)

    def _finish(self, outcome: ReconcileOutcome[S]) -> ReconcileOutcome[S]:
        """Tell the outcome which gates are optional (for ``events()``); free when none are."""
        if self._optional:
            object.__setattr__(outcome, "optional_gates", self._optional)
        return outcome
