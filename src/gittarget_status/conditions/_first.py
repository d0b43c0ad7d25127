"""A condition list is a map keyed by type: where a type repeats, the first entry wins.

That is how the API's readers (kstatus, ``meta.FindStatusCondition``) read a list that a
foreign writer left with a duplicate, so every lenient reader here keeps the same entry.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol, TypeVar, overload

__all__ = ["first_by_type"]

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)


class _Typed(Protocol):
    @property
    def type(self) -> str: ...


_C = TypeVar("_C", bound=_Typed)


@overload
def first_by_type(items: Iterable[_C]) -> dict[str, _C]: ...
@overload
def first_by_type(items: Iterable[_T], key: Callable[[_T], _K]) -> dict[_K, _T]: ...


def first_by_type(items: Iterable[Any], key: Callable[[Any], Any] | None = None) -> dict[Any, Any]:
    """The first item of each type, by type, in the order the types first appear.

    ``key`` gives an item's type (default: its ``type`` attribute, as on a
    [`Condition`][gittarget_status.Condition]); ``.values()`` is the list without repeats.
    """
    first: dict[Any, Any] = {}
    for item in items:
        first.setdefault(item.type if key is None else key(item), item)
    return first
