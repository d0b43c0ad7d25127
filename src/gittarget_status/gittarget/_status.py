"""``GitTarget.status``: observation-only, mirrored field for field from the CRD."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BeforeValidator, ConfigDict, Field

from gittarget_status._base import KubeModel
from gittarget_status.conditions._model import Condition, ConditionList
from gittarget_status.conditions._rules import MAX_OBSERVED_GENERATION
from gittarget_status.conditions._time import KubeTime
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


def _strict_int(value: object) -> object:
    if isinstance(value, bool) or (value is not None and not isinstance(value, int)):
        raise ValueError(f"must be an integer, got {type(value).__name__}")
    return value


Count = Annotated[int, BeforeValidator(_strict_int), Field(ge=0, le=MAX_OBSERVED_GENERATION)]
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


class GitTargetStatus(KubeModel):
    """The whole status subresource of a GitTarget.

    Mutable so controllers can update it in place; conditions are a list keyed by type.
    """

    observed_generation: Annotated[int | None, BeforeValidator(_strict_int)] = Field(
        default=None, ge=0, le=MAX_OBSERVED_GENERATION
    )
    phase: Phase | None = None
    conditions: ConditionList = Field(default_factory=list)
    last_reconcile_time: KubeTime | None = None
    worker_ref: WorkerRef | None = None
    encryption: EncryptionStatus | None = None
    bootstrap: BootstrapStatus | None = None
    snapshot: SnapshotStatus | None = None
    stream: StreamStatus | None = None

    def __copy__(self) -> Self:
        """A shallow copy that owns its condition list (``copy.copy``, ``model_copy()``).

        set_condition edits the list in place, so a copy sharing it (pydantic's default)
        would change with the original and hide every change from a before/after diff.
        Conditions and detail objects are immutable, so sharing those is safe.
        """
        copied = super().__copy__()
        copied.__dict__["conditions"] = list(self.conditions)
        return copied

    def condition(self, condition_type: str) -> Condition | None:
        """Shortcut for :func:`find_condition` on this status."""
        return next((c for c in self.conditions if c.type == condition_type), None)
