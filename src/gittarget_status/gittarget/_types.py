"""The GitTarget's condition types, the order its startup gates run in, and what each means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from gittarget_status.conditions._common import READY, RECONCILING, STALLED, SUSPENDED

__all__ = ["CONDITION_MEANINGS", "GATE_ORDER", "ConditionMeaning", "ConditionType"]


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
    SUSPENDED = SUSPENDED


#: The five startup gates, in the order the lifecycle evaluates them.
GATE_ORDER: Final[tuple[ConditionType, ...]] = (
    ConditionType.VALIDATED,
    ConditionType.ENCRYPTION_CONFIGURED,
    ConditionType.BOOTSTRAPPED,
    ConditionType.SNAPSHOT_SYNCED,
    ConditionType.EVENT_STREAM_LIVE,
)


@dataclass(frozen=True, slots=True)
class ConditionMeaning:
    """What each status of one condition type tells a reader."""

    true: str
    false: str
    unknown: str


_UNKNOWN_LATER_GATE: Final = (
    "Blocked by an earlier gate, not evaluated yet, or its evaluator raised."
)

#: What True, False and Unknown mean on each condition type (the contract pages' source).
CONDITION_MEANINGS: Final[Mapping[ConditionType, ConditionMeaning]] = {
    ConditionType.READY: ConditionMeaning(
        true="Every required gate is True: the target is fully operational.",
        false="Some required gate is not True; the reason names the first one "
        "and the message quotes it (NotChecked while that gate was never evaluated).",
        unknown="Never written by the pipeline (a new object gets Ready=False).",
    ),
    ConditionType.VALIDATED: ConditionMeaning(
        true="The GitProvider exists, the branch is allowed and no other GitTarget "
        "writes the same branch and path.",
        false="Provider missing (retried), branch not allowed or target conflict "
        "(terminal until the spec changes).",
        unknown="Not evaluated yet (new object) or its evaluator raised.",
    ),
    ConditionType.ENCRYPTION_CONFIGURED: ConditionMeaning(
        true="The SOPS secret exists with valid recipients, or encryption is disabled "
        "(reason NotRequired).",
        false="The secret is missing (and may not be created) or its recipients are invalid.",
        unknown="Blocked by Validated, not evaluated yet, or its evaluator raised.",
    ),
    ConditionType.BOOTSTRAPPED: ConditionMeaning(
        true="A worker is bound for (provider, branch) and the target path is bootstrapped "
        "(or needed no bootstrap).",
        false="No worker could be bound, or applying the bootstrap failed.",
        unknown=_UNKNOWN_LATER_GATE,
    ),
    ConditionType.SNAPSHOT_SYNCED: ConditionMeaning(
        true="The initial whole-folder snapshot completed; `status.snapshot` records it.",
        false="The snapshot is still running (reason Running) or failed.",
        unknown=_UNKNOWN_LATER_GATE,
    ),
    ConditionType.EVENT_STREAM_LIVE: ConditionMeaning(
        true="The event stream is registered and connected.",
        false="Registration failed, or the registered stream is disconnected.",
        unknown=_UNKNOWN_LATER_GATE,
    ),
    ConditionType.RECONCILING: ConditionMeaning(
        true="kstatus: the controller is still progressing toward Ready.",
        false="Only with `kstatus_present=True`: Ready, or stalled.",
        unknown="Never written; absent (the default) when Ready or Stalled.",
    ),
    ConditionType.STALLED: ConditionMeaning(
        true="kstatus: a terminal failure stops progress until the spec changes; the "
        "reason is the failing gate's.",
        false="Only with `kstatus_present=True`: not stalled.",
        unknown="Never written; absent (the default) when not stalled.",
    ),
    ConditionType.SUSPENDED: ConditionMeaning(
        true="`spec.suspend` is true: no gate is evaluated and every other condition keeps "
        "the last verdict, which is for an older generation after the spec edit.",
        false="Never written: resuming removes the condition.",
        unknown="Never written.",
    ),
}
