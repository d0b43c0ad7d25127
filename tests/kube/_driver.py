"""Drive a GitTarget on the real API server with the library's lifecycle pipeline.

This is what a controller does: read the object from the server, run one pass over the
fake world, and write the status with a merge patch to ``/status`` only when the pass
says it changed (with the read's resourceVersion, so a concurrent write would be a 409).
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
from gittarget_status.patch import status_patch
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gittarget_status.testing.control_plane import ApiClient

__all__ = ["GOLDEN_PATH", "GOLDEN_START", "GitTargetDriver"]

API_VERSION = "configbutler.ai/v1alpha1"
KIND = "GitTarget"

#: The plan's section 6 as world changes, one reconcile after each.
GOLDEN_PATH: tuple[tuple[str, dict[str, Any]], ...] = (
    ("validated; secret missing", {}),
    ("secret created", {"secret_exists": True}),
    ("worker bound; snapshot running", {"worker_available": True}),
    ("snapshot completed", {"snapshot_state": "completed"}),
    ("stream registered", {"stream_registration_fails": False}),
)

#: The world before the golden path's first step.
GOLDEN_START: dict[str, Any] = {
    "secret_exists": False,
    "worker_available": False,
    "snapshot_state": "running",
    "stream_registration_fails": True,
}


@dataclass
class GitTargetDriver:
    """One GitTarget ``name`` in ``namespace``, reconciled pass by pass against ``world``."""

    client: ApiClient
    namespace: str
    name: str
    spec: GitTargetSpec = field(default_factory=demo_spec)
    world: FakeGitTargetWorld = field(default_factory=FakeGitTargetWorld)
    now: datetime = DEMO_EPOCH
    writes: int = 0
    produced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.client.resource_path(API_VERSION, KIND, self.name, namespace=self.namespace)

    def get(self) -> dict[str, Any]:
        obj: dict[str, Any] = self.client.get(self.path)
        return obj

    def create(self) -> ReconcileOutcome[GitTargetStatus]:
        """Create the object, then write its initial status (pass 0)."""
        created = self.client.post(
            self.client.resource_path(API_VERSION, KIND, namespace=self.namespace),
            {
                "apiVersion": API_VERSION,
                "kind": KIND,
                "metadata": {"name": self.name},
                "spec": self.spec.to_k8s(),
            },
        )
        outcome = initialize_gittarget(
            None, generation=created["metadata"]["generation"], now=self.now
        )
        self._write(created, outcome)
        return outcome

    def change_spec(self, spec: GitTargetSpec) -> int:
        """Replace the spec as ``kubectl apply`` would; returns the new ``metadata.generation``."""
        self.spec = spec
        obj = self.get()
        obj["spec"] = spec.to_k8s()
        generation: int = self.client.put(self.path, obj)["metadata"]["generation"]
        return generation

    def reconcile(self, **world: Any) -> ReconcileOutcome[GitTargetStatus]:
        """Apply ``world`` changes, then one pass over the object as the server has it."""
        for key, value in world.items():
            setattr(self.world, key, value)
        self.now += timedelta(seconds=30)
        obj = self.get()
        outcome = reconcile_gittarget(
            self.spec,
            obj.get("status"),
            self.world,
            generation=obj["metadata"]["generation"],
            now=self.now,
        )
        self._write(obj, outcome)
        return outcome

    def _write(self, obj: dict[str, Any], outcome: ReconcileOutcome[GitTargetStatus]) -> None:
        if not outcome.changed:
            return
        body = status_patch(
            obj.get("status"), outcome.status, resource_version=obj["metadata"]["resourceVersion"]
        )
        assert body is not None, "the pass changed the status but the patch is empty"
        answer = self.client.patch(self.path + "/status", body, "merge")
        status = outcome.status.to_k8s()
        assert answer.get("status") == status, "the server stored another status than written"
        self.produced.append(status)
        self.writes += 1
