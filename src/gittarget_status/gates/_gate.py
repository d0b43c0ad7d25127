"""A gate: one condition type, the evaluator that decides it, and how it gates the rest."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._rules import as_plain_str, check_reason, check_type
from gittarget_status.gates._result import GateResult

__all__ = ["Evaluator", "Gate"]

C = TypeVar("C", contravariant=True)

#: ``evaluate(context) -> GateResult``, plain or ``async def``.
Evaluator = Callable[[C], GateResult] | Callable[[C], Awaitable[GateResult]]


@dataclass(frozen=True, slots=True)
class Gate(Generic[C]):
    """One startup gate.

    ``ready_reason`` is Ready's reason when this is the first failing required gate;
    ``blocking`` gates stop evaluation of the gates after them until they are True;
    ``required`` gates must all be True for Ready=True.
    """

    type: str
    evaluate: Evaluator[C]
    ready_reason: str = field(kw_only=True)
    blocking: bool = field(default=True, kw_only=True)
    required: bool = field(default=True, kw_only=True)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "type", check_type(_plain(self.type, "type")))
            reason = check_reason(_plain(self.ready_reason, "ready_reason"))
            object.__setattr__(self, "ready_reason", reason)
        except ValueError as exc:
            raise StatusValidationError.single("Gate", str(exc)) from None
        if not callable(self.evaluate):
            raise TypeError(f"gate {self.type}: evaluate must be callable")

    @property
    def is_async(self) -> bool:
        """True for an ``async def`` evaluator (or a callable object with one)."""
        call = getattr(self.evaluate, "__call__", None)  # noqa: B004 - objects with async __call__
        return inspect.iscoroutinefunction(self.evaluate) or inspect.iscoroutinefunction(call)


def _plain(value: object, what: str) -> str:
    return as_plain_str(value.value if isinstance(value, Enum) else value, what)
