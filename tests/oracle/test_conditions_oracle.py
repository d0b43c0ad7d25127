"""set_condition and remove_condition against apimachinery's Set/RemoveStatusCondition.

The oracle is ``k8s-oracle`` (the real ``k8s.io/apimachinery/pkg/api/meta``). Every case
is compared exactly (the resulting list as Go encodes it, and the changed flag) unless one
of the named differences below recognises it; docs/kubernetes.md lists the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

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

#: The CRD's ``maxLength`` for a condition message: the API server counts characters.
SERVER_MESSAGE_CHARACTERS = 32768
Answer = Mapping[str, Any]


def _refused(case: Case, ours: Answer, theirs: Answer) -> bool:
    return "error" not in theirs and any(parsed(raw) is None for raw in case.every())


def _truncated(case: Case, ours: Answer, theirs: Answer) -> bool:
    # What we write is cut to the byte limit; a stored entry only past the API server's own
    # 32768-character limit (the server never stores one; within it, it is kept as read).
    written = [case.condition] if isinstance(case, SetCase) else []
    stored = [c.get("message") for c in case.conditions]
    return any(oversized(raw) for raw in written) or any(
        isinstance(m, str) and len(m) > SERVER_MESSAGE_CHARACTERS for m in stored
    )


def _canonical(moment: str) -> str:
    """How Go writes a parsed metav1.Time: UTC, whole seconds, ``Z``."""
    parsed_time = datetime.fromisoformat(moment).astimezone(UTC).replace(microsecond=0)
    return parsed_time.isoformat().replace("+00:00", "Z")  # isoformat pads the year


def _stored_form(case: Case, ours: Answer, theirs: Answer) -> bool:
    """An entry we do not rewrite keeps the time string it was read with; Go re-encodes it.

    Recognised only where that is the whole difference: with our times re-encoded as Go
    writes them, the answers must be equal.
    """
    if ours == theirs or "conditions" not in ours:
        return False
    reencoded = [
        {**c, "lastTransitionTime": _canonical(t)}
        if isinstance(t := c.get("lastTransitionTime"), str)
        else c
        for c in ours["conditions"]
    ]
    return {**ours, "conditions": reencoded} == theirs


def _zero_time(case: Case, ours: Answer, theirs: Answer) -> bool:
    now = [case.now] if isinstance(case, SetCase) else []
    return any(go_zero(t) for t in [*now, *(raw.get("lastTransitionTime") for raw in case.every())])


def _unknown_fields(case: Case, ours: Answer, theirs: Answer) -> bool:
    # A stored entry keeps them as read; the condition we write is strict (none).
    return any(set(raw) - METAV1_KEYS for raw in case.conditions)


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
    Difference("go-zero-time-is-unset", _zero_time),
    Difference("unknown-fields-kept", _unknown_fields),
    Difference("stored-form-kept", _stored_form),
    Difference("long-messages-truncated", _truncated),
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
    condition = condition.canonical()  # the condition we write is built, not read: strict
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


def answers_set(oracle: Oracle, case: SetCase) -> tuple[Answer, Answer]:
    """(ours, the oracle's) for ``case``, refusals reduced to ``{"error": True}``."""
    return _errors_alike(_ours_set(case)), _errors_alike(oracle.ask(case.request()))


def answers_remove(oracle: Oracle, case: RemoveCase) -> tuple[Answer, Answer]:
    return _errors_alike(_ours_remove(case)), _errors_alike(oracle.ask(case.request()))


def check_set(oracle: Oracle, case: SetCase) -> str | None:
    return compare("set-condition", SET_DIFFERENCES, case, *answers_set(oracle, case))


def check_remove(oracle: Oracle, case: RemoveCase) -> str | None:
    return compare("remove-condition", REMOVE_DIFFERENCES, case, *answers_remove(oracle, case))


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


_NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
_LTT = "2026-01-01T00:00:00Z"


def _raw(type_: str = "Ready", status: str = "True", **fields: Any) -> dict[str, Any]:
    return {"type": type_, "status": status, "reason": "R", "message": "m", **fields}


#: One case per named difference where our answer really differs from Go's.
SET_WITNESSES: dict[str, SetCase] = {
    "validation-refuses-what-go-accepts": SetCase([], _raw(reason=""), _NOW),
    "long-messages-truncated": SetCase([], _raw(message="x" * 40000), _NOW),
    "go-zero-time-is-unset": SetCase([], _raw(lastTransitionTime="0001-01-01T00:00:00Z"), _NOW),
    "unknown-fields-kept": SetCase(
        [_raw("Other", lastTransitionTime=_LTT, severity="Info")], _raw(), _NOW
    ),
    "duplicate-types-repaired": SetCase(
        [_raw(lastTransitionTime=_LTT), _raw(status="False", lastTransitionTime=_LTT)],
        _raw(),
        _NOW,
    ),
    "missing-transition-time-stamped": SetCase([_raw()], _raw(), _NOW),
    "observed-generation-unset-is-not-zero": SetCase(
        [_raw(lastTransitionTime=_LTT)], _raw(observedGeneration=0), _NOW
    ),
    "stored-form-kept": SetCase(
        [_raw(lastTransitionTime="2026-01-01T02:00:00.5+02:00")], _raw("Other"), _NOW
    ),
}
REMOVE_WITNESSES: dict[str, RemoveCase] = {
    "validation-refuses-what-go-accepts": RemoveCase([_raw(status="bogus")], "Other"),
    "go-zero-time-is-unset": RemoveCase([_raw(lastTransitionTime="0001-01-01T00:00:00Z")], "X"),
    "unknown-fields-kept": RemoveCase([_raw(lastTransitionTime=_LTT, severity="Info")], "X"),
    "stored-form-kept": RemoveCase([_raw(lastTransitionTime="2026-01-01T02:00:00+02:00")], "X"),
    "long-messages-truncated": RemoveCase(
        [_raw(lastTransitionTime=_LTT, message="x" * 32769)], "Other"
    ),
}


def _recognised(
    differences: tuple[Difference[Any], ...], case: object, ours: Answer, theirs: Answer
) -> str | None:
    return next((d.name for d in differences if d.applies(case, ours, theirs)), None)


def test_every_named_difference_has_a_witness() -> None:
    assert set(SET_WITNESSES) == {d.name for d in SET_DIFFERENCES}
    assert set(REMOVE_WITNESSES) == {d.name for d in REMOVE_DIFFERENCES}


@pytest.mark.parametrize("name", SET_WITNESSES)
def test_set_differences_are_real_and_recognised(set_condition_oracle: Oracle, name: str) -> None:
    """Each exclusion is earned: Go really answers otherwise, and only that name applies."""
    case = SET_WITNESSES[name]
    ours, theirs = answers_set(set_condition_oracle, case)
    assert ours != theirs
    assert _recognised(SET_DIFFERENCES, case, ours, theirs) == name


@pytest.mark.parametrize("name", REMOVE_WITNESSES)
def test_remove_differences_are_real_and_recognised(
    remove_condition_oracle: Oracle, name: str
) -> None:
    case = REMOVE_WITNESSES[name]
    ours, theirs = answers_remove(remove_condition_oracle, case)
    assert ours != theirs
    assert _recognised(REMOVE_DIFFERENCES, case, ours, theirs) == name


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        pytest.param(  # status unchanged: the transition time stays, the rest moves
            SetCase(
                [_raw(lastTransitionTime=_LTT)], _raw(reason="Other", observedGeneration=3), _NOW
            ),
            {
                "conditions": [
                    {**_raw(reason="Other", observedGeneration=3), "lastTransitionTime": _LTT}
                ],
                "changed": True,
            },
            id="reason-and-generation-move-time-stays",
        ),
        pytest.param(  # status changed without a time: now, in UTC whole seconds
            SetCase(
                [_raw(lastTransitionTime=_LTT)],
                _raw(status="False"),
                datetime(
                    2026, 3, 1, 17, 30, 0, 900000, tzinfo=timezone(timedelta(hours=5, minutes=30))
                ),
            ),
            {
                "conditions": [
                    {**_raw(status="False"), "lastTransitionTime": "2026-03-01T12:00:00Z"}
                ],
                "changed": True,
            },
            id="transition-takes-now-in-utc-seconds",
        ),
        pytest.param(
            SetCase(
                [_raw(lastTransitionTime=_LTT)],
                _raw(lastTransitionTime="2027-01-01T00:00:00Z"),
                _NOW,
            ),
            {"conditions": [{**_raw(), "lastTransitionTime": _LTT}], "changed": False},
            id="steady-state-is-no-change",
        ),
    ],
)
def test_known_answers(set_condition_oracle: Oracle, case: SetCase, expected: Answer) -> None:
    """Both sides give the answer worked out by hand (the comparison is not vacuous)."""
    ours, theirs = answers_set(set_condition_oracle, case)
    assert ours == theirs == expected
