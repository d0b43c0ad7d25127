"""The generic gate framework on a resource that is not a GitTarget."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import pytest
from pydantic import Field

from gittarget_status import (
    Condition,
    ConditionStatus,
    Gate,
    GatePipeline,
    GateResult,
    StatusValidationError,
    UsageError,
    find_condition,
)
from gittarget_status._base import KubeModel
from gittarget_status.conditions import KubeTime

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN


class DatabaseStatus(KubeModel):
    observed_generation: int | None = None
    conditions: list[Condition] = Field(default_factory=list)
    last_reconcile_time: KubeTime | None = None
    endpoint: str | None = None


@dataclass
class Facts:
    """What a database controller observed; each gate reads one fact."""

    schema: GateResult = field(default_factory=lambda: GateResult.passed("Valid"))
    volume: GateResult = field(default_factory=lambda: GateResult.passed("Bound"))
    serving: GateResult = field(default_factory=lambda: GateResult.passed("Accepting"))
    backup: GateResult = field(default_factory=lambda: GateResult.passed("Scheduled"))
    calls: list[str] = field(default_factory=list)

    def gate(self, name: str) -> GateResult:
        self.calls.append(name)
        result: GateResult = getattr(self, name)
        return result


def pipeline(**kwargs: object) -> GatePipeline[Facts]:
    gates = [
        Gate("SchemaValid", lambda f: f.gate("schema"), ready_reason="InvalidSchema"),
        Gate("VolumeBound", lambda f: f.gate("volume"), ready_reason="VolumePending"),
        Gate("Serving", lambda f: f.gate("serving"), ready_reason="NotServing"),
        Gate(
            "BackupScheduled",
            lambda f: f.gate("backup"),
            ready_reason="NoBackup",
            blocking=False,
            required=False,
        ),
    ]
    return GatePipeline(gates, **kwargs)  # type: ignore[arg-type]


def run(
    facts: Facts, status: DatabaseStatus | None = None, **kwargs: object
) -> tuple[DatabaseStatus, bool]:
    outcome = pipeline(**kwargs).evaluate(status or DatabaseStatus(), facts, generation=4, now=NOW)
    return outcome.status, outcome.changed


def cond(status: DatabaseStatus, type_: str) -> Condition:
    found = find_condition(status, type_)
    assert found is not None, f"{type_} missing from {status.conditions}"
    return found


def test_all_pass_is_ready_without_kstatus_conditions() -> None:
    status, changed = run(Facts())
    assert changed
    assert (cond(status, "Ready").status, cond(status, "Ready").reason) == (T, "OK")
    assert find_condition(status, "Reconciling") is None
    assert find_condition(status, "Stalled") is None
    assert [c.type for c in status.conditions] == [
        "SchemaValid",
        "VolumeBound",
        "Serving",
        "BackupScheduled",
        "Ready",
    ]


def test_blocking_gate_blocks_later_gates_with_a_message_naming_it() -> None:
    facts = Facts(volume=GateResult.in_progress("Provisioning", "waiting for the CSI driver"))
    status, _ = run(facts)
    assert facts.calls == ["schema", "volume"]
    for later in ("Serving", "BackupScheduled"):
        blocked = cond(status, later)
        assert (blocked.status, blocked.reason) == (U, "Blocked")
        assert "VolumeBound" in blocked.message
    ready = cond(status, "Ready")
    assert (ready.status, ready.reason) == (F, "VolumePending")
    assert "VolumeBound is False (Provisioning): waiting for the CSI driver" in ready.message
    reconciling = cond(status, "Reconciling")
    assert (reconciling.status, reconciling.reason) == (T, "Progressing")


def test_non_required_non_blocking_gate_does_not_affect_ready() -> None:
    status, _ = run(Facts(backup=GateResult.failed("NoTarget")))
    assert cond(status, "BackupScheduled").status is F
    assert cond(status, "Ready").status is T


def test_terminal_failure_is_stalled_not_reconciling() -> None:
    facts = Facts(schema=GateResult.failed("BadVersion", "version 7 unsupported", terminal=True))
    status, _ = run(facts)
    stalled = cond(status, "Stalled")
    assert (stalled.status, stalled.reason) == (T, "BadVersion")
    assert "version 7 unsupported" in stalled.message
    assert find_condition(status, "Reconciling") is None


def test_kstatus_switches() -> None:
    off, _ = run(Facts(volume=GateResult.failed("Lost")), kstatus=False)
    assert find_condition(off, "Reconciling") is None
    assert find_condition(off, "Stalled") is None
    present, _ = run(Facts(), kstatus_present=True)
    assert (cond(present, "Reconciling").status, cond(present, "Reconciling").reason) == (
        F,
        "Succeeded",
    )
    assert cond(present, "Stalled").status is F
    stuck, _ = run(Facts(schema=GateResult.failed("X", terminal=True)), kstatus_present=True)
    assert (cond(stuck, "Reconciling").status, cond(stuck, "Reconciling").reason) == (
        F,
        "TerminalFailure",
    )
    assert cond(stuck, "Stalled").status is T


def test_observed_generation_written_everywhere_even_when_blocked() -> None:
    status, _ = run(Facts(schema=GateResult.failed("Nope")))
    assert status.observed_generation == 4
    assert {c.observed_generation for c in status.conditions} == {4}


def test_unchanged_world_writes_nothing_and_input_is_not_mutated() -> None:
    facts = Facts()
    first, _ = run(facts)
    snapshot = first.model_copy(deep=True)
    outcome = pipeline().evaluate(first, facts, generation=4, now=NOW + timedelta(hours=1))
    assert not outcome.changed
    assert outcome.status == first == snapshot
    assert outcome.transitions == ()
    assert first.last_reconcile_time == NOW


def test_last_reconcile_time_moves_with_changes_or_heartbeat() -> None:
    first, _ = run(Facts())
    later = NOW + timedelta(minutes=10)
    quiet = pipeline().evaluate(first, Facts(), generation=4, now=later)
    assert quiet.status.last_reconcile_time == NOW
    beat = pipeline(heartbeat=timedelta(minutes=5)).evaluate(
        first, Facts(), generation=4, now=later
    )
    assert beat.changed
    assert beat.status.last_reconcile_time == later
    early = pipeline(heartbeat=timedelta(hours=1)).evaluate(first, Facts(), generation=4, now=later)
    assert not early.changed
    moved = pipeline().evaluate(
        first, Facts(serving=GateResult.failed("Down")), generation=4, now=later
    )
    assert moved.status.last_reconcile_time == later


def test_initialize_marks_unseen_gates_not_checked_only() -> None:
    existing = DatabaseStatus(
        conditions=[
            Condition(
                type="SchemaValid",
                status=True,
                reason="Valid",
                last_transition_time=NOW - timedelta(days=1),
            )
        ]
    )
    outcome = pipeline().initialize(existing, generation=1, now=NOW)
    assert cond(outcome.status, "SchemaValid").reason == "Valid"
    for type_ in ("VolumeBound", "Serving", "BackupScheduled"):
        assert (cond(outcome.status, type_).status, cond(outcome.status, type_).reason) == (
            U,
            "NotChecked",
        )
    assert cond(outcome.status, "Ready").status is F


def test_evaluator_exception_is_recorded_and_blocks() -> None:
    def explode(_: Facts) -> GateResult:
        raise ConnectionError("api server unreachable")

    gates = [
        Gate("A", lambda f: GateResult.passed("Fine"), ready_reason="ANotReady"),
        Gate("B", explode, ready_reason="BNotReady"),
        Gate("C", lambda f: GateResult.passed("Fine"), ready_reason="CNotReady"),
    ]
    outcome = GatePipeline(gates).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    assert isinstance(outcome.error, ConnectionError)
    b = cond(outcome.status, "B")
    assert (b.status, b.reason) == (U, "EvaluationFailed")
    assert b.message == "ConnectionError: api server unreachable"
    assert cond(outcome.status, "C").reason == "Blocked"
    assert outcome.blocked_by == "B"


def test_wrong_return_type_raises_and_bad_details_are_evaluation_failures() -> None:
    def wrong(_: Facts) -> object:
        return "yes"

    gates: list[Gate[Facts]] = [Gate("A", wrong, ready_reason="ANotReady")]  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="returned str, not a GateResult"):
        GatePipeline(gates).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    details = [
        Gate(
            "A",
            lambda f: GateResult.passed("Fine", details={"no_such_field": 1}),
            ready_reason="ANotReady",
        )
    ]
    bad = GatePipeline(details).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    assert cond(bad.status, "A").reason == "EvaluationFailed"
    assert "no_such_field" not in bad.status.to_k8s()


def test_details_are_assigned_to_the_status() -> None:
    gates = [
        Gate(
            "Serving",
            lambda f: GateResult.passed("Accepting", details={"endpoint": "db:5432"}),
            ready_reason="NotServing",
        )
    ]
    outcome = GatePipeline(gates).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    assert outcome.status.endpoint == "db:5432"


def test_requeue_after_is_the_smallest_hint() -> None:
    facts = Facts(
        volume=GateResult.passed("Bound"),
        serving=GateResult.in_progress("Starting", requeue_after=timedelta(seconds=20)),
        backup=GateResult.failed("Later", requeue_after=timedelta(seconds=5)),
    )
    outcome = pipeline().evaluate(DatabaseStatus(), facts, generation=1, now=NOW)
    # Serving blocks, so BackupScheduled is never evaluated and its hint does not count.
    assert outcome.requeue_after == timedelta(seconds=20)


def test_foreign_conditions_and_unknown_fields_survive() -> None:
    raw = {
        "conditions": [
            {
                "type": "example.com/Audited",
                "status": "True",
                "reason": "Done",
                "message": "",
                "lastTransitionTime": "2020-01-01T00:00:00Z",
            }
        ],
        "vendorField": {"keep": [1, 2, 3]},
    }
    status = DatabaseStatus.from_k8s(raw)
    outcome = pipeline().evaluate(status, Facts(), generation=1, now=NOW)
    out = outcome.status.to_k8s()
    assert out["vendorField"] == {"keep": [1, 2, 3]}
    assert out["conditions"][0] == raw["conditions"][0]  # type: ignore[index]


def test_transitions_report_status_moves_only() -> None:
    facts = Facts()
    first = pipeline().evaluate(DatabaseStatus(), facts, generation=1, now=NOW)
    assert ("Ready", None, T) in first.transitions
    facts.serving = GateResult.failed("Down")
    second = pipeline().evaluate(first.status, facts, generation=1, now=NOW)
    assert set(second.transitions) == {
        ("Serving", T, F),
        ("BackupScheduled", T, U),
        ("Ready", T, F),
        ("Reconciling", None, T),
    }


def test_async_evaluators() -> None:
    async def slow(_: Facts) -> GateResult:
        await asyncio.sleep(0)
        return GateResult.passed("Fine")

    gates = [
        Gate("A", slow, ready_reason="ANotReady"),
        Gate("B", lambda f: GateResult.passed("Fine"), ready_reason="BNotReady"),
    ]
    async_pipeline = GatePipeline(gates)
    with pytest.raises(TypeError, match="async"):
        async_pipeline.evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    outcome = asyncio.run(
        async_pipeline.aevaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
    )
    assert outcome.ready


def test_sync_evaluator_returning_a_coroutine_is_rejected() -> None:
    async def slow(_: Facts) -> GateResult:
        return GateResult.passed("Fine")

    def sneaky_call(f: Facts) -> object:
        return slow(f)

    sneaky: list[Gate[Facts]] = [Gate("A", sneaky_call, ready_reason="ANotReady")]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="awaitable"):
        GatePipeline(sneaky).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)


@pytest.mark.parametrize(
    ("gates", "match"),
    [
        ([], "at least one gate"),
        (
            [
                Gate("A", lambda f: GateResult.passed("X"), ready_reason="R"),
                Gate("A", lambda f: GateResult.passed("X"), ready_reason="R"),
            ],
            "unique",
        ),
        ([Gate("Ready", lambda f: GateResult.passed("X"), ready_reason="R")], "pipeline itself"),
    ],
)
def test_pipeline_construction_errors(gates: list[Gate[Facts]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        GatePipeline(gates)


def test_bad_inputs_raise_typed_errors() -> None:
    with pytest.raises(StatusValidationError, match="now"):
        pipeline().evaluate(DatabaseStatus(), Facts(), generation=1, now=datetime(2026, 1, 1))
    with pytest.raises(StatusValidationError, match="generation"):
        pipeline().evaluate(DatabaseStatus(), Facts(), generation=-1, now=NOW)
    with pytest.raises(StatusValidationError):
        GateResult.passed("not a reason!")
    with pytest.raises(StatusValidationError, match="terminal"):
        GateResult(ConditionStatus.TRUE, "Fine", terminal=True)
    with pytest.raises(StatusValidationError, match="requeue"):
        GateResult.in_progress("Wait", requeue_after=timedelta(seconds=-1))
    with pytest.raises(StatusValidationError):
        Gate("bad type!", lambda f: GateResult.passed("X"), ready_reason="R")


# ------------------------------------------------------- paths the suite did not reach


class BareStatus(KubeModel):
    """A status with conditions only: no observedGeneration, no phase."""

    conditions: list[Condition] = Field(default_factory=list)


class NoConditionsStatus(KubeModel):
    endpoint: str | None = None


def _one_gate(**kwargs: object) -> GatePipeline[Facts]:
    gate = Gate("A", lambda f: GateResult.passed("Fine"), ready_reason="ANotReady")
    return GatePipeline([gate], **kwargs)  # type: ignore[arg-type]


def test_a_status_without_observed_generation_still_gets_conditions() -> None:
    outcome = _one_gate().evaluate(BareStatus(), Facts(), generation=3, now=NOW)
    body = outcome.status.to_k8s()
    assert "observedGeneration" not in body  # no field to record it in
    assert [(c["type"], c["observedGeneration"]) for c in body["conditions"]] == [
        ("A", 3),
        ("Ready", 3),
    ]
    assert outcome.needs_write is outcome.changed is True
    assert outcome.log_fields()["generation"] is None


def test_a_status_without_a_conditions_list_is_refused() -> None:
    with pytest.raises(TypeError, match=r"^NoConditionsStatus has no 'conditions' list$"):
        _one_gate().evaluate(NoConditionsStatus(), Facts(), generation=1, now=NOW)


@pytest.mark.parametrize("heartbeat", [timedelta(0), timedelta(seconds=-1)])
def test_heartbeat_must_be_positive(heartbeat: timedelta) -> None:
    with pytest.raises(ValueError, match=r"^heartbeat must be positive$"):
        _one_gate(heartbeat=heartbeat)


def test_a_gate_evaluator_must_be_callable() -> None:
    with pytest.raises(TypeError, match=r"^gate A: evaluate must be callable$"):
        Gate("A", "not a function", ready_reason="ANotReady")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Stage:
    """A phase that is neither an enum nor a JSON scalar."""

    name: str

    def __str__(self) -> str:
        return f"stage {self.name}"


class StagedStatus(KubeModel):
    conditions: list[Condition] = Field(default_factory=list)
    phase: Stage | None = None


def test_log_fields_give_a_phase_that_is_not_json_as_text() -> None:
    staged = _one_gate(phase=lambda conditions: Stage("two"))
    outcome = staged.evaluate(StagedStatus(), Facts(), generation=1, now=NOW)
    assert outcome.phase == Stage("two")
    assert outcome.log_fields()["phase"] == "stage two"


class _Reason(Enum):
    """A plain (not str) enum: accepted by its str value, never memoised."""

    FINE = "Fine"


class _Text(str):
    """A str subclass: stored as the plain str."""


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (lambda: GateResult("True", "Fine"), (T, "Fine", "")),  # type: ignore[arg-type]
        (lambda: GateResult(False, "Broken"), (F, "Broken", "")),  # type: ignore[arg-type]
        (lambda: GateResult(T, _Reason.FINE), (T, "Fine", "")),  # type: ignore[arg-type]
        (lambda: GateResult(T, "Fine", _Text("hi")), (T, "Fine", "hi")),
        (lambda: GateResult.passed(_Reason.FINE, _Text("hi")), (T, "Fine", "hi")),
        (lambda: GateResult.unknown(_Text("Unsure")), (U, "Unsure", "")),
    ],
)
def test_gate_result_normalises_its_values(
    made: Callable[[], GateResult], expected: tuple[ConditionStatus, str, str]
) -> None:
    result = made()
    assert (result.status, result.reason, result.message) == expected
    assert type(result.status) is ConditionStatus
    assert type(result.reason) is str and type(result.message) is str
    assert result.ok is (expected[0] is T)


def test_only_plain_str_and_str_enum_reasons_are_memoised() -> None:
    from gittarget_status.gates import _result

    GateResult.passed(_Reason.FINE)
    GateResult.passed(_Text("Unmemoised"))
    assert _Reason.FINE not in _result._KNOWN
    assert "Unmemoised" not in _result._KNOWN
    GateResult.passed("MemoisedPlain")
    assert _result._KNOWN["MemoisedPlain"] == "MemoisedPlain"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("yes", "Fine"), "status must be one of 'True', 'False', 'Unknown' or a bool, got 'yes'"),
        ((T, 42), "reason must be a string, got int"),
        ((T, "Fine", 5), "message must be a string, got int"),
    ],
)
def test_gate_result_refuses_values_naming_them(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(StatusValidationError) as raised:
        GateResult(*args)  # type: ignore[arg-type]
    assert [(e.path, e.message) for e in raised.value.errors] == [("GateResult", message)]


def test_gate_result_ok_is_true_only_for_true() -> None:
    assert GateResult.passed("Fine").ok
    assert not GateResult.failed("Broken").ok
    assert not GateResult.in_progress("Starting").ok
    assert not GateResult.unknown("Unsure").ok


def _raise_usage_error(_: Facts) -> GateResult:
    raise UsageError("the controller passed the wrong context")


async def _araise_usage_error(_: Facts) -> GateResult:
    raise UsageError("the controller passed the wrong context")


@pytest.mark.parametrize(
    ("evaluator", "asynchronous"),
    [(_raise_usage_error, False), (_raise_usage_error, True), (_araise_usage_error, True)],
    ids=["sync-evaluate", "sync-aevaluate", "async-aevaluate"],
)
def test_a_usage_error_in_an_evaluator_is_raised_not_recorded(
    evaluator: Callable[[Facts], Any], asynchronous: bool
) -> None:
    pipe = GatePipeline([Gate("A", evaluator, ready_reason="ANotReady")])

    def one_pass() -> object:
        if asynchronous:
            return asyncio.run(pipe.aevaluate(DatabaseStatus(), Facts(), generation=1, now=NOW))
        return pipe.evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)

    with pytest.raises(UsageError, match=r"^the controller passed the wrong context$"):
        one_pass()


class _Awaitable:
    """An awaitable that is not a coroutine (a future-like object)."""

    def __await__(self) -> Generator[None, None, GateResult]:
        yield None
        return GateResult.passed("Fine")


def test_a_sync_evaluator_returning_a_non_coroutine_awaitable_is_rejected() -> None:
    gates: list[Gate[Facts]] = [Gate("A", lambda f: _Awaitable(), ready_reason="ANotReady")]
    with pytest.raises(
        UsageError, match=r"^gate A returned an awaitable; use 'await aevaluate\(\.\.\.\)'$"
    ):
        GatePipeline(gates).evaluate(DatabaseStatus(), Facts(), generation=1, now=NOW)
