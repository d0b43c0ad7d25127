"""``GitTarget.status``: observation-only, mirrored field for field from the CRD."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo

from gittarget_status._base import KubeModel, lenient_context
from gittarget_status._stored import Stored, enum_reader
from gittarget_status.conditions._status import Count
from gittarget_status.conditions._time import KubeTime
from gittarget_status.gates._switches import ReconcileRequestStatus
from gittarget_status.gittarget._phase import Phase

__all__ = [
    "BootstrapStatus",
    "EncryptionStatus",
    "GitTargetStatus",
    "SecretRef",
    "SnapshotStats",
    "SnapshotStatus",
    "StreamStatus",
    "WorkerRef",
]


Text = Annotated[str, Field(strict=True)]


class _Detail(KubeModel):
    """Detail sub-objects are values: replaced whole, never edited in place."""

    model_config = ConfigDict(frozen=True)


class WorkerRef(_Detail):
    """The worker bound to this target's (provider, branch)."""

    name: Text
    uid: Text | None = None


class SecretRef(_Detail):
    name: Text


class EncryptionStatus(_Detail):
    mode: Text | None = None
    secret_ref: SecretRef | None = None
    #: Stable hash of the normalised recipient set: changes iff the recipients do.
    recipients_hash: Text | None = None
    last_validated_time: KubeTime | None = None


class BootstrapStatus(_Detail):
    target_path: Text | None = None
    commit: Text | None = None
    last_applied_time: KubeTime | None = None


class SnapshotStats(_Detail):
    created: Count = 0
    updated: Count = 0
    deleted: Count = 0


class SnapshotStatus(_Detail):
    last_completed_time: KubeTime | None = None
    last_commit: Text | None = None
    stats: SnapshotStats | None = None


class StreamStatus(_Detail):
    status: Text | None = None
    registered_time: KubeTime | None = None
    last_event_time: KubeTime | None = None


def _known_phase(value: object, info: ValidationInfo) -> object:
    """A phase this version does not know is repaired on the next pass, not a parse error.

    The phase is derived, never input: a newer version or another writer may have put a
    value here that we do not know. A lenient parse drops it (reported in
    ``dropped_on_parse``) so the controller can still reconcile; strict parsing rejects it.
    """
    options = lenient_context(info)
    if value is None or options is None or options.strict:
        return value
    if isinstance(value, str) and value in Phase.__members__.values():
        return value
    options.dropped.append(("phase", value))
    return None


class GitTargetStatus(ReconcileRequestStatus):
    """The whole status subresource of a GitTarget.

    Mutable so controllers can update it in place; conditions are a list keyed by type.
    ``lastHandledReconcileAt`` answers the ``reconcile.configbutler.ai/requestedAt``
    annotation (see docs/operating.md).
    """

    phase: Annotated[Phase | None, BeforeValidator(_known_phase), Stored(enum_reader(Phase))] = None
    last_reconcile_time: KubeTime | None = None
    worker_ref: WorkerRef | None = None
    encryption: EncryptionStatus | None = None
    bootstrap: BootstrapStatus | None = None
    snapshot: SnapshotStatus | None = None
    stream: StreamStatus | None = None
