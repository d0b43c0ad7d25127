"""The primitives a pass uses to read and edit a status model in place.

A pass edits its own copy (``copy``) of the status; these helpers keep that copy's
condition list keyed by type and assign fields only when the value differs, so the
steady state builds and validates nothing.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TypeVar

from pydantic import BaseModel

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._index import first_of as find
from gittarget_status.conditions._model import Condition
from gittarget_status.conditions._operations import set_condition
from gittarget_status.conditions._rules import MAX_OBSERVED_GENERATION
from gittarget_status.conditions._status import StatusModel
from gittarget_status.conditions._time import parse_kube_time
from gittarget_status.gates._result import GateResult

__all__ = [
    "assign",
    "check_generation",
    "conditions_of",
    "copy_status",
    "fields",
    "find",
    "moment",
    "remove",
    "write",
]

S = TypeVar("S", bound=BaseModel)


@cache
def fields(model: type[BaseModel]) -> frozenset[str]:
    """A status class's field names (pydantic's ``model_fields`` is a costly descriptor)."""
    return frozenset(model.model_fields)


def assign(model: BaseModel, name: str, value: object) -> None:
    """Assign through validation, but only when the value differs (the steady state)."""
    current = getattr(model, name)
    if current is not value and current != value:
        setattr(model, name, value)


def write(
    status: BaseModel, type_: str, result: GateResult, generation: int, now: datetime
) -> None:
    conditions = conditions_of(status)
    existing = find(conditions, type_)
    if existing is not None:
        stored = existing.__dict__  # one attribute read instead of five
        if (
            stored["status"] is result.status
            and stored["reason"] == result.reason
            and stored["message"] == result.message
            and stored["observed_generation"] == generation
            and stored["last_transition_time"] is not None
        ):
            return  # the steady state: nothing to build, nothing to validate
    condition = Condition(
        type=type_,
        status=result.status,
        reason=result.reason,
        message=result.message,
        observed_generation=generation,
    )
    set_condition(conditions, condition, now=now)
    written = find(conditions, type_)
    if written is not None and written.model_extra:  # kept from the stored entry
        conditions[conditions.index(written)] = written.canonical()  # owned: strict fields


def copy_status(status: S) -> S:
    """A shallow copy owning its condition list (conditions and details are immutable)."""
    if isinstance(status, StatusModel):
        return status.__copy__()  # StatusModel copies own their list already
    return status.model_copy(update={"conditions": list(conditions_of(status))})


def remove(status: BaseModel, type_: str) -> None:
    conditions = conditions_of(status)
    if find(conditions, type_) is not None:  # absent (kstatus at steady state): no new list
        conditions[:] = [c for c in conditions if c.type != type_]


def conditions_of(status: BaseModel) -> list[Condition]:
    conditions = getattr(status, "conditions", None)
    if type(conditions) is not list and not isinstance(conditions, list):
        raise TypeError(f"{type(status).__name__} has no 'conditions' list")
    return conditions


def moment(now: datetime) -> datetime:
    try:
        return parse_kube_time(now)
    except ValueError as exc:
        raise StatusValidationError.single("now", str(exc)) from None


def check_generation(generation: object, *, path: str = "generation") -> int:
    if isinstance(generation, bool) or not isinstance(generation, int):
        raise StatusValidationError.single(path, "must be an integer")
    if not 0 <= generation <= MAX_OBSERVED_GENERATION:
        raise StatusValidationError.single(path, "must be between 0 and 2^63-1")
    return generation
