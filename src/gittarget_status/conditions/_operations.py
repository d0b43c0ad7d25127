"""Condition set operations: the list is a map keyed by ``type``.

Modelled on apimachinery's ``meta.SetStatusCondition`` family, with one rule owned here
and nowhere else: lastTransitionTime moves only when status moves.

Every operation takes a status model, anything with a ``conditions`` list, a bare list of
[`Condition`][gittarget_status.conditions.Condition], or the API's JSON as kopf, kr8s and the
official client's ``to_dict()`` hand it over: a list of condition dicts, or a status dict with a
``conditions`` key. On JSON, reads return parsed
[`Condition`][gittarget_status.conditions.Condition] objects, and writes edit the list in place,
touching only the entry of the given type (every other dict stays the very same object, byte for
byte).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol, TypeAlias

from pydantic import BaseModel

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._index import first_of, types_of
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._rules import as_plain_str
from gittarget_status.conditions._time import parse_kube_time

__all__ = [
    "ConditionTarget",
    "HasConditions",
    "conditions_of",
    "find_condition",
    "is_false",
    "is_true",
    "is_unknown",
    "remove_condition",
    "set_condition",
]


class HasConditions(Protocol):
    """Anything with a mutable ``conditions`` list: our status models, or yours."""

    @property
    def conditions(self) -> MutableSequence[Condition]: ...


JsonCondition: TypeAlias = MutableMapping[str, Any]
ConditionTarget: TypeAlias = (
    HasConditions
    | MutableSequence[Condition]
    | MutableSequence[JsonCondition]
    | MutableMapping[str, Any]
)
ReadTarget: TypeAlias = (
    HasConditions | Sequence[Condition] | Sequence[Mapping[str, Any]] | Mapping[str, Any]
)

_ACCEPTS = (
    "a status model, an object with a 'conditions' list, a list of Condition, "
    "a list of condition dicts (API JSON) or a status dict with 'conditions'"
)


def conditions_of(target: ReadTarget) -> Sequence[Any]:
    """The condition list behind ``target`` (the list itself, not a copy).

    Its entries are [`Condition`][gittarget_status.conditions.Condition] objects, or API JSON dicts
    when ``target`` is JSON.
    """
    if type(target) is list:
        return target
    if isinstance(target, BaseModel):  # a status model, never a Sequence: skip the ABC check
        found = getattr(target, "conditions", None)
        if type(found) is list:
            return found
    if isinstance(target, Mapping):  # a status dict (kopf's body.status, kr8s .raw)
        listed = target.get("conditions")
        if listed is None:
            return []
        if isinstance(listed, Sequence) and not isinstance(listed, str | bytes):
            return listed
        raise TypeError(f"status 'conditions' must be a list, got {type(listed).__name__}")
    if isinstance(target, Sequence) and not isinstance(target, str | bytes):
        return target
    conditions = getattr(target, "conditions", None)
    if type(conditions) is list:
        return conditions
    if isinstance(conditions, Sequence) and not isinstance(conditions, str | bytes):
        return conditions
    raise TypeError(f"expected {_ACCEPTS}; got {type(target).__name__}")


#: Model classes seen with a ``conditions`` list field: pydantic's isinstance check is a
#: Python-level hook, a set lookup is not.
_STATUS_MODELS: set[type] = set()


def _writable(target: ConditionTarget) -> MutableSequence[Any]:
    if type(target) is list:
        return target
    if (
        not isinstance(target, BaseModel)
        and isinstance(target, MutableMapping)
        and target.get("conditions") is None
    ):
        target["conditions"] = []  # a status dict without conditions yet
    conditions = conditions_of(target)
    if type(conditions) is list:  # skip the ABC check below for the usual case
        return conditions
    if not isinstance(conditions, MutableSequence):
        raise TypeError(f"conditions must be a mutable list, got {type(conditions).__name__}")
    return conditions


def _entry_type(entry: object) -> object:
    """The ``type`` of a Condition or of a condition dict; TypeError for anything else."""
    if isinstance(entry, Condition):
        return entry.type
    if isinstance(entry, Mapping):
        return entry.get("type")
    raise TypeError(
        f"condition list entries must be Condition objects or condition dicts (API JSON), "
        f"got {type(entry).__name__}"
    )


def _parsed(entry: object) -> Condition:
    if isinstance(entry, Condition):
        return entry
    return Condition.from_k8s(entry)


def _normalise_now(now: datetime | None) -> datetime:
    """``now`` when it is not UTC whole seconds already (set_condition checks that inline)."""
    if now is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_kube_time(now)
    except ValueError as exc:
        raise StatusValidationError.single("now", str(exc)) from None


def set_condition(
    target: ConditionTarget, condition: Condition, *, now: datetime | None = None
) -> bool:
    """Upsert ``condition`` by type; return True iff anything observable changed.

    lastTransitionTime changes only when status changes: it is then taken from
    ``condition`` if set, else ``now``, else the current UTC time. Reason, message and
    observedGeneration always take the new values. Conditions of other types, including
    ones owned by other controllers, are never touched; a duplicate of the same type
    left by a non-list-map writer is removed.
    """
    if type(condition) is not Condition and not isinstance(condition, Condition):
        raise TypeError(f"condition must be a Condition, got {type(condition).__name__}")
    status_dict = False
    kind = type(target)
    if kind in _STATUS_MODELS:  # the usual case first: a status model seen before
        conditions = target.conditions  # type: ignore[union-attr]
        if type(conditions) is not list:
            conditions = _writable(target)
    else:
        conditions = _writable(target)
        if isinstance(target, BaseModel):
            if type(target.__dict__.get("conditions")) is list:
                _STATUS_MODELS.add(kind)
        else:
            status_dict = kind is not list and isinstance(target, Mapping)
    # Checked up front, not only when a transition needs it: a naive clock must fail on
    # the first call, not on the first status change in production.
    moment = now if now is not None and now.tzinfo is UTC and not now.microsecond else None
    if moment is None:
        moment = _normalise_now(now)
    if status_dict:
        return _set_in_json(conditions, condition, moment, as_json=True)  # JSON in and out
    after = condition.__dict__
    type_ = after["type"]
    try:
        types, repeated = types_of(conditions)
    except AttributeError:  # not a list of Condition: JSON dicts, or a wrong entry
        return _set_in_json(conditions, condition, moment, as_json=True)
    try:
        index = types.index(type_)
    except ValueError:
        if after["last_transition_time"] is None:
            condition = condition.model_copy(update={"last_transition_time": moment})
        conditions.append(condition)
        return True

    existing = conditions[index]
    # A duplicate of the type, left by a non-list-map writer, goes.
    changed = repeated and _drop_duplicates(conditions, type_, after=index)
    # The fields themselves: dict lookups cost half of pydantic's attribute access.
    before = existing.__dict__
    if (
        before["status"] is after["status"]
        and before["last_transition_time"] is not None
        and before["reason"] == after["reason"]
        and before["message"] == after["message"]
        and before["observed_generation"] == after["observed_generation"]
        and not condition.__pydantic_extra__  # the field, not the model_extra property
    ):
        return changed  # the steady state: nothing to copy, nothing to compare
    if existing.status is not condition.status or existing.last_transition_time is None:
        transition_time = condition.last_transition_time or moment
    else:
        transition_time = existing.last_transition_time
    update = {
        "status": condition.status,
        "reason": condition.reason,
        "message": condition.message,
        "observed_generation": condition.observed_generation,
        "last_transition_time": transition_time,
    }
    updated = existing.model_copy(update=update)
    if condition.model_extra:
        updated.__pydantic_extra__ = {**(existing.model_extra or {}), **condition.model_extra}
    if updated == existing:
        return changed
    conditions[index] = updated
    return True


def _set_in_json(
    conditions: MutableSequence[Any], condition: Condition, moment: datetime, *, as_json: bool
) -> bool:
    """set_condition on API JSON: only the entry of ``condition.type`` is rewritten."""
    type_ = condition.type
    positions = [i for i, entry in enumerate(conditions) if _entry_type(entry) == type_]
    if not positions:
        if condition.last_transition_time is None:
            condition = condition.model_copy(update={"last_transition_time": moment})
        conditions.append(condition.to_k8s() if as_json else condition)
        return True
    first = positions[0]
    existing = _parsed(conditions[first])
    working = [existing]
    changed = set_condition(working, condition, now=moment)
    for i in reversed(positions[1:]):
        del conditions[i]
    if changed:
        conditions[first] = working[0].to_k8s()
    return changed or len(positions) > 1


def _drop_duplicates(conditions: MutableSequence[Condition], type_: str, *, after: int) -> bool:
    duplicates = [i for i in range(after + 1, len(conditions)) if conditions[i].type == type_]
    for i in reversed(duplicates):
        del conditions[i]
    return bool(duplicates)


def find_condition(target: ReadTarget, condition_type: str | Enum) -> Condition | None:
    """The first condition of ``condition_type``, or None (parsed, if ``target`` is JSON)."""
    name = as_plain_str(condition_type, "condition_type")
    conditions = conditions_of(target)
    try:
        found: Condition | None = first_of(conditions, name)
        return found
    except AttributeError:  # API JSON dicts
        for entry in conditions:
            if _entry_type(entry) == name:
                return _parsed(entry)
    return None


def remove_condition(target: ConditionTarget, condition_type: str | Enum) -> bool:
    """Remove every condition of ``condition_type``; True iff one was there."""
    conditions = _writable(target)
    name = as_plain_str(condition_type, "condition_type")
    doomed = [i for i, c in enumerate(conditions) if _entry_type(c) == name]
    for i in reversed(doomed):
        del conditions[i]
    return bool(doomed)


def _status_of(target: ReadTarget, condition_type: str | Enum) -> ConditionStatus | None:
    found = find_condition(target, condition_type)
    return None if found is None else found.status


def is_true(target: ReadTarget, condition_type: str | Enum) -> bool:
    """True iff the condition is present with status True."""
    return _status_of(target, condition_type) is ConditionStatus.TRUE


def is_false(target: ReadTarget, condition_type: str | Enum) -> bool:
    """True iff the condition is present with status False (absent is not False)."""
    return _status_of(target, condition_type) is ConditionStatus.FALSE


def is_unknown(target: ReadTarget, condition_type: str | Enum) -> bool:
    """True iff the condition is absent or has status Unknown."""
    return _status_of(target, condition_type) in (None, ConditionStatus.UNKNOWN)
