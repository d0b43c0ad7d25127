"""Parsing: the whole status, one condition, a condition list from JSON text.

The official client (``kubernetes``) is the baseline; without it those rows are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from gittarget_status import Condition, GitTargetStatus
from gtsbench.core import Budget, Row, median_us, paired_us, ratio_row, steady_status

__all__ = ["rows"]


def rows(budget: Budget) -> Iterator[Row]:
    data = steady_status().to_k8s()
    conditions = data["conditions"]
    n = budget.n(5_000)
    try:
        from kubernetes.client import ApiClient, V1Condition
    except ImportError:
        ours = median_us(lambda: GitTargetStatus.from_k8s(data), n, budget.repeat)
        yield Row("parse + validate a whole status", ours, note="pip install kubernetes")
        return
    ours, official = paired_us(
        lambda: GitTargetStatus.from_k8s(data),
        lambda: [V1Condition.from_dict(c) for c in conditions],
        n,
        budget.repeat,
    )
    yield ratio_row(
        "parse + validate a whole status (7 conditions + details)",
        ours,
        "kubernetes V1Condition.from_dict x7",
        official,
        1.0,
        note="we parse and validate the whole status; they type the conditions only",
    )
    one = conditions[0]
    yield Row(
        "parse one condition",
        median_us(lambda: Condition.from_k8s(one), budget.n(20_000), budget.repeat),
        "kubernetes V1Condition.from_dict",
        median_us(lambda: V1Condition.from_dict(one), budget.n(20_000), budget.repeat),
        "(info)",
        note="like for like",
    )
    text = json.dumps(conditions)
    client = ApiClient()
    from_text, deserialized = paired_us(
        lambda: [Condition.from_k8s(c) for c in json.loads(text)],
        lambda: client.deserialize(text, "List[V1Condition]", "application/json"),
        n,
        budget.repeat,
    )
    yield ratio_row(
        "condition list from JSON text",
        from_text,
        "kubernetes ApiClient.deserialize",
        deserialized,
        0.7,
    )
    yield from _asyncio_rows(budget, conditions, ours)


def _asyncio_rows(budget: Budget, conditions: list[object], ours: float) -> Iterator[Row]:
    """``kubernetes_asyncio``'s generated classes (an info row; skipped when not installed)."""
    try:
        import asyncio

        from kubernetes_asyncio.client import ApiClient as AsyncApiClient
    except ImportError:
        yield Row("parse vs kubernetes_asyncio", None, note="pip install kubernetes_asyncio")
        return

    async def generated() -> float:
        async with AsyncApiClient() as client:
            deserialize = client._ApiClient__deserialize
            return median_us(
                lambda: deserialize(conditions, "list[V1Condition]"), budget.n(5_000), budget.repeat
            )

    yield Row(
        "parse status vs kubernetes_asyncio generated classes",
        ours,
        "kubernetes_asyncio ApiClient deserialize x7",
        asyncio.run(generated()),
        "(info)",
        note="we parse and validate the whole status; they the conditions only",
    )
