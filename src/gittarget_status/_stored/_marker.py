"""The ``Stored`` marker, the readers of exact types, and what models built so share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = [
    "AS_READ",
    "EXACT_READERS",
    "NO_EXTRAS",
    "Read",
    "Stored",
    "exact_str",
    "renders_as_read",
    "shared_fields_set",
]

Read = Callable[[Any], Any]
_R = TypeVar("_R", bound=Read)
_UNSEEN: Any = object()


class Stored:
    """``Annotated`` metadata: how a stored JSON value of this type is read when canonical.

    ``from_k8s`` builds a model without pydantic when every value is in the form the API
    server stores (see docs/custom-gates.md). A field with a validator of your own opts in
    by putting ``Stored(read)`` after it: ``read(value)`` returns exactly what the
    metadata before it would return for ``value``, or None for any value that is not in
    the stored form or that they would refuse, change or note (that value then takes
    pydantic's full validation, with its error). A ``read`` that accepts more than the
    validators do lets unvalidated values in.
    """

    __slots__ = ("read",)

    def __init__(self, read: Read) -> None:
        self.read = read

    def __repr__(self) -> str:
        return f"Stored({getattr(self.read, '__name__', self.read)!r})"


def shared_fields_set(model: type[BaseModel]) -> frozenset[str] | None:
    """A frozen model's field names: the fields set its fully given instances share."""
    every: frozenset[str] | None = _EVERY_FIELD.get(model, _UNSEEN)
    if every is _UNSEEN:
        every = frozenset(model.model_fields) if model.model_config.get("frozen") else None
        _EVERY_FIELD[model] = every
    return every


#: ``shared_fields_set`` per class, filled on first use (a dict lookup: every parse passes here).
_EVERY_FIELD: dict[type, frozenset[str] | None] = {}


class _NoExtras(dict[str, Any]):
    """The unknown fields of a frozen model read without any: one empty dict for all of
    them (pydantic gives each model its own, 64 bytes), which refuses to change."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("the unknown fields of a frozen model cannot change")

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = setdefault = pop = popitem = clear = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}  # a copy is the copied model's own (model_copy may add to it)

    def __deepcopy__(self, memo: object) -> dict[str, Any]:
        return {}


#: The shared extras of frozen models built from the stored form.
NO_EXTRAS: dict[str, Any] = _NoExtras()


#: Readers whose value's JSON is the very value read (``renders_as_read``).
AS_READ: set[Read] = set()


def renders_as_read(read: _R) -> _R:
    """Mark ``read`` as giving values that serialize back to exactly the JSON read, so a
    status of such values need not keep that JSON (see ``snapshot``)."""
    AS_READ.add(read)
    return read


@renders_as_read
def exact_str(value: object) -> str | None:
    return value if type(value) is str else None


@renders_as_read
def _exact_int(value: object) -> int | None:
    return value if type(value) is int else None


@renders_as_read
def _exact_bool(value: object) -> bool | None:
    return value if type(value) is bool else None


#: The reader of each exact type: strict or lax, pydantic keeps such a value as it is.
EXACT_READERS: dict[object, Read] = {str: exact_str, int: _exact_int, bool: _exact_bool}
