#!/usr/bin/env python3
"""Experiment: what does the GitTarget pass cost on the library's models, layers removed?

The measurement behind docs/performance.md's "The pass without the framework", kept so
the numbers can be reproduced, not code the library uses. ``gtsbench.typed`` holds the
fused typed pass: the hand-written dict pass on the library's typed models and checks,
without the framework's layers (see its docstring); ``tests/test_bench_fused.py`` checks
that it writes the library's very status on every demo scenario.

It times, with alternating repeats (``paired_us``): the baseline against the fused pass,
the fused pass against ``reconcile_gittarget``, and parts of the library's pass (its five
gate evaluators alone, its pipeline with evaluators that return fixed verdicts) against
the whole. The first ratio is what the typed models and checks cost; the second, what
the framework's layers cost on top.

    pip install -e ".[bench]" && python benchmarks/fused_pass.py [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gittarget_status import (
    GatePipeline,
    GateResult,
    GitTargetSpec,
    GitTargetStatus,
    derive_phase,
    reconcile_gittarget,
)
from gittarget_status.gates._verdict import call
from gittarget_status.gittarget._gates import GATES as LIBRARY_GATES, GitTargetContext
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gtsbench.baseline import reconcile_dict
from gtsbench.core import Budget, paired_us, steady_status
from gtsbench.typed import GATES, reconcile_typed

__all__ = ["main"]


def _layers(
    spec: GitTargetSpec, world: FakeGitTargetWorld, status: GitTargetStatus, now: datetime
) -> dict[str, Callable[[], object]]:
    """The parts of the library's pass, each alone: its five gate evaluators (through the
    pipeline's ``call``), and its pipeline with evaluators that hand back fixed verdicts."""
    context = GitTargetContext(spec=spec, ports=world, previous=status, now=now)
    fixed = [
        dataclasses.replace(gate, evaluate=_fixed(call(gate, context)[0])) for gate in LIBRARY_GATES
    ]
    pipeline = GatePipeline(fixed, phase=derive_phase, status_model=GitTargetStatus)
    assert not reconcile_gittarget(
        spec, status, world, generation=1, now=now, pipeline=pipeline
    ).changed
    return {
        "the fused pass's 5 gates alone": lambda: [
            gate(spec, world, status, now) for _, gate, _, _, _ in GATES
        ],
        "the library's 5 gate evaluators alone": lambda: [
            call(gate, context) for gate in LIBRARY_GATES
        ],
        "the library's pipeline, fixed verdicts": lambda: reconcile_gittarget(
            spec, status, world, generation=1, now=now, pipeline=pipeline
        ),
    }


def _fixed(result: GateResult) -> Callable[[object], GateResult]:
    return lambda context: result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts")
    args = parser.parse_args(argv)
    budget = Budget(quick=args.quick)
    number, repeat = budget.n(5_000), budget.repeat
    spec, world = demo_spec(), FakeGitTargetWorld()
    status = steady_status()
    data = status.to_k8s()
    later = DEMO_EPOCH + timedelta(minutes=5)
    typed, changed = reconcile_typed(spec, status, world, generation=1, now=later)
    library = reconcile_gittarget(spec, status, world, generation=1, now=later)
    assert not changed and not library.changed and typed == library.status

    def by_hand() -> object:
        return reconcile_dict(spec, data, world, generation=1, now=later)

    def fused() -> object:
        return reconcile_typed(spec, status, world, generation=1, now=later)

    def ours() -> object:
        return reconcile_gittarget(spec, status, world, generation=1, now=later)

    fused_a, baseline = paired_us(fused, by_hand, number, repeat)
    full, fused_b = paired_us(ours, fused, number, repeat)
    print(f"{'hand-written dict pass':40s} {baseline:7.2f} µs")
    print(f"{'fused typed pass':40s} {fused_a:7.2f} µs  {fused_a / baseline:.2f}x the dict pass")
    print(f"{'reconcile_gittarget':40s} {full:7.2f} µs  {full / fused_b:.2f}x the fused pass")
    for name, part in _layers(spec, world, status, later).items():
        alone, beside = paired_us(part, ours, number, repeat)
        print(f"{name:40s} {alone:7.2f} µs  {alone / beside:.0%} of reconcile_gittarget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
