"""Drive a GitTarget on the fake endpoint with the library's lifecycle pipeline.

This is what a controller does, minus the network: read the object, run one pass over
the fake world, write the status only when the pass says it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gittarget_status import (
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._fakeapi import FakeAPIServer

__all__ = ["GitTargetDriver", "GOLDEN_PATH"]

#: The plan's section 6 as world changes, one reconcile after each.
GOLDEN_PATH: tuple[tuple[str, dict[str, Any]], ...] = (
    ("validated; secret missing", {}),
    ("secret created", {"secret_exists": True}),
    ("worker bound; snapshot running", {"worker_available": True}),
    ("snapshot completed", {"snapshot_state": "completed"}),
    ("stream registered", {"stream_registration_fails": False}),
)

GOLDEN_START: dict[str, Any] = {
    "secret_exists": False,
    "worker_available": False,
    "snapshot_state": "running",
    "stream_registration_fails": True,
}


@dataclass
class GitTargetDriver:
    api: FakeAPIServer
    name: str
    spec: GitTargetSpec = field(default_factory=demo_spec)
    world: FakeGitTargetWorld = field(default_factory=FakeGitTargetWorld)
    now: datetime = DEMO_EPOCH
    writes: int = 0
    produced: list[dict[str, Any]] = field(default_factory=list)

    def create(self) -> ReconcileOutcome[GitTargetStatus]:
        """Create the object, then write its initial status (pass 0)."""
        self.api.put(self.name, spec=self.spec.to_k8s())
        outcome = initialize_gittarget(None, generation=1, now=self.now)
        self._write(outcome)
        return outcome

    def change_spec(self, spec: GitTargetSpec) -> int:
        """Edit the spec as a user would; returns the new ``metadata.generation``."""
        self.spec = spec
        obj = self.api.put(self.name, spec=spec.to_k8s())
        generation: int = obj["metadata"]["generation"]
        return generation

    def reconcile(self, **world: Any) -> ReconcileOutcome[GitTargetStatus]:
        for key, value in world.items():
            setattr(self.world, key, value)
        self.now += timedelta(seconds=30)
        obj = self.api.get(self.name)
        outcome = reconcile_gittarget(
            self.spec,
            obj.get("status"),
            self.world,
            generation=obj["metadata"]["generation"],
            now=self.now,
        )
        self._write(outcome)
        return outcome

    def _write(self, outcome: ReconcileOutcome[GitTargetStatus]) -> None:
        if outcome.changed:
            status = outcome.status.to_k8s()
            self.produced.append(status)
            self.api.put(self.name, status=status)
            self.writes += 1
