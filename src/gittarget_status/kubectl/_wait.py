"""The ``--for`` expressions themselves: parsing them and deciding one object.

[`ConditionWait`][gittarget_status.kubectl.ConditionWait] is kubectl's ``condition.go`` check,
[`JSONPathWait`][gittarget_status.kubectl.JSONPathWait] its ``json.go`` one;
[`condition_met`][gittarget_status.kubectl.condition_met] is the entry point that takes either, or
the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from gittarget_status.kubectl._errors import WaitEvaluationError, WaitExpressionError
from gittarget_status.kubectl._fold import equal_fold
from gittarget_status.kubectl._gofmt import go_format
from gittarget_status.kubectl._jsonpath import Step, evaluate, parse_path, relaxed_jsonpath
from gittarget_status.kubectl._unstructured import nested, nested_int64, nested_string

__all__ = [
    "ConditionWait",
    "JSONPathWait",
    "WaitExpression",
    "WaitVerdict",
    "condition_met",
    "parse_wait_expression",
    "wait_verdict",
]


@dataclass(frozen=True, slots=True)
class WaitVerdict:
    """kubectl wait's answer for one object, and why (``str()`` is the explanation)."""

    met: bool
    explanation: str

    def __bool__(self) -> bool:
        return self.met

    def __str__(self) -> str:
        return self.explanation


# ------------------------------------------------------------------------ condition=


@dataclass(frozen=True, slots=True)
class ConditionWait:
    """``condition=NAME[=VALUE]``."""

    name: str
    value: str = "true"

    def __call__(self, obj: Mapping[str, object]) -> bool:
        return self.verdict(obj).met

    def verdict(self, obj: Mapping[str, object]) -> WaitVerdict:
        """The decision (the rules in the package docstring) with the reason for it."""
        conditions, found = nested(obj, "status", "conditions")
        if not found:
            return WaitVerdict(False, "no .status.conditions")
        if not isinstance(conditions, list):
            raise WaitEvaluationError(
                f".status.conditions accessor error: {conditions!r} is of the type "
                f"{type(conditions).__name__}, expected []interface{{}}"
            )
        without_status = False
        for condition in conditions:
            if not isinstance(condition, Mapping):
                continue  # kubectl v1.36 skips it (v1.32 panics)
            type_ = nested_string(condition, "type")
            if type_ is None or not equal_fold(type_, self.name):
                continue
            status = nested_string(condition, "status")
            if status is None:
                without_status = True
                continue
            generation = nested_int64(obj, "metadata", "generation")
            if generation is not None:
                observed = _observed_generation(obj, condition)
                if observed is not None and observed < generation:
                    return WaitVerdict(
                        False,
                        f"condition {type_} is stale: observedGeneration {observed} "
                        f"< generation {generation}",
                    )
            if equal_fold(status, self.value):
                return WaitVerdict(True, f"condition {type_} is {status}")
            reason = nested_string(condition, "reason")
            because = f" (reason {reason})" if reason else ""
            return WaitVerdict(False, f"condition {type_} is {status}{because}, want {self.value}")
        suffix = " with a string status" if without_status else ""
        return WaitVerdict(False, f"no condition {self.name}{suffix}")


def _observed_generation(obj: Mapping[str, object], condition: Mapping[str, object]) -> int | None:
    own = nested_int64(condition, "observedGeneration")
    return own if own is not None else nested_int64(obj, "status", "observedGeneration")


# ------------------------------------------------------------------------- jsonpath=


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
        # relaxed_jsonpath gives "{." + text without braces: one expression, never a range.
        return cls(expression, value, tuple(parse_path(expression[1:-1])))

    def results(self, obj: Mapping[str, object]) -> list[object]:
        return evaluate(self.steps, [obj])

    def __call__(self, obj: Mapping[str, object]) -> bool:
        return self.verdict(obj).met

    def verdict(self, obj: Mapping[str, object]) -> WaitVerdict:
        """The decision (the rules in the package docstring) with the reason for it."""
        found = self.results(obj)
        if not found:
            return WaitVerdict(False, f"{self.expression} matches nothing")
        if len(found) > 1:
            raise WaitEvaluationError("given jsonpath expression matches more than one value")
        if self.value is None:
            return WaitVerdict(True, f"{self.expression} is present")
        result = found[0]
        if isinstance(result, Mapping | list):
            raise WaitEvaluationError(
                "jsonpath leads to a nested object or list which is not supported"
            )
        printed = go_format(result).strip()
        if printed == self.value.strip():
            return WaitVerdict(True, f"{self.expression} is {printed}")
        return WaitVerdict(False, f"{self.expression} is {printed}, want {self.value.strip()}")


# ---------------------------------------------------------------------------- --for=

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

    Raises [`WaitExpressionError`][gittarget_status.kubectl.WaitExpressionError] for an expression
    kubectl refuses and [`WaitEvaluationError`][gittarget_status.kubectl.WaitEvaluationError] where
    kubectl fails with an error instead of waiting.
    """
    return wait_verdict(obj, expression).met


def wait_verdict(obj: Mapping[str, object], expression: str | WaitExpression) -> WaitVerdict:
    """[`condition_met`][gittarget_status.kubectl.condition_met]'s answer with its
    explanation, for example ``condition Ready is stale: observedGeneration 1 < generation
    2`` or ``no condition SnapshotSynced``. Raises as
    [`condition_met`][gittarget_status.kubectl.condition_met] does."""
    wait = parse_wait_expression(expression) if isinstance(expression, str) else expression
    if not isinstance(obj, Mapping):
        raise WaitEvaluationError(f"expected a JSON object, got {type(obj).__name__}")
    return wait.verdict(obj)
