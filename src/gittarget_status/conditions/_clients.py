"""Conditions and statuses to and from the Kubernetes clients' representations.

Generic (any resource's status), so it lives with the conditions rather than with the write
bodies. Duck-typed: the official client's ``V1Condition``, lightkube's ``Condition`` and the plain
dicts of kopf and kr8s are read and built without importing those packages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from gittarget_status._base import KubeModel
from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._model import Condition

__all__ = [
    "condition_from_client",
    "condition_to_client",
    "conditions_from_object",
    "status_from_object",
]

M = TypeVar("M", bound=KubeModel)

_FIELDS = (
    ("type", "type"),
    ("status", "status"),
    ("observed_generation", "observedGeneration"),
    ("last_transition_time", "lastTransitionTime"),
    ("reason", "reason"),
    ("message", "message"),
)


_SNAKE_ONLY = frozenset({"observed_generation", "last_transition_time"})


def condition_from_client(value: object) -> Condition:
    """A [`Condition`][gittarget_status.Condition] from a dict or a client object, whatever its
    naming.

    Accepts the API's camelCase dicts (kopf, kr8s ``.raw``, lightkube ``.to_dict()``),
    snake_case dicts (``V1Condition.to_dict()``), and objects with attributes in either
    style (``kubernetes.client.V1Condition``, ``lightkube.models.meta_v1.Condition``).
    Datetimes and RFC 3339 strings are both fine. Raises StatusValidationError.
    """
    if isinstance(value, Condition):
        return value
    data: dict[str, Any] = {}
    if isinstance(value, Mapping) and _SNAKE_ONLY.isdisjoint(value):
        return Condition.from_k8s(value)  # already API JSON: kept as read
    if isinstance(value, Mapping):
        extras = {k: v for k, v in value.items() if k not in {n for pair in _FIELDS for n in pair}}
        for snake, camel in _FIELDS:
            found = value.get(camel, value.get(snake))
            if found is not None:
                data[camel] = found
        data.update(extras)
    else:
        for snake, camel in _FIELDS:
            found = getattr(value, snake, None)
            if found is None:
                found = getattr(value, camel, None)
            if found is not None:
                data[camel] = found
        if not data:
            raise StatusValidationError.single(
                "", f"cannot read a condition from {type(value).__name__}", model="Condition"
            )
    return Condition.from_k8s(data)


def condition_to_client(
    condition: Condition,
    factory: Callable[..., Any] = dict,
    *,
    naming: Literal["snake", "camel"] = "snake",
    datetimes: bool = True,
) -> Any:
    """Call ``factory`` with the condition's fields as keyword arguments.

    ``condition_to_client(c, kubernetes.client.V1Condition)`` builds the official
    client's object (snake_case keywords, datetime ``last_transition_time``);
    ``naming="camel"`` suits lightkube's ``Condition``; the default ``dict`` factory gives
    a snake_case dict. ``datetimes=False`` passes RFC 3339 strings instead.
    """
    values: dict[str, Any] = {
        "type": condition.type,
        "status": condition.status.value,
        "observed_generation": condition.observed_generation,
        "last_transition_time": condition.last_transition_time,
        "reason": condition.reason,
        "message": condition.message,
    }
    if not datetimes and condition.last_transition_time is not None:
        values["last_transition_time"] = condition.to_k8s()["lastTransitionTime"]
    if naming == "camel":
        values = {camel: values[snake] for snake, camel in _FIELDS}
    return factory(**values)


def _object_mapping(obj: object) -> Mapping[str, Any] | None:
    """A whole resource as a JSON-ish mapping, from any client's representation.

    A mapping (kopf's body, a kr8s or plain dict) is itself; a kr8s ``APIObject`` gives its
    ``.raw``; official-client and lightkube models their ``to_dict()`` (snake_case keys for
    the official client). None for an object with attributes only (read those directly).
    """
    if isinstance(obj, Mapping):
        return obj
    raw = getattr(obj, "raw", None)  # kr8s APIObject
    if isinstance(raw, Mapping):
        return raw
    to_dict = getattr(obj, "to_dict", None)  # kubernetes / lightkube models
    if callable(to_dict):
        as_dict = to_dict()
        if isinstance(as_dict, Mapping):
            return as_dict
    return None


def _status_mapping(obj: object) -> Mapping[str, Any] | None:
    """``obj``'s status as a JSON-ish mapping, from any client's representation."""
    mapping = _object_mapping(obj)
    status = mapping.get("status") if mapping is not None else getattr(obj, "status", None)
    if status is None:
        return None
    if isinstance(status, Mapping):
        return status
    to_dict = getattr(status, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        return result if isinstance(result, Mapping) else None
    raise StatusValidationError.single(
        "status", f"expected a JSON object, got {type(status).__name__}"
    )


def conditions_from_object(obj: object) -> list[Condition]:
    """The conditions of a whole resource (dict, kopf body, kr8s or client object).

    Lenient like the API's readers: the first condition of a duplicated type wins.
    """
    status = _status_mapping(obj)
    raw = status.get("conditions") if status is not None else None
    if not raw:
        return []
    return list(first_by_type(condition_from_client(entry) for entry in raw).values())


def status_from_object(model: type[M], obj: object) -> M:
    """Parse ``obj``'s status into ``model`` (e.g. ``GitTargetStatus``), leniently.

    The official client's ``to_dict()`` gives snake_case keys, which the models accept
    too; an absent status gives an empty model.
    """
    status = _status_mapping(obj)
    if status is None:
        return model.from_k8s({})
    listed = status.get("conditions")
    needs_conversion = isinstance(listed, list) and any(
        not isinstance(c, Mapping) or not _SNAKE_ONLY.isdisjoint(c) for c in listed
    )
    if needs_conversion:
        normalised = dict(status)
        normalised["conditions"] = [condition_from_client(c).to_k8s() for c in status["conditions"]]
        status = normalised
    return model.from_k8s(status)
