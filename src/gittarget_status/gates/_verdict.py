"""Calling one gate's evaluator and checking what it returned against the gate.

Both drivers of a pass (plain and awaiting) call evaluators through here, so an evaluator
that raises, returns the wrong type or an undeclared reason is handled the same way in
both.
"""

from __future__ import annotations

import dataclasses
import inspect
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from gittarget_status._errors import UsageError
from gittarget_status.conditions._common import CommonReason
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.gates._gate import Gate
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._writes import fields

__all__ = ["Verdict", "acall", "apply_details", "call", "unreachable"]

C = TypeVar("C")

#: A gate's result and the exception its evaluator raised (already recorded as the result).
Verdict = tuple[GateResult, Exception | None]


def unreachable(
    gate: Gate[Any], context: object
) -> Verdict:  # pragma: no cover - initialize never yields
    raise AssertionError(f"initialize evaluated {gate.type}")


def call(gate: Gate[C], context: C) -> Verdict:
    try:
        result = gate.evaluate(context)
    except UsageError:
        raise  # a bug in the controller, not a verdict about the world
    except Exception as exc:
        return _evaluation_failed(exc), exc
    if type(result) is not GateResult and hasattr(type(result), "__await__"):
        if inspect.iscoroutine(result):
            result.close()
        raise UsageError(f"gate {gate.type} returned an awaitable; use 'await aevaluate(...)'")
    return _checked(gate, result)


async def acall(gate: Gate[C], context: C) -> Verdict:
    try:
        result = gate.evaluate(context)
        if inspect.isawaitable(result):
            result = await result
    except UsageError:
        raise
    except Exception as exc:
        return _evaluation_failed(exc), exc
    return _checked(gate, result)


def _checked(gate: Gate[Any], result: object) -> Verdict:
    """The verdict under the gate's declaration: reasons accepted, terminal-ness decided.

    An undeclared reason is an observed failure, not a controller bug: evaluators map
    what the world answered to reasons, and the world answered something nobody planned
    for (a new error code, a port returning an odd value). It is reported like an
    evaluator that raised (Unknown/EvaluationFailed, naming the reason and the gate) so
    the object shows it and the next pass retries, instead of the controller crashing on
    every pass. ``terminal=True`` against the declaration is code contradicting itself:
    that is a ``UsageError``.
    """
    if not isinstance(result, GateResult):
        raise UsageError(f"gate {gate.type} returned {type(result).__name__}, not a GateResult")
    # The normalised fields, not the properties: this runs for every verdict.
    terminal_reasons: frozenset[str] = gate.terminal  # type: ignore[assignment]
    declared: frozenset[str] | None = gate.reasons  # type: ignore[assignment]
    if declared is None and not terminal_reasons:
        return result, None  # the generic default: any valid reason, the result's flag
    reason = result.reason
    if declared is not None and reason not in declared and not gate.accepts(reason):
        names = ", ".join(sorted(declared))
        return GateResult.unknown(
            CommonReason.EVALUATION_FAILED,
            f"gate {gate.type} returned undeclared reason {reason!r} "
            f"({result.status.value}: {result.message[:256] or 'no message'}); "
            f"declared: {names}",
        ), None
    terminal = reason in terminal_reasons and result.status is ConditionStatus.FALSE
    if result.terminal and not terminal:
        raise UsageError(
            f"gate {gate.type} returned {reason!r} with terminal=True, "
            "but the gate does not declare it terminal"
        )
    if terminal and not result.terminal:
        return dataclasses.replace(result, terminal=True), None
    return result, None


def _evaluation_failed(exc: Exception) -> GateResult:
    text = str(exc)
    return GateResult.unknown(
        CommonReason.EVALUATION_FAILED,
        f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
    )


def apply_details(
    new: BaseModel, gate: Gate[Any], result: GateResult, raised: Exception | None
) -> Verdict:
    """Assign the fields a gate observed; a bad field is that gate's evaluation failure.

    Gates hand back the previous detail object when nothing moved, so identity is
    checked first, on the instance dict (one attribute read instead of one per field).
    """
    if not result.details:
        return result, raised
    names = _detail_fields(type(new))
    values = new.__dict__
    try:
        for name, value in result.details.items():
            if name not in names:
                raise AttributeError(f"{type(new).__name__} has no detail field {name!r}")
            current = values[name] if name in values else getattr(new, name)
            if current is not value and current != value:
                setattr(new, name, value)
    except (AttributeError, ValueError) as exc:
        return _evaluation_failed(exc), raised or exc
    return result, raised


@cache
def _detail_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields a gate may set on ``model``: all but the pipeline's own condition list."""
    return fields(model) - {"conditions"}
