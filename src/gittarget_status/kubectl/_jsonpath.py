"""The JSONPath subset ``kubectl wait --for=jsonpath=...`` needs, parsed into steps.

client-go's JSONPath is large; kubectl wait evaluates one expression, so only what that takes is
ported (fields, indexes, wildcards, filters) and anything else is refused with
[`WaitExpressionError`][gittarget_status.kubectl.WaitExpressionError] rather than guessed. A parsed
path is a list of ``Step`` functions, each mapping the current results to the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from gittarget_status.kubectl._errors import WaitEvaluationError, WaitExpressionError
from gittarget_status.kubectl._gofmt import GoByte, go_format, go_type

__all__ = ["Step", "evaluate", "parse_path", "relaxed_jsonpath"]

_RELAXED: Final = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_jsonpath(expression: str) -> str:
    """kubectl's ``RelaxedJSONPathExpression``: ``a.b`` / ``.a.b`` / ``{a.b}`` -> ``{.a.b}``."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise WaitExpressionError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


Step: TypeAlias = Callable[[list[object]], list[object]]


@dataclass(frozen=True, slots=True)
class _Literal:
    value: object


_OPERATORS: Final = ("==", "!=", "<=", ">=", "<", ">")
_FILTER_RE: Final = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")
_INTEGER_RE: Final = re.compile(r"-?\d+")
_FLOAT_RE: Final = re.compile(r"-?\d+\.\d*")
_NAME_RE: Final = re.compile(r"[A-Za-z0-9_\-/]+")
_BRACKET_KEY_RE: Final = re.compile(r"'([^']*)'")
_COMPARABLE: Final = frozenset({"bool", "int64", "float64", "string", "uint8"})


def _is_quoted(text: str) -> bool:
    """``'...'`` or ``"..."``: a string literal in a filter."""
    return len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'"


def _parse_operand(text: str) -> list[Step] | _Literal:
    text = text.strip()
    if text.startswith("@"):
        return parse_path(text[1:])
    if _is_quoted(text):
        return _Literal(text[1:-1])
    if text in ("true", "false"):
        return _Literal(text == "true")
    if _INTEGER_RE.fullmatch(text):
        return _Literal(int(text))
    if _FLOAT_RE.fullmatch(text):  # client-go reads ".5" as a field, not a number
        return _Literal(float(text))
    raise WaitExpressionError(f"unsupported filter operand {text!r}")


def _field_step(name: str) -> Step:
    def step(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in values:
            if isinstance(value, Mapping) and name in value:
                out.append(value[name])
        return out

    return step


def _wildcard_step(values: list[object]) -> list[object]:
    """``.*``: a map's values, a list's elements, a string's bytes (as client-go does)."""
    out: list[object] = []
    for value in values:
        if isinstance(value, Mapping):
            out.extend(value[key] for key in sorted(value))
        elif isinstance(value, list):
            out.extend(value)
        elif isinstance(value, str):
            out.extend(GoByte(byte) for byte in value.encode("utf-8"))
    return out


def _lists(values: list[object]) -> Iterator[list[object]]:
    """The values an array step applies to: null is skipped, anything but a list refused."""
    for value in values:
        if value is None:
            continue
        if not isinstance(value, list):
            raise WaitEvaluationError(f"{go_type(value)} is not array or slice")
        yield value


def _elements_step(values: list[object]) -> list[object]:
    """``[*]``: client-go's full slice ``[:]``, so only lists (null is skipped)."""
    return [item for value in _lists(values) for item in value]


def _index_step(position: int) -> Step:
    def step(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in _lists(values):
            length = len(value)
            index = position + length if position < 0 else position
            if not 0 <= index < length:
                raise WaitEvaluationError(
                    f"array index out of bounds: index {position}, length {length}"
                )
            out.append(value[index])
        return out

    return step


def evaluate(steps: Sequence[Step], values: list[object]) -> list[object]:
    """Apply ``steps`` in order, starting from ``values``: the results."""
    for step in steps:
        values = step(values)
    return values


def _single(values: list[object]) -> object:
    """The one value a filter comparison takes; several are an error, as in client-go."""
    if len(values) > 1:
        raise WaitEvaluationError("can only compare one element at a time")
    return values[0]


def _filter_step(left: list[Step], operator: str | None, right: list[Step] | _Literal) -> Step:
    def operand(side: list[Step] | _Literal, item: object) -> list[object]:
        if isinstance(side, _Literal):
            return [side.value]
        return evaluate(side, [item])

    def step(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in values:
            if not isinstance(value, list):
                raise WaitEvaluationError(
                    f"{go_format(value)} is not array or slice and cannot be filtered"
                )
            for item in value:
                lefts = operand(left, item)
                if operator is None:
                    if lefts:
                        out.append(item)
                    continue
                if not lefts:
                    continue
                left_value = _single(lefts)
                rights = operand(right, item)
                if not rights:
                    continue
                if _compare(left_value, operator, _single(rights)):
                    out.append(item)
        return out

    return step


def _basic_kind(value: object) -> str:
    """The Go type of a filter operand; only scalars can be compared."""
    kind = go_type(value)
    if kind not in _COMPARABLE:
        raise WaitEvaluationError("invalid type for comparison")
    return kind


def _compare(left: object, operator: str, right: object) -> bool:
    kind = _basic_kind(left)
    if kind != _basic_kind(right):
        raise WaitEvaluationError("incompatible types for comparison")
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if kind == "bool":
        raise WaitEvaluationError("invalid type for comparison")
    a: int | float | str = left  # type: ignore[assignment]
    b: int | float | str = right  # type: ignore[assignment]
    if operator == "<":
        return a < b  # type: ignore[operator]
    if operator == ">":
        return a > b  # type: ignore[operator]
    if operator == "<=":
        return a <= b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


def parse_path(text: str) -> list[Step]:
    """Parse ``.a.b[0][?(@.x=="y")].c`` into steps (the body after ``@`` or ``{``)."""
    steps: list[Step] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == ".":
            if text.startswith("..", pos):
                raise WaitExpressionError("recursive descent '..' is not supported")
            pos += 1
            if pos < len(text) and text[pos] == "*":
                steps.append(_wildcard_step)
                pos += 1
                continue
            match = _NAME_RE.match(text, pos)
            if match is None:
                if pos == len(text):  # client-go: a trailing "." names the empty key
                    steps.append(_field_step(""))
                    break
                raise WaitExpressionError(f"unexpected character {text[pos]!r} in {text!r}")
            steps.append(_field_step(match.group()))
            pos = match.end()
        elif char == "[":
            close = _matching_bracket(text, pos)
            inner = text[pos + 1 : close]  # client-go takes no spaces around an index
            pos = close + 1
            steps.append(_bracket_step(inner))
        elif char.isspace():
            pos += 1
        else:
            raise WaitExpressionError(f"unexpected character {char!r} in {text!r}")
    return steps


def _matching_bracket(text: str, start: int) -> int:
    depth = 0
    quote: str | None = None
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
    raise WaitExpressionError(f"unterminated '[' in {text!r}")


def _bracket_step(inner: str) -> Step:
    if inner == "*":
        return _elements_step
    if inner.startswith("?(") and inner.endswith(")"):
        body = inner[2:-1]
        match = _FILTER_RE.match(body)
        if match is None:
            left = _parse_operand(body)
            if isinstance(left, _Literal):
                raise WaitExpressionError(f"unsupported filter {inner!r}")
            return _filter_step(left, None, [])
        operator = match.group(2)
        if operator not in _OPERATORS:
            raise WaitExpressionError(f"unrecognized filter operator {operator}")
        left = _parse_operand(match.group(1))
        right = _parse_operand(match.group(3))
        if isinstance(left, _Literal):
            raise WaitExpressionError(f"a filter must start with '@': {inner!r}")
        return _filter_step(left, operator, right)
    key = _BRACKET_KEY_RE.fullmatch(inner)
    if key is not None:  # client-go takes ['name'] only: ["name"] is an invalid index
        return _field_step(key.group(1))
    if _INTEGER_RE.fullmatch(inner):
        return _index_step(int(inner))
    raise WaitExpressionError(f"unsupported JSONPath subscript [{inner}]")
