"""gittarget-status: a typed, deterministic status contract for Kubernetes operators.

Observations -> gates -> conditions -> Ready -> phase -> patch. The library does no
Kubernetes I/O; controllers do the reads and writes and call into these pure functions.
"""

from gittarget_status._base import KubeModel
from gittarget_status._errors import FieldError, StatusValidationError, UsageError
from gittarget_status._version import __version__
from gittarget_status.conditions import (
    CommonReason,
    Condition,
    ConditionStatus,
    find_condition,
    format_kube_time,
    is_false,
    is_true,
    is_unknown,
    mark_false,
    mark_reconciling,
    mark_stalled,
    mark_true,
    mark_unknown,
    parse_kube_time,
    remove_condition,
    set_condition,
)
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates import (
    Gate,
    GatePipeline,
    GateResult,
    Reconciled,
    ReconcileOutcome,
    Transition,
)
from gittarget_status.gittarget._gates import TERMINAL_REASONS, GitTargetContext, recipients_hash
from gittarget_status.gittarget._lifecycle import (
    areconcile_gittarget,
    gittarget_pipeline,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.gittarget._phase import Phase, derive_phase
from gittarget_status.gittarget._ports import (
    AsyncGitTargetPorts,
    BootstrapObservation,
    GitTargetPorts,
    SecretObservation,
    SnapshotObservation,
    StreamObservation,
    WorkerObservation,
)
from gittarget_status.gittarget._reasons import (
    BootstrappedReason,
    EncryptionConfiguredReason,
    EventStreamLiveReason,
    ReadyReason,
    SnapshotSyncedReason,
    ValidatedReason,
)
from gittarget_status.gittarget._spec import (
    EncryptionSpec,
    GitTargetSpec,
    ProviderRef,
    SecretKeyRef,
)
from gittarget_status.gittarget._status import (
    BootstrapStatus,
    EncryptionStatus,
    GitTargetStatus,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    StreamStatus,
    WorkerRef,
)
from gittarget_status.gittarget._types import GATE_ORDER, ConditionType

__all__ = [
    "GATE_ORDER",
    "TERMINAL_REASONS",
    "AsyncGitTargetPorts",
    "BootstrapObservation",
    "BootstrapStatus",
    "BootstrappedReason",
    "CommonReason",
    "Condition",
    "ConditionStatus",
    "ConditionType",
    "EncryptionConfiguredReason",
    "EncryptionSpec",
    "EncryptionStatus",
    "EventStreamLiveReason",
    "FieldError",
    "Gate",
    "GatePipeline",
    "GateResult",
    "GitTargetContext",
    "GitTargetPorts",
    "GitTargetSpec",
    "GitTargetStatus",
    "KubeModel",
    "Phase",
    "ProviderRef",
    "ReadyReason",
    "ReconcileOutcome",
    "Reconciled",
    "SecretKeyRef",
    "SecretObservation",
    "SecretRef",
    "SnapshotObservation",
    "SnapshotStats",
    "SnapshotStatus",
    "SnapshotSyncedReason",
    "StatusModel",
    "StatusValidationError",
    "StreamObservation",
    "StreamStatus",
    "Transition",
    "UsageError",
    "ValidatedReason",
    "WorkerObservation",
    "WorkerRef",
    "__version__",
    "areconcile_gittarget",
    "derive_phase",
    "find_condition",
    "format_kube_time",
    "gittarget_pipeline",
    "initialize_gittarget",
    "is_false",
    "is_true",
    "is_unknown",
    "mark_false",
    "mark_reconciling",
    "mark_stalled",
    "mark_true",
    "mark_unknown",
    "parse_kube_time",
    "recipients_hash",
    "reconcile_gittarget",
    "remove_condition",
    "set_condition",
]
