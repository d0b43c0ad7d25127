"""Reason vocabulary per condition type: stable strings users alert on.

Values never change once released; members are only ever added. Which reasons each gate
may report and which are terminal is declared on the gates (``_gates.GATES``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "BootstrappedReason",
    "EncryptionConfiguredReason",
    "EventStreamLiveReason",
    "ReadyReason",
    "SnapshotSyncedReason",
    "ValidatedReason",
]


class ValidatedReason(StrEnum):
    OK = "OK"
    PROVIDER_NOT_FOUND = "ProviderNotFound"
    BRANCH_NOT_ALLOWED = "BranchNotAllowed"
    TARGET_CONFLICT = "TargetConflict"


class EncryptionConfiguredReason(StrEnum):
    OK = "OK"
    NOT_REQUIRED = "NotRequired"
    MISSING_SECRET = "MissingSecret"
    INVALID_RECIPIENTS = "InvalidRecipients"
    SECRET_CREATE_DISABLED = "SecretCreateDisabled"


class BootstrappedReason(StrEnum):
    BOOTSTRAP_APPLIED = "BootstrapApplied"
    BOOTSTRAP_NOT_NEEDED = "BootstrapNotNeeded"
    WORKER_NOT_FOUND = "WorkerNotFound"
    BOOTSTRAP_FAILED = "BootstrapFailed"


class SnapshotSyncedReason(StrEnum):
    COMPLETED = "Completed"
    RUNNING = "Running"
    SNAPSHOT_FAILED = "SnapshotFailed"


class EventStreamLiveReason(StrEnum):
    REGISTERED = "Registered"
    REGISTRATION_FAILED = "RegistrationFailed"
    DISCONNECTED = "Disconnected"


class ReadyReason(StrEnum):
    OK = "OK"
    VALIDATION_FAILED = "ValidationFailed"
    ENCRYPTION_NOT_CONFIGURED = "EncryptionNotConfigured"
    BOOTSTRAP_NOT_COMPLETE = "BootstrapNotComplete"
    INITIAL_SYNC_IN_PROGRESS = "InitialSyncInProgress"
    STREAM_NOT_LIVE = "StreamNotLive"
