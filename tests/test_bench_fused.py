"""The fused typed pass (``gtsbench.typed``, timed by ``benchmarks/fused_pass.py``) is
the library's pass.

Its ratio against the hand-written dict pass is only a floor for a pass on the typed
models if it decides what the library decides: on every demo scenario, pass by pass, it
must write the library's very status and the same ``changed``. The script itself must
run (tiny iteration counts; its timings are not asserted).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gittarget_status import GitTargetStatus
from gittarget_status.testing import SCENARIOS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from gtsbench.typed import reconcile_typed

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_fused_pass_writes_what_the_library_writes(name: str) -> None:
    scenario = SCENARIOS[name]
    world = scenario.new_world()
    spec, generation = scenario.spec, 1
    records = list(scenario.run())
    stored = records[0].outcome.status
    for record, step in zip(records[1:], scenario.steps, strict=True):
        for key, value in step.world.items():
            setattr(world, key, value)
        if step.spec is not None and step.spec != spec:
            spec, generation = step.spec, generation + 1
        read = GitTargetStatus.from_k8s(stored.to_k8s())  # as the controller reads it
        new, changed = reconcile_typed(spec, read, world, generation=generation, now=record.now)
        expected = record.outcome.status
        assert new.to_k8s() == expected.to_k8s(), record.label
        assert changed is record.outcome.changed, record.label
        assert read.to_k8s() == stored.to_k8s(), "the input was mutated"
        stored = new


def test_the_fused_pass_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fused_pass.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "fused typed pass" in proc.stdout
