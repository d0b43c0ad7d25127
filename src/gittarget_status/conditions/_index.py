"""The types of a condition list's entries, remembered for the last list seen.

A steady-state ``set_condition`` changes nothing, so the list it sees is usually the
one the call before it saw (a pass sets five gates, Ready, Reconciling and Stalled on
one list). Reading ``type`` from a pydantic model goes through pydantic's
``__getattr__`` slot (about 35 ns a condition, where a dict read is 10), so the walk
``set_condition`` needs (where the type sits, and whether any type appears twice) is
done once per list content and kept.

The one entry kept is a copy of the list (the last list's conditions stay alive until
another list is asked about). A list whose entries are the very same objects in the
same order has the same types: a [`Condition`][gittarget_status.Condition] is frozen,
and only lists of exactly ``Condition`` are remembered (a subclass or a duck-typed
entry may not be frozen).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, TypeAlias

from gittarget_status.conditions._model import Condition

__all__ = ["Types", "first_of", "types_of"]

#: The ``type`` of each entry in order, and whether any type appears twice.
Types: TypeAlias = tuple[list[str], bool]

_TYPE_OF = attrgetter("type")
_CONDITION_ONLY = frozenset({Condition})
#: (a copy of the last list of Conditions asked about, its types).
_last: tuple[list[Any], Types] = ([], ([], False))


def types_of(conditions: Sequence[Any]) -> Types:
    """The types of ``conditions``' entries; AttributeError if an entry has no ``type``.

    The returned list is shared: read it, never edit it.
    """
    global _last
    entries, found = _last
    # The same objects, in order (a list compares identity first; an entry that is not
    # the same object is equal only to a Condition of the same fields, type included).
    if entries and conditions and conditions[0] is entries[0] and conditions == entries:
        return found
    types = list(map(_TYPE_OF, conditions))
    found = (types, len(set(types)) != len(types))
    if _CONDITION_ONLY.issuperset(map(type, conditions)):
        _last = (list(conditions), found)
    return found


def first_of(conditions: Sequence[Any], type_: str) -> Any:
    """The first entry of ``type_``, or None; AttributeError if an entry has no ``type``.

    A plain walk that stops at the match, not the remembered types: a pass asks each
    object's list for its few types once, and stopping early costs less than one walk
    of the whole list (measured over a 3,000-object resync, 35 against 38 µs a pass).
    """
    for entry in conditions:
        if entry.type == type_:
            return entry
    return None
