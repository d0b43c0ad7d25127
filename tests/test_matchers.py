"""Order-insensitive condition matchers with a readable diff."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings, strategies as st

from gittarget_status import Condition, ConditionStatus, GitTargetStatus
from gittarget_status.testing import (
    DEMO_EPOCH,
    SCENARIOS,
    assert_conditions_match,
    conditions_match,
    diff_conditions,
    strategies as gs,
)

BLOCKED = list(SCENARIOS["provider-missing"].run())[-1].outcome.status


def test_partial_dicts_match_in_any_order() -> None:
    assert_conditions_match(
        BLOCKED,
        [
            {"type": "Ready", "status": "False", "reason": "ValidationFailed"},
            {"type": "Validated", "status": ConditionStatus.FALSE, "reason": "ProviderNotFound"},
        ],
        ignore_extra_types=True,
    )
    assert conditions_match(BLOCKED.to_k8s(), [{"type": "Ready", "status": False}],
                            ignore_extra_types=True)  # fmt: skip
    assert conditions_match(BLOCKED.conditions, [{"type": "Ready"}], ignore_extra_types=True)


def test_the_diff_names_every_difference() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_conditions_match(
            BLOCKED,
            [
                {"type": "Validated", "status": "True", "reason": "OK"},
                {"type": "Missing", "status": "True", "reason": "X"},
            ],
        )
    report = str(raised.value)
    assert "~ Validated.status: expected 'True', got 'False'" in report
    assert "~ Validated.reason: expected 'OK', got 'ProviderNotFound'" in report
    assert "- Missing: missing (expected status='True' reason='X')" in report
    assert "+ Ready: unexpected (status='False' reason='ValidationFailed')" in report
    assert "actual conditions:" in report


def test_ltt_is_ignored_unless_asked_and_message_on_request() -> None:
    ready = BLOCKED.condition("Ready")
    assert ready is not None
    assert ready.last_transition_time is not None
    moved = ready.with_changes(
        last_transition_time=ready.last_transition_time + timedelta(hours=1), message="other"
    )
    assert conditions_match([ready], [moved], ignore_message=True)
    assert not conditions_match([ready], [moved], ignore_message=True, ignore_ltt=False)
    assert [m.field for m in diff_conditions([ready], [moved])] == ["message"]
    regenerated = ready.with_changes(observed_generation=7)
    assert conditions_match([ready], [regenerated], ignore_observed_generation=True)
    stamped = {"type": "Ready", "lastTransitionTime": DEMO_EPOCH}
    assert conditions_match([ready], [stamped], ignore_ltt=False, ignore_extra_types=True)
    stamped["lastTransitionTime"] = DEMO_EPOCH + timedelta(hours=1)
    assert not conditions_match([ready], [stamped], ignore_ltt=False)


def test_duplicates_are_a_mismatch() -> None:
    ready = BLOCKED.condition("Ready")
    assert ready is not None
    mismatches = diff_conditions([ready, ready], [ready])
    assert [(m.type, m.actual) for m in mismatches] == [("Ready", "duplicated")]


def test_rejects_what_is_not_conditions() -> None:
    with pytest.raises(TypeError):
        diff_conditions(5, [])
    with pytest.raises(TypeError):
        diff_conditions([], [5])  # type: ignore[list-item]


@settings(max_examples=max(10, (settings.default or settings()).max_examples // 4))
@given(conditions=gs.condition_lists(), order=st.randoms(use_true_random=False))
def test_a_status_matches_any_permutation_of_itself(
    conditions: list[Condition], order: random.Random
) -> None:
    status = GitTargetStatus(conditions=conditions)
    shuffled = list(conditions)
    order.shuffle(shuffled)
    assert_conditions_match(status, shuffled, ignore_ltt=False)
    if conditions:
        assert not conditions_match(status, shuffled[1:])
