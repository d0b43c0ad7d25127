"""The lifecycle as a state machine: random world events, spec edits, time, foreign writers.

Every default invariant is checked after every pass, plus idempotence (a second pass over
the unchanged world, later, changes nothing). The same machine is offered to users in
``gittarget_status.testing.stateful``; these tests run it as a user would, in variants.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test
from pydantic import BaseModel

from gittarget_status import (
    Condition,
    Gate,
    GatePipeline,
    GateResult,
    GitTargetStatus,
    ReconcileOutcome,
    UsageError,
    derive_phase,
    gittarget_pipeline,
    initialize_gittarget,
)
from gittarget_status.gittarget import _gates
from gittarget_status.testing import DEMO_EPOCH, StatusContract
from gittarget_status.testing.stateful import GatePipelineMachine, GitTargetLifecycleMachine

_PROFILE = settings.default or settings()


def _machine_settings(share: int) -> settings:
    """A ``share`` of the profile's examples (each example is a whole run of passes)."""
    return settings(
        max_examples=max(10, _PROFILE.max_examples // share),
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


TestGitTargetLifecycle = GitTargetLifecycleMachine.TestCase
TestGitTargetLifecycle.settings = _machine_settings(4)


class AsyncLifecycleMachine(GitTargetLifecycleMachine):
    """The same lifecycle through ``areconcile_gittarget`` and the async ports."""

    asynchronous = True


TestAsyncLifecycle = AsyncLifecycleMachine.TestCase
TestAsyncLifecycle.settings = _machine_settings(16)


class KstatusPresentMachine(GitTargetLifecycleMachine):
    """Reconciling/Stalled kept present as False: Flux's 'only one present' rule is off."""

    ignored_rules: ClassVar[tuple[str, ...]] = ("reconciling-stalled-not-both-present",)

    def make_pipeline(self) -> Any:
        return gittarget_pipeline(kstatus_present=True)


TestKstatusPresent = KstatusPresentMachine.TestCase
TestKstatusPresent.settings = _machine_settings(16)


class HeartbeatMachine(GitTargetLifecycleMachine):
    """lastReconcileTime heartbeat every 10 minutes; still no churn within it.

    The idempotence pass runs at the same instant: a second later the heartbeat may be due
    (found by hypothesis: 599 s, then a pass 1 s later moved lastReconcileTime), and a due
    heartbeat is a wanted write, not churn.
    """

    idempotence_delay = timedelta(0)

    def make_pipeline(self) -> Any:
        return gittarget_pipeline(heartbeat=timedelta(minutes=10))


TestHeartbeat = HeartbeatMachine.TestCase
TestHeartbeat.settings = _machine_settings(16)


class NoKstatusMachine(GitTargetLifecycleMachine):
    """Without Reconciling/Stalled; the contract follows the pipeline."""

    def make_pipeline(self) -> Any:
        return gittarget_pipeline(kstatus=False)


TestNoKstatus = NoKstatusMachine.TestCase
TestNoKstatus.settings = _machine_settings(16)


def test_initialize_accepts_the_controllers_pipeline() -> None:
    pipeline = gittarget_pipeline(kstatus=False)
    outcome = initialize_gittarget(None, generation=1, now=DEMO_EPOCH, pipeline=pipeline)
    assert outcome.status.condition("Reconciling") is None


# --- a user's own gates: the documented way to subclass ----------------------------------


class ChartStatus(GitTargetStatus):
    """Users bring their own status model; any pydantic model with ``conditions`` works."""


class ChartMachine(GatePipelineMachine):
    """Two gates of a made-up controller; rules flip the world they observe."""

    def __init__(self) -> None:
        self.world = {"fetched": False, "lint": "ok"}
        self.pipeline: GatePipeline[dict[str, Any]] = GatePipeline(
            [
                Gate("Fetched", self._fetched, ready_reason="NotFetched"),
                Gate(
                    "Linted",
                    self._linted,
                    ready_reason="LintFailed",
                    blocking=False,
                    required=False,
                ),
            ]
        )
        super().__init__()

    @staticmethod
    def _fetched(world: dict[str, Any]) -> GateResult:
        if world["fetched"]:
            return GateResult.passed("Fetched")
        return GateResult.in_progress("Fetching", requeue_after=timedelta(seconds=5))

    @staticmethod
    def _linted(world: dict[str, Any]) -> GateResult:
        if world["lint"] == "ok":
            return GateResult.passed("Clean")
        return GateResult.failed("Invalid", "chart is invalid", terminal=True)

    def make_status(self) -> ChartStatus:
        return ChartStatus()

    def make_contract(self) -> StatusContract:
        return StatusContract.for_pipeline(self.pipeline, terminal_reasons={"Invalid"})

    def run_initialize(
        self, status: Any, *, generation: int, now: datetime
    ) -> ReconcileOutcome[Any]:
        return self.pipeline.initialize(status, generation=generation, now=now)

    def run_pass(self, status: Any, *, generation: int, now: datetime) -> ReconcileOutcome[Any]:
        return self.pipeline.evaluate(status, self.world, generation=generation, now=now)

    @rule(fetched=st.booleans())
    def fetch(self, fetched: bool) -> None:
        self.world["fetched"] = fetched

    @rule(lint=st.sampled_from(["ok", "bad"]))
    def lint(self, lint: str) -> None:
        self.world["lint"] = lint


TestChartLifecycle = ChartMachine.TestCase
TestChartLifecycle.settings = _machine_settings(16)


# --- the machine catches bugs -------------------------------------------------------------


class ChurningMachine(GitTargetLifecycleMachine):
    """A buggy controller: its Validated message contains the time of the pass."""

    def make_pipeline(self) -> Any:
        pipeline = gittarget_pipeline()

        def validated(ctx: _gates.GitTargetContext) -> GateResult:
            return GateResult.passed("OK", f"checked at {ctx.now.isoformat()}")

        return GatePipeline(
            [Gate("Validated", validated, ready_reason="ValidationFailed"), *pipeline.gates[1:]],
            phase=derive_phase,
        )


def test_the_machine_catches_churn() -> None:
    with pytest.raises(AssertionError, match="a second pass over an unchanged world changed"):
        run_state_machine_as_test(
            ChurningMachine,
            settings=settings(max_examples=50, database=None, deadline=None, print_blob=False),
        )


# --- the generic machine drives a pipeline itself, sync or async ---------------------------

#: Which entry point each pass of the machines below went through.
_calls: list[str] = []


def _ready_sync(world: dict[str, bool]) -> GateResult:
    _calls.append("sync")
    return GateResult.passed("Up") if world["up"] else GateResult.failed("Down")


async def _ready_async(world: dict[str, bool]) -> GateResult:
    _calls.append("async")
    return GateResult.passed("Up") if world["up"] else GateResult.failed("Down")


class ServiceMachine(GatePipelineMachine):
    """Only the pipeline and the context: contract, initialize and passes are the machine's."""

    evaluator: ClassVar[Any] = staticmethod(_ready_sync)

    def __init__(self) -> None:
        self.world = {"up": False}
        super().__init__()

    def make_pipeline(self) -> GatePipeline[dict[str, bool]]:
        return GatePipeline([Gate("Serving", self.evaluator, ready_reason="NotServing")])

    def make_status(self) -> GitTargetStatus:
        return GitTargetStatus()

    def make_context(self) -> dict[str, bool]:
        return self.world

    @rule(up=st.booleans())
    def flip(self, up: bool) -> None:
        self.world["up"] = up


class AsyncServiceMachine(ServiceMachine):
    evaluator = staticmethod(_ready_async)


class ForcedAsyncServiceMachine(ServiceMachine):
    asynchronous = True  # plain evaluators through aevaluate


class ForcedSyncServiceMachine(AsyncServiceMachine):
    asynchronous = False  # evaluate refuses async gates


@pytest.mark.parametrize(
    ("machine", "mode", "calls"),
    [
        (ServiceMachine, False, {"sync"}),
        (AsyncServiceMachine, True, {"async"}),
        (ForcedAsyncServiceMachine, True, {"sync"}),
    ],
    ids=["sync", "async", "forced-async"],
)
def test_the_machine_drives_the_pipeline_sync_or_async(
    machine: type[ServiceMachine], mode: bool, calls: set[str]
) -> None:
    one = machine()
    assert one.runs_async is mode
    assert one.contract.gate_types == ("Serving",)
    _calls.clear()
    one.new_object()
    one.flip(up=True)
    one.reconcile()  # a pass and the idempotence pass
    assert _calls == [*calls, *calls] and one.outcome is not None and one.outcome.ready
    run_state_machine_as_test(machine, settings=_machine_settings(8))
    assert set(_calls) == calls


def test_the_machine_refuses_async_gates_in_sync_mode() -> None:
    machine = ForcedSyncServiceMachine()
    assert not machine.runs_async
    machine.new_object()  # initialize evaluates nothing
    with pytest.raises(UsageError, match=r"are async; use .await pipeline\.aevaluate"):
        machine.reconcile()


def test_a_machine_without_a_pipeline_says_which_hook_is_missing() -> None:
    class Bare(GatePipelineMachine):
        def make_status(self) -> GitTargetStatus:
            return GitTargetStatus()

    with pytest.raises(NotImplementedError, match="make_pipeline, or a contract"):
        Bare()


# --- the hooks a subclass must implement say so; the machine's own edge paths -------------


class _NoHooks(GatePipelineMachine):
    """The bare machine with a contract, so that construction gets past make_contract."""

    def make_status(self) -> GitTargetStatus:
        return GitTargetStatus()

    def make_contract(self) -> StatusContract:
        return StatusContract.for_pipeline(gittarget_pipeline())


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (lambda m: GatePipelineMachine.make_status(m), "return the status of a new object"),
        (lambda m: m.make_context(), "return what the pipeline's gates evaluate on this pass"),
        (
            lambda m: m.run_pass(m.status, generation=1, now=DEMO_EPOCH),
            "return a pipeline from make_pipeline, or run a pass",
        ),
    ],
    ids=["make_status", "make_context", "run_pass"],
)
def test_each_unimplemented_hook_names_what_to_return(hook: Any, message: str) -> None:
    machine = _NoHooks()
    with pytest.raises(NotImplementedError, match=re.escape(message)):
        hook(machine)


class _PlainStatus(BaseModel):
    """A status without ``to_k8s``/``from_k8s``: the JSON round trip is skipped."""

    observed_generation: int | None = None
    conditions: list[Condition] = []


class _OwnPassMachine(GatePipelineMachine):
    """No pipeline: its own contract and passes, no first write."""

    def make_status(self) -> _PlainStatus:
        return _PlainStatus()

    def make_contract(self) -> StatusContract:
        return StatusContract.for_pipeline(
            GatePipeline([Gate("Up", _ready_sync, ready_reason="Down")], kstatus=False)
        )

    def run_pass(self, status: Any, *, generation: int, now: datetime) -> ReconcileOutcome[Any]:
        pipeline = GatePipeline([Gate("Up", _ready_sync, ready_reason="Down")], kstatus=False)
        return pipeline.evaluate(status, {"up": True}, generation=generation, now=now)


def test_a_machine_without_a_pipeline_has_no_first_write() -> None:
    machine = _OwnPassMachine()
    assert machine.run_initialize(machine.status, generation=1, now=DEMO_EPOCH) is None
    first = machine.status
    machine.new_object()  # nothing to initialize: the status is the new object's
    assert machine.status is first
    machine.reconcile()
    assert machine.outcome is not None and machine.outcome.ready
    ready = machine.status
    machine.api_round_trip()  # no JSON round trip on this model: left as it is
    assert machine.status is ready


def test_the_machine_compares_non_model_statuses_as_they_are() -> None:
    from gittarget_status.testing._pipeline_machine import _json

    status: dict[str, list[Any]] = {"conditions": []}
    assert _json(status) is status
    dumped = _json(GitTargetStatus(observed_generation=2))
    assert dumped["observedGeneration"] == 2 and "observed_generation" not in dumped


def test_a_spec_edit_to_the_same_spec_keeps_the_generation() -> None:
    machine = GitTargetLifecycleMachine()
    machine.spec_edited(spec=machine.spec, then_reconcile=False)
    assert machine.generation == 1
    edited = machine.spec.model_copy(update={"path": "elsewhere"})
    machine.spec_edited(spec=edited, then_reconcile=False)
    assert machine.spec == edited
    assert machine.generation == 2
