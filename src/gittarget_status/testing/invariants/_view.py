"""A status as the rules see it: its JSON, plus each condition parsed where it is valid.

Rules read JSON rather than a parsed model so that duplicates and invalid conditions, which
a parse would hide, are seen too. Turning whatever the caller passed into that view lives
here, with the small JSON helpers the rules and the report share.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._model import Condition, ConditionStatus

__all__ = [
    "CONDITION_KEYS",
    "FALSE",
    "TRUE",
    "StatusView",
    "first_per_type",
    "hashable",
    "observed_generation",
    "short_json",
    "view_of",
]

TRUE: Final = ConditionStatus.TRUE.value
FALSE: Final = ConditionStatus.FALSE.value

#: The metav1.Condition fields; any other key of a condition is unknown to this library.
CONDITION_KEYS: Final = frozenset(
    {"type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"}
)

_CAMEL: Final = {"observed_generation": "observedGeneration"}


@dataclass(frozen=True, slots=True)
class StatusView:
    """The status as JSON, plus each condition parsed (None where it is invalid)."""

    raw: Mapping[str, Any]
    conditions: tuple[Mapping[str, Any], ...]
    parsed: tuple[Condition | None, ...]
    generation: int | None
    #: The JSON names of the fields the status model declares (None for plain JSON): any
    #: other key of the status is another writer's.
    declared: frozenset[str] | None = None

    def first(self, type_: str) -> Condition | None:
        return next((c for c in self.parsed if c is not None and c.type == type_), None)

    def raw_of(self, type_: str) -> Mapping[str, Any]:
        return next((c for c in self.conditions if c.get("type") == type_), {"type": type_})

    def valid(self) -> list[Condition]:
        return list(first_by_type(c for c in self.parsed if c is not None).values())

    def is_(self, type_: str, status: str) -> bool:
        found = self.first(type_)
        return found is not None and found.status.value == status


def view_of(obj: object, generation: int | None, what: str) -> StatusView:
    """The view of a status model, a status dict, or a whole object dict.

    For an object dict, ``generation`` defaults to its ``metadata.generation``.
    """
    raw: Mapping[str, Any]
    to_k8s = getattr(obj, "to_k8s", None)
    if callable(to_k8s):
        raw = to_k8s()
    elif isinstance(obj, BaseModel):  # your own status model: JSON names, unset omitted
        raw = obj.model_dump(mode="json", by_alias=True, exclude_none=True)
        raw = {_CAMEL.get(key, key): value for key, value in raw.items()}
    elif isinstance(obj, Mapping):
        raw = obj
        if "status" in obj and ("metadata" in obj or "kind" in obj):
            metadata = obj.get("metadata")
            if generation is None and isinstance(metadata, Mapping):
                found = metadata.get("generation")
                generation = found if isinstance(found, int) else None
            status = obj.get("status")
            raw = status if isinstance(status, Mapping) else {}
    else:
        raise TypeError(
            f"{what}: expected a status model, a status dict or an object dict, "
            f"got {type(obj).__name__}"
        )
    listed = raw.get("conditions")
    conditions = tuple(
        c if isinstance(c, Mapping) else {"type": None, "value": c}
        for c in (listed if isinstance(listed, list) else [])
    )
    parsed = tuple(_parse(c) for c in conditions)
    declared = (
        frozenset(_CAMEL.get(f.alias or n, f.alias or n) for n, f in type(obj).model_fields.items())
        if isinstance(obj, BaseModel)
        else None
    )
    return StatusView(raw, conditions, parsed, generation, declared)


def _parse(raw: Mapping[str, Any]) -> Condition | None:
    try:
        return Condition.from_k8s(raw)
    except StatusValidationError:
        return None


def observed_generation(raw: Mapping[str, Any]) -> int | None:
    """``raw["observedGeneration"]`` when it is an int (not a bool), else None."""
    value = raw.get("observedGeneration")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def first_per_type(conditions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The first raw condition of each type (types compared even when unhashable)."""
    return list(first_by_type(conditions, lambda raw: hashable(raw.get("type"))).values())


def short_json(value: object) -> str:
    """``value`` as JSON, cut to 80 characters."""
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def hashable(value: object) -> object:
    """``value`` itself when hashable, else its short JSON (for keying by a raw type)."""
    try:
        hash(value)
    except TypeError:
        return short_json(value)
    return value
