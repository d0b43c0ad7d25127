"""The generic gate-evaluator framework: knows nothing about GitTarget."""

from gittarget_status.gates._events import object_reference
from gittarget_status.gates._gate import Evaluator, Gate
from gittarget_status.gates._outcome import ReconcileOutcome, Transition
from gittarget_status.gates._pipeline import GatePipeline, PhaseFunction
from gittarget_status.gates._reconcile import Reconciled
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._summary import READY_OK_REASON, Summary, summarize

__all__ = [
    "READY_OK_REASON",
    "Evaluator",
    "Gate",
    "GatePipeline",
    "GateResult",
    "PhaseFunction",
    "ReconcileOutcome",
    "Reconciled",
    "Summary",
    "Transition",
    "object_reference",
    "summarize",
]
