"""Conditions in the API server's own form are built without pydantic: a differential test.

``built_as_stored`` must be invisible. For any input, parsing with it gives what parsing
through pydantic alone gives: the same models (values, their types, key order, fields
set), the same JSON kept as read, the same notes (``needs_repair``, dropped entries, the
strict problems) and the same errors. The reference is the same call with the fast path
switched off.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from hypothesis import example, given, strategies as st

from _pydantic_only import pydantic_only
from gittarget_status import Condition, GitTargetStatus, StatusModel, StatusValidationError
from gittarget_status.conditions._model import built_as_stored, raw_json
from gittarget_status.testing import strategies as gs

_TIMES = [
    "2026-01-01T12:00:00Z",
    "2026-01-01T12:00:00.5Z",
    "2026-01-01T12:00:00+02:00",
    "2026-01-01t12:00:00Z",
    "2026-13-01T12:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:59:60Z",
    "2026-01-01 12:00:00Z",
    "20260101T120000Z....",
    "",
    0,
    None,
]
_VALUES: dict[str, list[Any]] = {
    "type": ["Ready", "example.com/Audited", "Bad Type", "a" * 64, "", 5, None, "Ünïcode"],
    "status": ["True", "False", "Unknown", "true", True, None, ["True"], 1],
    "reason": ["OK", "Joined,Reasons:Too", "9Bad", "", None, 3, "x" * 1025],
    "message": ["", "plain", "ünïcode", "x" * 32768, "x" * 32769, None, 7, "\ud800"],
    "observedGeneration": [0, 1, 2**63 - 1, 2**63, -1, True, 1.0, "1", None],
    "lastTransitionTime": _TIMES,
}
_KEYS = [*_VALUES, "observed_generation", "last_transition_time", "severity"]


@st.composite
def _near_stored(draw: st.DrawFn) -> dict[str, Any]:
    """Condition JSON at and around the form the server writes: each key kept, dropped,
    respelt or given an odd value."""
    keys = draw(st.lists(st.sampled_from(_KEYS), unique=True, min_size=1))
    return {
        key: draw(st.sampled_from(_VALUES.get(key, ["x", 1, None, {"a": [None]}]))) for key in keys
    }


def _stored(condition: Condition, message: str, timestamped: bool) -> dict[str, Any]:
    """What the server stores for ``condition`` with an ASCII message (the fast path's
    input: the library's own strategies favour multi-byte messages)."""
    raw = {**condition.to_k8s(), "message": message}
    if not timestamped:
        del raw["lastTransitionTime"]
    return raw


_STORED_JSON = st.builds(
    _stored, gs.conditions(), st.text(string.printable, max_size=40), st.booleans()
)
_CONDITION_JSON = st.one_of(
    _STORED_JSON,
    gs.conditions().map(lambda c: c.to_k8s()),
    gs.conditions(timestamped=False).map(lambda c: c.to_k8s()),
    gs.foreign_conditions(),
    _near_stored(),
    st.builds(
        lambda c, status: {**c.to_k8s(), "status": status},
        gs.conditions(),
        st.text(string.ascii_letters, max_size=8),
    ),
)


def _outcome(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except StatusValidationError as exc:
        return exc


def _both(parse: Callable[[], Any]) -> tuple[Any, Any] | None:
    """``parse()`` with and without the fast path, or None if both raised the same error."""
    fast = _outcome(parse)
    with pydantic_only():
        slow = _outcome(parse)
    if isinstance(slow, StatusValidationError):
        assert type(fast) is type(slow)
        assert str(fast) == str(slow)
        assert fast.errors == slow.errors
        return None
    return fast, slow


def _view(condition: Condition) -> tuple[object, ...]:
    """Everything observable of a parsed condition (values with their exact types)."""
    return (
        [(key, type(value), value) for key, value in condition.__dict__.items()],
        condition.model_fields_set,
        condition.model_extra,
        condition.stored_json,
        condition.strict_problem,
        condition.to_k8s(),
    )


def _status_view(status: StatusModel) -> tuple[object, ...]:
    read = status._read_info()
    return (
        [_view(c) for c in status.conditions],
        status.to_k8s(),
        status.stored_json,
        status.needs_repair,
        status.dropped_on_parse,
        None if read is None else read.odd,
    )


@given(_CONDITION_JSON)
@example({"type": "Ready", "status": "True", "reason": "OK"})  # no lastTransitionTime
@example({"type": "Ready", "status": ["True"], "reason": "OK"})  # an unhashable status
def test_a_condition_built_directly_is_the_one_pydantic_builds(raw: dict[str, Any]) -> None:
    both = _both(lambda: Condition.from_k8s(raw))
    if both is None:
        return
    fast, slow = both
    assert isinstance(fast, Condition)
    assert _view(fast) == _view(slow)
    assert raw_json(fast) is not raw  # a single condition keeps a copy, as before


@given(
    st.one_of(
        st.lists(_STORED_JSON, max_size=5).map(lambda listed: {"conditions": listed}),
        st.lists(_CONDITION_JSON, max_size=5).map(lambda listed: {"conditions": listed}),
        gs.mutated_statuses(),
        gs.damaged_statuses(),
    ),
    st.booleans(),
)
def test_a_status_parses_the_same_with_and_without_the_fast_path(
    raw: dict[str, Any], strict: bool
) -> None:
    both = _both(lambda: GitTargetStatus.from_k8s(raw, strict=strict))
    if both is None:
        return
    fast, slow = both
    assert isinstance(fast, GitTargetStatus)
    assert _status_view(fast) == _status_view(slow)
    listed = raw.get("conditions")
    if isinstance(listed, list) and len(listed) == len(fast.conditions):
        # Entries read as stored give back what was read, key order included: the very
        # dict of the status's stored JSON, or the same JSON rendered again.
        for condition, entry in zip(fast.conditions, listed, strict=True):
            kept = raw_json(condition)
            assert kept is None or kept is entry or list(kept.items()) == list(entry.items())


@given(st.lists(_CONDITION_JSON, max_size=4))
def test_python_construction_takes_the_same_path_outcome(listed: list[dict[str, Any]]) -> None:
    """Keyword construction (no API context) agrees too: strict rules, nothing kept."""
    both = _both(lambda: GitTargetStatus(conditions=listed))
    if both is None:
        return
    fast, slow = both
    assert isinstance(fast, GitTargetStatus)
    assert [_view(c) for c in fast.conditions] == [_view(c) for c in slow.conditions]
    assert all(raw_json(c) is None for c in fast.conditions)


def test_only_the_stored_form_is_built_directly() -> None:
    stored = {
        "type": "Ready",
        "status": "True",
        "observedGeneration": 3,
        "lastTransitionTime": "2026-01-01T12:00:00Z",
        "reason": "OK",
        "message": "fine",
    }
    built = built_as_stored(stored)
    assert built is not None
    assert built == Condition.model_validate(stored)
    assert built.model_fields_set == set(Condition.model_fields)
    for odd in (
        {"observed_generation": 3},  # a Python name, not the JSON one
        {"severity": "Info"},  # a field outside metav1.Condition
        {"lastTransitionTime": "2026-01-01T12:00:00.5Z"},  # normalised on read
        {"message": "ünïcode"},  # bytes to count
        {"type": "a" * 64},  # the server's rule, not the strict one
        {"status": True},  # a bool: Python input, not JSON
    ):
        assert built_as_stored({**stored, **odd}) is None, odd
    assert built_as_stored(["not", "a", "dict"]) is None


def test_only_entries_of_a_json_list_keep_the_json_they_were_read_from() -> None:
    """API JSON decodes to lists; a tuple (Python input) is read, but nothing is kept as read.

    The entry below needs pydantic (its timestamp is normalised), so the list is validated
    whole and each entry is then given back its JSON, which only a list pairs entry by entry.
    """
    entry = {
        "type": "Ready",
        "status": "True",
        "reason": "OK",
        "message": "fine",
        "lastTransitionTime": "2026-01-01T12:00:00+02:00",
    }
    as_list = StatusModel.from_k8s({"conditions": [entry]})
    as_tuple = StatusModel.from_k8s({"conditions": (entry,)})
    assert as_tuple.conditions == as_list.conditions
    [kept] = as_list.conditions
    [fresh] = as_tuple.conditions
    assert raw_json(kept) == entry and raw_json(fresh) is None
    assert as_list.to_k8s()["conditions"] == [entry]
    assert as_tuple.to_k8s()["conditions"][0]["lastTransitionTime"] == "2026-01-01T10:00:00Z"
