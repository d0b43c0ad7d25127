"""The GitTarget lifecycle: its gates in a pipeline, and the two entry points."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final

from gittarget_status._errors import StatusValidationError, UsageError
from gittarget_status.gates._outcome import ReconcileOutcome
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._gates import GATES, GitTargetContext, async_gates
from gittarget_status.gittarget._phase import derive_phase
from gittarget_status.gittarget._ports import AsyncGitTargetPorts, GitTargetPorts
from gittarget_status.gittarget._spec import GitTargetSpec
from gittarget_status.gittarget._status import GitTargetStatus

__all__ = [
    "areconcile_gittarget",
    "gittarget_pipeline",
    "initialize_gittarget",
    "reconcile_gittarget",
]


@cache
def gittarget_pipeline(
    *,
    asynchronous: bool = False,
    kstatus: bool = True,
    kstatus_present: bool = False,
    heartbeat: timedelta | None = None,
) -> GatePipeline[GitTargetContext, GitTargetStatus]:
    """The GitTarget gates in [`GATE_ORDER`][gittarget_status.GATE_ORDER], each blocking and
    required, as declared in ``GATES`` (reasons and terminal reasons included); its
    ``reconcile(obj, ...)`` reads the object's status into a ``GitTargetStatus``."""
    gates = async_gates() if asynchronous else GATES
    return GatePipeline(
        gates,
        phase=derive_phase,
        kstatus=kstatus,
        kstatus_present=kstatus_present,
        heartbeat=heartbeat,
        status_model=GitTargetStatus,
    )


def reconcile_gittarget(
    spec: GitTargetSpec | Mapping[str, Any],
    status: GitTargetStatus | Mapping[str, Any] | None,
    ports: GitTargetPorts,
    *,
    generation: int,
    now: datetime,
    pipeline: GatePipeline[GitTargetContext] | None = None,
    requested_at: str | None = None,
) -> ReconcileOutcome[GitTargetStatus]:
    """One deterministic pass of the GitTarget lifecycle: the five gates, Ready, phase, kstatus.

    ``spec`` and ``status`` may be the API server's JSON. The input is never mutated;
    write ``outcome.status`` only when ``outcome.changed``. ``spec.suspend`` suspends the
    pass; ``requested_at`` is the ``reconcile.configbutler.ai/requestedAt`` annotation's
    value, recorded in ``lastHandledReconcileAt`` (see docs/operating.md).
    """
    _check_ports(ports, asynchronous=False)
    context, current = _prepare(spec, status, ports, now)
    chosen = pipeline or gittarget_pipeline()
    return chosen.evaluate(
        current,
        context,
        generation=generation,
        now=now,
        requested_at=requested_at,
        suspended=_suspended(context.spec, chosen),
    )


async def areconcile_gittarget(
    spec: GitTargetSpec | Mapping[str, Any],
    status: GitTargetStatus | Mapping[str, Any] | None,
    ports: AsyncGitTargetPorts | GitTargetPorts,
    *,
    generation: int,
    now: datetime,
    pipeline: GatePipeline[GitTargetContext] | None = None,
    requested_at: str | None = None,
) -> ReconcileOutcome[GitTargetStatus]:
    """[`reconcile_gittarget`][gittarget_status.reconcile_gittarget] for asyncio controllers."""
    _check_ports(ports, asynchronous=True)
    context, current = _prepare(spec, status, ports, now)
    chosen = pipeline or gittarget_pipeline(asynchronous=True)
    return await chosen.aevaluate(
        current,
        context,
        generation=generation,
        now=now,
        requested_at=requested_at,
        suspended=_suspended(context.spec, chosen),
    )


def _suspended(spec: GitTargetSpec, pipeline: GatePipeline[GitTargetContext]) -> bool:
    """``spec.suspend``, unless the pipeline has no suspend switch (``suspended_type=None``)."""
    return spec.suspend and pipeline.suspended_type is not None


def initialize_gittarget(
    status: GitTargetStatus | Mapping[str, Any] | None,
    *,
    generation: int,
    now: datetime,
    pipeline: GatePipeline[GitTargetContext] | None = None,
) -> ReconcileOutcome[GitTargetStatus]:
    """A new object's first status: every gate Unknown/NotChecked, Ready=False, PENDING.

    Pass the same ``pipeline`` the controller reconciles with, so the conditions it
    writes (kstatus or not) are the ones its passes maintain.
    """
    current = _status(status)
    chosen = pipeline or gittarget_pipeline()
    return chosen.initialize(current, generation=generation, now=now)


#: The methods every ports implementation has (both protocols share the names).
PORT_METHODS: Final = tuple(name for name in GitTargetPorts.__dict__ if not name.startswith("_"))
_PORT_NAMES: Final = frozenset(PORT_METHODS)
_checked_sync: set[type] = set()
_checked_async: set[type] = set()


def _check_ports(ports: object, *, asynchronous: bool) -> None:
    """Refuse, with a UsageError, what cannot be these ports (checked once per class).

    An object missing a port method, or async ports in a sync pass, is a bug in the
    controller: it must not become an EvaluationFailed condition written to the cluster.
    """
    checked = _checked_async if asynchronous else _checked_sync
    kind = type(ports)
    instance = getattr(ports, "__dict__", None)
    overrides = bool(instance) and not _PORT_NAMES.isdisjoint(instance)  # type: ignore[arg-type]
    if kind in checked and not overrides:
        return
    missing = [name for name in PORT_METHODS if not callable(getattr(ports, name, None))]
    if missing:
        raise UsageError(f"{kind.__name__} is not GitTargetPorts: no callable {', '.join(missing)}")
    if not asynchronous:
        coroutines = [
            name for name in PORT_METHODS if inspect.iscoroutinefunction(getattr(ports, name))
        ]
        if coroutines:
            raise UsageError(
                f"{kind.__name__} has async ports ({', '.join(coroutines)}); "
                "use 'await areconcile_gittarget(...)'"
            )
    if not overrides:
        checked.add(kind)


def _prepare(
    spec: GitTargetSpec | Mapping[str, Any],
    status: GitTargetStatus | Mapping[str, Any] | None,
    ports: GitTargetPorts | AsyncGitTargetPorts,
    now: datetime,
) -> tuple[GitTargetContext, GitTargetStatus]:
    if type(spec) is GitTargetSpec:
        pass  # the common case first: isinstance(Mapping) is an ABC check
    elif isinstance(spec, Mapping):
        spec = GitTargetSpec.from_k8s(spec)
    elif not isinstance(spec, GitTargetSpec):
        raise StatusValidationError.single("spec", f"expected a GitTargetSpec, got {spec!r}")
    current = _status(status)
    return GitTargetContext(spec=spec, ports=ports, previous=current, now=now), current


def _status(status: GitTargetStatus | Mapping[str, Any] | None) -> GitTargetStatus:
    if type(status) is GitTargetStatus:
        return status  # the common case first: isinstance(Mapping) is an ABC check
    if status is None:
        return GitTargetStatus()
    if isinstance(status, Mapping):
        return GitTargetStatus.from_k8s(status)
    if isinstance(status, GitTargetStatus):
        return status
    raise StatusValidationError.single("status", f"expected a GitTargetStatus, got {status!r}")
