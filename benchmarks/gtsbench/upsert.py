"""``set_condition`` against the dict upsert a kopf user writes."""

from __future__ import annotations

from collections.abc import Iterator

from gittarget_status import Condition, set_condition
from gittarget_status.testing import DEMO_EPOCH
from gtsbench.core import JSON, Budget, Row, median_us, paired_us, ratio_row, steady_status

__all__ = ["hand_written_upsert", "rows"]


def hand_written_upsert(conditions: list[JSON], new: JSON, now: str) -> bool:
    """What a kopf user writes today: upsert by type, move LTT on a status change only."""
    for existing in conditions:
        if existing["type"] == new["type"]:
            status_moved = existing["status"] != new["status"]
            changed = status_moved or (
                existing["reason"],
                existing["message"],
                existing.get("observedGeneration"),
            ) != (new["reason"], new["message"], new.get("observedGeneration"))
            if changed:
                existing.update(new)
                if status_moved:
                    existing["lastTransitionTime"] = now
            return changed
    conditions.append({**new, "lastTransitionTime": now})
    return True


def rows(budget: Budget) -> Iterator[Row]:
    status = steady_status()
    assert len(status.conditions) == 7
    existing = status.conditions[2]
    same = Condition(
        type=existing.type,
        status=existing.status,
        reason=existing.reason,
        message=existing.message,
        observed_generation=existing.observed_generation,
    )
    as_dicts = [c.to_k8s() for c in status.conditions]
    new_dict = {k: v for k, v in as_dicts[2].items() if k != "lastTransitionTime"}
    now, now_text = DEMO_EPOCH, "2026-01-01T12:00:00Z"
    n = budget.n(200_000)
    ours, base = paired_us(
        lambda: set_condition(status, same, now=now),
        lambda: hand_written_upsert(as_dicts, new_dict, now_text),
        n,
        budget.repeat,
    )
    yield ratio_row(
        "set_condition, 7 conditions, unchanged (steady state)",
        ours,
        "hand-written dict upsert",
        base,
        2,
    )

    changed = same.model_copy(update={"message": "a new message"})
    changed_dict = {**new_dict, "message": "a new message"}

    def ours_changed() -> None:
        set_condition(list(status.conditions), changed, now=now)

    def base_changed() -> None:
        hand_written_upsert([dict(c) for c in as_dicts], changed_dict, now_text)

    copies = median_us(lambda: list(status.conditions), n, budget.repeat)
    dict_copies = median_us(lambda: [dict(c) for c in as_dicts], n, budget.repeat)
    yield Row(
        "set_condition, 7 conditions, message changed",
        median_us(ours_changed, n, budget.repeat) - copies,
        "hand-written dict upsert",
        median_us(base_changed, n, budget.repeat) - dict_copies,
        "(info)",
        note="validated immutable copy vs in-place dict edit",
    )
    yield Row(
        "Condition(...) construction (validated)",
        median_us(
            lambda: Condition(type="Bootstrapped", status=True, reason="BootstrapApplied"),
            budget.n(50_000),
            budget.repeat,
        ),
        "dict literal",
        median_us(
            lambda: {"type": "Bootstrapped", "status": "True", "reason": "BootstrapApplied"},
            n,
            budget.repeat,
        ),
        "(info)",
    )
