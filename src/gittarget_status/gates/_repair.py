"""What a pass's write repairs in the stored status although no decision changed it.

Dropped duplicates, normalised owned values, owned conditions in a form the strict rules
do not write: the write replaces them, so it must happen, and the outcome lists them
(``ReconcileOutcome.repaired``) for the controller to log once.
"""

from __future__ import annotations

from pydantic import BaseModel

from gittarget_status.conditions._model import raw_json
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._writes import conditions_of

__all__ = ["repairs"]


def repairs(
    old: BaseModel, new: BaseModel, owned: frozenset[str]
) -> tuple[tuple[str, object], ...]:
    """What the write of ``new`` repairs in the stored status, and clear ``new``'s source.

    Owned conditions read in a form the strict rules do not write are replaced, in
    ``new``, by their canonical form; foreign ones are left exactly as read.
    """
    # What from_k8s read, once (the public properties each look it up again).
    read = old._read_info() if isinstance(old, StatusModel) else None
    # ``new`` is the pass's copy of ``old`` (``copy_status``): a StatusModel when old is.
    if read is None or not isinstance(old, StatusModel) or not isinstance(new, StatusModel):
        return ()  # built in Python, or a pass's output: nothing read to repair
    found: list[tuple[str, object]] = list(read.dropped)
    if read.dropped or read.normalised:  # old.needs_repair
        found.extend(_normalised_fields(old))
    if read.odd:  # only then can an owned condition need a repair
        conditions = conditions_of(new)
        for index, condition in enumerate(conditions):
            if (
                condition.type in owned
                and raw_json(condition) is not None
                and condition.strict_problem is not None
            ):
                found.append((f"conditions[{index}]", condition.stored_json))
                conditions[index] = condition.canonical()
    new._forget_source()
    return tuple(found)


def _normalised_fields(old: StatusModel) -> list[tuple[str, object]]:
    """Top-level fields whose stored form a write changes (rare: only after a hand edit)."""
    stored = old.stored_json or {}
    written = old.to_k8s()
    return [
        (key, value)
        for key, value in stored.items()
        if key != "conditions" and key in written and written[key] != value
    ]
