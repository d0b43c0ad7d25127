"""gittarget-status: a typed, deterministic status contract for Kubernetes operators.

Observations -> gates -> conditions -> Ready -> phase -> patch. The library does no
Kubernetes I/O; controllers do the reads and writes and call into these pure functions.

Names are imported on first use (PEP 562, see ``_lazy``): ``import gittarget_status``
alone does not import pydantic.
"""

import logging as _logging

from gittarget_status import gittarget as _gittarget
from gittarget_status._lazy import TYPE_CHECKING, lazy_attributes as _lazy_attributes
from gittarget_status._version import __version__

if TYPE_CHECKING:
    from gittarget_status._base import KubeModel
    from gittarget_status._errors import FieldError, StatusValidationError, UsageError
    from gittarget_status.conditions import (
        CommonReason,
        Condition,
        ConditionStatus,
        StatusModel,
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
    from gittarget_status.gates import (
        FLUX_RECONCILE_REQUEST_ANNOTATION,
        RECONCILE_REQUEST_ANNOTATION,
        Gate,
        GatePipeline,
        GateResult,
        Reconciled,
        ReconcileOutcome,
        ReconcileRequestStatus,
        Transition,
        reconcile_requested,
    )

    # The product's names, listed (a wildcard here would hide them from the docs' static
    # analysis); tests/test_lazy_imports.py keeps this list equal to gittarget.__all__.
    from gittarget_status.gittarget import (  # each `as` itself: an explicit re-export
        COMMON_REASON_MEANINGS as COMMON_REASON_MEANINGS,
        CONDITION_MEANINGS as CONDITION_MEANINGS,
        GATE_ORDER as GATE_ORDER,
        REASON_MEANINGS as REASON_MEANINGS,
        TERMINAL_REASONS as TERMINAL_REASONS,
        TYPE_REASON_MEANINGS as TYPE_REASON_MEANINGS,
        AsyncGitTargetPorts as AsyncGitTargetPorts,
        BootstrapObservation as BootstrapObservation,
        BootstrappedReason as BootstrappedReason,
        BootstrapStatus as BootstrapStatus,
        ConditionMeaning as ConditionMeaning,
        ConditionType as ConditionType,
        EncryptionConfiguredReason as EncryptionConfiguredReason,
        EncryptionSpec as EncryptionSpec,
        EncryptionStatus as EncryptionStatus,
        EventStreamLiveReason as EventStreamLiveReason,
        GitTargetContext as GitTargetContext,
        GitTargetPorts as GitTargetPorts,
        GitTargetSpec as GitTargetSpec,
        GitTargetStatus as GitTargetStatus,
        Phase as Phase,
        ProviderRef as ProviderRef,
        ReadyReason as ReadyReason,
        ReasonMeaning as ReasonMeaning,
        SecretKeyRef as SecretKeyRef,
        SecretObservation as SecretObservation,
        SecretRef as SecretRef,
        SnapshotObservation as SnapshotObservation,
        SnapshotStats as SnapshotStats,
        SnapshotStatus as SnapshotStatus,
        SnapshotSyncedReason as SnapshotSyncedReason,
        StreamObservation as StreamObservation,
        StreamStatus as StreamStatus,
        ValidatedReason as ValidatedReason,
        WorkerObservation as WorkerObservation,
        WorkerRef as WorkerRef,
        areconcile_gittarget as areconcile_gittarget,
        derive_phase as derive_phase,
        gittarget_pipeline as gittarget_pipeline,
        initialize_gittarget as initialize_gittarget,
        recipients_hash as recipients_hash,
        reconcile_gittarget as reconcile_gittarget,
    )

#: The generic core: any resource's status model, conditions, gates and pipeline.
__all__ = [
    "FLUX_RECONCILE_REQUEST_ANNOTATION",
    "RECONCILE_REQUEST_ANNOTATION",
    "CommonReason",
    "Condition",
    "ConditionStatus",
    "FieldError",
    "Gate",
    "GatePipeline",
    "GateResult",
    "KubeModel",
    "ReconcileOutcome",
    "ReconcileRequestStatus",
    "Reconciled",
    "StatusModel",
    "StatusValidationError",
    "Transition",
    "UsageError",
    "__version__",
    "find_condition",
    "format_kube_time",
    "is_false",
    "is_true",
    "is_unknown",
    "mark_false",
    "mark_reconciling",
    "mark_stalled",
    "mark_true",
    "mark_unknown",
    "parse_kube_time",
    "reconcile_requested",
    "remove_condition",
    "set_condition",
]
#: The GitTarget product built on it: ``gittarget_status.gittarget``'s own list, not a copy.
__all__ += _gittarget.__all__

#: Subpackages reachable as attributes (``gittarget_status.patch``) without an import.
_SUBPACKAGES = (
    "cli",
    "conditions",
    "gates",
    "gittarget",
    "kstatus",
    "kubectl",
    "manifests",
    "patch",
    "testing",
)
if not TYPE_CHECKING:  # for type checkers, the imports above are the names
    __getattr__, __dir__ = _lazy_attributes(
        __name__,
        __all__,
        ("._errors", "._base", ".conditions", ".gates", ".gittarget"),
        _SUBPACKAGES,
    )

# A library logs nothing unless the application configures logging: without this, records
# of WARNING and above would reach logging's last-resort stderr handler.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
