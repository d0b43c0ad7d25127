"""What one pipeline pass hands back to the controller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar

from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.gates._events import transition_events
from gittarget_status.gates._result import GateResult

__all__ = ["ReconcileOutcome", "Transition", "outcome_of"]

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
    #: Gates not required for Ready (``Gate(required=False)``): their False is no Warning.
    optional_gates: frozenset[str] = field(default=frozenset(), kw_only=True)
    #: A suspended pass: no gate was evaluated, the stored verdict was kept (``results``
    #: is empty, ``ready`` is what the kept gates say). Do not requeue until resumed.
    suspended: bool = field(default=False, kw_only=True)

    @property
    def needs_write(self) -> bool:
        """Alias of ``changed``, for readers of controller code."""
        return self.changed

    def log_fields(self) -> dict[str, Any]:
        """The structured fields a controller logs for this pass: JSON-serialisable, and
        the same pass always gives the same dict.

        ``generation`` (the one the status now records), ``phase``, ``ready``,
        ``blocked_by``, ``transitions`` (``{"type", "old", "new"}`` in gate order, statuses
        as the API writes them, None for absent), ``changed``, ``error`` (``"Type:
        message"`` or None), ``stalled``, ``suspended`` (no gate was evaluated, the stored
        verdict was kept) and ``requeue_after`` (seconds or None). No key is
        a ``logging.LogRecord`` attribute, so ``logger.info(msg, extra=fields)`` works;
        [`Reconciled.log_fields`][gittarget_status.Reconciled.log_fields] adds the object.
        """
        error = self.error
        return {
            "generation": getattr(self.status, "observed_generation", None),
            "phase": _json_value(self.phase),
            "ready": self.ready,
            "blocked_by": self.blocked_by,
            "transitions": [
                {"type": t.type, "old": _json_value(t.old), "new": _json_value(t.new)}
                for t in self.transitions
            ],
            "changed": self.changed,
            "error": None if error is None else f"{type(error).__name__}: {error}",
            "stalled": self.stalled,
            "suspended": self.suspended,
            "requeue_after": (
                None if self.requeue_after is None else self.requeue_after.total_seconds()
            ),
        }

    def events(
        self,
        *,
        regarding: Mapping[str, Any],
        reporting_controller: str,
        reporting_instance: str,
        now: datetime,
        action: str = "Reconcile",
        generate_name: bool = False,
    ) -> tuple[dict[str, Any], ...]:
        """Kubernetes Event bodies (``events.k8s.io/v1``) for this pass's transitions.

        One per condition whose status moved (and is still present), in gate order;
        ``Warning`` when Stalled turned True or a required gate turned False, ``Normal``
        otherwise; none when nothing changed. ``regarding`` is the object's
        ObjectReference (apiVersion, kind, name, namespace, uid; see
        [`object_reference`][gittarget_status.gates.object_reference]), ``reporting_controller`` a
        qualified name such as ``example.com/certificate-controller``, ``now`` an aware
        clock (``eventTime``, microseconds kept). Deterministic: ``metadata.name`` is the
        object's name plus a digest of the Event (``generate_name=True``: let the API
        server pick one). POST each to ``/apis/events.k8s.io/v1/namespaces/NS/events``.
        """
        return transition_events(
            self.status,
            self.transitions,
            changed=self.changed,
            optional_gates=self.optional_gates,
            regarding=regarding,
            reporting_controller=reporting_controller,
            reporting_instance=reporting_instance,
            now=now,
            action=action,
            generate_name=generate_name,
        )


def _json_value(value: object) -> object:
    """An enum member as its value; other JSON scalars as they are; anything else as text."""
    if isinstance(value, Enum):
        value = value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


#: Each field's slot setter, in declaration order: a frozen dataclass's ``__init__`` sets
#: each field through ``object.__setattr__`` by name, which finds the slot first.
(
    _STATUS,
    _CHANGED,
    _READY,
    _PHASE,
    _BLOCKED_BY,
    _REQUEUE_AFTER,
    _TRANSITIONS,
    _ERROR,
    _STALLED,
    _RESULTS,
    _REPAIRED,
    _OPTIONAL_GATES,
    _SUSPENDED,
) = (ReconcileOutcome.__dict__[f.name].__set__ for f in fields(ReconcileOutcome))


def outcome_of(
    status: S,
    changed: bool,
    ready: bool,
    phase: Any,
    blocked_by: str | None,
    requeue_after: timedelta | None,
    transitions: tuple[Transition, ...],
    error: Exception | None,
    stalled: bool,
    results: Mapping[str, GateResult],
    repaired: tuple[tuple[str, object], ...],
    optional_gates: frozenset[str],
    suspended: bool,
) -> ReconcileOutcome[S]:
    """What ``ReconcileOutcome(...)`` builds from these values, in half the time: every
    pass ends here, and the dataclass checks nothing its ``__init__`` could skip."""
    outcome: ReconcileOutcome[S] = _new(ReconcileOutcome)
    _STATUS(outcome, status)
    _CHANGED(outcome, changed)
    _READY(outcome, ready)
    _PHASE(outcome, phase)
    _BLOCKED_BY(outcome, blocked_by)
    _REQUEUE_AFTER(outcome, requeue_after)
    _TRANSITIONS(outcome, transitions)
    _ERROR(outcome, error)
    _STALLED(outcome, stalled)
    _RESULTS(outcome, results)
    _REPAIRED(outcome, repaired)
    _OPTIONAL_GATES(outcome, optional_gates)
    _SUSPENDED(outcome, suspended)
    return outcome


_new = object.__new__
