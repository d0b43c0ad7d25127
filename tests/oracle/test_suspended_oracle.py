"""What cli-utils' kstatus (the real one, through k8s-oracle) concludes about a suspended
GitTarget, against the port in ``gittarget_status.kstatus``.

The documented claim (docs/operating.md): suspended after a spec edit, the kept verdict is
for an older generation, and kstatus says InProgress (LatestGenerationNotObserved); an
object created suspended is InProgress too (Reconciling=True); resumed, it is Current.
"""

from __future__ import annotations

from typing import Any

import pytest

from gittarget_status import reconcile_gittarget
from gittarget_status.kstatus import compute
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._oracle import Oracle


def _object(status: dict[str, Any], generation: int) -> dict[str, Any]:
    return {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": "demo", "namespace": "default", "generation": generation},
        "spec": demo_spec().to_k8s(),
        "status": status,
    }


def _states() -> dict[str, tuple[dict[str, Any], str]]:
    spec = demo_spec().to_k8s()
    suspended = {**spec, "suspend": True}
    world = FakeGitTargetWorld()
    ready = reconcile_gittarget(spec, None, world, generation=1, now=DEMO_EPOCH).status
    paused = reconcile_gittarget(suspended, ready, world, generation=2, now=DEMO_EPOCH).status
    fresh = reconcile_gittarget(suspended, None, world, generation=1, now=DEMO_EPOCH).status
    resumed = reconcile_gittarget(spec, paused, world, generation=3, now=DEMO_EPOCH).status
    return {
        "suspended after a spec edit": (_object(paused.to_k8s(), 2), "InProgress"),
        "created suspended": (_object(fresh.to_k8s(), 1), "InProgress"),
        "resumed": (_object(resumed.to_k8s(), 3), "Current"),
    }


@pytest.mark.parametrize("state", list(_states()))
def test_kstatus_on_a_suspended_gittarget(kstatus_oracle: Oracle, state: str) -> None:
    obj, expected = _states()[state]
    theirs = kstatus_oracle.ask(obj)
    ours = compute(obj)
    assert theirs["status"] == ours.status.value == expected
    assert theirs["message"] == ours.message
    if state == "suspended after a spec edit":
        assert ours.message == "GitTarget generation is 2, but latest observed generation is 1"
