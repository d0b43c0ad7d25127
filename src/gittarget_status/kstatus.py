"""kstatus' ``Compute`` for custom resources: what Flux, Argo CD and kpt conclude.

A Python port of the rules in kubernetes-sigs/cli-utils ``pkg/kstatus/status``
(``Compute`` -> ``checkGenericProperties`` -> type rules -> ``checkReadyCondition``),
written from the documented behaviour, for resources that are not one of kstatus'
built-in kinds. In order:

1. ``metadata.deletionTimestamp`` set (non-empty) -> **Terminating**.
2. ``metadata.generation`` and ``status.observedGeneration`` both present and different
   -> **InProgress** (reason ``LatestGenerationNotObserved``).
3. The first condition, in list order, that is ``Reconciling=True`` -> **InProgress**, or
   ``Stalled=True`` -> **Failed** (whichever comes first).
4. The first ``Ready`` condition with status ``True`` -> **Current**; ``False`` or
   ``Unknown`` -> **InProgress** (with the condition's reason and message); a ``Ready``
   with any other status value is skipped.
5. Otherwise -> **Current** ("Resource is current").

Condition types and statuses are compared exactly (kstatus does not case-fold). Built-in
kinds with their own kstatus rules (Deployment, Pod, Job, CRD, ...) are refused, since
those rules are not ported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from gittarget_status.kubectl._unstructured import nested

__all__ = ["KStatus", "KStatusCondition", "KStatusError", "KStatusResult", "compute"]


class KStatus(StrEnum):
    IN_PROGRESS = "InProgress"
    FAILED = "Failed"
    CURRENT = "Current"
    TERMINATING = "Terminating"
    NOT_FOUND = "NotFound"
    UNKNOWN = "Unknown"


class KStatusError(ValueError):
    """kstatus would return an error for this object (malformed field types)."""


@dataclass(frozen=True, slots=True)
class KStatusCondition:
    """A standard condition kstatus derives (``Reconciling`` or ``Stalled``, always True)."""

    type: str
    status: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class KStatusResult:
    status: KStatus
    message: str
    conditions: tuple[KStatusCondition, ...] = field(default=())


_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1

#: GroupKinds with type-specific kstatus rules ("Kind" for the core group).
_LEGACY_KINDS: Final = frozenset(
    {
        "Service",
        "Pod",
        "Secret",
        "PersistentVolumeClaim",
        "ConfigMap",
        "apps/StatefulSet",
        "apps/DaemonSet",
        "extensions/DaemonSet",
        "apps/Deployment",
        "extensions/Deployment",
        "apps/ReplicaSet",
        "extensions/ReplicaSet",
        "policy/PodDisruptionBudget",
        "batch/CronJob",
        "batch/Job",
        "apiextensions.k8s.io/CustomResourceDefinition",
    }
)


def _nested(obj: Mapping[str, Any], *fields: str) -> tuple[object, bool]:
    return nested(obj, *fields, error=KStatusError)


def _nested_int(obj: Mapping[str, Any], *fields: str) -> int | None:
    value, found = _nested(obj, *fields)
    if not found:
        return None
    # Outside int64 a JSON number decodes as a float in Go, which NestedInt64 refuses.
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not _INT64_MIN <= value <= _INT64_MAX
    ):
        raise KStatusError(f"looking up {'.'.join(fields)}: expected an int64, got {value!r}")
    return value


def _group_kind(obj: Mapping[str, Any]) -> str:
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    group = api_version.rpartition("/")[0] if isinstance(api_version, str) else ""
    kind_name = kind if isinstance(kind, str) else ""
    return f"{group}/{kind_name}" if group else kind_name


def _conditions(obj: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """``GetObjectWithConditions``: status.conditions as typed entries (strict types)."""
    status, found = _nested(obj, "status")
    if not found or status is None:
        return ()
    if not isinstance(status, Mapping):
        raise KStatusError("status must be an object")
    conditions = status.get("conditions")
    if conditions is None:
        return ()
    if not isinstance(conditions, list):
        raise KStatusError("status.conditions must be a list")
    if None in conditions:  # a null entry decodes as an empty condition, matching no rule
        conditions = [{} if condition is None else condition for condition in conditions]
    for condition in conditions:
        if not isinstance(condition, Mapping):
            raise KStatusError("every status.conditions entry must be an object or null")
        for key in ("type", "status", "reason", "message"):
            value = condition.get(key)
            if value is not None and not isinstance(value, str):
                raise KStatusError(f"condition {key} must be a string, got {value!r}")
    return conditions


def _text(condition: Mapping[str, Any], key: str) -> str:
    value = condition.get(key)
    return value if isinstance(value, str) else ""


def _derived(type_: str, condition_reason: str, message: str) -> tuple[KStatusCondition, ...]:
    return (KStatusCondition(type_, "True", condition_reason, message),)


def compute(obj: Mapping[str, Any]) -> KStatusResult:
    """kstatus' verdict on one custom resource given as its JSON object."""
    if not isinstance(obj, Mapping):
        raise KStatusError(f"expected a JSON object, got {type(obj).__name__}")
    deletion, found = _nested(obj, "metadata", "deletionTimestamp")
    if found and not isinstance(deletion, str):  # NestedString refuses null too
        raise KStatusError("metadata.deletionTimestamp must be a string")
    if found and deletion:
        return KStatusResult(KStatus.TERMINATING, "Resource scheduled for deletion")

    generation = _nested_int(obj, "metadata", "generation")
    if generation is not None:
        observed = _nested_int(obj, "status", "observedGeneration")
        if observed is not None and observed != generation:
            kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
            message = (
                f"{kind} generation is {generation}, but latest observed generation is {observed}"
            )
            return KStatusResult(
                KStatus.IN_PROGRESS,
                message,
                _derived("Reconciling", "LatestGenerationNotObserved", message),
            )

    conditions = _conditions(obj)
    for condition in conditions:
        type_, status = _text(condition, "type"), _text(condition, "status")
        if type_ == "Reconciling" and status == "True":
            message = _text(condition, "message")
            return KStatusResult(
                KStatus.IN_PROGRESS,
                message,
                _derived("Reconciling", _text(condition, "reason"), message),
            )
        if type_ == "Stalled" and status == "True":
            message = _text(condition, "message")
            return KStatusResult(
                KStatus.FAILED, message, _derived("Stalled", _text(condition, "reason"), message)
            )

    group_kind = _group_kind(obj)
    if group_kind in _LEGACY_KINDS:
        raise KStatusError(f"kstatus' type-specific rules for {group_kind} are not ported")

    for condition in conditions:
        if _text(condition, "type") != "Ready":
            continue
        status = _text(condition, "status")
        if status == "True":
            return KStatusResult(KStatus.CURRENT, "Resource is Ready")
        if status in ("False", "Unknown"):
            reason, message = _text(condition, "reason"), _text(condition, "message")
            return KStatusResult(
                KStatus.IN_PROGRESS, message, _derived("Reconciling", reason, message)
            )
    return KStatusResult(KStatus.CURRENT, "Resource is current")
