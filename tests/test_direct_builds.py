"""What the pass builds directly, without a constructor, equals what the constructor builds.

Every pass ends in ``outcome_of`` (the outcome set through its slots) and starts with a
``StatusModel`` copy (pydantic's slots set directly); both skip work that could only reach
the same object, and these tests hold them to it.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import timedelta
from types import MappingProxyType

from hypothesis import given, strategies as st
from pydantic import PrivateAttr

from gittarget_status import GateResult, ReconcileOutcome, StatusModel
from gittarget_status.gates._outcome import outcome_of

_RESULTS = st.dictionaries(
    st.sampled_from(["A", "B", "C"]),
    st.builds(GateResult.passed, st.sampled_from(["OK", "Done"]), st.text(max_size=5)),
)


@given(
    changed=st.booleans(),
    ready=st.booleans(),
    phase=st.none() | st.sampled_from(["RUNNING", "PENDING"]),
    blocked_by=st.none() | st.sampled_from(["A", "B"]),
    requeue_after=st.none() | st.integers(0, 60).map(lambda s: timedelta(seconds=s)),
    error=st.none() | st.just(ValueError("boom")),
    stalled=st.booleans(),
    results=_RESULTS,
    repaired=st.lists(st.tuples(st.just("conditions[0]"), st.integers()), max_size=2),
    optional=st.frozensets(st.sampled_from(["A", "B"])),
    suspended=st.booleans(),
)
def test_outcome_of_is_the_dataclass_of_the_same_values(
    changed: bool,
    ready: bool,
    phase: str | None,
    blocked_by: str | None,
    requeue_after: timedelta | None,
    error: Exception | None,
    stalled: bool,
    results: dict[str, GateResult],
    repaired: list[tuple[str, object]],
    optional: frozenset[str],
    suspended: bool,
) -> None:
    status = StatusModel()
    view = MappingProxyType(results)
    values = (status, changed, ready, phase, blocked_by, requeue_after, (), error, stalled, view)
    fixed = tuple(repaired)
    built = outcome_of(*values, fixed, optional, suspended)
    expected = ReconcileOutcome(*values, fixed, optional_gates=optional, suspended=suspended)
    assert built == expected
    assert repr(built) == repr(expected)
    for name in (f.name for f in dataclasses.fields(ReconcileOutcome)):
        assert getattr(built, name) is getattr(expected, name), name


class _WithPrivates(StatusModel):
    _counted: int = PrivateAttr(default=0)
    _seen: list[str] = PrivateAttr(default_factory=list)
    _unset: str = PrivateAttr()


class _Defaulted(StatusModel):
    _counted: int = PrivateAttr(default=0)


def test_status_copies_keep_private_attributes_and_own_their_private_dict() -> None:
    for model in (_WithPrivates, _Defaulted, StatusModel):
        original = model()
        if isinstance(original, _WithPrivates | _Defaulted):
            original._counted = 3
        for duplicate in (copy.copy(original), original.model_copy(), original.__copy__()):
            assert duplicate.__pydantic_private__ == original.__pydantic_private__
            assert duplicate.__pydantic_private__ is not original.__pydantic_private__
            assert duplicate.__pydantic_fields_set__ is not original.__pydantic_fields_set__
            assert duplicate.conditions is not original.conditions
            assert duplicate == original
    unset = _WithPrivates()
    unset._unset = "later"
    assert copy.copy(unset)._unset == "later"
