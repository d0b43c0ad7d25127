"""A pipeline's configuration, checked once at construction: what every pass is decided by.

[`GatePipeline`][gittarget_status.GatePipeline] builds one ``PassRules`` from its keyword
arguments; the pass (``_pass``) and the raw-object readers take their names from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from gittarget_status.conditions._common import READY, RECONCILING, STALLED, SUSPENDED
from gittarget_status.conditions._model import Condition
from gittarget_status.conditions._rules import check_type
from gittarget_status.gates._gate import Gate

__all__ = ["PassRules", "PhaseFunction", "pass_rules"]

C = TypeVar("C")

PhaseFunction = Callable[[Sequence[Condition]], Any]


@dataclass(frozen=True, slots=True)
class PassRules(Generic[C]):
    """What a pipeline decides a pass by (built and checked by ``pass_rules``)."""

    gates: tuple[Gate[C], ...]
    phase: PhaseFunction | None
    kstatus: bool
    kstatus_present: bool
    heartbeat: timedelta | None
    ready_type: str
    #: The condition a suspended pass writes (None: the pipeline cannot be suspended).
    suspended_type: str | None
    #: The ``spec`` field ``reconcile`` reads the suspend switch from (None: not read).
    suspend_field: str | None
    #: The annotation ``reconcile`` reads reconcile requests from (None: not read).
    request_annotation: str | None
    #: Every condition type the pipeline writes: gates, Ready, kstatus, Suspended.
    owned_types: tuple[str, ...]
    owned: frozenset[str]
    #: The gates not required for Ready (``ReconcileOutcome.optional_gates``).
    optional: frozenset[str]


def pass_rules(
    gates: Sequence[Gate[C]],
    *,
    phase: PhaseFunction | None,
    kstatus: bool,
    kstatus_present: bool,
    heartbeat: timedelta | None,
    ready_type: str,
    suspended_type: str | None,
    suspend_field: str | None,
    request_annotation: str | None,
) -> PassRules[C]:
    """The rules, or a ValueError naming the argument that cannot be one."""
    if not gates:
        raise ValueError("a pipeline needs at least one gate")
    _check_name("ready_type", ready_type)
    if suspended_type is not None:
        _check_name("suspended_type", suspended_type)
        if suspended_type == ready_type:
            raise ValueError("suspended_type must differ from ready_type")
    if suspend_field is not None and (not isinstance(suspend_field, str) or not suspend_field):
        raise ValueError(f"suspend_field must be a non-empty string, got {suspend_field!r}")
    if request_annotation is not None:
        _check_name("request_annotation", request_annotation)  # an annotation key's form
    types = [gate.type for gate in gates]
    written = {READY, ready_type, RECONCILING, STALLED, SUSPENDED, suspended_type or SUSPENDED}
    reserved = written.intersection(types)
    if reserved:
        raise ValueError(f"gate types {sorted(reserved)} are written by the pipeline itself")
    if len(set(types)) != len(types):
        raise ValueError(f"gate types must be unique, got {types}")
    if heartbeat is not None and heartbeat <= timedelta(0):
        raise ValueError("heartbeat must be positive")
    owned = (
        *types,
        ready_type,
        *((RECONCILING, STALLED) if kstatus else ()),
        *(() if suspended_type is None else (suspended_type,)),
    )
    return PassRules(
        gates=tuple(gates),
        phase=phase,
        kstatus=kstatus,
        kstatus_present=kstatus_present,
        heartbeat=heartbeat,
        ready_type=ready_type,
        suspended_type=suspended_type,
        suspend_field=None if suspended_type is None else suspend_field,
        request_annotation=request_annotation,
        owned_types=owned,
        owned=frozenset(owned),
        optional=frozenset(gate.type for gate in gates if not gate.required),
    )


def _check_name(what: str, value: str) -> None:
    """A qualified name (``Ready``, ``example.com/PolicyReady``): condition types and
    annotation keys share the form."""
    try:
        check_type(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: {exc}") from None
