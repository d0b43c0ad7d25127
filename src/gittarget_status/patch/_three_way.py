"""The three-way condition merge for update-with-retry controllers.

Separate from the write bodies: it works on condition lists, not on request bodies, and
reports conflicts the caller settles by retrying.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from gittarget_status.conditions import Condition, conditions_of
from gittarget_status.conditions._first import first_by_type
from gittarget_status.conditions._operations import HasConditions
from gittarget_status.conditions._status import StatusModel
from gittarget_status.patch._apply import _owned_types


@dataclass(frozen=True, slots=True)
class ConditionConflict:
    """Both this pass and another writer changed the same owned condition type."""

    type: str
    before: Condition | None
    ours: Condition | None
    theirs: Condition | None


@dataclass(frozen=True, slots=True)
class ConditionMerge:
    """The merged list (the latest object's, with our changes re-applied) and conflicts.

    On conflict the latest (their) entry is kept in ``conditions``; the caller decides:
    usually re-read and re-run the pass, i.e. retry.
    """

    conditions: list[Condition]
    conflicts: tuple[ConditionConflict, ...]
    #: Whether writing ``conditions`` changes the latest stored list.
    changed: bool = True

    @property
    def ok(self) -> bool:
        return not self.conflicts


ConditionsInput = Sequence[Condition] | HasConditions | None


def _by_type(conditions: ConditionsInput) -> dict[str, Condition]:
    if conditions is None:
        return {}
    return first_by_type(conditions_of(conditions))


def merge_conditions(
    before: ConditionsInput,
    after: ConditionsInput,
    latest: ConditionsInput,
    owned: Iterable[str | Enum],
) -> ConditionMerge:
    """Re-apply this pass's owned-condition changes on top of ``latest``.

    For each owned type: unchanged by us -> the latest entry stays (added, changed or
    removed by someone else); changed by us and not by them -> ours is applied (inserted,
    replaced or removed); changed by both to different values -> conflict (theirs kept).
    Types we do not own always come from ``latest``, as the very objects read (so they
    are written back byte for byte). An owned entry our pass repaired (see
    ``ReconcileOutcome.repaired``) counts as changed by us. Order: ``latest``'s order,
    new types appended in ``after``'s order. ``changed`` says whether the merged list
    differs from the latest stored one (write only then).
    """
    owned_types = _owned_types(owned, "merge_conditions")
    old, ours, theirs = _by_type(before), _by_type(after), _by_type(latest)
    merged: list[Condition] = list(theirs.values())
    conflicts: list[ConditionConflict] = []
    ordered = [t for t in ours if t in owned_types] + sorted(owned_types - set(ours))
    for type_ in ordered:
        b, o, t = old.get(type_), ours.get(type_), theirs.get(type_)
        if o == b and not _repaired(b, o):
            continue  # we did not touch it
        if t != b and t != o:
            conflicts.append(ConditionConflict(type_, b, o, t))
            continue
        index = next((i for i, c in enumerate(merged) if c.type == type_), None)
        if o is None:
            if index is not None:
                del merged[index]
        elif index is None:
            merged.append(o)
        else:
            merged[index] = o
    return ConditionMerge(merged, tuple(conflicts), _list_changed(latest, merged))


def _repaired(before: Condition | None, ours: Condition | None) -> bool:
    """Whether ``ours`` is ``before`` rewritten in canonical form (same values)."""
    return (
        before is not None
        and ours is not None
        and ours is not before
        and before.strict_problem is not None
        and ours.strict_problem is None
    )


def _list_changed(latest: ConditionsInput, merged: list[Condition]) -> bool:
    if latest is None:
        return bool(merged)
    if isinstance(latest, StatusModel) and latest.dropped_on_parse:
        return True
    stored = conditions_of(latest)
    if len(stored) != len(merged):
        return True
    return any(a is not b for a, b in zip(stored, merged, strict=True))
