"""mark_* helpers, the public summarize and StatusModel.condition: the generic toolkit
for code outside a gate pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum, StrEnum

import pytest
from hypothesis import given, strategies as st

import gittarget_status
from gittarget_status import (
    Condition,
    ConditionStatus,
    Gate,
    GateResult,
    GitTargetStatus,
    StatusModel,
    StatusValidationError,
    find_condition,
    mark_false,
    mark_reconciling,
    mark_stalled,
    mark_true,
    mark_unknown,
    set_condition,
)
from gittarget_status.conditions import RECONCILING, STALLED, CommonReason
from gittarget_status.gates import Summary, summarize
from gittarget_status.testing.strategies import (
    condition_lists,
    condition_statuses,
    generations,
    kube_times,
    messages,
    reasons,
)

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN
MARKS = {T: mark_true, F: mark_false, U: mark_unknown}


class CertificateStatus(StatusModel):
    not_after: str | None = None


class Gates(StrEnum):
    ISSUED = "Issued"


def test_helpers_are_exported_from_conditions_and_the_root() -> None:
    from gittarget_status import conditions

    for name in ("mark_true", "mark_false", "mark_unknown", "mark_reconciling", "mark_stalled"):
        assert name in conditions.__all__
        assert name in gittarget_status.__all__
        assert getattr(conditions, name) is getattr(gittarget_status, name)


def test_mark_true_sets_a_validated_condition_and_reports_change() -> None:
    status = CertificateStatus()
    assert mark_true(status, Gates.ISSUED, "Issued", "cert ready", observed_generation=3, now=NOW)
    assert status.conditions == [
        Condition(
            type="Issued",
            status=T,
            reason="Issued",
            message="cert ready",
            observed_generation=3,
            last_transition_time=NOW,
        )
    ]
    # The same call again changes nothing: skip the write.
    assert not mark_true(status, "Issued", "Issued", "cert ready", observed_generation=3, now=NOW)


def test_transition_time_moves_only_with_status() -> None:
    status = CertificateStatus()
    mark_false(status, "Issued", "Pending", now=NOW)
    assert mark_false(status, "Issued", "StillPending", now=LATER)
    condition = status.condition("Issued")
    assert condition is not None and condition.last_transition_time == NOW
    assert mark_true(status, "Issued", "Issued", now=LATER)
    condition = status.condition("Issued")
    assert condition is not None and condition.last_transition_time == LATER


def test_marks_reject_bad_input_with_typed_errors() -> None:
    status = CertificateStatus()
    with pytest.raises(StatusValidationError, match="reason"):
        mark_true(status, "Issued", "not a reason!", now=NOW)
    with pytest.raises(StatusValidationError, match="type"):
        mark_true(status, "bad type", "Issued", now=NOW)
    with pytest.raises(StatusValidationError, match="now"):
        mark_true(status, "Issued", "Issued", now=datetime(2026, 5, 1))
    assert status.conditions == []


class _Plain(Enum):
    READY = "Issued"


@given(
    conditions=condition_lists(),
    status=condition_statuses(),
    reason=reasons(),
    message=messages(),
    generation=st.none() | generations(),
    now=kube_times(),
)
def test_mark_equals_set_condition(
    conditions: list[Condition],
    status: ConditionStatus,
    reason: str,
    message: str,
    generation: int | None,
    now: datetime,
) -> None:
    """Each mark_* is exactly set_condition with a Condition of that status."""
    by_helper = list(conditions)
    by_primitive = list(conditions)
    changed = MARKS[status](
        by_helper, _Plain.READY, reason, message, observed_generation=generation, now=now
    )
    expected = set_condition(
        by_primitive,
        Condition(
            type="Issued",
            status=status,
            reason=reason,
            message=message,
            observed_generation=generation,
        ),
        now=now,
    )
    assert changed == expected
    assert by_helper == by_primitive


def test_reconciling_clears_stalled_and_stalled_clears_reconciling() -> None:
    status = CertificateStatus()
    assert mark_stalled(status, "IssuerMissing", "no issuer", observed_generation=1, now=NOW)
    assert [(c.type, c.status, c.reason) for c in status.conditions] == [
        (STALLED, T, "IssuerMissing")
    ]
    assert mark_reconciling(status, observed_generation=2, now=LATER)
    assert [(c.type, c.status, c.reason) for c in status.conditions] == [
        (RECONCILING, T, CommonReason.PROGRESSING)
    ]
    assert not mark_reconciling(status, observed_generation=2, now=LATER)


def test_kstatus_present_keeps_the_other_condition_as_false() -> None:
    status = CertificateStatus()
    mark_reconciling(status, "Issuing", now=NOW, kstatus_present=True)
    stalled = status.condition(STALLED)
    assert stalled is not None and (stalled.status, stalled.reason) == (F, "Progressing")
    mark_stalled(status, "IssuerMissing", now=LATER, kstatus_present=True)
    reconciling = status.condition(RECONCILING)
    assert reconciling is not None
    assert (reconciling.status, reconciling.reason) == (F, "TerminalFailure")
    assert status.condition(STALLED) == Condition(
        type=STALLED, status=T, reason="IssuerMissing", last_transition_time=LATER
    )


@given(
    conditions=condition_lists(),
    steps=st.lists(st.tuples(st.booleans(), st.booleans(), kube_times()), max_size=6),
)
def test_reconciling_and_stalled_are_never_both_true(
    conditions: list[Condition], steps: list[tuple[bool, bool, datetime]]
) -> None:
    """kstatus' rule holds after every mark, whatever the list held before."""
    for condition in (RECONCILING, STALLED):
        conditions = [c for c in conditions if c.type != condition]
    for stalled, present, now in steps:
        if stalled:
            mark_stalled(conditions, "Terminal", now=now, kstatus_present=present)
        else:
            mark_reconciling(conditions, now=now, kstatus_present=present)
        true = {c.type for c in conditions if c.status is T}
        assert not {RECONCILING, STALLED} <= true
        assert (STALLED if stalled else RECONCILING) in true


def test_condition_is_on_every_status_model() -> None:
    status = CertificateStatus(
        conditions=[Condition(type="Issued", status=T, reason="Issued", last_transition_time=NOW)]
    )
    assert status.condition("Issued") is status.conditions[0]
    assert status.condition(Gates.ISSUED) is status.conditions[0]
    assert status.condition("Ready") is None
    # GitTargetStatus inherits the one implementation.
    assert "condition" not in GitTargetStatus.__dict__
    assert GitTargetStatus().condition("Ready") is None


@given(conditions=condition_lists(), type_=st.sampled_from(["Ready", "Issued", "x.io/Degraded"]))
def test_condition_is_find_condition(conditions: list[Condition], type_: str) -> None:
    status = CertificateStatus(conditions=conditions)
    assert status.condition(type_) is find_condition(status, type_)


def _gates() -> list[Gate[None]]:
    return [
        Gate("Validated", lambda _: GateResult.passed("Valid"), ready_reason="Invalid"),
        Gate("Issued", lambda _: GateResult.passed("Issued"), ready_reason="NotIssued"),
        Gate(
            "Exported",
            lambda _: GateResult.passed("Exported"),
            ready_reason="NotExported",
            required=False,
        ),
    ]


def _condition(type_: str, status: ConditionStatus, reason: str = "R") -> Condition:
    return Condition(type=type_, status=status, reason=reason, last_transition_time=NOW)


def test_summarize_is_public_and_documented() -> None:
    from gittarget_status import gates

    assert {"summarize", "Summary"} <= set(gates.__all__)
    assert summarize.__doc__ and Summary.__doc__
    ready = summarize(_gates(), [_condition("Validated", T), _condition("Issued", T)], {})
    assert ready.ready and ready.ready_result.reason == "OK"
    assert ready.reconciling is None and ready.stalled is None


def test_summarize_names_the_first_failing_required_gate() -> None:
    conditions = [_condition("Validated", T), _condition("Issued", F, "Pending")]
    summary = summarize(_gates(), conditions, {})
    assert not summary.ready
    assert summary.ready_result.status is F
    assert summary.ready_result.reason == "NotIssued"
    assert summary.ready_result.message == "Issued is False (Pending)"
    assert summary.reconciling is not None and summary.stalled is None


def test_summarize_reports_stalled_for_a_terminal_verdict() -> None:
    failed = GateResult.failed("BadSpec", "spec is wrong", terminal=True)
    summary = summarize(_gates(), [_condition("Validated", F, "BadSpec")], {"Validated": failed})
    assert summary.stalled is not None and summary.stalled.reason == "BadSpec"
    assert summary.reconciling is None


@given(
    statuses=st.lists(st.none() | condition_statuses(), min_size=3, max_size=3),
)
def test_summarize_ready_iff_every_required_gate_is_true(
    statuses: list[ConditionStatus | None],
) -> None:
    conditions = [
        _condition(gate.type, status)
        for gate, status in zip(_gates(), statuses, strict=True)
        if status is not None
    ]
    summary = summarize(_gates(), conditions, {})
    assert summary.ready == (statuses[0] is T and statuses[1] is T)
    assert summary.ready_result.status is (T if summary.ready else F)
