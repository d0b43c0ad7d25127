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
from gittarget_status.conditions._common import READY, SUSPENDED
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._config import PassRules, PhaseFunction, pass_rules
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._outcome import ReconcileOutcome
from gittarget_status.gates._pass import Steps, drain, run
from gittarget_status.gates._read import ObjectRead, read_object
from gittarget_status.gates._reconcile import Reconciled, check_status_model, reconciled
from gittarget_status.gates._switches import (
    RECONCILE_REQUEST_ANNOTATION,
    check_requested_at,
    check_suspended,
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

    ``suspended_type`` is the condition a suspended pass writes (``Suspended``; None: the
    pipeline has no suspend switch, as a second controller leaving it to the first does).
    [`reconcile`][gittarget_status.GatePipeline.reconcile] reads the switch from
    ``spec.<suspend_field>`` and reconcile requests from the ``request_annotation``
    annotation (None: not read); see docs/operating.md.

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
        suspended_type: str | None = SUSPENDED,
        suspend_field: str | None = "suspend",
        request_annotation: str | None = RECONCILE_REQUEST_ANNOTATION,
    ) -> None:
        self._gates = tuple(gates)
        self._rules: PassRules[C] = pass_rules(
            self._gates,
            phase=phase,
            kstatus=kstatus,
            kstatus_present=kstatus_present,
            heartbeat=heartbeat,
            ready_type=ready_type,
            suspended_type=suspended_type,
            suspend_field=suspend_field,
            request_annotation=request_annotation,
        )
        self._async_gates = tuple(gate.type for gate in self._gates if gate.is_async)
        self._status_model: type[StatusModel] | None = check_status_model(
            status_model, "GatePipeline"
        )

    @property
    def gates(self) -> tuple[Gate[C], ...]:
        return self._gates

    @property
    def owned_types(self) -> tuple[str, ...]:
        """Every condition type this pipeline writes (gates, Ready, kstatus, Suspended)."""
        return self._rules.owned_types

    @property
    def ready_type(self) -> str:
        """The summary condition's type (``Ready`` unless given)."""
        return self._rules.ready_type

    @property
    def suspended_type(self) -> str | None:
        """The condition a suspended pass writes (None: this pipeline cannot be suspended)."""
        return self._rules.suspended_type

    @property
    def suspend_field(self) -> str | None:
        """The ``spec`` field ``reconcile`` reads the suspend switch from (None: not read)."""
        return self._rules.suspend_field

    @property
    def request_annotation(self) -> str | None:
        """The annotation ``reconcile`` reads reconcile requests from (None: not read)."""
        return self._rules.request_annotation

    @property
    def phase_function(self) -> PhaseFunction | None:
        """The ``phase`` function given to the constructor (None: no phase is written)."""
        return self._rules.phase

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
        The reconcile request (``metadata.annotations[request_annotation]``) and the suspend
        switch (``spec.<suspend_field>``) are read from the object too.
        """
        if self._async_gates:
            raise UsageError(
                f"gates {list(self._async_gates)} are async; use 'await pipeline.areconcile(...)'"
            )
        read, generation = self._read(obj, status_model)
        outcome = self.evaluate(
            read.stored,
            context,
            generation=generation,
            now=now,
            requested_at=read.requested_at,
            suspended=read.suspended,
        )
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
        outcome = await self.aevaluate(
            read.stored,
            context,
            generation=generation,
            now=now,
            requested_at=read.requested_at,
            suspended=read.suspended,
        )
        return reconciled(read, outcome, self.owned_types, generation)

    def _read(self, obj: object, status_model: type[StatusModel] | None) -> tuple[ObjectRead, int]:
        model = check_status_model(status_model, "reconcile") or self.status_model
        read = read_object(
            obj,
            model,
            request_annotation=self._rules.request_annotation,
            suspend_field=self._rules.suspend_field,
        )
        return read, check_generation(read.generation, path="metadata.generation")

    def initialize(self, status: S, *, generation: int, now: datetime) -> ReconcileOutcome[S]:
        """Mark every gate not seen before as Unknown/NotChecked, then summarise.

        For a new object, before the first evaluation: Ready=False, phase PENDING.
        """
        steps = run(self._rules, status, generation=generation, now=now, evaluate=False)
        return drain(steps, unreachable, None)

    def evaluate(
        self,
        status: S,
        context: C,
        *,
        generation: int,
        now: datetime,
        requested_at: str | None = None,
        suspended: bool = False,
    ) -> ReconcileOutcome[S]:
        """One pass with plain evaluators; the input status is never mutated.

        ``requested_at`` is the reconcile request's annotation value: recorded in
        ``lastHandledReconcileAt`` when the status model has that field (None: no request;
        the stored value stays). ``suspended``: evaluate no gate, keep the stored verdict
        and write ``Suspended=True`` (no request is handled while suspended).
        """
        if self._async_gates:
            raise UsageError(
                f"gates {list(self._async_gates)} are async; use 'await pipeline.aevaluate(...)'"
            )
        steps = self._steps(status, generation, now, requested_at, suspended)
        return drain(steps, call, context)

    async def aevaluate(
        self,
        status: S,
        context: C,
        *,
        generation: int,
        now: datetime,
        requested_at: str | None = None,
        suspended: bool = False,
    ) -> ReconcileOutcome[S]:
        """One pass, awaiting async evaluators (plain ones are called directly)."""
        steps = self._steps(status, generation, now, requested_at, suspended)
        try:
            gate = next(steps)
            while True:
                gate = steps.send(await acall(gate, context))
        except StopIteration as done:
            outcome: ReconcileOutcome[S] = done.value
            return outcome

    def _steps(
        self, status: S, generation: int, now: datetime, requested_at: object, suspended: object
    ) -> Steps[C, S]:
        suspend = check_suspended(suspended, "suspended")
        if suspend and self._rules.suspended_type is None:
            raise UsageError("suspended=True, but this pipeline has suspended_type=None")
        return run(
            self._rules,
            status,
            generation=generation,
            now=now,
            evaluate=True,
            suspended=suspend,
            requested_at=check_requested_at(requested_at, "requested_at"),
        )
