"""One-line condition writes for code outside a gate pipeline.

A controller that is not (or not yet) built on [`GatePipeline`][gittarget_status.GatePipeline] still
wants the pipeline's rules: a validated condition, the lastTransitionTime rule and an explicit
clock. Each helper builds a [`Condition`][gittarget_status.conditions.Condition] and hands it to
[`set_condition`][gittarget_status.conditions.set_condition] (or
[`remove_condition`][gittarget_status.conditions.remove_condition]), the only implementations of
those rules, and returns their "did anything change" answer: skip the status write when False.

``now`` is required: a status computed from the wall clock cannot be replayed in a test.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from gittarget_status.conditions._common import RECONCILING, STALLED, CommonReason
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._operations import (
    ConditionTarget,
    remove_condition,
    set_condition,
)

__all__ = ["mark_false", "mark_reconciling", "mark_stalled", "mark_true", "mark_unknown"]


def _mark(
    target: ConditionTarget,
    condition_type: str | Enum,
    status: ConditionStatus,
    reason: str | Enum,
    message: str,
    observed_generation: int | None,
    now: datetime,
) -> bool:
    condition = Condition(
        type=condition_type,
        status=status,
        reason=reason,
        message=message,
        observed_generation=observed_generation,
    )
    return set_condition(target, condition, now=now)


def mark_true(
    target: ConditionTarget,
    condition_type: str | Enum,
    reason: str | Enum,
    message: str = "",
    *,
    observed_generation: int | None = None,
    now: datetime,
) -> bool:
    """Set ``condition_type`` to True; True iff anything observable changed."""
    return _mark(
        target, condition_type, ConditionStatus.TRUE, reason, message, observed_generation, now
    )


def mark_false(
    target: ConditionTarget,
    condition_type: str | Enum,
    reason: str | Enum,
    message: str = "",
    *,
    observed_generation: int | None = None,
    now: datetime,
) -> bool:
    """Set ``condition_type`` to False; True iff anything observable changed."""
    return _mark(
        target, condition_type, ConditionStatus.FALSE, reason, message, observed_generation, now
    )


def mark_unknown(
    target: ConditionTarget,
    condition_type: str | Enum,
    reason: str | Enum,
    message: str = "",
    *,
    observed_generation: int | None = None,
    now: datetime,
) -> bool:
    """Set ``condition_type`` to Unknown; True iff anything observable changed."""
    return _mark(
        target, condition_type, ConditionStatus.UNKNOWN, reason, message, observed_generation, now
    )


def _abnormal_true(
    target: ConditionTarget,
    condition_type: str,
    other: str,
    other_reason: CommonReason,
    reason: str | Enum,
    message: str,
    observed_generation: int | None,
    now: datetime,
    keep_other: bool,
) -> bool:
    """kstatus' rule: Reconciling and Stalled are never both True.

    The other one is removed (kstatus reads an absent abnormal-true condition as False),
    or with ``keep_other`` kept present as False, as ``GatePipeline(kstatus_present=True)``
    does.
    """
    changed = _mark(
        target, condition_type, ConditionStatus.TRUE, reason, message, observed_generation, now
    )
    if keep_other:
        moved = _mark(
            target, other, ConditionStatus.FALSE, other_reason, "", observed_generation, now
        )
    else:
        moved = remove_condition(target, other)
    return changed or moved


def mark_reconciling(
    target: ConditionTarget,
    reason: str | Enum = CommonReason.PROGRESSING,
    message: str = "",
    *,
    observed_generation: int | None = None,
    now: datetime,
    kstatus_present: bool = False,
) -> bool:
    """Reconciling=True (still progressing toward Ready) and Stalled cleared.

    Stalled is removed, or with ``kstatus_present`` set to False (reason ``Progressing``).
    True iff anything observable changed.
    """
    return _abnormal_true(
        target,
        RECONCILING,
        STALLED,
        CommonReason.PROGRESSING,
        reason,
        message,
        observed_generation,
        now,
        kstatus_present,
    )


def mark_stalled(
    target: ConditionTarget,
    reason: str | Enum,
    message: str = "",
    *,
    observed_generation: int | None = None,
    now: datetime,
    kstatus_present: bool = False,
) -> bool:
    """Stalled=True (a terminal failure: no progress until the spec changes), Reconciling
    cleared.

    Reconciling is removed, or with ``kstatus_present`` set to False (reason
    ``TerminalFailure``). ``reason`` says why: there is no generic one. True iff anything
    observable changed.
    """
    return _abnormal_true(
        target,
        STALLED,
        RECONCILING,
        CommonReason.TERMINAL_FAILURE,
        reason,
        message,
        observed_generation,
        now,
        kstatus_present,
    )
