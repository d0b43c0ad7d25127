"""Gates declare their reasons and terminal reasons; the pipeline and the contract obey them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import Field

import gittarget_status
from gittarget_status import (
    GATE_ORDER,
    TERMINAL_REASONS,
    BootstrappedReason,
    CommonReason,
    Condition,
    ConditionStatus,
    ConditionType,
    EncryptionConfiguredReason,
    EventStreamLiveReason,
    Gate,
    GatePipeline,
    GateResult,
    GitTargetStatus,
    SnapshotSyncedReason,
    StatusModel,
    StatusValidationError,
    UsageError,
    ValidatedReason,
    derive_phase,
    find_condition,
    gittarget_pipeline,
    initialize_gittarget,
)
from gittarget_status.gates import summarize
from gittarget_status.testing import (
    GITTARGET_CONTRACT,
    StatusContract,
    assert_status_contract,
    check_status,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

#: What the GitTarget lifecycle's terminal reasons were before they were declared on gates.
OLD_TERMINAL_REASONS = frozenset({"BranchNotAllowed", "TargetConflict", "InvalidRecipients"})

reasons = st.from_regex(r"[A-Z][A-Za-z0-9]{0,15}", fullmatch=True)


class ProbeReason(StrEnum):
    OK = "OK"
    WAITING = "Waiting"
    BROKEN = "Broken"
    FORBIDDEN = "Forbidden"


class ProbeStatus(StatusModel):
    conditions: list[Condition] = Field(default_factory=list)
    note: str | None = None


def _pipeline(result: GateResult, **declared: Any) -> GatePipeline[None]:
    return GatePipeline([Gate("Probed", lambda _: result, ready_reason="NotProbed", **declared)])


def _condition(status: Any, type_: str) -> Condition:
    found = find_condition(status, type_)
    assert found is not None, type_
    return found


# --- the declaration itself -------------------------------------------------------------


def test_an_enum_declaration_is_stored_as_the_set_of_its_values() -> None:
    gate = Gate(
        "Probed",
        lambda _: GateResult.passed("OK"),
        ready_reason="NotProbed",
        reasons=ProbeReason,
        terminal={ProbeReason.BROKEN},
    )
    assert gate.declared_reasons == frozenset({"OK", "Waiting", "Broken", "Forbidden"})
    assert gate.terminal_reasons == frozenset({"Broken"})
    assert gate.declares


def test_a_gate_declaring_nothing_declares_nothing() -> None:
    gate = Gate("Probed", lambda _: GateResult.passed("OK"), ready_reason="NotProbed")
    assert gate.declared_reasons is None
    assert gate.terminal_reasons == frozenset()
    assert not gate.declares
    assert gate.accepts("AnythingAtAll")


@pytest.mark.parametrize(
    ("declared", "complaint"),
    [
        ({"reasons": ["OK"], "terminal": ["Broken"]}, "not in its reasons"),
        ({"terminal": [CommonReason.EVALUATION_FAILED]}, "cannot be terminal"),
        ({"reasons": "OK"}, "not one str"),
        ({"reasons": ["not a reason"]}, "must start with a letter"),
        ({"terminal": [42]}, "must be a string"),
    ],
)
def test_a_bad_declaration_is_refused_when_the_gate_is_built(
    declared: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(StatusValidationError, match=complaint):
        Gate("Probed", lambda _: GateResult.passed("OK"), ready_reason="NotProbed", **declared)


# --- declared reasons accepted, undeclared ones become EvaluationFailed ------------------


@given(
    reason=st.sampled_from(ProbeReason),
    status=st.sampled_from(ConditionStatus),
)
def test_a_declared_reason_is_written_as_returned(
    reason: ProbeReason, status: ConditionStatus
) -> None:
    result = GateResult(status, reason, "as observed")
    outcome = _pipeline(result, reasons=ProbeReason).evaluate(
        ProbeStatus(), None, generation=1, now=NOW
    )
    probed = _condition(outcome.status, "Probed")
    assert (probed.status, probed.reason, probed.message) == (status, reason, "as observed")
    assert outcome.results["Probed"] == result


@given(reason=reasons.filter(lambda r: r not in set(ProbeReason) | set(CommonReason)))
def test_an_undeclared_reason_becomes_evaluation_failed_naming_reason_and_gate(
    reason: str,
) -> None:
    result = GateResult.failed(reason, "the world said so", details={"note": "observed"})
    pipeline = _pipeline(result, reasons=ProbeReason)
    outcome = pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW)
    probed = _condition(outcome.status, "Probed")
    assert probed.status is ConditionStatus.UNKNOWN
    assert probed.reason == CommonReason.EVALUATION_FAILED
    assert f"gate Probed returned undeclared reason {reason!r}" in probed.message
    assert "the world said so" in probed.message
    assert outcome.status.note is None  # details of a verdict nobody planned for are dropped
    assert outcome.error is None  # nothing raised: it is an observed failure
    assert not outcome.ready
    contract = StatusContract.for_pipeline(pipeline)
    assert_status_contract(outcome.status, generation=1, contract=contract)


def test_an_undeclared_reason_is_reported_the_same_by_async_evaluators() -> None:
    async def probe(_: None) -> GateResult:
        return GateResult.passed("Surprise")

    pipeline = GatePipeline([Gate("Probed", probe, ready_reason="NotProbed", reasons=ProbeReason)])
    outcome = asyncio.run(pipeline.aevaluate(ProbeStatus(), None, generation=1, now=NOW))
    probed = _condition(outcome.status, "Probed")
    assert (probed.status, probed.reason) == (ConditionStatus.UNKNOWN, "EvaluationFailed")
    assert "'Surprise'" in probed.message and "Probed" in probed.message


@given(reason=st.sampled_from(CommonReason), status=st.sampled_from(ConditionStatus))
def test_the_library_reasons_are_always_accepted(
    reason: CommonReason, status: ConditionStatus
) -> None:
    outcome = _pipeline(GateResult(status, reason), reasons=["OK"]).evaluate(
        ProbeStatus(), None, generation=1, now=NOW
    )
    assert _condition(outcome.status, "Probed").reason == reason


@given(reason=reasons, status=st.sampled_from(ConditionStatus))
def test_a_gate_declaring_nothing_accepts_any_valid_reason(
    reason: str, status: ConditionStatus
) -> None:
    outcome = _pipeline(GateResult(status, reason)).evaluate(
        ProbeStatus(), None, generation=1, now=NOW
    )
    assert _condition(outcome.status, "Probed").reason == reason


# --- terminal reasons --------------------------------------------------------------------


@given(reason=st.sampled_from(ProbeReason), terminal=st.sets(st.sampled_from(ProbeReason)))
def test_a_declared_terminal_failure_stalls_without_a_flag_on_the_result(
    reason: ProbeReason, terminal: set[ProbeReason]
) -> None:
    pipeline = _pipeline(GateResult.failed(reason), reasons=ProbeReason, terminal=terminal)
    outcome = pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW)
    stalled = find_condition(outcome.status, "Stalled")
    assert outcome.stalled is (reason in terminal)
    assert outcome.results["Probed"].terminal is (reason in terminal)
    if reason in terminal:
        assert stalled is not None and stalled.status is ConditionStatus.TRUE
        assert stalled.reason == reason
        assert find_condition(outcome.status, "Reconciling") is None
    else:
        assert stalled is None
    assert_status_contract(
        outcome.status, generation=1, contract=StatusContract.for_pipeline(pipeline)
    )


@pytest.mark.parametrize(
    "result", [GateResult.passed("Broken"), GateResult.unknown("Broken")], ids=["True", "Unknown"]
)
def test_only_a_failure_with_a_terminal_reason_is_terminal(result: GateResult) -> None:
    pipeline = _pipeline(result, reasons=ProbeReason, terminal={ProbeReason.BROKEN})
    outcome = pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW)
    assert not outcome.stalled and not outcome.results["Probed"].terminal


def test_agreeing_with_the_declaration_is_allowed() -> None:
    pipeline = _pipeline(GateResult.failed("Broken", terminal=True), terminal={"Broken"})
    assert pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW).stalled


@pytest.mark.parametrize(
    "declared",
    [{"reasons": ProbeReason}, {"terminal": {"Forbidden"}}],
    ids=["reasons only", "other terminal"],
)
def test_terminal_true_against_the_declaration_is_a_usage_error(declared: dict[str, Any]) -> None:
    pipeline = _pipeline(GateResult.failed("Broken", terminal=True), **declared)
    with pytest.raises(UsageError, match="gate Probed returned 'Broken' with terminal=True"):
        pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW)


def test_a_gate_declaring_nothing_keeps_the_result_flag() -> None:
    pipeline = _pipeline(GateResult.failed("Broken", terminal=True))
    outcome = pipeline.evaluate(ProbeStatus(), None, generation=1, now=NOW)
    assert outcome.stalled
    assert _condition(outcome.status, "Stalled").reason == "Broken"


# --- the GitTarget gates: one declaration ------------------------------------------------


def test_terminal_reasons_are_derived_from_the_gittarget_gates_with_the_old_value() -> None:
    assert TERMINAL_REASONS == OLD_TERMINAL_REASONS
    assert gittarget_status.TERMINAL_REASONS is TERMINAL_REASONS
    gates = gittarget_pipeline().gates
    assert frozenset().union(*(g.terminal_reasons for g in gates)) == TERMINAL_REASONS
    assert tuple(g.type for g in gates) == GATE_ORDER


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_every_gittarget_gate_declares_its_reason_enum(asynchronous: bool) -> None:
    gates = gittarget_pipeline(asynchronous=asynchronous).gates
    enums = {
        ConditionType.VALIDATED: ValidatedReason,
        ConditionType.ENCRYPTION_CONFIGURED: EncryptionConfiguredReason,
        ConditionType.BOOTSTRAPPED: BootstrappedReason,
        ConditionType.SNAPSHOT_SYNCED: SnapshotSyncedReason,
        ConditionType.EVENT_STREAM_LIVE: EventStreamLiveReason,
    }
    assert [gate.type for gate in gates] == list(enums)
    for gate in gates:
        assert gate.declared_reasons == frozenset(enums[ConditionType(gate.type)])
        assert gate.is_async is asynchronous
    by_type = {g.type: g.terminal_reasons for g in gates}
    assert by_type["Validated"] == {
        ValidatedReason.BRANCH_NOT_ALLOWED,
        ValidatedReason.TARGET_CONFLICT,
    }
    assert by_type["EncryptionConfigured"] == {EncryptionConfiguredReason.INVALID_RECIPIENTS}
    assert by_type["Bootstrapped"] == by_type["SnapshotSynced"] == frozenset()


def test_the_derived_gittarget_contract_equals_the_hand_written_one() -> None:
    hand_written = StatusContract.for_pipeline(
        gittarget_pipeline(), phase=derive_phase, terminal_reasons=OLD_TERMINAL_REASONS
    )
    assert hand_written == GITTARGET_CONTRACT
    assert StatusContract.for_pipeline(gittarget_pipeline(kstatus_present=True)) == hand_written
    assert gittarget_pipeline().phase_function is derive_phase


def test_for_pipeline_keyword_arguments_still_override() -> None:
    pipeline = gittarget_pipeline()
    assert StatusContract.for_pipeline(pipeline, phase=None).phase is None
    assert StatusContract.for_pipeline(pipeline, terminal_reasons=()).terminal_reasons == set()
    plain = GatePipeline([Gate("Probed", lambda _: GateResult.passed("OK"), ready_reason="X")])
    contract = StatusContract.for_pipeline(plain)
    assert contract.phase is None and contract.terminal_reasons == frozenset()
    assert plain.phase_function is None


# --- Ready on a never-evaluated object ---------------------------------------------------


def test_a_new_gittarget_is_not_ready_because_nothing_was_evaluated_yet() -> None:
    outcome = initialize_gittarget(None, generation=1, now=NOW)
    ready = _condition(outcome.status, "Ready")
    assert (ready.status, ready.reason) == (ConditionStatus.FALSE, CommonReason.NOT_CHECKED)
    assert ready.message == "Validated has not been evaluated yet"
    assert outcome.phase == "PENDING"
    assert_status_contract(outcome.status, generation=1)


@given(
    gates=st.lists(
        st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=4
    ),  # (required, blocking)
    kstatus=st.booleans(),
)
def test_a_new_object_of_any_pipeline_reports_not_checked(
    gates: list[tuple[bool, bool]], kstatus: bool
) -> None:
    pipeline = GatePipeline(
        [
            Gate(
                f"Gate{i}",
                lambda _: GateResult.failed("Nope"),
                ready_reason=f"Gate{i}Failed",
                required=required,
                blocking=blocking,
            )
            for i, (required, blocking) in enumerate(gates)
        ],
        kstatus=kstatus,
    )
    contract = StatusContract.for_pipeline(pipeline)
    outcome = pipeline.initialize(ProbeStatus(), generation=1, now=NOW)
    ready = _condition(outcome.status, "Ready")
    if any(required for required, _ in gates):
        assert (ready.status, ready.reason) == (ConditionStatus.FALSE, "NotChecked")
    else:
        assert ready.status is ConditionStatus.TRUE  # nothing is required
    assert_status_contract(outcome.status, generation=1, contract=contract)
    evaluated = pipeline.evaluate(outcome.status, None, generation=1, now=NOW)
    first_required = next((i for i, (required, _) in enumerate(gates) if required), None)
    if first_required is not None:
        assert _condition(evaluated.status, "Ready").reason == f"Gate{first_required}Failed"
    assert_status_contract(evaluated.status, generation=1, contract=contract)


def test_summarize_says_not_checked_only_for_a_gate_never_evaluated() -> None:
    gates = gittarget_pipeline().gates
    validated = Condition(type="Validated", status="True", reason="OK", observed_generation=1)
    only_first = summarize(gates, [validated], {})
    assert only_first.ready_result.reason == "NotChecked"
    assert only_first.ready_result.message == "EncryptionConfigured has not been evaluated yet"
    blocked = Condition(type="EncryptionConfigured", status="Unknown", reason="Blocked")
    assert summarize(gates, [validated, blocked], {}).ready_result.reason == (
        "EncryptionNotConfigured"
    )


def test_the_contract_flags_a_new_object_reporting_a_failure_reason() -> None:
    status = initialize_gittarget(None, generation=1, now=NOW).status
    old_style = GitTargetStatus.from_k8s(
        {
            **status.to_k8s(),
            "conditions": [
                {**c, "reason": "ValidationFailed"} if c["type"] == "Ready" else c
                for c in status.to_k8s()["conditions"]
            ],
        }
    )
    found = [v.rule for v in check_status(old_style, generation=1)]
    assert found == ["GTS017"]
