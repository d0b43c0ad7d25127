"""A gate: one condition type, the evaluator that decides it, and how it gates the rest."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._common import CommonReason
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

    ``reasons`` (a ``StrEnum`` class or any iterable of str; stored as a frozenset)
    declares every reason the evaluator may return; a result with another reason becomes
    an ``EvaluationFailed`` condition naming it. None (the default) accepts any valid
    reason. [`CommonReason`][gittarget_status.CommonReason] values are always accepted.

    ``terminal`` declares the failure reasons retrying cannot fix until the spec changes:
    a False result with one of them is terminal (Stalled=True), with no flag on the
    result. It is the one source of terminal-ness for a gate that declares ``reasons``
    or ``terminal``: a ``GateResult(terminal=True)`` with a reason not declared terminal
    contradicts the declaration and raises ``UsageError``. A gate declaring neither
    keeps the per-result ``terminal=True`` flag.
    """

    type: str
    evaluate: Evaluator[C]
    ready_reason: str = field(kw_only=True)
    blocking: bool = field(default=True, kw_only=True)
    required: bool = field(default=True, kw_only=True)
    reasons: Iterable[str] | None = field(default=None, kw_only=True)
    terminal: Iterable[str] = field(default=frozenset(), kw_only=True)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "type", check_type(as_plain_str(self.type, "type")))
            reason = check_reason(as_plain_str(self.ready_reason, "ready_reason"))
            object.__setattr__(self, "ready_reason", reason)
            terminal = _reason_set(self.terminal, "terminal")
            object.__setattr__(self, "terminal", terminal)
            if self.reasons is not None:
                declared = _reason_set(self.reasons, "reasons")
                object.__setattr__(self, "reasons", declared)
                undeclared = sorted(terminal - declared)
                if undeclared:
                    raise ValueError(f"gate {self.type}: terminal {undeclared} not in its reasons")
            common = sorted(terminal & _COMMON)
            if common:
                raise ValueError(f"gate {self.type}: library reasons {common} cannot be terminal")
        except ValueError as exc:
            raise StatusValidationError.single("Gate", str(exc)) from None
        if not callable(self.evaluate):
            raise TypeError(f"gate {self.type}: evaluate must be callable")

    @property
    def declared_reasons(self) -> frozenset[str] | None:
        """The reasons this gate's evaluator may return (None: any valid reason)."""
        return self.reasons  # type: ignore[return-value]  # normalised in __post_init__

    @property
    def terminal_reasons(self) -> frozenset[str]:
        """The declared terminal reasons (empty when the gate declares none)."""
        return self.terminal  # type: ignore[return-value]  # normalised in __post_init__

    @property
    def declares(self) -> bool:
        """Whether the declaration (not the result's flag) decides terminal-ness."""
        return self.reasons is not None or bool(self.terminal)

    def accepts(self, reason: str) -> bool:
        """Whether ``reason`` is one this gate may report (declared, or a library reason)."""
        return self.reasons is None or reason in self.reasons or reason in _COMMON

    @property
    def is_async(self) -> bool:
        """True for an ``async def`` evaluator (or a callable object with one)."""
        call = getattr(self.evaluate, "__call__", None)  # noqa: B004 - objects with async __call__
        return inspect.iscoroutinefunction(self.evaluate) or inspect.iscoroutinefunction(call)


#: The library's own reasons, which every gate may carry whatever it declares.
_COMMON: frozenset[str] = frozenset(CommonReason)


def _reason_set(values: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise ValueError(f"{what} must be a collection of reasons, not one str")
    return frozenset(check_reason(as_plain_str(value, what)) for value in values)
