"""What one pipeline pass hands back to the controller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.gates._result import GateResult

__all__ = ["ReconcileOutcome", "Transition"]

S = TypeVar("S")


class Transition(NamedTuple):
    """A condition whose status moved in this pass (``None``: absent before or after).

    Controllers emit a Kubernetes Event per transition, and only then.
    """

    type: str
    old: ConditionStatus | None
    new: ConditionStatus | None


@dataclass(frozen=True, slots=True)
class ReconcileOutcome(Generic[S]):
    """The new status and everything a controller needs to act on it.

    ``changed`` is True iff writing ``status`` changes what is stored: exactly when
    ``status_patch(stored, status)`` returns a body. ``error`` is an exception an
    evaluator raised (already recorded as ``EvaluationFailed``): log it and back off.
    ``requeue_after`` is the smallest hint any evaluated gate gave. ``repaired`` lists,
    as ``(path, stored value)``, what this write repairs although nothing was decided
    differently: duplicate condition types and unknown values a lenient parse dropped,
    owned conditions or fields stored in a form the strict rules do not write (a hand
    edit with a fractional or offset timestamp). Log it; it is written once.
    """

    status: S
    changed: bool
    ready: bool
    phase: Any
    blocked_by: str | None
    requeue_after: timedelta | None
    transitions: tuple[Transition, ...]
    error: Exception | None
    stalled: bool
    results: Mapping[str, GateResult]
    repaired: tuple[tuple[str, object], ...] = ()

    @property
    def needs_write(self) -> bool:
        """Alias of ``changed``, for readers of controller code."""
        return self.changed
