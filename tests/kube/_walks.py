"""Random walks of the GitTarget lifecycle: every status the pipeline can produce.

A walk starts from a random fake world, then repeatedly changes one thing (a world
attribute, or the spec, which bumps ``metadata.generation``) and reconciles, writing
the status back only when the pass says it changed, like a controller. Each step yields
the whole object as the API server would serve it, with the pass's outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from gittarget_status import GitTargetStatus, ReconcileOutcome, reconcile_gittarget
from gittarget_status.gittarget import _spec
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

__all__ = ["WORLD_CHOICES", "Step", "lifecycle_walks", "to_object"]

WORLD_CHOICES: dict[str, st.SearchStrategy[Any]] = {
    "provider_exists": st.booleans(),
    "branch_allowed": st.booleans(),
    "conflicting_target": st.sampled_from([None, None, "other-target"]),
    "secret_exists": st.booleans(),
    "secret_creation_allowed": st.booleans(),
    "recipients_valid": st.booleans(),
    "worker_available": st.booleans(),
    "bootstrap_fails": st.booleans(),
    "snapshot_state": st.sampled_from(["running", "completed", "failed"]),
    "stream_registration_fails": st.booleans(),
    "stream_connected": st.booleans(),
    "raise_in": st.sampled_from([None, None, None, "poll_snapshot", "ensure_worker"]),
}

SPECS: list[_spec.GitTargetSpec] = [
    demo_spec(),
    demo_spec(encrypted=False),
    demo_spec(generate_when_missing=True),
    demo_spec().model_copy(update={"branch": "release"}),
]


@dataclass(frozen=True)
class Step:
    obj: dict[str, Any]
    outcome: ReconcileOutcome[GitTargetStatus]
    generation: int


def to_object(name: str, spec: _spec.GitTargetSpec, generation: int, status: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": name, "namespace": "default", "generation": generation},
        "spec": spec.to_k8s(),
    }
    if status:
        obj["status"] = status
    return obj


@st.composite
def lifecycle_walks(draw: st.DrawFn, *, max_steps: int = 8) -> list[Step]:
    world = FakeGitTargetWorld(**{k: draw(v) for k, v in WORLD_CHOICES.items()})
    spec = draw(st.sampled_from(SPECS))
    generation, status = 1, None
    now = DEMO_EPOCH
    steps: list[Step] = []
    for _ in range(draw(st.integers(1, max_steps))):
        if draw(st.integers(0, 5)) == 0:
            new_spec = draw(st.sampled_from(SPECS))
            if new_spec != spec:
                spec, generation = new_spec, generation + 1
        else:
            key = draw(st.sampled_from(sorted(WORLD_CHOICES)))
            setattr(world, key, draw(WORLD_CHOICES[key]))
        now += timedelta(seconds=draw(st.integers(1, 600)))
        outcome = reconcile_gittarget(spec, status, world, generation=generation, now=now)
        if outcome.changed:
            status = outcome.status.to_k8s()
        steps.append(Step(to_object("walk", spec, generation, status), outcome, generation))
    return steps
