"""The benchmarks' hand-written dict pass is honest: it writes what the library writes.

If the baseline did less (skipped a gate, never moved a lastTransitionTime, missed a
``changed``), the pass and resync ratios against it would flatter nobody; so on every
demo scenario, pass by pass, it must produce the library's status JSON exactly, not
only the same conditions.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from gittarget_status import GitTargetStatus, reconcile_gittarget
from gittarget_status.testing import DEMO_EPOCH, SCENARIOS, FakeGitTargetWorld, demo_spec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from gtsbench.baseline import reconcile_dict
from gtsbench.core import FOREIGN


def _conditions(status: dict[str, object]) -> list[tuple[object, ...]]:
    listed = status.get("conditions")
    assert isinstance(listed, list)
    return [(c["type"], c["status"], c["reason"]) for c in listed]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_baseline_writes_what_the_library_writes(name: str) -> None:
    scenario = SCENARIOS[name]
    world = scenario.new_world()
    spec, generation = scenario.spec, 1
    stored: dict[str, object] | None = None
    records = list(scenario.run())
    for record, step in zip(records[1:], scenario.steps, strict=True):
        if stored is None:
            stored = records[0].outcome.status.to_k8s()
        for key, value in step.world.items():
            setattr(world, key, value)
        if step.spec is not None and step.spec != spec:
            spec, generation = step.spec, generation + 1
        new, changed = reconcile_dict(spec, stored, world, generation=generation, now=record.now)
        expected = record.outcome.status.to_k8s()
        assert _conditions(new) == _conditions(expected), record.label
        assert new == expected, record.label
        assert changed is record.outcome.changed, record.label
        stored = new


def test_baseline_keeps_foreign_conditions_and_reports_the_steady_state() -> None:
    world, spec = FakeGitTargetWorld(), demo_spec()
    first = reconcile_gittarget(spec, None, world, generation=1, now=DEMO_EPOCH).status.to_k8s()
    first["conditions"].append(dict(FOREIGN))
    later = DEMO_EPOCH + timedelta(minutes=5)
    new, changed = reconcile_dict(spec, first, world, generation=1, now=later)
    library = reconcile_gittarget(
        spec, GitTargetStatus.from_k8s(first), world, generation=1, now=later
    )
    assert changed is library.changed is False
    assert new == first == library.status.to_k8s()
    # A changed world: both write, and both move the same lastTransitionTime.
    world.stream_connected = False
    new, changed = reconcile_dict(spec, first, world, generation=1, now=later)
    library = reconcile_gittarget(
        spec, GitTargetStatus.from_k8s(first), world, generation=1, now=later
    )
    assert changed is library.changed is True
    assert new == library.status.to_k8s()
    assert FOREIGN in new["conditions"]
