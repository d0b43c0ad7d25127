"""Order-insensitive condition assertions (like Cluster API's ``MatchConditions``).

Importable without hypothesis::

    assert_conditions_match(
        outcome.status,
        [
            {"type": "Validated", "status": "False", "reason": "ProviderNotFound"},
            {"type": "Ready", "status": "False", "reason": "ValidationFailed"},
        ],
        ignore_extra_types=True,
    )

``expected`` entries are [`Condition`][gittarget_status.Condition] objects (every field
compared) or dicts (only the keys given are compared; camelCase or snake_case keys).
lastTransitionTime is ignored by default; message and observedGeneration on request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._model import Condition

__all__ = ["ConditionMismatch", "assert_conditions_match", "conditions_match", "diff_conditions"]

_FIELDS: Final = ("status", "reason", "message", "observedGeneration", "lastTransitionTime")
_SNAKE: Final = {
    "observed_generation": "observedGeneration",
    "last_transition_time": "lastTransitionTime",
}


@dataclass(frozen=True, slots=True)
class ConditionMismatch:
    """One difference: a missing or unexpected type, or a field that differs."""

    type: str
    field: str | None
    expected: object
    actual: object

    def __str__(self) -> str:
        if self.field is None and self.actual is None:
            return f"- {self.type}: missing (expected {self.expected})"
        if self.field is None:
            return f"+ {self.type}: unexpected ({self.actual})"
        return f"~ {self.type}.{self.field}: expected {self.expected!r}, got {self.actual!r}"


def _as_json(value: object) -> dict[str, Any]:
    if isinstance(value, Condition):
        return value.to_k8s()
    if isinstance(value, Mapping):
        data = {}
        for key, item in value.items():
            name = _SNAKE.get(str(key), str(key))
            if isinstance(item, Enum):
                item = item.value
            elif isinstance(item, bool) and name == "status":
                item = "True" if item else "False"
            elif name == "lastTransitionTime" and item is not None and not isinstance(item, str):
                item = Condition(
                    type="X", status="True", reason="R", last_transition_time=item
                ).to_k8s()["lastTransitionTime"]
            data[name] = item
        return data
    raise TypeError(f"expected a Condition or a dict, got {type(value).__name__}")


def _listed(target: object) -> list[dict[str, Any]]:
    conditions = getattr(target, "conditions", target)
    if isinstance(conditions, Mapping):
        conditions = conditions.get("conditions", [])
    if not isinstance(conditions, Iterable) or isinstance(conditions, str | bytes):
        raise TypeError(f"expected conditions, got {type(target).__name__}")
    return [_as_json(c) for c in conditions]


def _field_order(key: str) -> tuple[int, str]:
    return (_FIELDS.index(key) if key in _FIELDS else len(_FIELDS), key)


def _summary(raw: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={raw[k]!r}" for k in ("status", "reason") if k in raw) or "{}"


def diff_conditions(
    actual: object,
    expected: Iterable[Condition | Mapping[str, Any]],
    *,
    ignore_ltt: bool = True,
    ignore_message: bool = False,
    ignore_observed_generation: bool = False,
    ignore_extra_types: bool = False,
) -> list[ConditionMismatch]:
    """The differences between ``actual`` and ``expected``, ignoring order.

    ``actual`` is a status (model or dict) or a list of conditions. A type listed twice on
    either side is itself a mismatch (the list is a map).
    """
    ignored = {
        "lastTransitionTime": ignore_ltt,
        "message": ignore_message,
        "observedGeneration": ignore_observed_generation,
    }
    have = _listed(actual)
    expected_list = list(expected)
    want = [_as_json(c) for c in expected_list]
    mismatches: list[ConditionMismatch] = []
    for side, entries in (("actual", have), ("expected", want)):
        types = [str(c.get("type")) for c in entries]
        for type_ in sorted({t for t in types if types.count(t) > 1}):
            mismatches.append(ConditionMismatch(type_, "type", f"once in {side}", "duplicated"))
    by_type = first_by_type(have, lambda c: str(c.get("type")))
    for given, spec in zip(expected_list, want, strict=True):
        type_ = str(spec.get("type"))
        found = by_type.pop(type_, None)
        if found is None:
            mismatches.append(ConditionMismatch(type_, None, _summary(spec), None))
            continue
        # A Condition states every field (unset ones too); a dict only the keys it has.
        keys = set(_FIELDS) | set(spec) | set(found) if isinstance(given, Condition) else set(spec)
        for key in sorted(keys - {"type"}, key=_field_order):
            if ignored.get(key, False) or found.get(key) == spec.get(key):
                continue
            mismatches.append(ConditionMismatch(type_, key, spec.get(key), found.get(key)))
    if not ignore_extra_types:
        for type_, found in sorted(by_type.items()):
            mismatches.append(ConditionMismatch(type_, None, None, _summary(found)))
    return mismatches


def conditions_match(
    actual: object,
    expected: Iterable[Condition | Mapping[str, Any]],
    *,
    ignore_ltt: bool = True,
    ignore_message: bool = False,
    ignore_observed_generation: bool = False,
    ignore_extra_types: bool = False,
) -> bool:
    """True iff [`diff_conditions`][gittarget_status.testing.diff_conditions] finds nothing."""
    return not diff_conditions(
        actual,
        expected,
        ignore_ltt=ignore_ltt,
        ignore_message=ignore_message,
        ignore_observed_generation=ignore_observed_generation,
        ignore_extra_types=ignore_extra_types,
    )


def assert_conditions_match(
    actual: object,
    expected: Sequence[Condition | Mapping[str, Any]],
    *,
    ignore_ltt: bool = True,
    ignore_message: bool = False,
    ignore_observed_generation: bool = False,
    ignore_extra_types: bool = False,
) -> None:
    """Raise ``AssertionError`` with a readable diff unless the conditions match.

    Order never matters. A Condition in ``expected`` is compared field by field; a dict
    only on the keys it has. ``ignore_extra_types`` allows conditions not in ``expected``.
    """
    mismatches = diff_conditions(
        actual,
        expected,
        ignore_ltt=ignore_ltt,
        ignore_message=ignore_message,
        ignore_observed_generation=ignore_observed_generation,
        ignore_extra_types=ignore_extra_types,
    )
    if not mismatches:
        return
    lines = [f"conditions do not match ({len(mismatches)} difference(s)):"]
    lines += [f"  {m}" for m in mismatches]
    lines.append("  actual conditions:")
    lines += [f"    {c.get('type')}: {_summary(c)}" for c in _listed(actual)] or ["    (none)"]
    raise AssertionError("\n".join(lines))
