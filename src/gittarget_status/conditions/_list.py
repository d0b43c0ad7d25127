"""A status's ``conditions`` field: a list keyed by type, read as the API server stores it.

One wrap validator per list, not one per entry: entries in the form the API server
writes are built directly (``built_as_stored``), anything else goes through pydantic's
full validation with its errors, and each entry read from API JSON keeps that JSON.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ValidationInfo, ValidatorFunctionWrapHandler, WrapValidator

from gittarget_status._base import ParseOptions, api_context, lenient_context
from gittarget_status._stored import Stored, renders_as_read
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._model import Condition, built_as_stored, keep_raw, stored_keys

__all__ = ["ConditionList"]


def _built(value: object, options: ParseOptions | None) -> list[Condition] | None:
    """Every entry built directly (or already a Condition), or None if any needs pydantic.

    ``options``: the parse reads API JSON, so each entry keeps the very dict it was read
    from (the status keeps the same JSON as its ``stored_json``).
    """
    if type(value) is not list:
        return None
    built: list[Condition] = []
    odd = False
    for entry in value:
        if type(entry) is Condition:
            built.append(entry)
            continue
        condition = built_as_stored(entry, None if options is None else entry)
        if condition is None:
            return None
        odd = odd or "lastTransitionTime" not in entry
        built.append(condition)
    if odd and options is not None:
        options.odd = True  # readable, but never what this library writes
    return built


@renders_as_read
def _as_stored(value: object) -> list[Condition] | None:
    """The list as the API server stores what this library writes, else None.

    Every entry built directly, with its lastTransitionTime, and no type twice: nothing
    to note (``_built`` and ``_unique`` would note nothing). Each entry keeps only its
    keys' order, from which its JSON is rendered again, the same bytes: a status read so
    need not keep what it read (see ``StatusModel.stored_json``). An empty list, which the
    write leaves out, is left to ``_condition_list``.
    """
    if type(value) is not list or not value:
        return None
    built: list[Condition] = []
    for entry in value:
        if type(entry) is not dict:
            return None
        order = stored_keys(entry)
        if order is None or "lastTransitionTime" not in order:
            return None
        condition = built_as_stored(entry, order)
        if condition is None:
            return None
        built.append(condition)
    if len(built) > 1 and len({entry["type"] for entry in value}) != len(built):
        return None
    return built


def _keep_stored(conditions: list[Condition], value: object, options: ParseOptions) -> None:
    """Give each entry read from API JSON the very dict it was read from."""
    if type(value) is not list or len(value) != len(conditions):
        return
    for condition, data in zip(conditions, value, strict=True):
        if type(data) is dict:
            as_read = keep_raw(condition, data, shared=True)
            if as_read is None:
                options.normalised = True  # a message truncated on read: written back changed
            elif as_read and ("lastTransitionTime" not in data or condition.model_extra):
                options.odd = True


def _unique(conditions: list[Condition], options: ParseOptions | None) -> list[Condition]:
    """At most one condition per type: lenient parses keep the first (what kubectl reads)."""
    first = first_by_type(conditions)
    if len(first) == len(conditions):
        return conditions
    for index, condition in enumerate(conditions):
        if first[condition.type] is condition:
            continue
        if options is not None and not options.strict:
            options.dropped.append((f"conditions[{index}]", condition.to_k8s()))
        else:
            raise ValueError(f"duplicate condition type {condition.type!r} at index {index}")
    return list(first.values())


def _condition_list(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    if value is None:  # what Go writes for a nil slice: no conditions
        return []
    options = lenient_context(info)
    api = options if api_context(info) is not None else None
    conditions = _built(value, api)
    if conditions is None:
        normalised = options.normalised if options is not None else False
        conditions = handler(value)
        if api is not None:
            if api.normalised and not normalised:
                api.odd = True  # a condition's timestamp is not in the canonical form
            # Timestamps inside a condition are written back as read: not a repair.
            api.normalised = normalised
            _keep_stored(conditions, value, api)
    return _unique(conditions, options)


#: A status's ``conditions`` field: a list keyed by type. ``null`` reads as empty; lenient
#: parses keep the first of a duplicated type, everything else rejects duplicates.
ConditionList = Annotated[list[Condition], WrapValidator(_condition_list), Stored(_as_stored)]
