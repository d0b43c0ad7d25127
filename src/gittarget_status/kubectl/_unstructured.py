"""apimachinery's unstructured accessors, as kubectl reads a saved object with them.

Their quirks decide verdicts (a non-object step is an error; a generation that is not an
int64 is simply absent), so they are ported as they are rather than as ``dict.get`` chains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from gittarget_status.kubectl._errors import WaitEvaluationError

__all__ = ["nested", "nested_int64", "nested_string"]

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1

_MISSING: Final = object()


def nested(
    obj: object, *fields: str, error: type[ValueError] = WaitEvaluationError
) -> tuple[object, bool]:
    """apimachinery's ``NestedFieldNoCopy``: (value, found); raises ``error`` for a
    non-object step (kstatus shares this reader with its own error type)."""
    value: object = obj
    for index, field in enumerate(fields):
        if value is None:
            return None, False
        if not isinstance(value, Mapping):
            path = ".".join(fields[: index + 1])
            raise error(
                f"{path} accessor error: {value!r} is of the type {type(value).__name__}, "
                "expected map[string]interface{}"
            )
        value = value.get(field, _MISSING)
        if value is _MISSING:
            return None, False
    return value, True


def nested_int64(obj: object, *fields: str) -> int | None:
    """``NestedInt64`` with its error ignored (as kubectl does): the int64 or None."""
    try:
        value, found = nested(obj, *fields)
    except WaitEvaluationError:
        return None
    if not found or isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def nested_string(obj: object, field: str) -> str | None:
    """``NestedString`` with its error ignored: the string at ``field`` or None."""
    value, found = nested(obj, field)
    return value if found and isinstance(value, str) else None
