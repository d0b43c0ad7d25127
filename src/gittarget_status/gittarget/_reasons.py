"""Reason vocabulary per condition type, each enum with what its reasons mean.

Values never change once released; members are only ever added. Which reasons each gate
may report and which are terminal is declared on the gates (``_gates.GATES``). The
meanings are for alert authors: ``tools/contract_docs.py`` renders them into the contract
pages and ``tests/test_contract_docs.py`` requires one for every member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from gittarget_status.conditions._common import SUSPENDED, CommonReason
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.gittarget._types import ConditionType

__all__ = [
    "COMMON_REASON_MEANINGS",
    "REASON_MEANINGS",
    "TYPE_REASON_MEANINGS",
    "BootstrappedReason",
    "EncryptionConfiguredReason",
    "EventStreamLiveReason",
    "ReadyReason",
    "ReasonMeaning",
    "SnapshotSyncedReason",
    "ValidatedReason",
]

T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class ReasonMeaning:
    """The status a reason is emitted with, and what it tells a reader."""

    status: ConditionStatus
    meaning: str
    #: Only emitted with ``kstatus_present=True`` (Reconciling/Stalled kept as False).
    kstatus_present_only: bool = False


class ValidatedReason(StrEnum):
    OK = "OK"
    PROVIDER_NOT_FOUND = "ProviderNotFound"
    BRANCH_NOT_ALLOWED = "BranchNotAllowed"
    TARGET_CONFLICT = "TargetConflict"


_VALIDATED: Final[Mapping[str, ReasonMeaning]] = {
    ValidatedReason.OK: ReasonMeaning(T, "Spec validated."),
    ValidatedReason.PROVIDER_NOT_FOUND: ReasonMeaning(
        F, "The referenced GitProvider does not exist (retried every 30 s)."
    ),
    ValidatedReason.BRANCH_NOT_ALLOWED: ReasonMeaning(
        F, "The provider's policy does not allow this branch."
    ),
    ValidatedReason.TARGET_CONFLICT: ReasonMeaning(
        F, "Another GitTarget already writes this branch and path."
    ),
}


class EncryptionConfiguredReason(StrEnum):
    OK = "OK"
    NOT_REQUIRED = "NotRequired"
    MISSING_SECRET = "MissingSecret"
    INVALID_RECIPIENTS = "InvalidRecipients"
    SECRET_CREATE_DISABLED = "SecretCreateDisabled"


_ENCRYPTION_CONFIGURED: Final[Mapping[str, ReasonMeaning]] = {
    EncryptionConfiguredReason.OK: ReasonMeaning(
        T, "The SOPS secret exists and its recipients are valid."
    ),
    EncryptionConfiguredReason.NOT_REQUIRED: ReasonMeaning(
        T, "Encryption is disabled in the spec."
    ),
    EncryptionConfiguredReason.MISSING_SECRET: ReasonMeaning(
        F, "The secret does not exist and `generateWhenMissing` is false."
    ),
    EncryptionConfiguredReason.INVALID_RECIPIENTS: ReasonMeaning(
        F, "The secret's recipients are empty or malformed."
    ),
    EncryptionConfiguredReason.SECRET_CREATE_DISABLED: ReasonMeaning(
        F, "The secret is missing and this controller may not create secrets."
    ),
}


class BootstrappedReason(StrEnum):
    BOOTSTRAP_APPLIED = "BootstrapApplied"
    BOOTSTRAP_NOT_NEEDED = "BootstrapNotNeeded"
    WORKER_NOT_FOUND = "WorkerNotFound"
    BOOTSTRAP_FAILED = "BootstrapFailed"


_BOOTSTRAPPED: Final[Mapping[str, ReasonMeaning]] = {
    BootstrappedReason.BOOTSTRAP_APPLIED: ReasonMeaning(
        T, "The bootstrap commit exists on the branch (`status.bootstrap.commit`)."
    ),
    BootstrappedReason.BOOTSTRAP_NOT_NEEDED: ReasonMeaning(
        T, "The target path needed no bootstrap commit."
    ),
    BootstrappedReason.WORKER_NOT_FOUND: ReasonMeaning(
        F, "No worker could be bound for (provider, branch)."
    ),
    BootstrappedReason.BOOTSTRAP_FAILED: ReasonMeaning(
        F, "Applying the bootstrap failed; the message carries the error."
    ),
}


class SnapshotSyncedReason(StrEnum):
    COMPLETED = "Completed"
    RUNNING = "Running"
    SNAPSHOT_FAILED = "SnapshotFailed"


_SNAPSHOT_SYNCED: Final[Mapping[str, ReasonMeaning]] = {
    SnapshotSyncedReason.COMPLETED: ReasonMeaning(
        T, "The initial snapshot completed (`status.snapshot`)."
    ),
    SnapshotSyncedReason.RUNNING: ReasonMeaning(
        F, "The initial snapshot is in progress (requeue in 10 s)."
    ),
    SnapshotSyncedReason.SNAPSHOT_FAILED: ReasonMeaning(
        F, "The initial snapshot failed; the message carries the error."
    ),
}


class EventStreamLiveReason(StrEnum):
    REGISTERED = "Registered"
    REGISTRATION_FAILED = "RegistrationFailed"
    DISCONNECTED = "Disconnected"


_EVENT_STREAM_LIVE: Final[Mapping[str, ReasonMeaning]] = {
    EventStreamLiveReason.REGISTERED: ReasonMeaning(
        T, "The event stream is registered and connected."
    ),
    EventStreamLiveReason.REGISTRATION_FAILED: ReasonMeaning(
        F, "Registering the event stream failed."
    ),
    EventStreamLiveReason.DISCONNECTED: ReasonMeaning(
        F, "The stream was registered but is disconnected now (phase DEGRADED)."
    ),
}


class ReadyReason(StrEnum):
    OK = "OK"
    VALIDATION_FAILED = "ValidationFailed"
    ENCRYPTION_NOT_CONFIGURED = "EncryptionNotConfigured"
    BOOTSTRAP_NOT_COMPLETE = "BootstrapNotComplete"
    INITIAL_SYNC_IN_PROGRESS = "InitialSyncInProgress"
    STREAM_NOT_LIVE = "StreamNotLive"


def _first_not_true(gate: str) -> ReasonMeaning:
    return ReasonMeaning(F, f"{gate} is the first gate that is not True.")


_READY: Final[Mapping[str, ReasonMeaning]] = {
    ReadyReason.OK: ReasonMeaning(T, "Every required gate is True."),
    ReadyReason.VALIDATION_FAILED: _first_not_true(ConditionType.VALIDATED),
    ReadyReason.ENCRYPTION_NOT_CONFIGURED: _first_not_true(ConditionType.ENCRYPTION_CONFIGURED),
    ReadyReason.BOOTSTRAP_NOT_COMPLETE: _first_not_true(ConditionType.BOOTSTRAPPED),
    ReadyReason.INITIAL_SYNC_IN_PROGRESS: _first_not_true(ConditionType.SNAPSHOT_SYNCED),
    ReadyReason.STREAM_NOT_LIVE: _first_not_true(ConditionType.EVENT_STREAM_LIVE),
}

#: Each reason enum's members with their meanings, in member order.
REASON_MEANINGS: Final[Mapping[type[StrEnum], Mapping[str, ReasonMeaning]]] = {
    ValidatedReason: _VALIDATED,
    EncryptionConfiguredReason: _ENCRYPTION_CONFIGURED,
    BootstrappedReason: _BOOTSTRAPPED,
    SnapshotSyncedReason: _SNAPSHOT_SYNCED,
    EventStreamLiveReason: _EVENT_STREAM_LIVE,
    ReadyReason: _READY,
}

#: What the library's reasons mean on any GitTarget gate (None: a gate never carries it).
COMMON_REASON_MEANINGS: Final[Mapping[CommonReason, ReasonMeaning | None]] = {
    CommonReason.NOT_CHECKED: ReasonMeaning(U, "New object: this gate has never been evaluated."),
    CommonReason.BLOCKED: ReasonMeaning(
        U, "An earlier blocking gate is not True; the message names it."
    ),
    CommonReason.EVALUATION_FAILED: ReasonMeaning(
        U, "The gate's evaluator raised; the message carries the error (retried)."
    ),
    # Reserved for custom gates; the GitTarget lifecycle never emits it.
    CommonReason.NOT_STARTED: None,
    # kstatus reasons: their meaning depends on the condition (TYPE_REASON_MEANINGS).
    CommonReason.PROGRESSING: None,
    CommonReason.TERMINAL_FAILURE: None,
    CommonReason.SUCCEEDED: None,
}

#: Library reasons whose meaning depends on the condition carrying them: Ready on a new
#: object (False, but nothing has failed), the kstatus pair and the suspend switch's own
#: condition. Stalled=True carries the failing gate's terminal reason (see
#: ``TERMINAL_REASONS``).
TYPE_REASON_MEANINGS: Final[Mapping[ConditionType, Mapping[str, ReasonMeaning]]] = {
    ConditionType.READY: {
        CommonReason.NOT_CHECKED: ReasonMeaning(
            F,
            "New object: the first gate has not been evaluated yet (nothing failed; alert-safe).",
        ),
    },
    ConditionType.RECONCILING: {
        CommonReason.PROGRESSING: ReasonMeaning(
            T, "Progressing toward Ready; the message points at the first gate that is not True."
        ),
        CommonReason.TERMINAL_FAILURE: ReasonMeaning(
            F, "Not reconciling because a gate failed terminally.", kstatus_present_only=True
        ),
        CommonReason.SUCCEEDED: ReasonMeaning(
            F, "Not reconciling because Ready=True.", kstatus_present_only=True
        ),
    },
    ConditionType.STALLED: {
        CommonReason.PROGRESSING: ReasonMeaning(
            F, "Not stalled: still progressing.", kstatus_present_only=True
        ),
        CommonReason.SUCCEEDED: ReasonMeaning(
            F, "Not stalled because Ready=True.", kstatus_present_only=True
        ),
    },
    ConditionType.SUSPENDED: {
        SUSPENDED: ReasonMeaning(
            T, "Suspended by `spec.suspend`; a reconcile request waits for the resume."
        ),
    },
}
