"""The gate pipeline: observations -> gates -> conditions -> Ready -> phase.

The pass itself is one generator (``_run``) that yields each gate to evaluate and receives its
verdict; [`GatePipeline.evaluate`][gittarget_status.GatePipeline.evaluate] and
[`GatePipeline.aevaluate`][gittarget_status.GatePipeline.aevaluate] only differ in how they call the
evaluator, so the semantics cannot drift apart.

The module is longer than the others (about 500 lines) because the pass, its two drivers,
the repair of stored entries and the entry points on raw objects share private helpers that
must not become public API; splitting it is planned together with the GitTarget package.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Generator, Iterable, Sequence
from datetime import datetime, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast, overload

from pydantic import BaseModel
from typing_extensions import TypeVar as DefaultTypeVar

from gittarget_status._errors import StatusValidationError, UsageError
from gittarget_status.conditions._common import READY, RECONCILING, STALLED, CommonReason
from gittarget_status.conditions._model import Condition, ConditionStatus, raw_json
from gittarget_status.conditions._operations import set_condition
from gittarget_status.conditions._rules import MAX_OBSERVED_GENERATION, check_type
from gittarget_status.conditions._status import StatusModel
from gittarget_status.conditions._time import parse_kube_time
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._outcome import ReconcileOutcome, Transition
from gittarget_status.gates._reconcile import (
    ObjectRead,
    Reconciled,
    check_status_model,
    read_object,
    reconciled,
)
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._summary import Summary, summarize

__all__ = ["GatePipeline"]

C = TypeVar("C")
S = TypeVar("S", bound=BaseModel)
M = TypeVar("M", bound=StatusModel)
#: The status model a pipeline reads raw objects into (``status_model=``).
P = DefaultTypeVar("P", bound=StatusModel, default=StatusModel, covariant=True)

PhaseFunction = Callable[[Sequence[Condition]], Any]
_Verdict = tuple[GateResult, Exception | None]


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
        self._kstatus_present = kstatus_present
        self._heartbeat = heartbeat
        self._owned = frozenset(self.owned_types)
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
        return read, _check_generation(read.generation, path="metadata.generation")

    def initialize(self, status: S, *, generation: int, now: datetime) -> ReconcileOutcome[S]:
        """Mark every gate not seen before as Unknown/NotChecked, then summarise.

        For a new object, before the first evaluation: Ready=False, phase PENDING.
        """
        steps = self._run(status, generation=generation, now=now, evaluate=False)
        return self._finish(_drain(steps, lambda gate: _unreachable(gate)))

    def evaluate(
        self, status: S, context: C, *, generation: int, now: datetime
    ) -> ReconcileOutcome[S]:
        """One pass with plain evaluators; the input status is never mutated."""
        if self._async_gates:
            raise UsageError(
                f"gates {list(self._async_gates)} are async; use 'await pipeline.aevaluate(...)'"
            )
        steps = self._run(status, generation=generation, now=now, evaluate=True)
        return self._finish(_drain(steps, lambda gate: _call(gate, context)))

    async def aevaluate(
        self, status: S, context: C, *, generation: int, now: datetime
    ) -> ReconcileOutcome[S]:
        """One pass, awaiting async evaluators (plain ones are called directly)."""
        steps = self._run(status, generation=generation, now=now, evaluate=True)
        try:
            gate = next(steps)
            while True:
                gate = steps.send(await _acall(gate, context))
        except StopIteration as done:
            outcome: ReconcileOutcome[S] = done.value
            return self._finish(outcome)

    def _finish(self, outcome: ReconcileOutcome[S]) -> ReconcileOutcome[S]:
        """Tell the outcome which gates are optional (for ``events()``); free when none are."""
        if self._optional:
            object.__setattr__(outcome, "optional_gates", self._optional)
        return outcome

    def _run(
        self, status: S, *, generation: int, now: datetime, evaluate: bool
    ) -> Generator[Gate[C], _Verdict, ReconcileOutcome[S]]:
        moment = _moment(now)
        _check_generation(generation)
        new = _copy(status)
        results: dict[str, GateResult] = {}
        error: Exception | None = None
        blocked_by: str | None = None
        for gate in self._gates:
            if not evaluate:
                if _find(_conditions(new), gate.type) is None:
                    result = GateResult.unknown(CommonReason.NOT_CHECKED, "Not evaluated yet")
                    _write(new, gate.type, result, generation, moment)
                continue
            if blocked_by is not None:
                result = GateResult.unknown(CommonReason.BLOCKED, f"Waiting for {blocked_by}")
            else:
                result, raised = yield gate
                result, raised = _apply_details(new, gate, result, raised)
                error = error or raised
                results[gate.type] = result
                if gate.blocking and not result.ok:
                    blocked_by = gate.type
            _write(new, gate.type, result, generation, moment)
        summary = summarize(self._gates, _conditions(new), results)
        self._write_summary(new, summary, generation, moment)
        return self._outcome(status, new, summary, blocked_by, results, error, moment, generation)

    def _write_summary(self, new: S, summary: Summary, generation: int, now: datetime) -> None:
        for type_, result in summary.conditions(kstatus=self._kstatus):
            if type_ == READY:
                type_ = self._ready_type
            if result is None:
                if not self._kstatus_present:
                    _remove(new, type_)
                    continue
                result = summary.absent_as_false(type_)
            _write(new, type_, result, generation, now)
        if self._phase is not None and "phase" in _fields(type(new)):
            _assign(new, "phase", self._phase(_conditions(new)))

    def _outcome(
        self,
        old: S,
        new: S,
        summary: Summary,
        blocked_by: str | None,
        results: dict[str, GateResult],
        error: Exception | None,
        now: datetime,
        generation: int,
    ) -> ReconcileOutcome[S]:
        fields = _fields(type(new))
        if "observed_generation" in fields:
            _assign(new, "observed_generation", generation)
        # What is stored may differ from what was read although no decision changed it:
        # dropped duplicates, normalised owned values, owned conditions in a form the
        # strict rules do not write. The write repairs them, so it must happen.
        repairs = _repairs(old, new, self._owned)
        repaired = bool(repairs)
        changed = repaired or new != old
        if "last_reconcile_time" in fields and (changed or self._heartbeat_due(old, now)):
            _assign(new, "last_reconcile_time", now)
            changed = repaired or new != old
        hints = [r.requeue_after for r in results.values() if r.requeue_after is not None]
        return ReconcileOutcome(
            status=new,
            changed=changed,
            ready=summary.ready,
            phase=getattr(new, "phase", None),
            blocked_by=blocked_by,
            requeue_after=min(hints, default=None),
            transitions=_transitions(old, new, self.owned_types) if changed else (),
            error=error,
            stalled=summary.stalled is not None,
            results=MappingProxyType(results),
            repaired=repairs,
        )

    def _heartbeat_due(self, old: BaseModel, now: datetime) -> bool:
        if self._heartbeat is None:
            return False
        last: datetime | None = getattr(old, "last_reconcile_time", None)
        return last is None or now - last >= self._heartbeat


def _repairs(
    old: BaseModel, new: BaseModel, owned: frozenset[str]
) -> tuple[tuple[str, object], ...]:
    """What the write of ``new`` repairs in the stored status, and clear ``new``'s source.

    Owned conditions read in a form the strict rules do not write are replaced, in
    ``new``, by their canonical form; foreign ones are left exactly as read.
    """
    if not isinstance(old, StatusModel) or old.stored_json is None:
        return ()  # built in Python, or a pass's output: nothing read to repair
    found: list[tuple[str, object]] = list(old.dropped_on_parse)
    if old.needs_repair:
        found.extend(_normalised_fields(old))
    if old._read_odd_conditions:  # only then can an owned condition need a repair
        conditions = _conditions(new)
        for index, condition in enumerate(conditions):
            if (
                condition.type in owned
                and raw_json(condition) is not None
                and condition.strict_problem is not None
            ):
                found.append((f"conditions[{index}]", condition.stored_json))
                conditions[index] = condition.canonical()
    if isinstance(new, StatusModel):
        new._forget_source()
    return tuple(found)


def _normalised_fields(old: StatusModel) -> list[tuple[str, object]]:
    """Top-level fields whose stored form a write changes (rare: only after a hand edit)."""
    stored = old.stored_json or {}
    written = old.to_k8s()
    return [
        (key, value)
        for key, value in stored.items()
        if key != "conditions" and key in written and written[key] != value
    ]


def _drain(
    steps: Generator[Gate[C], _Verdict, ReconcileOutcome[S]],
    call: Callable[[Gate[C]], _Verdict],
) -> ReconcileOutcome[S]:
    try:
        gate = next(steps)
        while True:
            gate = steps.send(call(gate))
    except StopIteration as done:
        outcome: ReconcileOutcome[S] = done.value
        return outcome


def _unreachable(gate: Gate[Any]) -> _Verdict:  # pragma: no cover - initialize never yields
    raise AssertionError(f"initialize evaluated {gate.type}")


def _call(gate: Gate[C], context: C) -> _Verdict:
    try:
        result = gate.evaluate(context)
    except UsageError:
        raise  # a bug in the controller, not a verdict about the world
    except Exception as exc:
        return _evaluation_failed(exc), exc
    if hasattr(type(result), "__await__"):
        if inspect.iscoroutine(result):
            result.close()
        raise UsageError(f"gate {gate.type} returned an awaitable; use 'await aevaluate(...)'")
    return _checked(gate, result)


async def _acall(gate: Gate[C], context: C) -> _Verdict:
    try:
        result = gate.evaluate(context)
        if inspect.isawaitable(result):
            result = await result
    except UsageError:
        raise
    except Exception as exc:
        return _evaluation_failed(exc), exc
    return _checked(gate, result)


def _checked(gate: Gate[Any], result: object) -> _Verdict:
    """The verdict under the gate's declaration: reasons accepted, terminal-ness decided.

    An undeclared reason is an observed failure, not a controller bug: evaluators map
    what the world answered to reasons, and the world answered something nobody planned
    for (a new error code, a port returning an odd value). It is reported like an
    evaluator that raised (Unknown/EvaluationFailed, naming the reason and the gate) so
    the object shows it and the next pass retries, instead of the controller crashing on
    every pass. ``terminal=True`` against the declaration is code contradicting itself:
    that is a ``UsageError``.
    """
    if not isinstance(result, GateResult):
        raise UsageError(f"gate {gate.type} returned {type(result).__name__}, not a GateResult")
    terminal_reasons = gate.terminal_reasons
    if gate.declared_reasons is None and not terminal_reasons:
        return result, None  # the generic default: any valid reason, the result's flag
    reason = result.reason
    if not gate.accepts(reason):
        declared = ", ".join(sorted(gate.declared_reasons or ()))
        return GateResult.unknown(
            CommonReason.EVALUATION_FAILED,
            f"gate {gate.type} returned undeclared reason {reason!r} "
            f"({result.status.value}: {result.message[:256] or 'no message'}); "
            f"declared: {declared}",
        ), None
    terminal = reason in terminal_reasons and result.status is ConditionStatus.FALSE
    if result.terminal and not terminal:
        raise UsageError(
            f"gate {gate.type} returned {reason!r} with terminal=True, "
            "but the gate does not declare it terminal"
        )
    if terminal and not result.terminal:
        return dataclasses.replace(result, terminal=True), None
    return result, None


def _evaluation_failed(exc: Exception) -> GateResult:
    text = str(exc)
    return GateResult.unknown(
        CommonReason.EVALUATION_FAILED,
        f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
    )


def _apply_details(
    new: BaseModel, gate: Gate[Any], result: GateResult, raised: Exception | None
) -> _Verdict:
    """Assign the fields a gate observed; a bad field is that gate's evaluation failure."""
    if not result.details:
        return result, raised
    fields = _fields(type(new))
    try:
        for name, value in result.details.items():
            if name not in fields or name == "conditions":
                raise AttributeError(f"{type(new).__name__} has no detail field {name!r}")
            current = getattr(new, name)
            if current is not value and current != value:
                setattr(new, name, value)
    except (AttributeError, ValueError) as exc:
        return _evaluation_failed(exc), raised or exc
    return result, raised


@cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    """A status class's field names (pydantic's ``model_fields`` is a costly descriptor)."""
    return frozenset(model.model_fields)


def _find(conditions: list[Condition], type_: str) -> Condition | None:
    for condition in conditions:
        if condition.type == type_:
            return condition
    return None


def _assign(model: BaseModel, name: str, value: object) -> None:
    """Assign through validation, but only when the value differs (the steady state)."""
    current = getattr(model, name)
    if current is not value and current != value:
        setattr(model, name, value)


def _write(
    status: BaseModel, type_: str, result: GateResult, generation: int, now: datetime
) -> None:
    conditions = _conditions(status)
    existing = _find(conditions, type_)
    if (
        existing is not None
        and existing.status is result.status
        and existing.reason == result.reason
        and existing.message == result.message
        and existing.observed_generation == generation
        and existing.last_transition_time is not None
    ):
        return  # the steady state: nothing to build, nothing to validate
    condition = Condition(
        type=type_,
        status=result.status,
        reason=result.reason,
        message=result.message,
        observed_generation=generation,
    )
    set_condition(conditions, condition, now=now)
    written = _find(conditions, type_)
    if written is not None and written.model_extra:  # kept from the stored entry
        conditions[conditions.index(written)] = written.canonical()  # owned: strict fields


def _copy(status: S) -> S:
    """A shallow copy owning its condition list (conditions and details are immutable)."""
    if isinstance(status, StatusModel):
        return status.__copy__()  # StatusModel copies own their list already
    return status.model_copy(update={"conditions": list(_conditions(status))})


def _remove(status: BaseModel, type_: str) -> None:
    conditions = _conditions(status)
    conditions[:] = [c for c in conditions if c.type != type_]


def _conditions(status: BaseModel) -> list[Condition]:
    conditions = getattr(status, "conditions", None)
    if type(conditions) is not list and not isinstance(conditions, list):
        raise TypeError(f"{type(status).__name__} has no 'conditions' list")
    return conditions


def _transitions(old: BaseModel, new: BaseModel, owned: tuple[str, ...]) -> tuple[Transition, ...]:
    moves = []
    before_all = {c.type: c for c in reversed(_conditions(old))}
    after_all = {c.type: c for c in reversed(_conditions(new))}
    for type_ in owned:
        before = before_all.get(type_)
        after = after_all.get(type_)
        old_status = None if before is None else before.status
        new_status = None if after is None else after.status
        if old_status is not new_status:
            moves.append(Transition(type_, old_status, new_status))
    return tuple(moves)


def _moment(now: datetime) -> datetime:
    try:
        return parse_kube_time(now)
    except ValueError as exc:
        raise StatusValidationError.single("now", str(exc)) from None


def _check_generation(generation: object, *, path: str = "generation") -> int:
    if isinstance(generation, bool) or not isinstance(generation, int):
        raise StatusValidationError.single(path, "must be an integer")
    if not 0 <= generation <= MAX_OBSERVED_GENERATION:
        raise StatusValidationError.single(path, "must be between 0 and 2^63-1")
    return generation
