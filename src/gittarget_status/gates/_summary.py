"""The summary conditions: Ready, and kstatus' Reconciling and Stalled.

Ready=True iff every required gate is True; otherwise its reason is the first failing
required gate's ``ready_reason``, so Ready, the phase and ``blocked_by`` agree, unless
that gate has never been evaluated: then ``NotChecked``, so a brand-new object does not
look like one whose first gate failed (alerts on Ready's reason stay quiet).
Reconciling and Stalled are never both True: Stalled wins when a gate failed terminally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gittarget_status.conditions._common import READY, RECONCILING, STALLED, CommonReason
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._result import GateResult

__all__ = ["READY_OK_REASON", "Summary", "not_evaluated", "summarize"]

#: Ready's reason when every required gate is True.
READY_OK_REASON = "OK"


@dataclass(frozen=True, slots=True)
class Summary:
    """The verdicts [`summarize`][gittarget_status.gates.summarize] reached, before they
    become conditions.

    ``ready_result`` is Ready's verdict; ``reconciling`` and ``stalled`` are the kstatus
    ones, None where the condition does not apply (at most one of them is set, and
    neither when ``ready``).
    """

    ready: bool
    ready_result: GateResult
    reconciling: GateResult | None
    stalled: GateResult | None

    def conditions(self, *, kstatus: bool) -> list[tuple[str, GateResult | None]]:
        """The summary conditions to write; None means "not applicable"."""
        written: list[tuple[str, GateResult | None]] = [(READY, self.ready_result)]
        if kstatus:
            written += [(RECONCILING, self.reconciling), (STALLED, self.stalled)]
        return written

    def absent_as_false(self, type_: str) -> GateResult:
        """Reconciling/Stalled kept present as False (the ``kstatus_present`` switch)."""
        if self.ready:
            return GateResult.failed(CommonReason.SUCCEEDED)
        if type_ == RECONCILING:
            return GateResult.failed(CommonReason.TERMINAL_FAILURE)
        return GateResult.failed(CommonReason.PROGRESSING)


def summarize(
    gates: Sequence[Gate[Any]],
    conditions: Sequence[Condition],
    results: Mapping[str, GateResult],
) -> Summary:
    """Ready, Reconciling and Stalled for ``conditions`` under the rules of ``gates``.

    Pure: nothing is written. Ready is True iff every required gate's condition (the
    first of its type in ``conditions``) is True; otherwise False with the first failing
    required gate's ``ready_reason`` and a message naming that gate, or with
    ``NotChecked`` when that gate was never evaluated (absent, or Unknown/NotChecked as
    ``initialize`` writes it). Stalled is True with
    the reason of the first terminal verdict in ``results`` (gate type -> this pass's
    verdict), and then Reconciling does not apply; otherwise Reconciling is True
    (``Progressing``). The pipeline writes exactly this; call it to show or test what
    a pipeline would conclude from a condition list.
    """
    by_type = first_by_type(conditions)
    failing = next(
        (
            (gate, condition)
            for gate in gates
            if gate.required
            and (
                (condition := by_type.get(gate.type)) is None
                or condition.status is not ConditionStatus.TRUE
            )
        ),
        None,
    )
    if failing is None:
        return _ALL_TRUE

    gate, condition = failing
    pointer = _describe(gate.type, condition)
    ready = GateResult.failed(
        CommonReason.NOT_CHECKED if not_evaluated(condition) else gate.ready_reason, pointer
    )
    stalled = next(
        (
            GateResult.passed(
                result.reason,
                f"{type_} cannot succeed until the spec changes: {result.message or result.reason}",
            )
            for type_, result in results.items()
            if result.terminal
        ),
        None,
    )
    reconciling = None if stalled else GateResult.passed(CommonReason.PROGRESSING, pointer)
    return Summary(ready=False, ready_result=ready, reconciling=reconciling, stalled=stalled)


#: The summary when every required gate is True (immutable, so built once).
_ALL_TRUE = Summary(
    ready=True,
    ready_result=GateResult.passed(READY_OK_REASON, "All required gates are True"),
    reconciling=None,
    stalled=None,
)


def not_evaluated(condition: Condition | None) -> bool:
    """A gate never evaluated: absent, or Unknown/NotChecked as ``initialize`` writes it."""
    return condition is None or (
        condition.status is ConditionStatus.UNKNOWN and condition.reason == CommonReason.NOT_CHECKED
    )


def _describe(type_: str, condition: Condition | None) -> str:
    if not_evaluated(condition):
        return f"{type_} has not been evaluated yet"
    assert condition is not None  # not_evaluated covers None
    text = f"{type_} is {condition.status.value} ({condition.reason})"
    return f"{text}: {condition.message}" if condition.message else text
