"""set_condition and remove_condition against apimachinery's Set/RemoveStatusCondition.

The oracle is ``k8s-oracle`` (the real ``k8s.io/apimachinery/pkg/api/meta``). Every case
is compared exactly (the resulting list as Go encodes it, and the changed flag) unless one
of the named differences below recognises it; docs/kubernetes.md lists the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gittarget_status import remove_condition, set_condition

from ._cases import (
    DAMAGE,
    METAV1_KEYS,
    Damage,
    as_metav1,
    go_zero,
    oversized,
    parsed,
    raw_condition_lists,
    raw_conditions,
    rfc3339,
    times,
)
from ._compare import EXAMPLES, Difference, compare
from ._oracle import Oracle


@dataclass(frozen=True)
class SetCase:
    conditions: list[dict[str, Any]]
    condition: dict[str, Any]
    now: datetime

    def request(self) -> dict[str, Any]:
        return {
            "conditions": self.conditions,
            "condition": self.condition,
            "now": rfc3339(self.now),
        }

    def matching(self) -> list[dict[str, Any]]:
        return [c for c in self.conditions if c.get("type") == self.condition.get("type")]

    def every(self) -> list[dict[str, Any]]:
        return [*self.conditions, self.condition]


@dataclass(frozen=True)
class RemoveCase:
    conditions: list[dict[str, Any]]
    type: str

    def request(self) -> dict[str, Any]:
        return {"conditions": self.conditions, "type": self.type}

    def every(self) -> list[dict[str, Any]]:
        return self.conditions


Case = SetCase | RemoveCase
Answer = Mapping[str, Any]


def _refused(case: Case, ours: Answer, theirs: Answer) -> bool:
    return "error" not in theirs and any(parsed(raw) is None for raw in case.every())


def _truncated(case: Case, ours: Answer, theirs: Answer) -> bool:
    return any(oversized(raw) for raw in case.every())


def _zero_time(case: Case, ours: Answer, theirs: Answer) -> bool:
    now = [case.now] if isinstance(case, SetCase) else []
    return any(go_zero(t) for t in [*now, *(raw.get("lastTransitionTime") for raw in case.every())])


def _unknown_fields(case: Case, ours: Answer, theirs: Answer) -> bool:
    return any(set(raw) - METAV1_KEYS for raw in case.every())


def _duplicates(case: SetCase, ours: Answer, theirs: Answer) -> bool:
    return len(case.matching()) > 1


def _unstamped(case: SetCase, ours: Answer, theirs: Answer) -> bool:
    found = case.matching()
    return (
        bool(found)
        and found[0].get("lastTransitionTime") is None
        and (found[0].get("status") == case.condition.get("status"))
    )


def _generation_zero(case: SetCase, ours: Answer, theirs: Answer) -> bool:
    found = case.matching()
    if not found:
        return False
    pair = {found[0].get("observedGeneration"), case.condition.get("observedGeneration")}
    return pair == {None, 0}


_COMMON: tuple[Difference[Any], ...] = (
    Difference("validation-refuses-what-go-accepts", _refused),
    Difference("long-messages-truncated", _truncated),
    Difference("go-zero-time-is-unset", _zero_time),
    Difference("unknown-fields-kept", _unknown_fields),
)
SET_DIFFERENCES: tuple[Difference[SetCase], ...] = (
    *_COMMON,
    Difference("duplicate-types-repaired", _duplicates),
    Difference("missing-transition-time-stamped", _unstamped),
    Difference("observed-generation-unset-is-not-zero", _generation_zero),
)
REMOVE_DIFFERENCES: tuple[Difference[RemoveCase], ...] = _COMMON


def _ours_set(case: SetCase) -> dict[str, Any]:
    existing = [parsed(raw) for raw in case.conditions]
    condition = parsed(case.condition)
    if condition is None or None in existing:
        return {"error": "refused by validation"}
    conditions = [c for c in existing if c is not None]
    changed = set_condition(conditions, condition, now=case.now)
    return {"conditions": [as_metav1(c) for c in conditions], "changed": changed}


def _ours_remove(case: RemoveCase) -> dict[str, Any]:
    existing = [parsed(raw) for raw in case.conditions]
    if None in existing:
        return {"error": "refused by validation"}
    conditions = [c for c in existing if c is not None]
    changed = remove_condition(conditions, case.type)
    return {"conditions": [as_metav1(c) for c in conditions], "changed": changed}


def _errors_alike(answer: Mapping[str, Any]) -> Mapping[str, Any]:
    """Refusals are compared as refusals: the wording is Go's or pydantic's own."""
    return {"error": True} if "error" in answer else answer


def check_set(oracle: Oracle, case: SetCase) -> str | None:
    theirs = oracle.ask(case.request())
    return compare(
        "set-condition",
        SET_DIFFERENCES,
        case,
        _errors_alike(_ours_set(case)),
        _errors_alike(theirs),
    )


def check_remove(oracle: Oracle, case: RemoveCase) -> str | None:
    theirs = oracle.ask(case.request())
    return compare(
        "remove-condition",
        REMOVE_DIFFERENCES,
        case,
        _errors_alike(_ours_remove(case)),
        _errors_alike(theirs),
    )


@st.composite
def set_cases(draw: st.DrawFn) -> SetCase:
    damage = draw(DAMAGE)
    conditions = draw(raw_condition_lists(damage))
    condition = draw(raw_conditions(damage, stamped=False))
    same_type: bool = draw(st.booleans())  # often the type of one already there
    if conditions and same_type:
        condition = {**condition, "type": draw(st.sampled_from(conditions))["type"]}
    return SetCase(conditions, condition, draw(times(zero=damage is Damage.ZERO_TIME)))


@st.composite
def remove_cases(draw: st.DrawFn) -> RemoveCase:
    conditions = draw(raw_condition_lists(draw(DAMAGE)))
    others = st.sampled_from(["Ready", "Stalled", "absent.io/Never", ""])
    present = st.sampled_from([c["type"] for c in conditions]) if conditions else others
    return RemoveCase(conditions, draw(present | others))


@settings(max_examples=EXAMPLES)
@given(case=set_cases())
def test_set_condition_agrees_with_apimachinery(
    set_condition_oracle: Oracle, case: SetCase
) -> None:
    check_set(set_condition_oracle, case)


@settings(max_examples=EXAMPLES)
@given(case=remove_cases())
def test_remove_condition_agrees_with_apimachinery(
    remove_condition_oracle: Oracle, case: RemoveCase
) -> None:
    check_remove(remove_condition_oracle, case)
