"""One pass: observations -> gates -> conditions -> Ready -> phase.

The pass is one generator (``run``) that yields each gate to evaluate and receives its
verdict; the pipeline's plain and awaiting drivers only differ in how they call the
evaluator, so their semantics cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from gittarget_status.conditions._common import READY, SUSPENDED, CommonReason
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.gates._config import PassRules
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._outcome import ReconcileOutcome, Transition, outcome_of
from gittarget_status.gates._repair import repairs
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._summary import Summary, summarize
from gittarget_status.gates._verdict import Verdict, apply_details
from gittarget_status.gates._writes import (
    assign,
    check_generation,
    conditions_of,
    copy_status,
    fields,
    find,
    moment,
    remove,
    write,
)

__all__ = ["Steps", "drain", "run"]

C = TypeVar("C")
S = TypeVar("S", bound=BaseModel)

Steps = Generator[Gate[C], Verdict, ReconcileOutcome[S]]


def run(
    rules: PassRules[C],
    status: S,
    *,
    generation: int,
    now: datetime,
    evaluate: bool,
    suspended: bool = False,
    requested_at: str | None = None,
) -> Steps[C, S]:
    """The pass over ``status``: yields each gate to evaluate, returns the outcome.

    ``evaluate=False`` is ``initialize``: gates never seen get Unknown/NotChecked and
    nothing is yielded. ``suspended``: nothing is yielded either (see ``_suspended``).
    """
    at = moment(now)
    check_generation(generation)
    new = copy_status(status)
    if suspended:
        return _suspended(rules, status, new, generation, at)
    results: dict[str, GateResult] = {}
    error: Exception | None = None
    blocked_by: str | None = None
    if not evaluate:
        _mark_unseen(rules, new, generation, at)
    else:
        for gate in rules.gates:
            if blocked_by is not None:
                result = GateResult.unknown(CommonReason.BLOCKED, f"Waiting for {blocked_by}")
            else:
                result, raised = yield gate
                result, raised = apply_details(new, gate, result, raised)
                error = error or raised
                results[gate.type] = result
                if gate.blocking and result.status is not ConditionStatus.TRUE:
                    blocked_by = gate.type
            write(new, gate.type, result, generation, at)
        resumed = rules.suspended_type
        if resumed is not None and find(conditions_of(new), resumed) is not None:
            remove(new, resumed)  # resumed: the pass above is the proof
    summary = summarize(rules.gates, conditions_of(new), results)
    _write_summary(rules, new, summary, generation, at)
    return _outcome(
        rules, status, new, summary, blocked_by, results, error, at, generation, requested_at
    )


def _mark_unseen(rules: PassRules[Any], new: BaseModel, generation: int, now: datetime) -> None:
    for gate in rules.gates:
        if find(conditions_of(new), gate.type) is None:
            result = GateResult.unknown(CommonReason.NOT_CHECKED, "Not evaluated yet")
            write(new, gate.type, result, generation, now)


def _suspended(
    rules: PassRules[Any], old: S, new: S, generation: int, now: datetime
) -> ReconcileOutcome[S]:
    """A suspended pass: no gate evaluated, the last verdict kept, ``Suspended=True`` added.

    Every stored gate condition, Ready, Reconciling/Stalled, the phase, observedGeneration
    and lastReconcileTime stay as they are; no request is handled. A status never
    summarised is first initialised (every gate NotChecked, Ready False, Reconciling), so
    an object created suspended reads as not ready to kstatus, not as Current.
    """
    assert rules.suspended_type is not None  # the pipeline refuses suspended=True otherwise
    fresh = find(conditions_of(new), rules.ready_type) is None
    if fresh:
        _mark_unseen(rules, new, generation, now)
    summary = summarize(rules.gates, conditions_of(new), {})
    if fresh:
        _write_summary(rules, new, summary, generation, now)
    write(new, rules.suspended_type, _SUSPENDED_RESULT, generation, now)
    return _outcome(
        rules,
        old,
        new,
        summary,
        None,
        {},
        None,
        now,
        generation,
        None,
        keep=not fresh,
        suspended=True,
    )


_SUSPENDED_RESULT: Final = GateResult.passed(
    SUSPENDED,
    "Reconciliation is suspended: no gate is evaluated; the other conditions keep "
    "the last verdict until it is resumed",
)


def drain(
    steps: Steps[C, S], call: Callable[[Gate[C], C], Verdict], context: C
) -> ReconcileOutcome[S]:
    """Drive a pass to its outcome, calling each yielded gate with ``call(gate, context)``."""
    try:
        gate = next(steps)
        while True:
            gate = steps.send(call(gate, context))
    except StopIteration as done:
        outcome: ReconcileOutcome[S] = done.value
        return outcome


def _write_summary(
    rules: PassRules[Any], new: BaseModel, summary: Summary, generation: int, now: datetime
) -> None:
    for type_, result in summary.conditions(kstatus=rules.kstatus):
        if type_ == READY:
            type_ = rules.ready_type
        if result is None:
            if not rules.kstatus_present:
                remove(new, type_)
                continue
            result = summary.absent_as_false(type_)
        write(new, type_, result, generation, now)
    if rules.phase is not None and "phase" in fields(type(new)):
        assign(new, "phase", rules.phase(conditions_of(new)))


def _outcome(
    rules: PassRules[Any],
    old: S,
    new: S,
    summary: Summary,
    blocked_by: str | None,
    results: dict[str, GateResult],
    error: Exception | None,
    now: datetime,
    generation: int,
    requested_at: str | None,
    *,
    keep: bool = False,
    suspended: bool = False,
) -> ReconcileOutcome[S]:
    """The outcome, after the fields a pass maintains (``keep``: leave them as stored)."""
    names = fields(type(new))
    if not keep:
        if "observed_generation" in names:
            assign(new, "observed_generation", generation)
        if requested_at is not None and "last_handled_reconcile_at" in names:
            assign(new, "last_handled_reconcile_at", requested_at)  # moves on request only
    # What is stored may differ from what was read although no decision changed it:
    # dropped duplicates, normalised owned values, owned conditions in a form the
    # strict rules do not write. The write repairs them, so it must happen.
    repaired = repairs(old, new, rules.owned)
    changed = bool(repaired) or new != old
    if not keep and "last_reconcile_time" in names and (changed or _heartbeat_due(rules, old, now)):
        assign(new, "last_reconcile_time", now)
        changed = bool(repaired) or new != old
    hints = [r.requeue_after for r in results.values() if r.requeue_after is not None]
    return outcome_of(
        new,
        changed,
        summary.ready,
        getattr(new, "phase", None),
        blocked_by,
        min(hints, default=None),
        _transitions(old, new, rules.owned_types) if changed else (),
        error,
        summary.stalled is not None,
        MappingProxyType(results),
        repaired,
        rules.optional,
        suspended,
    )


def _heartbeat_due(rules: PassRules[Any], old: BaseModel, now: datetime) -> bool:
    if rules.heartbeat is None:
        return False
    last: datetime | None = getattr(old, "last_reconcile_time", None)
    return last is None or now - last >= rules.heartbeat


def _transitions(old: BaseModel, new: BaseModel, owned: tuple[str, ...]) -> tuple[Transition, ...]:
    moves = []
    before_all = {c.type: c for c in reversed(conditions_of(old))}
    after_all = {c.type: c for c in reversed(conditions_of(new))}
    for type_ in owned:
        before = before_all.get(type_)
        after = after_all.get(type_)
        old_status = None if before is None else before.status
        new_status = None if after is None else after.status
        if old_status is not new_status:
            moves.append(Transition(type_, old_status, new_status))
    return tuple(moves)
