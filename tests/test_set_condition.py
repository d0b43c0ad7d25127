"""Plan 7.1: ``set_condition`` treats the list as a map keyed by type, without flapping.

Unit tests pin the named scenarios; the properties compare every step of generated update
sequences against a reference written directly from plan section 3.1 over the wire form.
"""

from __future__ import annotations

import re
from collections import UserList
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import assume, given, strategies as st
from pydantic import BaseModel

from gittarget_status import (
    Condition,
    ConditionStatus,
    ConditionType,
    GitTargetStatus,
    StatusValidationError,
    find_condition,
    format_kube_time,
    is_false,
    is_true,
    is_unknown,
    remove_condition,
    set_condition,
)
from gittarget_status.conditions import ConditionTarget, conditions_of
from gittarget_status.testing import strategies as gs

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=5)
T2 = T0 + timedelta(minutes=10)
Wire = dict[str, Any]


@dataclass
class ForeignStatus:
    """Some other operator's status object: anything with a ``conditions`` list."""

    conditions: list[Condition] = field(default_factory=list)


def cond(
    type_: str = "Ready",
    status: ConditionStatus | str | bool = True,
    reason: str = "OK",
    message: str = "",
    generation: int | None = None,
    ltt: datetime | None = None,
) -> Condition:
    return Condition(
        type=type_,
        status=status,
        reason=reason,
        message=message,
        observed_generation=generation,
        last_transition_time=ltt,
    )


def wire(conditions: list[Condition]) -> list[Wire]:
    return [c.to_k8s() for c in conditions]


def reference_set(before: list[Wire], new: Condition, now: datetime) -> list[Wire]:
    """Plan 3.1 on plain JSON: upsert by type; lastTransitionTime moves with status only."""
    incoming = new.to_k8s()
    stamp = incoming.get("lastTransitionTime", format_kube_time(now))
    after = [dict(entry) for entry in before]
    for entry in after:
        if entry["type"] != incoming["type"]:
            continue
        if entry["status"] != incoming["status"] or "lastTransitionTime" not in entry:
            entry["lastTransitionTime"] = stamp
        entry["status"] = incoming["status"]
        entry["reason"] = incoming["reason"]
        entry["message"] = incoming["message"]
        entry.pop("observedGeneration", None)
        if "observedGeneration" in incoming:
            entry["observedGeneration"] = incoming["observedGeneration"]
        return after
    return [*after, {**incoming, "lastTransitionTime": stamp}]


# --- targets -------------------------------------------------------------------------------


def as_status(conditions: list[Condition]) -> GitTargetStatus:
    return GitTargetStatus(conditions=conditions)


def as_list(conditions: list[Condition]) -> list[Condition]:
    return list(conditions)


def as_foreign(conditions: list[Condition]) -> ForeignStatus:
    return ForeignStatus(list(conditions))


TargetFactory = Callable[[list[Condition]], ConditionTarget]
TARGETS: list[TargetFactory] = [as_status, as_list, as_foreign]


def listed(target: ConditionTarget) -> list[Condition]:
    if isinstance(target, GitTargetStatus | ForeignStatus):
        return list(target.conditions)
    assert isinstance(target, list)
    return list(target)


# --- unit tests: plan 7.1 scenarios ----------------------------------------------------------


@pytest.mark.parametrize("make", TARGETS)
def test_inserts_a_new_type_at_the_end_stamped_with_now(make: TargetFactory) -> None:
    first, second = cond("Validated", ltt=T0), cond("example.com/Foo", ltt=T0)
    target = make([first, second])
    assert set_condition(target, cond("Ready", False, "BootstrapNotComplete"), now=T1)
    after = listed(target)
    assert [c.type for c in after] == ["Validated", "example.com/Foo", "Ready"]
    assert after[0] is first
    assert after[1] is second
    assert after[2].last_transition_time == T1


@pytest.mark.parametrize("make", TARGETS)
def test_insert_keeps_a_given_transition_time(make: TargetFactory) -> None:
    target = make([])
    assert set_condition(target, cond(ltt=T0), now=T1)
    assert listed(target)[0].last_transition_time == T0


@pytest.mark.parametrize("make", TARGETS)
def test_same_status_updates_in_place_and_keeps_the_transition_time(make: TargetFactory) -> None:
    other = cond("Validated", ltt=T0)
    target = make([cond("Ready", False, "Old", "old", 1, ltt=T0), other])
    update = cond("Ready", False, "New", "new", 2, ltt=T2)
    assert set_condition(target, update, now=T1)
    after = listed(target)
    assert len(after) == 2
    assert after[1] is other
    assert after[0].to_k8s() == {
        "type": "Ready",
        "status": "False",
        "observedGeneration": 2,
        "lastTransitionTime": format_kube_time(T0),
        "reason": "New",
        "message": "new",
    }


@pytest.mark.parametrize(
    ("update", "expected_ltt"),
    [(cond("Ready", True), T1), (cond("Ready", True, ltt=T2), T2)],
    ids=["from-now", "from-condition"],
)
@pytest.mark.parametrize("make", TARGETS)
def test_status_change_moves_the_transition_time(
    make: TargetFactory, update: Condition, expected_ltt: datetime
) -> None:
    target = make([cond("Ready", False, "Waiting", ltt=T0)])
    assert set_condition(target, update, now=T1)
    (after,) = listed(target)
    assert after.status is ConditionStatus.TRUE
    assert after.last_transition_time == expected_ltt


@pytest.mark.parametrize("make", TARGETS)
def test_applying_the_same_condition_again_changes_nothing(make: TargetFactory) -> None:
    target = make([cond("Validated", ltt=T0)])
    update = cond("Ready", False, "Waiting", "msg", 3)
    assert set_condition(target, update, now=T1)
    snapshot = listed(target)
    assert not set_condition(target, update, now=T2)
    assert listed(target) == snapshot
    assert listed(target)[1] is snapshot[1]


def test_only_the_generation_changing_is_a_change() -> None:
    target = [cond(generation=1, ltt=T0)]
    assert set_condition(target, cond(generation=2), now=T1)
    assert target[0].observed_generation == 2
    assert target[0].last_transition_time == T0
    assert set_condition(target, cond(generation=None), now=T1)
    assert target[0].observed_generation is None


def test_an_existing_condition_without_a_transition_time_gets_one() -> None:
    target = [cond(ltt=None)]
    assert set_condition(target, cond(), now=T1)
    assert target[0].last_transition_time == T1


def test_now_defaults_to_the_current_utc_second() -> None:
    target: list[Condition] = []
    before = datetime.now(UTC).replace(microsecond=0)
    set_condition(target, cond())
    after = datetime.now(UTC)
    stamp = target[0].last_transition_time
    assert stamp is not None
    assert before <= stamp <= after
    assert stamp.microsecond == 0


def test_now_is_normalised_to_utc_whole_seconds() -> None:
    now = datetime(2026, 11, 26, 11, 0, 30, 900_000, tzinfo=timezone(timedelta(hours=2)))
    target: list[Condition] = []
    set_condition(target, cond(), now=now)
    assert target[0].last_transition_time == datetime(2026, 11, 26, 9, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "existing",
    [[], [cond(ltt=T0)], [cond(status=False, ltt=T0)]],
    ids=["insert", "no-transition", "transition"],
)
def test_naive_now_is_rejected_naming_now(existing: list[Condition]) -> None:
    target = list(existing)
    with pytest.raises(StatusValidationError) as caught:
        set_condition(target, cond(ltt=T1), now=datetime(2026, 11, 26, 9, 0))
    assert caught.value.paths == ("now",)
    assert target == existing


def test_unknown_and_foreign_types_are_never_touched() -> None:
    foreign = Condition.from_k8s(
        {
            "type": "other.io/Synced",
            "status": "False",
            "reason": "TheirReason",
            "message": "theirs",
            "lastTransitionTime": "2020-01-01T00:00:00Z",
            "severity": "Warning",
        }
    )
    status = GitTargetStatus(conditions=[foreign])
    for gate in ConditionType:
        set_condition(status, cond(gate.value, ltt=T0), now=T1)
    assert status.conditions[0] is foreign
    assert status.to_k8s()["conditions"][0]["severity"] == "Warning"


def test_extra_fields_of_the_updated_condition_are_kept() -> None:
    existing = Condition.from_k8s({**cond(ltt=T0).to_k8s(), "severity": "Info"})
    target = [existing]
    assert set_condition(target, cond(reason="Other"), now=T1)
    assert target[0].extra_fields == {"severity": "Info"}
    assert target[0].reason == "Other"


def test_duplicates_left_by_another_writer_are_collapsed() -> None:
    target = [cond(ltt=T0), cond("Validated", ltt=T0), cond(status=False, ltt=T0)]
    assert set_condition(target, cond(ltt=T0), now=T1)
    assert [c.type for c in target] == ["Ready", "Validated"]


def test_rejects_what_is_not_a_condition() -> None:
    with pytest.raises(TypeError):
        set_condition([], cond().to_k8s(), now=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        set_condition(object(), cond(), now=T0)  # type: ignore[arg-type]


# --- find / remove / is_* ---------------------------------------------------------------------

STATES: list[tuple[ConditionStatus | None, bool, bool, bool]] = [
    # status, is_true, is_false, is_unknown
    (None, False, False, True),
    (ConditionStatus.TRUE, True, False, False),
    (ConditionStatus.FALSE, False, True, False),
    (ConditionStatus.UNKNOWN, False, False, True),
]


@pytest.mark.parametrize(("status", "true", "false", "unknown"), STATES)
@pytest.mark.parametrize("make", TARGETS)
@pytest.mark.parametrize("key", [ConditionType.SNAPSHOT_SYNCED, "SnapshotSynced"])
def test_status_predicates(
    make: TargetFactory,
    key: str,
    status: ConditionStatus | None,
    true: bool,
    false: bool,
    unknown: bool,
) -> None:
    present = [] if status is None else [cond("SnapshotSynced", status, ltt=T0)]
    target = make([cond("Ready", True, ltt=T0), *present])
    assert (is_true(target, key), is_false(target, key), is_unknown(target, key)) == (
        true,
        false,
        unknown,
    )
    found = find_condition(target, key)
    assert (found is None) == (status is None)
    assert found is None or found.status is status


@pytest.mark.parametrize("make", TARGETS)
def test_remove_condition(make: TargetFactory) -> None:
    keep = cond("Validated", ltt=T0)
    target = make([cond("Ready", ltt=T0), keep])
    assert remove_condition(target, ConditionType.READY)
    assert listed(target) == [keep]
    assert not remove_condition(target, "Ready")
    assert listed(target) == [keep]


def test_remove_condition_removes_every_duplicate() -> None:
    target = [cond(ltt=T0), cond("Validated", ltt=T0), cond(status=False, ltt=T0)]
    assert remove_condition(target, "Ready")
    assert [c.type for c in target] == ["Validated"]


# --- properties ---------------------------------------------------------------------------------

POOL = ["Ready", "Validated", "example.com/Foo", "Other"]


def updates_for(existing: list[Condition]) -> st.SearchStrategy[Condition]:
    """Updates that mostly hit existing types (both with and without their own LTT)."""
    types = st.sampled_from([c.type for c in existing] + POOL)
    return gs.conditions(type=types) | gs.conditions(type=types, timestamped=False)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Condition], list[tuple[Condition, datetime]]]:
    existing = draw(gs.condition_lists(timestamped=draw(st.booleans())))
    steps = draw(st.lists(st.tuples(updates_for(existing), gs.kube_times()), max_size=8))
    return existing, steps


@given(histories())
def test_every_step_matches_the_reference_and_reports_exactly_the_change(
    history: tuple[list[Condition], list[tuple[Condition, datetime]]],
) -> None:
    existing, steps = history
    target = list(existing)
    for update, now in steps:
        before = wire(target)
        expected = reference_set(before, update, now)
        changed = set_condition(target, update, now=now)
        assert wire(target) == expected
        assert changed == (expected != before)
        assert len({c.type for c in target}) == len(target)


@given(gs.condition_lists(), gs.conditions(), gs.kube_times())
def test_new_types_are_appended_and_existing_ones_updated_in_place(
    existing: list[Condition], update: Condition, now: datetime
) -> None:
    target = list(existing)
    set_condition(target, update, now=now)
    types = [c.type for c in existing]
    if update.type in types:
        assert [c.type for c in target] == types
        index = types.index(update.type)
    else:
        assert [c.type for c in target] == [*types, update.type]
        index = len(types)
    for position, original in enumerate(existing):
        if position != index:
            assert target[position] is original
    result = target[index]
    assert (result.status, result.reason, result.message, result.observed_generation) == (
        update.status,
        update.reason,
        update.message,
        update.observed_generation,
    )


@given(
    gs.condition_lists(min_size=1),
    st.data(),
    gs.kube_times(),
    st.booleans(),
)
def test_transition_time_moves_iff_status_moves(
    existing: list[Condition], data: st.DataObject, now: datetime, own_time: bool
) -> None:
    old = data.draw(st.sampled_from(existing))
    update = data.draw(gs.conditions(type=old.type, timestamped=own_time))
    assume(now not in (old.last_transition_time, update.last_transition_time))
    target = list(existing)
    set_condition(target, update, now=now)
    result = find_condition(target, old.type)
    assert result is not None
    if update.status is old.status:
        assert result.last_transition_time == old.last_transition_time
    else:
        assert result.last_transition_time == (update.last_transition_time or now)


@given(gs.condition_lists(), gs.conditions(timestamped=False), gs.kube_times(), gs.kube_times())
def test_applying_twice_is_a_no_op_the_second_time(
    existing: list[Condition], update: Condition, now: datetime, later: datetime
) -> None:
    target = list(existing)
    set_condition(target, update, now=now)
    once = list(target)
    assert not set_condition(target, update, now=later)
    assert target == once


@given(st.data(), gs.condition_lists(), gs.conditions(), gs.kube_times())
def test_results_do_not_depend_on_the_order_of_the_list(
    data: st.DataObject, existing: list[Condition], update: Condition, now: datetime
) -> None:
    shuffled = list(data.draw(st.permutations(existing)))
    target = list(existing)
    changed = set_condition(target, update, now=now)
    changed_shuffled = set_condition(shuffled, update, now=now)
    assert changed == changed_shuffled
    assert {c.type: c for c in target} == {c.type: c for c in shuffled}


@given(gs.condition_lists(), st.lists(gs.conditions(timestamped=False), max_size=6))
def test_update_sequences_on_a_status_keep_it_valid(
    existing: list[Condition], updates: list[Condition]
) -> None:
    status = GitTargetStatus(conditions=existing)
    for update in updates:
        set_condition(status, update, now=T0)
    reparsed = GitTargetStatus.from_k8s(status.to_k8s(), strict=True)
    assert reparsed == status
    for update in updates:
        assert find_condition(status, update.type) is not None


@pytest.mark.parametrize("lookup", [find_condition, remove_condition])
def test_a_type_that_is_not_a_string_is_refused_by_name(lookup: Callable[..., object]) -> None:
    status = GitTargetStatus(conditions=[cond("Ready", ltt=T0)])
    with pytest.raises(ValueError, match="condition_type must be a string, got int"):
        lookup(status, 5)
    # A str enum is its value: ConditionType.READY finds the "Ready" entry.
    assert find_condition(status, ConditionType.READY) is status.conditions[0]


# --- unusual targets: other sequences, JSON with Condition objects, loose models ------------


class TupleStatus(BaseModel):
    """A read-only status model: its conditions are a tuple."""

    conditions: tuple[Condition, ...] = ()


@pytest.mark.parametrize(
    "make",
    [tuple, lambda cs: TupleStatus(conditions=tuple(cs)), lambda cs: ForeignTuple(tuple(cs))],
    ids=["tuple", "model-with-tuple", "object-with-tuple"],
)
def test_read_only_sequences_can_be_read_but_not_written(
    make: Callable[[list[Condition]], Any],
) -> None:
    ready = cond(ltt=T0)
    target = make([ready])
    assert list(conditions_of(target)) == [ready]
    assert find_condition(target, "Ready") == ready
    assert is_true(target, "Ready")
    with pytest.raises(TypeError, match=r"^conditions must be a mutable list, got tuple$"):
        set_condition(target, cond(status=False), now=T1)
    assert list(conditions_of(target)) == [ready]


@dataclass
class ForeignTuple:
    conditions: tuple[Condition, ...]


class NoConditions(BaseModel):
    name: str = ""


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"conditions": "Ready"}, "status 'conditions' must be a list, got str"),
        ({"conditions": 5}, "status 'conditions' must be a list, got int"),
        (NoConditions(), "expected a status model, "),
        (5, "expected a status model, "),
    ],
    ids=["str", "int", "model-without-list", "int-target"],
)
def test_targets_without_a_condition_list_are_refused(target: Any, message: str) -> None:
    with pytest.raises(TypeError, match=f"^{re.escape(message)}"):
        conditions_of(target)


def test_a_mutable_sequence_that_is_not_a_list_is_written_in_place() -> None:
    target = UserList([cond("Other", ltt=T0)])
    assert set_condition(target, cond(), now=T1)
    assert [c.type for c in target] == ["Other", "Ready"]
    assert target[1].last_transition_time == T1


def test_a_loose_model_is_remembered_only_once_it_holds_a_list() -> None:
    """The fast path for status models is taken only for classes seen with a list."""
    from gittarget_status.conditions._operations import _STATUS_MODELS

    class Loose(BaseModel):
        conditions: Any

    first = Loose(conditions=UserList())
    assert set_condition(first, cond(), now=T0)
    assert Loose not in _STATUS_MODELS
    assert set_condition(Loose(conditions=[]), cond(), now=T0)
    assert Loose in _STATUS_MODELS
    later = Loose(conditions=UserList([cond(ltt=T0)]))
    assert set_condition(later, cond(status=False), now=T1)  # the seen class, not a list
    assert [(c.status, c.last_transition_time) for c in later.conditions] == [
        (ConditionStatus.FALSE, T1)
    ]
    _STATUS_MODELS.discard(Loose)


def test_condition_objects_inside_a_status_dict_are_replaced_by_json() -> None:
    status: dict[str, Any] = {"conditions": [cond(ltt=T0), cond("Other", ltt=T0)]}
    assert set_condition(status, cond(status=False, reason="Broken"), now=T1)
    assert status["conditions"][0] == cond(status=False, reason="Broken", ltt=T1).to_k8s()
    assert status["conditions"][1] == cond("Other", ltt=T0)  # untouched, still an object


def test_json_insert_keeps_the_given_transition_time_and_duplicates_go() -> None:
    listed_json: list[MutableMapping[str, Any]] = [cond("Other", ltt=T0).to_k8s()]
    assert set_condition(listed_json, cond(ltt=T0), now=T2)
    assert listed_json[-1]["lastTransitionTime"] == format_kube_time(T0)
    duplicated: list[MutableMapping[str, Any]] = [
        cond(ltt=T0).to_k8s(),
        cond(status=False, ltt=T1).to_k8s(),
    ]
    assert set_condition(duplicated, cond(), now=T2)  # no field changed, but a duplicate went
    assert duplicated == [cond(ltt=T0).to_k8s()]


def test_the_same_extra_fields_again_are_no_change() -> None:
    read = Condition.from_k8s({**cond(ltt=T0).to_k8s(), "severity": "Info"})
    conditions = [read]
    assert not set_condition(conditions, read, now=T1)
    assert conditions[0] is read
