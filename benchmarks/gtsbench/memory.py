"""Memory kept per parsed status, against the same JSON as plain dicts."""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Callable, Iterator

from gittarget_status import Condition, GitTargetStatus
from gtsbench.core import JSON, Budget, Row, ratio_row, steady_status

__all__ = ["rows"]


def rows(budget: Budget) -> Iterator[Row]:
    count = budget.n(2_000)
    template = steady_status().to_k8s()
    # Distinct documents (as an informer cache holds them), each read from its JSON text:
    # what is counted is everything the kept object holds, strings included.
    texts = [json.dumps(template).replace("clusters/prod", f"p{i}") for i in range(count)]

    def per_object(build: Callable[[JSON], object]) -> float:
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.take_snapshot()
        kept = [build(json.loads(text)) for text in texts]
        end = tracemalloc.take_snapshot()
        tracemalloc.stop()
        size = sum(stat.size_diff for stat in end.compare_to(start, "filename"))
        del kept
        return size / count / 1024

    raw = per_object(lambda d: d)
    yield ratio_row(
        "memory per status object (7 conditions + details)",
        per_object(GitTargetStatus.from_k8s),
        "the same status as plain JSON dicts",
        raw,
        1.2,
        unit="KiB",
    )
    try:
        from kubernetes.client import V1Condition
    except ImportError:
        return
    yield Row(
        "memory per condition list (7)",
        per_object(lambda d: [Condition.from_k8s(c) for c in d["conditions"]]),
        "kubernetes V1Condition x7 (conditions only)",
        per_object(lambda d: [V1Condition.from_dict(c) for c in d["conditions"]]),
        "(info)",
        unit="KiB",
    )
