"""How a field's annotation and metadata become the reader of its stored JSON value."""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import WithJsonSchema
from pydantic.types import Strict

from gittarget_status._stored._marker import AS_READ, EXACT_READERS, Read, Stored, renders_as_read

__all__ = ["enum_reader", "field_reader", "flat_metadata"]

#: Metadata that changes nothing about a value already of the exact type.
_HARMLESS = (WithJsonSchema,)


def field_reader(field: FieldInfo, nested: Callable[[type[BaseModel]], Read]) -> Read | None:
    """How the field's stored JSON value is read, or None if a recipe cannot stand for it.

    ``nested(model)``: the reader of a nested model (its own recipe's build).
    """
    inner, optional_meta = _without_none(field.annotation)
    # The inner type's own metadata first: the field's applies after it (outside).
    return _read_of(inner, [*optional_meta, *field.metadata], nested)


def _without_none(annotation: object) -> tuple[object, list[object]]:
    """``X | None`` as ``X`` (a stored ``null`` is never given a recipe), with X's own metadata."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) != 1:
            return None, []
        annotation = rest[0]
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return inner, metadata
    return annotation, []


def _read_of(
    inner: object, metadata: list[object], nested: Callable[[type[BaseModel]], Read]
) -> Read | None:
    read: Read | None = None
    strict = False
    pending: list[object] = []  # metadata no Stored marker stands for yet
    for item in flat_metadata(metadata):
        if isinstance(item, Stored):
            read, pending = item.read, []
        elif isinstance(item, Strict):
            strict = strict or item.strict
        elif not isinstance(item, _HARMLESS):
            pending.append(item)
    if read is not None:
        return None if pending else read
    if inner in EXACT_READERS:  # strict or lax, a value of the exact type is kept as it is
        return _bounded(EXACT_READERS[inner], pending) if pending else EXACT_READERS[inner]
    if pending:
        return None
    if isinstance(inner, type) and issubclass(inner, Enum):
        if strict or not all(type(value) is str for value in inner._value2member_map_):
            return None  # strict refuses the plain value; JSON gives ints in several forms
        return enum_reader(inner)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return nested(inner)
    return None


#: The constraints a recipe checks itself, on a value of the exact type (``Field(ge=0)``,
#: ``Field(max_length=64)``): each holds or the value is left to pydantic and its error.
_BOUNDS: dict[type, Callable[[Any, Any], bool]] = {
    annotated_types.Ge: lambda value, item: value >= item.ge,
    annotated_types.Gt: lambda value, item: value > item.gt,
    annotated_types.Le: lambda value, item: value <= item.le,
    annotated_types.Lt: lambda value, item: value < item.lt,
    annotated_types.MinLen: lambda value, item: len(value) >= item.min_length,
    annotated_types.MaxLen: lambda value, item: len(value) <= item.max_length,
}


def _bounded(read: Read, constraints: list[object]) -> Read | None:
    checks = [(_BOUNDS.get(type(item)), item) for item in constraints]
    if any(check is None for check, _ in checks):
        return None  # a pattern, a multiple of, a predicate...: left to pydantic

    def read_bounded(value: object) -> Any:
        exact = read(value)
        if exact is None:
            return None
        for check, item in checks:
            if not check(exact, item):  # type: ignore[misc]
                return None
        return exact

    return renders_as_read(read_bounded) if read in AS_READ else read_bounded


def flat_metadata(metadata: list[Any]) -> list[Any]:
    """Metadata with nested ``Field(...)`` objects opened (``Annotated[str, Field(...)]``)."""
    out: list[Any] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.extend(flat_metadata(list(item.metadata)))
        else:
            out.append(item)
    return out


def enum_reader(enum: type[Enum]) -> Read:
    """The reader of a ``str`` enum: a member from its exact value."""
    members = enum._value2member_map_

    def read(value: object) -> Enum | None:
        return members.get(value) if type(value) is str else None

    return renders_as_read(read)
