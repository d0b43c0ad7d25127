"""The generic gate-evaluator framework: knows nothing about GitTarget."""

from gittarget_status.gates._events import object_reference
from gittarget_status.gates._gate import Evaluator, Gate
from gittarget_status.gates._outcome import ReconcileOutcome, Transition
from gittarget_status.gates._pipeline import GatePipeline, PhaseFunction
from gittarget_status.gates._read import reconcile_requested
from gittarget_status.gates._reconcile import Reconciled
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._steps import GateStep, PortCall, async_evaluator, sync_evaluator
from gittarget_status.gates._summary import READY_OK_REASON, Summary, summarize
from gittarget_status.gates._switches import (
    FLUX_RECONCILE_REQUEST_ANNOTATION,
    RECONCILE_REQUEST_ANNOTATION,
    ReconcileRequestStatus,
)

__all__ = [
    "FLUX_RECONCILE_REQUEST_ANNOTATION",
    "READY_OK_REASON",
    "RECONCILE_REQUEST_ANNOTATION",
    "Evaluator",
    "Gate",
    "GatePipeline",
    "GateResult",
    "GateStep",
    "PhaseFunction",
    "PortCall",
    "ReconcileOutcome",
    "ReconcileRequestStatus",
    "Reconciled",
    "Summary",
    "Transition",
    "async_evaluator",
    "object_reference",
    "reconcile_requested",
    "summarize",
    "sync_evaluator",
]
