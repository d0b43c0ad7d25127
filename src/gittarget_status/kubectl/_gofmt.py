"""How Go prints a JSON value decoded into ``interface{}``: ``%v`` and type names.

kubectl compares a ``jsonpath=`` result with the expected VALUE as text printed by Go's
``fmt``, and names Go types in its errors, so both are reproduced here exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["GoByte", "go_format", "go_type"]


class GoByte(int):
    """A ``uint8``: what client-go's JSONPath ``.*`` yields for each byte of a string."""

    __slots__ = ()


def go_type(value: object) -> str:
    """The Go type an unstructured value has (``int64``, ``map[string]interface {}``...)."""
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoByte):
        return "uint8"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, list):
        return "[]interface {}"
    return "string" if isinstance(value, str) else "interface {}"


def _go_float(value: float) -> str:
    """Go's ``%v`` for a float64: shortest digits, ``%e`` form when exp < -4 or >= 6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign_bit, digit_tuple, exp = Decimal(repr(value)).as_tuple()
    assert isinstance(exp, int)
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    digits = stripped
    sign = "-" if sign_bit else ""
    exponent = len(digits) + exp - 1
    if exponent < -4 or exponent >= 6:
        head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{head}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exp >= 0:
        return sign + digits + "0" * exp
    point = len(digits) + exp
    if point > 0:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}0.{'0' * -point}{digits}"


def go_format(value: object) -> str:
    """How Go's ``fmt.Sprintf("%v", v)`` prints a JSON scalar from an unstructured object."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, str):
        return value
    return str(value)
