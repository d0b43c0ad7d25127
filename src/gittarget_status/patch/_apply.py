"""The server-side apply route and what a field manager owns.

The ownership helpers live here because the apply body is defined by them; the kopf route and
the three-way merge reuse them so every route validates ownership the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from pydantic import BaseModel

from gittarget_status.conditions._rules import as_plain_str
from gittarget_status.patch._bodies import StatusLike, _status_json


def owned_status_fields(model: type[BaseModel] | BaseModel) -> tuple[str, ...]:
    """The JSON names of ``model``'s declared status fields except ``conditions``.

    What a controller built on that model owns: the fields it declares. Unknown fields
    (another writer's) are never among them.
    """
    cls = model if isinstance(model, type) else type(model)
    return tuple(
        field.alias or name for name, field in cls.model_fields.items() if name != "conditions"
    )


def _owned_fields(status: StatusLike, owned_fields: Iterable[str] | None, what: str) -> list[str]:
    """``owned_fields`` as JSON names, derived from the model when None; unknown names fail."""
    model = type(status) if isinstance(status, BaseModel) else None
    if owned_fields is None:
        if status is None:
            return []  # nothing to write, nothing to own
        if model is None:
            raise TypeError(
                f"{what}: owned_fields is required when the status is JSON "
                "(pass the field names, or a status model to derive them from)"
            )
        return list(owned_status_fields(model))
    names = [owned_fields] if isinstance(owned_fields, str) else list(owned_fields)
    if model is None:
        return names
    by_name = {name: field.alias or name for name, field in model.model_fields.items()}
    by_alias = set(by_name.values())
    out: list[str] = []
    unknown: list[str] = []
    for name in names:
        if name in by_alias:
            out.append(name)
        elif name in by_name:
            out.append(by_name[name])
        else:
            unknown.append(name)
    if unknown or "conditions" in out:
        bad = unknown or ["conditions"]
        raise ValueError(
            f"{what}: {bad} {'are' if len(bad) > 1 else 'is'} not a status field of "
            f"{model.__name__} (fields: {list(owned_status_fields(model))}; conditions "
            "are owned by type through owned_conditions)"
        )
    return out


def _owned_types(owned_conditions: Iterable[str | Enum], what: str) -> set[str]:
    if isinstance(owned_conditions, str | Enum):
        raise TypeError(f"{what}: owned_conditions must be a collection of types, not one type")
    return {as_plain_str(t, "owned_conditions") for t in owned_conditions}


def apply_status_body(
    status: StatusLike,
    *,
    api_version: str,
    kind: str,
    name: str,
    namespace: str | None = None,
    owned_conditions: Iterable[str | Enum],
    owned_fields: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A server-side apply body for ``/status`` naming only what this manager owns.

    ``owned_conditions`` (required): the condition types this controller writes, usually
    ``pipeline.owned_types``. ``owned_fields``: the other top-level status fields it writes, by JSON
    or Python name; None derives them from the status model's declared fields
    ([`owned_status_fields`][gittarget_status.patch.owned_status_fields]), and is an error for JSON
    input. A name that is not a field of the model raises ValueError. Send the body with ``PATCH
    .../status?fieldManager=NAME&force=true`` and content type ``application/apply-patch+yaml``
    (JSON is valid YAML): the body names only what this manager owns, so forcing settles conflicts
    over our own fields, never over others'. A type or field left out of a later apply by the same
    manager is removed by the server, so always send the full set.
    """
    owned = _owned_types(owned_conditions, "apply_status_body")
    fields = _owned_fields(status, owned_fields, "apply_status_body")
    data = _status_json(status)
    conditions = data.pop("conditions", [])
    out: dict[str, Any] = {}
    for key in sorted(fields):
        if key in data:
            out[key] = data[key]
    selected = [c for c in conditions if c.get("type") in owned]
    if selected or owned:
        out["conditions"] = selected
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "status": out}
