"""Plan 7.2: the reconcile gate scenarios, table-driven, through the sync and async APIs."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Generator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gittarget_status import (
    ConditionStatus,
    GitTargetSpec,
    GitTargetStatus,
    Phase,
    ReconcileOutcome,
    StatusValidationError,
    UsageError,
    areconcile_gittarget,
    derive_phase,
    find_condition,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import FakeGitTargetWorld, demo_spec

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN
GATES = ("Validated", "EncryptionConfigured", "Bootstrapped", "SnapshotSynced", "EventStreamLive")
BLOCKED = (U, "Blocked")


@dataclass(frozen=True)
class Case:
    name: str
    world: dict[str, Any]
    gates: tuple[tuple[ConditionStatus, str], ...]
    ready: str
    phase: Phase
    reconciling: bool = True
    stalled: str | None = None
    spec: GitTargetSpec = field(default_factory=demo_spec)


CASES = [
    Case(
        "happy path",
        {},
        ((T, "OK"), (T, "OK"), (T, "BootstrapApplied"), (T, "Completed"), (T, "Registered")),
        ready="OK",
        phase=Phase.RUNNING,
        reconciling=False,
    ),
    Case(
        "provider missing",
        {"provider_exists": False},
        ((F, "ProviderNotFound"), BLOCKED, BLOCKED, BLOCKED, BLOCKED),
        ready="ValidationFailed",
        phase=Phase.BOOTSTRAPPING,
    ),
    Case(
        "secret missing, creation disabled",
        {"secret_exists": False, "secret_creation_allowed": False},
        ((T, "OK"), (F, "SecretCreateDisabled"), BLOCKED, BLOCKED, BLOCKED),
        ready="EncryptionNotConfigured",
        phase=Phase.BOOTSTRAPPING,
        spec=demo_spec(generate_when_missing=True),
    ),
    Case(
        "secret missing, generateWhenMissing=false",
        {"secret_exists": False},
        ((T, "OK"), (F, "MissingSecret"), BLOCKED, BLOCKED, BLOCKED),
        ready="EncryptionNotConfigured",
        phase=Phase.BOOTSTRAPPING,
    ),
    Case(
        "secret missing, created by the controller",
        {"secret_exists": False},
        ((T, "OK"), (T, "OK"), (T, "BootstrapApplied"), (T, "Completed"), (T, "Registered")),
        ready="OK",
        phase=Phase.RUNNING,
        reconciling=False,
        spec=demo_spec(generate_when_missing=True),
    ),
    Case(
        "encryption disabled",
        {"secret_exists": False},
        (
            (T, "OK"),
            (T, "NotRequired"),
            (T, "BootstrapApplied"),
            (T, "Completed"),
            (T, "Registered"),
        ),
        ready="OK",
        phase=Phase.RUNNING,
        reconciling=False,
        spec=demo_spec(encrypted=False),
    ),
    Case(
        "invalid recipients (terminal)",
        {"recipients_valid": False},
        ((T, "OK"), (F, "InvalidRecipients"), BLOCKED, BLOCKED, BLOCKED),
        ready="EncryptionNotConfigured",
        phase=Phase.ERROR,
        reconciling=False,
        stalled="InvalidRecipients",
    ),
    Case(
        "no recipients (terminal)",
        {"recipients": ()},
        ((T, "OK"), (F, "InvalidRecipients"), BLOCKED, BLOCKED, BLOCKED),
        ready="EncryptionNotConfigured",
        phase=Phase.ERROR,
        reconciling=False,
        stalled="InvalidRecipients",
    ),
    Case(
        "worker missing",
        {"worker_available": False},
        ((T, "OK"), (T, "OK"), (F, "WorkerNotFound"), BLOCKED, BLOCKED),
        ready="BootstrapNotComplete",
        phase=Phase.BOOTSTRAPPING,
    ),
    Case(
        "bootstrap fails",
        {"bootstrap_fails": True},
        ((T, "OK"), (T, "OK"), (F, "BootstrapFailed"), BLOCKED, BLOCKED),
        ready="BootstrapNotComplete",
        phase=Phase.BOOTSTRAPPING,
    ),
    Case(
        "bootstrap not needed",
        {"bootstrap_commit": None},
        ((T, "OK"), (T, "OK"), (T, "BootstrapNotNeeded"), (T, "Completed"), (T, "Registered")),
        ready="OK",
        phase=Phase.RUNNING,
        reconciling=False,
    ),
    Case(
        "snapshot running",
        {"snapshot_state": "running"},
        ((T, "OK"), (T, "OK"), (T, "BootstrapApplied"), (F, "Running"), BLOCKED),
        ready="InitialSyncInProgress",
        phase=Phase.SYNCING,
    ),
    Case(
        "snapshot failed",
        {"snapshot_state": "failed"},
        ((T, "OK"), (T, "OK"), (T, "BootstrapApplied"), (F, "SnapshotFailed"), BLOCKED),
        ready="InitialSyncInProgress",
        phase=Phase.SYNCING,
    ),
    Case(
        "stream registration fails",
        {"stream_registration_fails": True},
        (
            (T, "OK"),
            (T, "OK"),
            (T, "BootstrapApplied"),
            (T, "Completed"),
            (F, "RegistrationFailed"),
        ),
        ready="StreamNotLive",
        phase=Phase.SYNCING,
    ),
    Case(
        "branch not allowed (terminal)",
        {"branch_allowed": False},
        ((F, "BranchNotAllowed"), BLOCKED, BLOCKED, BLOCKED, BLOCKED),
        ready="ValidationFailed",
        phase=Phase.ERROR,
        reconciling=False,
        stalled="BranchNotAllowed",
    ),
    Case(
        "target conflict (terminal)",
        {"conflicting_target": "other"},
        ((F, "TargetConflict"), BLOCKED, BLOCKED, BLOCKED, BLOCKED),
        ready="ValidationFailed",
        phase=Phase.ERROR,
        reconciling=False,
        stalled="TargetConflict",
    ),
    Case(
        "evaluator raises",
        {"raise_in": "ensure_worker"},
        ((T, "OK"), (T, "OK"), (U, "EvaluationFailed"), BLOCKED, BLOCKED),
        ready="BootstrapNotComplete",
        phase=Phase.BOOTSTRAPPING,
    ),
]


def _run_sync(case: Case, world: FakeGitTargetWorld) -> ReconcileOutcome[GitTargetStatus]:
    return reconcile_gittarget(case.spec, None, world, generation=3, now=NOW)


def _run_async(case: Case, world: FakeGitTargetWorld) -> ReconcileOutcome[GitTargetStatus]:
    coro = areconcile_gittarget(case.spec, None, world.async_ports, generation=3, now=NOW)
    return asyncio.run(coro)


def _run_async_plain(case: Case, world: FakeGitTargetWorld) -> ReconcileOutcome[GitTargetStatus]:
    """The async API with plain ports: each answer is used as it is, never awaited."""
    coro = areconcile_gittarget(case.spec, None, world, generation=3, now=NOW)
    return asyncio.run(coro)


@pytest.mark.parametrize(
    "run", [_run_sync, _run_async, _run_async_plain], ids=["sync", "async", "async-plain-ports"]
)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scenario(case: Case, run: object) -> None:
    assert callable(run)
    world = replace(FakeGitTargetWorld(), **case.world)
    outcome: ReconcileOutcome[GitTargetStatus] = run(case, world)
    status = outcome.status

    observed = tuple(_status_reason(status, gate) for gate in GATES)
    assert observed == case.gates
    ready = find_condition(status, "Ready")
    assert ready is not None
    assert (ready.status, ready.reason) == (T if case.ready == "OK" else F, case.ready)
    assert outcome.ready is (case.ready == "OK")
    assert status.phase is case.phase is outcome.phase
    assert status.phase is derive_phase(status)
    assert (find_condition(status, "Reconciling") is not None) is case.reconciling
    stalled = find_condition(status, "Stalled")
    assert (None if stalled is None else stalled.reason) == case.stalled
    assert outcome.stalled is (case.stalled is not None)
    # observedGeneration strategy: after every pass, even a blocked one.
    assert status.observed_generation == 3
    assert all(c.observed_generation == 3 for c in status.conditions)
    assert (outcome.error is not None) is (case.world.get("raise_in") is not None)
    # No churn: the same world again writes nothing.
    again = reconcile_gittarget(
        case.spec, status, replace(world), generation=3, now=NOW + timedelta(minutes=5)
    )
    assert not again.changed
    assert again.status == status


def _status_reason(status: GitTargetStatus, type_: str) -> tuple[ConditionStatus, str]:
    condition = find_condition(status, type_)
    assert condition is not None, f"{type_} missing"
    return condition.status, condition.reason


def test_ready_message_points_at_the_first_failing_gate() -> None:
    world = FakeGitTargetWorld(worker_available=False)
    status = reconcile_gittarget(demo_spec(), None, world, generation=1, now=NOW).status
    ready = find_condition(status, "Ready")
    assert ready is not None
    assert ready.message.startswith("Bootstrapped is False (WorkerNotFound)")
    blocked = find_condition(status, "SnapshotSynced")
    assert blocked is not None
    assert "Bootstrapped" in blocked.message


def test_evaluator_failure_keeps_everything_else() -> None:
    world = FakeGitTargetWorld()
    first = reconcile_gittarget(demo_spec(), None, world, generation=1, now=NOW).status
    world.raise_in = "poll_snapshot"
    later = NOW + timedelta(minutes=1)
    outcome = reconcile_gittarget(demo_spec(), first, world, generation=1, now=later)
    assert isinstance(outcome.error, RuntimeError)
    snapshot = find_condition(outcome.status, "SnapshotSynced")
    assert snapshot is not None
    assert (snapshot.status, snapshot.reason) == (U, "EvaluationFailed")
    assert "RuntimeError: injected failure in poll_snapshot" in snapshot.message
    # Details recorded earlier survive; earlier gates keep their transition time.
    assert outcome.status.snapshot == first.snapshot
    assert outcome.status.worker_ref == first.worker_ref
    validated_before = find_condition(first, "Validated")
    validated_after = find_condition(outcome.status, "Validated")
    assert validated_before is not None and validated_after is not None
    assert validated_after.last_transition_time == validated_before.last_transition_time


def test_spec_and_status_accept_api_server_json() -> None:
    spec_json = {
        "providerRef": {"name": "github-prod"},
        "branch": "main",
        "path": "clusters/prod",
        "encryption": {"provider": "sops", "secretRef": {"name": "s"}, "generateWhenMissing": True},
    }
    first = reconcile_gittarget(spec_json, {}, FakeGitTargetWorld(), generation=1, now=NOW)
    assert first.ready
    second = reconcile_gittarget(
        spec_json, first.status.to_k8s(), FakeGitTargetWorld(), generation=1, now=NOW
    )
    assert not second.changed


def test_disconnect_after_running_is_degraded_and_recovers() -> None:
    world = FakeGitTargetWorld()
    running = reconcile_gittarget(demo_spec(), None, world, generation=1, now=NOW)
    assert running.phase is Phase.RUNNING
    world.stream_connected = False
    dropped = reconcile_gittarget(
        demo_spec(), running.status, world, generation=1, now=NOW + timedelta(minutes=1)
    )
    assert dropped.phase is Phase.DEGRADED
    assert _status_reason(dropped.status, "EventStreamLive") == (F, "Disconnected")
    assert ("Ready", T, F) in dropped.transitions
    assert dropped.status.stream is not None and dropped.status.stream.status == "Disconnected"
    world.stream_connected = True
    back = reconcile_gittarget(
        demo_spec(), dropped.status, world, generation=1, now=NOW + timedelta(minutes=2)
    )
    assert back.phase is Phase.RUNNING
    assert back.status.stream is not None and running.status.stream is not None
    assert back.status.stream.registered_time == running.status.stream.registered_time


@pytest.mark.parametrize(
    ("world", "problem"),
    [
        ({"recipients": ()}, "no recipients"),
        ({"recipients_valid": False}, "not an age recipient: 'not-a-recipient'"),
    ],
)
def test_invalid_recipients_say_what_is_wrong(world: dict[str, Any], problem: str) -> None:
    outcome = reconcile_gittarget(
        demo_spec(), None, FakeGitTargetWorld(**world), generation=1, now=NOW
    )
    encryption = find_condition(outcome.status, "EncryptionConfigured")
    assert encryption is not None
    assert encryption.message == f"Secret 'gittarget-sops': {problem}"


# ------------------------------------------------------------------ programming errors


class _SubSpec(GitTargetSpec):
    pass


class _SubStatus(GitTargetStatus):
    pass


def test_spec_and_status_subclasses_are_accepted_as_they_are() -> None:
    spec = _SubSpec.model_validate(demo_spec().model_dump())
    outcome = reconcile_gittarget(spec, _SubStatus(), FakeGitTargetWorld(), generation=1, now=NOW)
    assert outcome.ready
    assert type(outcome.status) is _SubStatus
    first = initialize_gittarget(_SubStatus(), generation=1, now=NOW)
    assert type(first.status) is _SubStatus and first.phase is Phase.PENDING


@pytest.mark.parametrize(
    ("spec", "status", "path", "message"),
    [
        (42, None, "spec", "expected a GitTargetSpec, got 42"),
        (demo_spec(), 42, "status", "expected a GitTargetStatus, got 42"),
        (demo_spec(), [1], "status", "expected a GitTargetStatus, got [1]"),
    ],
)
def test_a_spec_or_status_of_another_type_is_refused_naming_it(
    spec: Any, status: Any, path: str, message: str
) -> None:
    with pytest.raises(StatusValidationError) as raised:
        reconcile_gittarget(spec, status, FakeGitTargetWorld(), generation=1, now=NOW)
    assert [(e.path, e.message) for e in raised.value.errors] == [(path, message)]
    if path == "status":
        with pytest.raises(StatusValidationError) as again:
            initialize_gittarget(status, generation=1, now=NOW)
        assert [(e.path, e.message) for e in again.value.errors] == [(path, message)]


class _HalfAsyncWorld(FakeGitTargetWorld):
    async def lookup_provider(self, spec: object) -> bool:  # type: ignore[override]
        return True


def test_ports_fixed_by_an_instance_override_do_not_vouch_for_their_class() -> None:
    fixed: Any = _HalfAsyncWorld()
    fixed.lookup_provider = lambda spec: True
    assert reconcile_gittarget(demo_spec(), None, fixed, generation=1, now=NOW).ready
    # The class itself still has an async port: the next plain instance is checked again.
    plain: Any = _HalfAsyncWorld()
    with pytest.raises(UsageError, match=r"^_HalfAsyncWorld has async ports \(lookup_provider\)"):
        reconcile_gittarget(demo_spec(), None, plain, generation=1, now=NOW)


class _Pending:
    """An awaitable that is not a coroutine."""

    def __await__(self) -> Generator[None, None, None]:
        yield None


async def _no_secret(spec: object) -> None:
    return None


@pytest.mark.parametrize("coroutine", [True, False], ids=["coroutine", "awaitable"])
def test_a_sync_port_returning_an_awaitable_is_refused(coroutine: bool) -> None:
    made: list[object] = []

    def read_encryption_secret(spec: object) -> object:
        answer = _no_secret(spec) if coroutine else _Pending()
        made.append(answer)
        return answer

    world = FakeGitTargetWorld()
    world.read_encryption_secret = read_encryption_secret  # type: ignore[assignment, method-assign]
    with pytest.raises(
        UsageError, match=r"^port read_encryption_secret is async; use areconcile_gittarget$"
    ):
        reconcile_gittarget(demo_spec(), None, world, generation=1, now=NOW)
    assert world.calls == ["lookup_provider", "check_branch", "find_conflicting_target"]
    [answer] = made
    if coroutine:  # closed, so no "never awaited" warning
        assert inspect.getcoroutinestate(answer) == inspect.CORO_CLOSED  # type: ignore[arg-type]
