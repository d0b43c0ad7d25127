"""GTS001-GTS002: the rules the API server enforces on ``status.conditions``.

A list-map keyed by ``type`` and valid ``metav1.Condition`` entries; checked on the raw JSON,
since a parse would drop what breaks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._model import Condition
from gittarget_status.testing.invariants._rule import Checked, Finding, Rule, rule
from gittarget_status.testing.invariants._view import hashable

__all__ = ["METAV1_RULES"]


def _unique_types(c: Checked) -> Iterable[Finding]:
    by_type: dict[object, list[Mapping[str, Any]]] = {}
    for raw in c.view.conditions:
        by_type.setdefault(hashable(raw.get("type")), []).append(raw)
    for type_, entries in by_type.items():
        if len(entries) > 1:
            yield f"{len(entries)} conditions of type {type_!r} (the list is a map)", entries


def _metav1_valid(c: Checked) -> Iterable[Finding]:
    for index, raw in enumerate(c.view.conditions):
        try:
            Condition.from_k8s(raw)
        except StatusValidationError as exc:
            problems = "; ".join(str(error) for error in exc.errors)
            yield f"conditions[{index}] is not a valid metav1.Condition: {problems}", [raw]
            continue
        if raw.get("lastTransitionTime") is None:
            yield f"conditions[{index}] has no lastTransitionTime (the API requires it)", [raw]


#: GTS001-GTS002, in id order.
METAV1_RULES: tuple[Rule, ...] = (
    rule("GTS001", "unique-types", "no two conditions share a type", _unique_types),
    rule(
        "GTS002",
        "metav1-valid",
        "every condition is a valid metav1.Condition with a lastTransitionTime",
        _metav1_valid,
    ),
)
