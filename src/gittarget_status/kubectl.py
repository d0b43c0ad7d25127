"""``kubectl wait --for=...`` semantics, evaluated offline on one object.

A faithful port of the checks in kubectl's ``pkg/cmd/wait`` (``condition.go`` and
``json.go``, kubectl v1.32), so that a test or a script can tell, from a saved object,
whether ``kubectl wait`` would return. The rules, exactly as kubectl applies them:

``condition=NAME[=VALUE]`` (VALUE defaults to ``true``)
    * ``status.conditions`` is scanned in list order; a condition whose ``type`` is not a
      string, or does not equal NAME after Unicode simple case folding (Go's
      ``strings.EqualFold``), is skipped; so is one whose ``status`` is not a string.
    * The first remaining condition decides; nothing after it is looked at (a duplicated
      type is therefore decided by its first entry).
    * If ``metadata.generation`` is an integer and the condition's ``observedGeneration``
      (or, when the condition has none, ``status.observedGeneration``) is an integer below
      it, the condition is stale: not met, whatever its status.
    * Otherwise met iff ``status`` equals VALUE after simple case folding.
    * A list entry that is not an object stops the scan: not met (what current kubectl
      does; v1.32 crashes with a panic on such an entry, see the differential tests).

``jsonpath={EXPR}[=VALUE]``
    * EXPR may be written ``{.a.b}``, ``{a.b}``, ``.a.b`` or ``a.b`` (kubectl's relaxed
      form); missing keys are allowed (not met, not an error).
    * No result: not met. More than one result: an error, as in kubectl.
    * Without VALUE: met iff there is a result. With VALUE: the result, printed the way
      Go's ``%v`` prints it, equals VALUE after both are stripped of surrounding spaces;
      quotes around VALUE are removed. Objects and lists cannot be compared (an error).
    * The expression ``EXPR=VALUE`` is split on single ``=`` only, so filters such as
      ``[?(@.type=="Ready")]`` keep their ``==``.

Supported JSONPath: ``.field``, ``['field']``, ``[n]`` (negative counts from the end),
``[*]`` / ``.*``, and filters ``[?(@.path)]`` / ``[?(@.path OP literal)]`` with ``==``,
``!=``, ``<``, ``>``, ``<=``, ``>=``. Other constructs (recursive descent, unions,
slices, ``range``) raise :class:`WaitExpressionError` rather than guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, TypeAlias

__all__ = [
    "ConditionWait",
    "JSONPathWait",
    "WaitEvaluationError",
    "WaitExpression",
    "WaitExpressionError",
    "condition_met",
    "equal_fold",
    "parse_wait_expression",
]

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1


class WaitExpressionError(ValueError):
    """The ``--for`` expression is one kubectl would refuse (or one this port lacks)."""


class WaitEvaluationError(ValueError):
    """kubectl would fail with an error on this object (not merely "condition not met")."""


# --------------------------------------------------------------------------- folding


def _simple_fold(char: str) -> str:
    """The Unicode simple case folding (CaseFolding.txt status C and S) of one character."""
    folded = char.casefold()
    if len(folded) == 1:
        return folded
    lower = char.lower()  # the few status-S entries are their simple lowercase
    return lower if len(lower) == 1 else char


def equal_fold(left: str, right: str) -> bool:
    """Go's ``strings.EqualFold``: equal under Unicode simple case folding, rune by rune.

    Unlike ``str.casefold`` this never expands a character (``"ß"`` does not equal
    ``"ss"``), and the Kelvin sign equals ``k``, long s equals ``s``.
    """
    if len(left) != len(right):
        return False
    pairs = zip(left, right, strict=True)
    return all(a == b or _simple_fold(a) == _simple_fold(b) for a, b in pairs)


# --------------------------------------------------------------------- unstructured

_MISSING: Final = object()


def _nested(obj: object, *fields: str) -> tuple[object, bool]:
    """apimachinery's ``NestedFieldNoCopy``: (value, found); raises for a non-object step."""
    value: object = obj
    for index, field in enumerate(fields):
        if value is None:
            return None, False
        if not isinstance(value, Mapping):
            path = ".".join(fields[: index + 1])
            raise WaitEvaluationError(
                f"{path} accessor error: {value!r} is of the type {type(value).__name__}, "
                "expected map[string]interface{}"
            )
        value = value.get(field, _MISSING)
        if value is _MISSING:
            return None, False
    return value, True


def _nested_int64(obj: object, *fields: str) -> int | None:
    """``NestedInt64`` with its error ignored (as kubectl does): the int64 or None."""
    try:
        value, found = _nested(obj, *fields)
    except WaitEvaluationError:
        return None
    if not found or isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def _nested_string(obj: object, field: str) -> str | None:
    value, found = _nested(obj, field)
    return value if found and isinstance(value, str) else None


# ------------------------------------------------------------------------ condition=


@dataclass(frozen=True, slots=True)
class ConditionWait:
    """``condition=NAME[=VALUE]``."""

    name: str
    value: str = "true"

    def __call__(self, obj: Mapping[str, object]) -> bool:
        conditions, found = _nested(obj, "status", "conditions")
        if not found:
            return False
        if not isinstance(conditions, list):
            raise WaitEvaluationError(
                f".status.conditions accessor error: {conditions!r} is of the type "
                f"{type(conditions).__name__}, expected []interface{{}}"
            )
        for condition in conditions:
            if not isinstance(condition, Mapping):
                return False
            type_ = _nested_string(condition, "type")
            if type_ is None or not equal_fold(type_, self.name):
                continue
            status = _nested_string(condition, "status")
            if status is None:
                continue
            generation = _nested_int64(obj, "metadata", "generation")
            if generation is not None:
                observed = _observed_generation(obj, condition)
                if observed is not None and observed < generation:
                    return False
            return equal_fold(status, self.value)
        return False


def _observed_generation(obj: Mapping[str, object], condition: Mapping[str, object]) -> int | None:
    own = _nested_int64(condition, "observedGeneration")
    return own if own is not None else _nested_int64(obj, "status", "observedGeneration")


# ------------------------------------------------------------------------- jsonpath=

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


def _split_single_equals(text: str) -> list[str]:
    """kubectl's ``splitJSONPathInput``: split on ``=`` but never inside ``==``."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "=":
            if index < len(text) - 1 and text[index + 1] == "=":
                current.append("==")
                index += 2
                continue
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


Step: TypeAlias = Callable[[list[object]], list[object]]


@dataclass(frozen=True, slots=True)
class _Literal:
    value: object


_OPERATORS: Final = ("==", "!=", "<=", ">=", "<", ">")
_FILTER_RE: Final = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")


def _parse_operand(text: str) -> list[Step] | _Literal:
    text = text.strip()
    if text.startswith("@"):
        return _parse_path(text[1:])
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return _Literal(text[1:-1])
    if text in ("true", "false"):
        return _Literal(text == "true")
    if re.fullmatch(r"-?\d+", text):
        return _Literal(int(text))
    if re.fullmatch(r"-?\d+\.\d*|-?\.\d+", text):
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
    out: list[object] = []
    for value in values:
        if isinstance(value, Mapping):
            out.extend(value[key] for key in sorted(value))
        elif isinstance(value, list):
            out.extend(value)
    return out


def _index_step(position: int) -> Step:
    def step(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise WaitEvaluationError(f"{_go_type(value)} is not array or slice")
            length = len(value)
            index = position + length if position < 0 else position
            if not 0 <= index < length:
                raise WaitEvaluationError(
                    f"array index out of bounds: index {position}, length {length}"
                )
            out.append(value[index])
        return out

    return step


def _evaluate(steps: Sequence[Step], values: list[object]) -> list[object]:
    for step in steps:
        values = step(values)
    return values


def _filter_step(left: list[Step], operator: str | None, right: list[Step] | _Literal) -> Step:
    def operand(side: list[Step] | _Literal, item: object) -> list[object]:
        if isinstance(side, _Literal):
            return [side.value]
        return _evaluate(side, [item])

    def step(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in values:
            if not isinstance(value, list):
                raise WaitEvaluationError(
                    f"{_go_format(value)} is not array or slice and cannot be filtered"
                )
            for item in value:
                lefts = operand(left, item)
                if operator is None:
                    if lefts:
                        out.append(item)
                    continue
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise WaitEvaluationError("can only compare one element at a time")
                rights = operand(right, item)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise WaitEvaluationError("can only compare one element at a time")
                if _compare(lefts[0], operator, rights[0]):
                    out.append(item)
        return out

    return step


def _basic_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise WaitEvaluationError("invalid type for comparison")


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


_NAME_RE: Final = re.compile(r"[A-Za-z0-9_\-/]+")


def _parse_path(text: str) -> list[Step]:
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
                if pos == len(text):
                    break  # a lone "." selects the current object
                raise WaitExpressionError(f"unexpected character {text[pos]!r} in {text!r}")
            steps.append(_field_step(match.group()))
            pos = match.end()
        elif char == "[":
            close = _matching_bracket(text, pos)
            inner = text[pos + 1 : close].strip()
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
        return _wildcard_step
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
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "\"'":
        return _field_step(inner[1:-1])
    if re.fullmatch(r"-?\d+", inner):
        return _index_step(int(inner))
    raise WaitExpressionError(f"unsupported JSONPath subscript [{inner}]")


def _go_type(value: object) -> str:
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
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


def _go_format(value: object) -> str:
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


@dataclass(frozen=True, slots=True)
class JSONPathWait:
    """``jsonpath={EXPR}[=VALUE]``; ``value=None`` means "any value"."""

    expression: str
    value: str | None
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, text: str) -> JSONPathWait:
        parts = _split_single_equals(text)
        if not 1 <= len(parts) <= 2:
            raise WaitExpressionError(
                "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 "
                "or --for=jsonpath='{.status.readyReplicas}'"
            )
        expression = relaxed_jsonpath(parts[0])
        if not expression:
            raise WaitExpressionError("jsonpath expression cannot be empty")
        value: str | None = None
        if len(parts) == 2:
            value = parts[1].strip("'\"")
            if not value:
                raise WaitExpressionError(
                    "jsonpath wait has to have a value after equal sign, like "
                    "--for=jsonpath='{.status.readyReplicas}'=3"
                )
        body = expression[1:-1]
        if body.strip().startswith("range") or "{" in body or "}" in body:
            raise WaitExpressionError("only a single JSONPath expression is supported")
        return cls(expression, value, tuple(_parse_path(body)))

    def results(self, obj: Mapping[str, object]) -> list[object]:
        return _evaluate(self.steps, [obj])

    def __call__(self, obj: Mapping[str, object]) -> bool:
        found = self.results(obj)
        if not found:
            return False
        if len(found) > 1:
            raise WaitEvaluationError("given jsonpath expression matches more than one value")
        if self.value is None:
            return True
        result = found[0]
        if isinstance(result, Mapping | list):
            raise WaitEvaluationError(
                "jsonpath leads to a nested object or list which is not supported"
            )
        return _go_format(result).strip() == self.value.strip()


WaitExpression: TypeAlias = ConditionWait | JSONPathWait


def parse_wait_expression(expression: str) -> WaitExpression:
    """Parse a ``--for`` value (with or without the ``--for=`` prefix)."""
    text = expression.removeprefix("--for=")
    if text.lower() in ("delete", "create"):
        raise WaitExpressionError(
            f"--for={text} depends on the object's existence in a cluster, "
            "not on its content; it cannot be evaluated offline"
        )
    if text.startswith("condition="):
        name = text[len("condition=") :]
        value = "true"
        if "=" in name:
            name, value = name.split("=", 1)
        return ConditionWait(name, value)
    if text.startswith("jsonpath="):
        return JSONPathWait.parse(text[len("jsonpath=") :])
    raise WaitExpressionError(f"unrecognized condition: {text!r}")


def condition_met(obj: Mapping[str, object], expression: str | WaitExpression) -> bool:
    """Would ``kubectl wait --for=EXPRESSION`` return for this object (as JSON)?

    Raises :class:`WaitExpressionError` for an expression kubectl refuses and
    :class:`WaitEvaluationError` where kubectl fails with an error instead of waiting.
    """
    wait = parse_wait_expression(expression) if isinstance(expression, str) else expression
    if not isinstance(obj, Mapping):
        raise WaitEvaluationError(f"expected a JSON object, got {type(obj).__name__}")
    return wait(obj)
