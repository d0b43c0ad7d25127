"""The steady state: 1,000 unchanged passes must write nothing and move no timestamp."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from gittarget_status import (
    GitTargetStatus,
    ReconcileOutcome,
    gittarget_pipeline,
    reconcile_gittarget as reconcile,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gtsbench.core import JSON, Budget, Row, StatusPatch, steady_status

__all__ = ["rows"]


def rows(budget: Budget, patch: StatusPatch | None) -> Iterator[Row]:
    passes = 1_000 if not budget.quick else 50
    spec, world = demo_spec(), FakeGitTargetWorld()
    stored: JSON = steady_status().to_k8s()  # what the API server holds
    writes = ltt_changes = patches = 0
    pipeline = gittarget_pipeline()
    for i in range(passes):
        now = DEMO_EPOCH + timedelta(minutes=5, seconds=30 * i)
        outcome: ReconcileOutcome[GitTargetStatus] = reconcile(
            spec, stored, world, generation=1, now=now, pipeline=pipeline
        )
        if patch is not None and patch(stored, outcome.status) is not None:
            patches += 1
        if outcome.changed:
            writes += 1
            new = outcome.status.to_k8s()
            before = {c["type"]: c["lastTransitionTime"] for c in stored["conditions"]}
            ltt_changes += sum(
                before.get(c["type"]) != c["lastTransitionTime"] for c in new["conditions"]
            )
            stored = new
    note = f"{passes} passes, clock advancing 30 s a pass"
    if patch is not None:
        note += f"; status_patch bodies: {patches}"
    yield Row("status writes, unchanged passes", writes, target="0", met=writes == 0, unit="")
    yield Row(
        "lastTransitionTime changes, unchanged passes",
        ltt_changes,
        target="0",
        met=ltt_changes == 0,
        unit="",
        note=note,
    )
