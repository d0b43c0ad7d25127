"""Named lifecycle scenarios on the fake world: the ``demo`` command's script.

The CLI owns them; ``gittarget_status.testing`` re-exports ``SCENARIOS`` and its types
(loaded on first use) because tests use the same passes as tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from gittarget_status.gates import ReconcileOutcome
from gittarget_status.gittarget import (
    GitTargetSpec,
    GitTargetStatus,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

__all__ = ["SCENARIOS", "PassRecord", "Scenario", "ScenarioStep"]

_NO_CHANGES: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class ScenarioStep:
    """Change the world (and optionally the spec, bumping the generation), then reconcile."""

    label: str
    world: Mapping[str, Any] = field(default_factory=lambda: _NO_CHANGES)
    spec: GitTargetSpec | None = None


@dataclass(frozen=True)
class PassRecord:
    number: int
    label: str
    now: datetime
    generation: int
    outcome: ReconcileOutcome[GitTargetStatus]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    steps: tuple[ScenarioStep, ...]
    world: Mapping[str, Any] = field(default_factory=lambda: _NO_CHANGES)
    spec: GitTargetSpec = field(default_factory=demo_spec)

    def new_world(self) -> FakeGitTargetWorld:
        return replace(FakeGitTargetWorld(), **self.world)

    def run(
        self, *, start: datetime = DEMO_EPOCH, interval: timedelta = timedelta(seconds=30)
    ) -> Iterator[PassRecord]:
        """Pass 0 initialises a new object; each step then changes the world and reconciles."""
        world, spec, generation = self.new_world(), self.spec, 1
        outcome = initialize_gittarget(None, generation=generation, now=start)
        yield PassRecord(0, "new GitTarget", start, generation, outcome)
        for number, step in enumerate(self.steps, start=1):
            for name, value in step.world.items():
                setattr(world, name, value)
            if step.spec is not None and step.spec != spec:
                spec, generation = step.spec, generation + 1
            now = start + interval * number
            outcome = reconcile_gittarget(
                spec, outcome.status, world, generation=generation, now=now
            )
            yield PassRecord(number, step.label, now, generation, outcome)


def _scenario(name: str, description: str, *steps: ScenarioStep, **kwargs: Any) -> Scenario:
    return Scenario(name, description, tuple(steps), **kwargs)


def _one_pass(name: str, description: str, world: Mapping[str, Any], **kwargs: Any) -> Scenario:
    """A scenario of one reconcile pass in a world that deviates from the happy path."""
    return _scenario(name, description, ScenarioStep("reconcile"), world=world, **kwargs)


_STEADY = ScenarioStep("nothing happened (no write expected)")

SCENARIOS: Mapping[str, Scenario] = MappingProxyType(
    {
        s.name: s
        for s in (
            _scenario(
                "golden-path",
                "A new GitTarget progresses gate by gate to RUNNING",
                ScenarioStep("validated; the encryption secret does not exist yet"),
                ScenarioStep("the secret is created", {"secret_exists": True}),
                ScenarioStep(
                    "a worker is bound; the initial snapshot runs", {"worker_available": True}
                ),
                ScenarioStep("the snapshot completes", {"snapshot_state": "completed"}),
                ScenarioStep("the event stream registers", {"stream_registration_fails": False}),
                _STEADY,
                world={
                    "secret_exists": False,
                    "worker_available": False,
                    "snapshot_state": "running",
                    "stream_registration_fails": True,
                },
            ),
            _scenario("happy-path", "Everything is in place", ScenarioStep("reconcile"), _STEADY),
            _one_pass(
                "provider-missing",
                "The referenced GitProvider does not exist",
                {"provider_exists": False},
            ),
            _one_pass(
                "secret-missing",
                "The encryption secret is missing and creating it is not allowed",
                {"secret_exists": False, "secret_creation_allowed": False},
                spec=demo_spec(generate_when_missing=True),
            ),
            _one_pass(
                "worker-missing",
                "No worker can be bound for (provider, branch)",
                {"worker_available": False},
            ),
            _one_pass(
                "snapshot-running",
                "The initial snapshot is still running",
                {"snapshot_state": "running"},
            ),
            _one_pass(
                "stream-registration-fails",
                "The event stream cannot be registered",
                {"stream_registration_fails": True},
            ),
            _one_pass(
                "terminal-failure",
                "Another GitTarget already writes this branch and path (terminal)",
                {"conflicting_target": "team-a/prod-mirror"},
            ),
            _scenario(
                "stream-disconnect",
                "RUNNING, then the event stream drops, then it comes back",
                ScenarioStep("reconcile"),
                ScenarioStep("the event stream drops", {"stream_connected": False}),
                ScenarioStep("the event stream reconnects", {"stream_connected": True}),
            ),
            _scenario(
                "evaluator-raises",
                "A port raises while the worker is ensured; nothing is lost",
                ScenarioStep("reconcile"),
                ScenarioStep("ensure_worker raises", {"raise_in": "ensure_worker"}),
                ScenarioStep("the outage ends", {"raise_in": None}),
            ),
            _scenario(
                "spec-edited",
                "RUNNING, then the branch changes (generation 2) to one that is not allowed",
                ScenarioStep("reconcile"),
                ScenarioStep(
                    "spec.branch -> release",
                    {"branch_allowed": False},
                    spec=demo_spec().model_copy(update={"branch": "release"}),
                ),
            ),
        )
    }
)
