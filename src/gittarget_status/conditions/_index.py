"""Where each type first sits in a condition list, remembered for the last list seen.

A pass asks the same list for one type after another (five gates, Ready, Reconciling,
Stalled), and a steady-state ``set_condition`` changes nothing, so the list a call sees
is usually the one the call before it saw. Reading ``type`` from a pydantic model goes
through pydantic's ``__getattr__`` slot (about 35 ns a condition, where a dict read is
10), so the walk is done once per list content and kept.

The one entry kept is a copy of the list (the last list's conditions stay alive until
another list is asked about). A list whose entries are the
very same objects in the same order has the same types: a
[`Condition`][gittarget_status.Condition] is frozen, and only lists of exactly
``Condition`` are remembered (a subclass or a duck-typed entry may not be).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from gittarget_status.conditions._model import Condition

__all__ = ["Positions", "first_of", "positions"]


class Positions(NamedTuple):
    """The first index of each type, and whether any type appears twice."""

    first: dict[str, int]
    repeated: bool


_TYPE_OF = attrgetter("type")
#: (a copy of the last list of Conditions asked about, its positions).
_last: tuple[list[Any], Positions] = ([], Positions({}, False))


def positions(conditions: Sequence[Any]) -> Positions:
    """The positions of ``conditions``' types; AttributeError if an entry has no ``type``.

    The returned mapping is shared: read it, never edit it.
    """
    global _last
    entries, found = _last
    # The same objects, in order (a list compares identity first; an entry that is not
    # the same object is equal only to a Condition of the same fields, type included).
    if entries and conditions and conditions[0] is entries[0] and conditions == entries:
        return found
    types = list(map(_TYPE_OF, conditions))
    first: dict[str, int] = {}
    for index, type_ in enumerate(types):
        first.setdefault(type_, index)
    found = Positions(first, len(first) != len(types))
    if all(type(entry) is Condition for entry in conditions):
        _last = (list(conditions), found)
    return found


def first_of(conditions: Sequence[Any], type_: str) -> Any:
    """The first entry of ``type_``, or None; AttributeError if an entry has no ``type``."""
    index = positions(conditions).first.get(type_)
    return None if index is None else conditions[index]
