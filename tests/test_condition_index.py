"""The types of a condition list (``conditions._index``) are never stale.

It remembers the last list of Conditions it was asked about; every answer must still be
what a fresh walk of the list gives, whatever was done to the list (or to another list)
in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import Condition, find_condition, set_condition
from gittarget_status.conditions import _index
from gittarget_status.conditions._index import first_of, types_of
from gittarget_status.testing import DEMO_EPOCH

TYPES = ("Ready", "Validated", "Bootstrapped", "example.com/Audited")


def cond(type_: str, reason: str = "OK") -> Condition:
    return Condition(type=type_, status=True, reason=reason, last_transition_time=DEMO_EPOCH)


def walked(conditions: list[Any]) -> tuple[list[str], bool]:
    """The reference: one walk."""
    types = [entry.type for entry in conditions]
    return types, any(types.count(type_) > 1 for type_ in types)


conditions = st.builds(cond, st.sampled_from(TYPES), st.sampled_from(("OK", "Other")))
edits = st.one_of(
    st.tuples(st.just("append"), conditions),
    st.tuples(st.just("replace"), st.integers(0, 9), conditions),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("reverse")),
    st.tuples(st.just("slice"), st.lists(conditions, max_size=4)),
    st.tuples(st.just("equal copy"), st.integers(0, 9)),  # equal, not the same object
    st.tuples(st.just("other list"), st.lists(conditions, max_size=4)),
)


def edit(target: list[Condition], step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "append":
        target.append(step[1])
    elif kind == "replace" and target:
        target[step[1] % len(target)] = step[2]
    elif kind == "delete" and target:
        del target[step[1] % len(target)]
    elif kind == "reverse":
        target.reverse()
    elif kind == "slice":
        target[:] = step[1]
    elif kind == "equal copy" and target:
        index = step[1] % len(target)
        target[index] = target[index].model_copy()
    elif kind == "other list":
        assert types_of(step[1]) == walked(step[1])  # another list asked about in between


@given(st.lists(conditions, max_size=6), st.lists(edits, max_size=12))
def test_types_are_a_fresh_walk_after_any_edit(start: list[Condition], steps: list[Any]) -> None:
    target = list(start)
    assert types_of(target) == walked(target)
    for step in steps:
        edit(target, step)
        assert types_of(target) == walked(target)
        assert types_of(target) == walked(target)  # asked twice: the remembered answer


@given(st.lists(conditions, max_size=6), st.sampled_from(TYPES))
def test_first_of_is_the_first_entry_of_the_type(target: list[Condition], type_: str) -> None:
    expected = next((c for c in target if c.type == type_), None)
    assert first_of(target, type_) is expected
    assert first_of(target, type_) is expected


def test_an_in_place_edit_of_the_remembered_list_is_seen() -> None:
    target = [cond("Ready"), cond("Validated")]
    assert types_of(target) == (["Ready", "Validated"], False)
    target[1] = cond("Bootstrapped")  # same list object, same first entry
    assert types_of(target) == (["Ready", "Bootstrapped"], False)
    target.append(cond("Ready"))
    assert types_of(target) == (["Ready", "Bootstrapped", "Ready"], True)


@dataclass
class Loose:
    """A duck-typed entry whose type can change under the same identity."""

    type: str


def test_lists_of_other_objects_are_walked_every_time() -> None:
    entry = Loose("Ready")
    target: list[Any] = [entry]
    assert types_of(target) == (["Ready"], False)
    entry.type = "Validated"
    assert types_of(target) == (["Validated"], False)
    assert _index._last[0] != target  # never remembered


def test_entries_without_a_type_raise_and_leave_the_memory_alone() -> None:
    remembered = [cond("Ready")]
    types_of(remembered)
    before = _index._last
    with pytest.raises(AttributeError):
        types_of([{"type": "Ready"}])
    assert _index._last is before


def test_set_condition_sees_a_list_edited_behind_its_back() -> None:
    """The steady-state upsert asks the index; a stale one would report no change."""
    target = [cond("Ready"), cond("Validated")]
    assert not set_condition(target, cond("Validated"), now=DEMO_EPOCH)
    target[1] = cond("Validated", reason="Other")
    assert set_condition(target, cond("Validated"), now=DEMO_EPOCH)
    assert target[1].reason == "OK"
    del target[1]
    assert find_condition(target, "Validated") is None
    assert set_condition(target, cond("Validated"), now=DEMO_EPOCH)
    assert [c.type for c in target] == ["Ready", "Validated"]
