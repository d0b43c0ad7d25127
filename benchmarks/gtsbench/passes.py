"""One lifecycle pass on an unchanged world, against the hand-written dict pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from gittarget_status import reconcile_gittarget
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gtsbench.baseline import reconcile_dict
from gtsbench.core import Budget, Row, StatusPatch, median_us, paired_us, ratio_row, steady_status
from gtsbench.typed import reconcile_typed

__all__ = ["rows"]


def rows(budget: Budget, patch: StatusPatch | None) -> Iterator[Row]:
    spec, world = demo_spec(), FakeGitTargetWorld()
    status = steady_status()
    data = status.to_k8s()
    later = DEMO_EPOCH + timedelta(minutes=5)
    assert not reconcile_gittarget(spec, status, world, generation=1, now=later).changed
    assert not reconcile_dict(spec, data, world, generation=1, now=later)[1]
    n = budget.n(5_000)

    def library() -> object:
        return reconcile_gittarget(spec, status, world, generation=1, now=later)

    def fused() -> object:
        return reconcile_typed(spec, status, world, generation=1, now=later)

    def by_hand() -> object:
        return reconcile_dict(spec, data, world, generation=1, now=later)

    bare, baseline = paired_us(library, by_hand, n, budget.repeat)
    yield ratio_row(
        "full lifecycle pass, unchanged world",
        bare,
        "hand-written dict pass",
        baseline,
        1.0,
        note="5 gates through the fake ports, Ready, phase, Reconciling/Stalled, changed",
    )

    ours_again, without = paired_us(library, fused, n, budget.repeat)
    yield Row(
        "full lifecycle pass vs the same pass without the framework",
        ours_again,
        "fused typed pass (gtsbench.typed)",
        without,
        "(info)",
        note="the framework's layers: gate steps, GateResults, the pipeline, the outcome",
    )
    fused_alone, by_hand_again = paired_us(fused, by_hand, n, budget.repeat)
    yield Row(
        "fused typed pass",
        fused_alone,
        "hand-written dict pass",
        by_hand_again,
        "(info)",
        note="the typed models and the steady state's checks, without the framework",
    )
    if patch is not None:

        def with_patch() -> None:
            result = reconcile_gittarget(spec, status, world, generation=1, now=later)
            patch(status, result.status)

        yield Row(
            "lifecycle pass + status_patch",
            median_us(with_patch, n, budget.repeat),
            "hand-written dict pass",
            baseline,
            "(info)",
            note="status_patch is only needed when outcome.changed",
        )
    yield Row(
        "pass from API JSON (parse + pass)",
        median_us(
            lambda: reconcile_gittarget(spec, data, world, generation=1, now=later),
            n,
            budget.repeat,
        ),
        "hand-written dict pass",
        baseline,
        "(info)",
        note="the same input as the baseline: a dict from the API",
    )
