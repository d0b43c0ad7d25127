"""The kopf route: a ``patch.fns`` function that re-derives our status part from a fresh body.

Apart from the other routes because it edits kopf's body in place (foreign condition dicts
untouched) instead of building a request body.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from enum import Enum
from typing import Any

from gittarget_status.conditions import Condition, set_condition
from gittarget_status.patch._apply import _owned_fields, _owned_types
from gittarget_status.patch._bodies import StatusLike, _status_json


def kopf_status_fn(
    computed: StatusLike,
    *,
    owned_conditions: Iterable[str | Enum],
    owned_fields: Iterable[str] | None = None,
) -> Callable[[MutableMapping[str, Any]], None]:
    """A function for kopf's ``patch.fns``: writes our part of the status into ``body``.

    kopf calls it on the freshest body it has (a deep copy) and may call it again on a fresher one
    after a conflict; it must therefore derive everything from that body. It upserts each owned
    condition from ``computed`` with [`set_condition`][gittarget_status.conditions.set_condition]
    (so the lastTransitionTime of an unchanged status survives), repairs an owned entry stored in a
    form the strict rules do not write, removes owned types absent from ``computed``, copies the
    ``owned_fields`` (JSON or Python names; None derives them from the status model, and is an error
    for JSON; absent -> removed), and leaves everything else as it found it: other controllers'
    condition dicts stay the very same objects. It changes ``body`` only when something differs.
    Applying it twice equals applying it once.
    """
    owned = _owned_types(owned_conditions, "kopf_status_fn")
    fields = _owned_fields(computed, owned_fields, "kopf_status_fn")
    data = _status_json(computed)
    wanted = [Condition.from_k8s(c) for c in data.get("conditions", []) if c.get("type") in owned]
    wanted_types = {c.type for c in wanted}
    field_values = {key: copy.deepcopy(data.get(key)) for key in fields}

    def apply(body: MutableMapping[str, Any]) -> None:
        status = body.get("status")
        if not isinstance(status, MutableMapping):
            status = {}
            body["status"] = status
        raw = status.get("conditions")
        current: list[Any] = list(raw) if isinstance(raw, list) else []
        edited = _apply_owned(current, wanted, owned, wanted_types)
        if edited and (current or isinstance(raw, list)):
            status["conditions"] = current
        for key, value in field_values.items():
            if value is None:
                status.pop(key, None)
            elif status.get(key) != value:
                status[key] = copy.deepcopy(value)

    return apply


def _apply_owned(
    current: list[Any], wanted: list[Condition], owned: set[str], wanted_types: set[str]
) -> bool:
    """Upsert ``wanted`` into a list of condition dicts; foreign dicts are not touched."""
    edited = False
    for index in reversed(range(len(current))):
        entry = current[index]
        type_ = entry.get("type") if isinstance(entry, Mapping) else None
        if type_ in owned and type_ not in wanted_types:
            del current[index]
            edited = True
    for condition in wanted:
        positions = [
            i
            for i, entry in enumerate(current)
            if isinstance(entry, Mapping) and entry.get("type") == condition.type
        ]
        if not positions:
            current.append(condition.to_k8s())
            edited = True
            continue
        existing = Condition.from_k8s(current[positions[0]])
        working = [existing]
        changed = set_condition(working, condition)
        for i in reversed(positions[1:]):
            del current[i]
            edited = True
        if changed or existing.strict_problem is not None:
            current[positions[0]] = working[0].canonical().to_k8s()
            edited = True
    return edited
