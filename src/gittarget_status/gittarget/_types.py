"""The GitTarget's condition types and the order its startup gates run in."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from gittarget_status.conditions._common import READY, RECONCILING, STALLED

__all__ = ["GATE_ORDER", "ConditionType"]


class ConditionType(StrEnum):
    """Condition types this library writes on a GitTarget."""

    READY = READY
    VALIDATED = "Validated"
    ENCRYPTION_CONFIGURED = "EncryptionConfigured"
    BOOTSTRAPPED = "Bootstrapped"
    SNAPSHOT_SYNCED = "SnapshotSynced"
    EVENT_STREAM_LIVE = "EventStreamLive"
    RECONCILING = RECONCILING
    STALLED = STALLED


#: The five startup gates, in the order the lifecycle evaluates them.
GATE_ORDER: Final[tuple[ConditionType, ...]] = (
    ConditionType.VALIDATED,
    ConditionType.ENCRYPTION_CONFIGURED,
    ConditionType.BOOTSTRAPPED,
    ConditionType.SNAPSHOT_SYNCED,
    ConditionType.EVENT_STREAM_LIVE,
)
