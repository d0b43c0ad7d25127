"""The GitTarget product, built on the generic core: its spec and status, condition types
and reasons with their meanings, the gate table, ports, lifecycle and phase.

Everything here is also importable from ``gittarget_status`` (its second group of names);
nothing in the generic core (``conditions``, ``gates``, ``manifests``, ``patch``,
``kstatus``, ``kubectl``) depends on this package. Names are imported on first use (see
``gittarget_status._lazy``). The product's test doubles live here too (the fake world,
its named events, the sample spec and clock start) and are public from
``gittarget_status.testing``, the toolkit users import them from.
"""

from gittarget_status._lazy import TYPE_CHECKING, lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from gittarget_status.gittarget._gates import (
        TERMINAL_REASONS,
        GitTargetContext,
        recipients_hash,
    )
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
        COMMON_REASON_MEANINGS,
        REASON_MEANINGS,
        TYPE_REASON_MEANINGS,
        BootstrappedReason,
        EncryptionConfiguredReason,
        EventStreamLiveReason,
        ReadyReason,
        ReasonMeaning,
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
    from gittarget_status.gittarget._types import (
        CONDITION_MEANINGS,
        GATE_ORDER,
        ConditionMeaning,
        ConditionType,
    )

__all__ = [
    "COMMON_REASON_MEANINGS",
    "CONDITION_MEANINGS",
    "GATE_ORDER",
    "REASON_MEANINGS",
    "TERMINAL_REASONS",
    "TYPE_REASON_MEANINGS",
    "AsyncGitTargetPorts",
    "BootstrapObservation",
    "BootstrapStatus",
    "BootstrappedReason",
    "ConditionMeaning",
    "ConditionType",
    "EncryptionConfiguredReason",
    "EncryptionSpec",
    "EncryptionStatus",
    "EventStreamLiveReason",
    "GitTargetContext",
    "GitTargetPorts",
    "GitTargetSpec",
    "GitTargetStatus",
    "Phase",
    "ProviderRef",
    "ReadyReason",
    "ReasonMeaning",
    "SecretKeyRef",
    "SecretObservation",
    "SecretRef",
    "SnapshotObservation",
    "SnapshotStats",
    "SnapshotStatus",
    "SnapshotSyncedReason",
    "StreamObservation",
    "StreamStatus",
    "ValidatedReason",
    "WorkerObservation",
    "WorkerRef",
    "areconcile_gittarget",
    "derive_phase",
    "gittarget_pipeline",
    "initialize_gittarget",
    "recipients_hash",
    "reconcile_gittarget",
]

if not TYPE_CHECKING:  # pragma: no branch - for type checkers, the imports above are the names
    __getattr__, __dir__ = _lazy_attributes(
        __name__,
        __all__,
        (
            "._types",
            "._reasons",
            "._spec",
            "._ports",
            "._status",
            "._phase",
            "._gates",
            "._lifecycle",
        ),
    )
