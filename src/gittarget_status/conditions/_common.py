"""Condition types and reasons every resource shares, whatever its gates."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["READY", "RECONCILING", "STALLED", "SUSPENDED", "CommonReason"]

#: The summary condition: True iff every required gate is True.
READY: Final = "Ready"
#: kstatus: True while the controller is still progressing toward Ready.
RECONCILING: Final = "Reconciling"
#: kstatus: True when a terminal failure stops progress until the spec changes.
STALLED: Final = "Stalled"
#: True (with this same reason) while a pipeline is suspended: no gate is evaluated and the
#: other conditions keep the last verdict. Removed on resume. A type and a reason at once,
#: so it is not a ``CommonReason`` member (those are gate reasons).
SUSPENDED: Final = "Suspended"


class CommonReason(StrEnum):
    """Reasons any gate can carry when it has no verdict of its own."""

    #: The object is new; this gate has never been evaluated.
    NOT_CHECKED = "NotChecked"
    #: The gate's work has not begun.
    NOT_STARTED = "NotStarted"
    #: An earlier blocking gate is not True, so this one was not evaluated.
    BLOCKED = "Blocked"
    #: The gate's evaluator raised; the message carries the error.
    EVALUATION_FAILED = "EvaluationFailed"
    #: Reconciling=True while the pipeline makes progress toward Ready.
    PROGRESSING = "Progressing"
    #: Reconciling=False when a gate failed terminally (with ``kstatus_present``).
    TERMINAL_FAILURE = "TerminalFailure"
    #: Reconciling/Stalled=False once Ready=True (with ``kstatus_present``).
    SUCCEEDED = "Succeeded"
