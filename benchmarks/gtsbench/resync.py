"""A 10,000-object resync: one pass per distinct GitTarget, CPU time, against the baseline."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from gittarget_status import reconcile_gittarget
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gtsbench.baseline import reconcile_dict
from gtsbench.core import Budget, Row, ratio_row, steady_status

__all__ = ["rows"]

#: Rounds of the typed resync and the baseline, alternating (each about 0.2 to 0.7 s).
_ROUNDS = 3


def rows(budget: Budget) -> Iterator[Row]:
    count = budget.n(10_000)
    world = FakeGitTargetWorld()
    base = demo_spec()
    specs = [base.model_copy(update={"path": f"clusters/c{i}"}) for i in range(count)]
    statuses = [steady_status(spec) for spec in specs]
    documents = [s.to_k8s() for s in statuses]
    now = DEMO_EPOCH + timedelta(minutes=5)

    def library(spec: Any, status: Any) -> bool:
        return reconcile_gittarget(spec, status, world, generation=1, now=now).changed

    def by_hand(spec: Any, status: Any) -> bool:
        return reconcile_dict(spec, status, world, generation=1, now=now)[1]

    def resync(one: Callable[[Any, Any], bool], inputs: list[Any]) -> tuple[float, int]:
        world.calls.clear()
        gc.collect()
        start = time.process_time()
        writes = sum(one(spec, status) for spec, status in zip(specs, inputs, strict=True))
        return time.process_time() - start, writes

    scale = 10_000 / count
    scaled = "" if count == 10_000 else f"; {count} objects, scaled"
    # Interleaved rounds, the median of each side: one round alone swung the ratio from
    # 2.1x to 3.2x between runs minutes apart on the same machine.
    rounds = [(resync(library, statuses), resync(by_hand, documents)) for _ in range(_ROUNDS)]
    typed = statistics.median(ours for (ours, _), _ in rounds)
    baseline = statistics.median(theirs for _, (theirs, _) in rounds)
    writes = max(count for (_, count), _ in rounds)
    baseline_writes = max(count for _, (_, count) in rounds)
    yield ratio_row(
        "10,000-object resync, CPU (typed statuses)",
        typed * scale,
        "hand-written dict pass",
        baseline * scale,
        1.0,
        unit="s",
        note=f"{writes} writes (baseline: {baseline_writes}); median of {_ROUNDS} rounds{scaled}",
    )
    from_json, _ = resync(library, documents)
    yield Row(
        "10,000-object resync, CPU (from API JSON)",
        from_json * scale,
        "hand-written dict pass",
        baseline * scale,
        "(info)",
        unit="s",
        note="what an informer cache of dicts costs",
    )
