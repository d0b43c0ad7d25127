"""``status.phase``: a pure, informational summary derived from the conditions.

Automation must never read the phase; it exists for people scanning ``kubectl get``. It follows the
first gate (in [`GATE_ORDER`][gittarget_status.GATE_ORDER]) that is not True, so the phase and
Ready's reason always point at the same gate.
"""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum
from functools import cache

from gittarget_status.conditions._common import READY, CommonReason
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._index import first_of
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.conditions._operations import ReadTarget, conditions_of
from gittarget_status.gittarget._reasons import EventStreamLiveReason
from gittarget_status.gittarget._types import GATE_ORDER, ConditionType

__all__ = ["Phase", "derive_phase"]


class Phase(StrEnum):
    """The small, stable set of phase values."""

    PENDING = "PENDING"
    BOOTSTRAPPING = "BOOTSTRAPPING"
    SYNCING = "SYNCING"
    RUNNING = "RUNNING"
    DEGRADED = "DEGRADED"
    ERROR = "ERROR"


_BOOTSTRAP_GATES = frozenset(
    {ConditionType.VALIDATED, ConditionType.ENCRYPTION_CONFIGURED, ConditionType.BOOTSTRAPPED}
)


def derive_phase(target: ReadTarget, *, terminal_reasons: Set[str] | None = None) -> Phase:
    """The phase for a set of conditions; total over every combination.

    ``terminal_reasons`` defaults to [`TERMINAL_REASONS`][gittarget_status.TERMINAL_REASONS],
    the reasons the GitTarget gates declare terminal.

    1. Ready=True -> RUNNING.
    2. A gate is False with a terminal reason -> ERROR.
    3. No gate evaluated yet (absent, or Unknown/NotChecked) -> PENDING.
    4. First non-True gate is Validated, EncryptionConfigured or Bootstrapped -> BOOTSTRAPPING.
    5. First non-True gate is SnapshotSynced -> SYNCING.
    6. First non-True gate is EventStreamLive: Disconnected -> DEGRADED, else SYNCING.
    7. All gates True but Ready not True (summary not computed yet) -> PENDING.
    """
    conditions = conditions_of(target)
    # Ready first, alone: the steady state is Ready=True, and one walk that stops at it
    # costs a third of keying the whole list (which the other rules need).
    ready = first_of(conditions, READY)
    if ready is not None and ready.status is ConditionStatus.TRUE:
        return Phase.RUNNING
    by_type = first_by_type(conditions)
    if terminal_reasons is None:
        terminal_reasons = _declared_terminal()
    gates = [(gate, by_type.get(gate)) for gate in GATE_ORDER]
    if any(
        c is not None and c.status is ConditionStatus.FALSE and c.reason in terminal_reasons
        for _, c in gates
    ):
        return Phase.ERROR
    if all(
        c is None or (c.status is ConditionStatus.UNKNOWN and c.reason == CommonReason.NOT_CHECKED)
        for _, c in gates
    ):
        return Phase.PENDING
    for gate, condition in gates:
        if condition is not None and condition.status is ConditionStatus.TRUE:
            continue
        if gate in _BOOTSTRAP_GATES:
            return Phase.BOOTSTRAPPING
        if gate is ConditionType.SNAPSHOT_SYNCED:
            return Phase.SYNCING
        disconnected = (
            condition is not None and condition.reason == EventStreamLiveReason.DISCONNECTED
        )
        return Phase.DEGRADED if disconnected else Phase.SYNCING
    return Phase.PENDING


@cache
def _declared_terminal() -> frozenset[str]:
    """Read from the gate declarations on first use (the gates import the status, which
    imports this module)."""
    from gittarget_status.gittarget._gates import TERMINAL_REASONS

    return TERMINAL_REASONS
