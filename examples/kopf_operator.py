"""A kopf operator for GitTarget, built on the lifecycle pipeline.

    pip install 'kopf>=1.44'   # patch.fns
    kopf run --standalone --namespace=NAMESPACE examples/kopf_operator.py
    # or --all-namespaces; kopf reads KUBECONFIG. GITTARGET_RESYNC_SECONDS (default 60)
    # sets how often the timer re-runs the pass on an unchanged GitTarget.

What it shows:

* one pure planning function, :func:`plan_reconcile`: body in, plan out (the status
  change as a kopf ``patch.fns`` function, the Kubernetes Events to emit, a requeue
  hint); unit tests drive it with no kopf and no cluster, and CI also runs this file
  under ``kopf run`` against a real API server;
* the status is written only when the pass changed something: a GitTarget at steady
  state costs no write, no watch event and no extra reconcile;
* the write goes through kopf's ``patch.fns`` route: kopf runs the function on the
  freshest body it has and re-runs it after a conflict, so it re-derives our part of the
  status from that body (:func:`gittarget_status.patch.kopf_status_fn`) and never
  overwrites other controllers' conditions;
* an Event per condition transition (Normal when a gate turns True, Warning when False),
  posted once: kopf may run two handlers (create, then the timer) on the same body before
  the first write lands, and both plan the same transitions (:func:`unposted_events`).

The ports (provider lookup, secrets, worker, bootstrap, snapshot, stream) are your
controller's I/O; :data:`PORTS_FACTORY` defaults to the in-memory fake world so the
example runs anywhere. kopf is imported only when the file is run by kopf.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gittarget_status import (
    RECONCILE_REQUEST_ANNOTATION,
    ConditionStatus,
    GitTargetPorts,
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    gittarget_pipeline,
    reconcile_gittarget,
)
from gittarget_status.patch import kopf_status_fn
from gittarget_status.testing import FakeGitTargetWorld

__all__ = [
    "GROUP",
    "PLURAL",
    "VERSION",
    "EventSpec",
    "ReconcilePlan",
    "plan_reconcile",
    "register_handlers",
    "unposted_events",
]

GROUP, VERSION, PLURAL = "configbutler.ai", "v1alpha1", "gittargets"

#: Every top-level status field the lifecycle writes (JSON names), besides conditions.
OWNED_FIELDS: tuple[str, ...] = tuple(
    field.alias or name
    for name, field in GitTargetStatus.model_fields.items()
    if name != "conditions"
)

#: How often the timer re-runs the pass on an object that did not change (seconds).
RESYNC_SECONDS = float(os.environ.get("GITTARGET_RESYNC_SECONDS", "60"))

#: Builds the ports for one GitTarget; replace with your real implementation.
PORTS_FACTORY: Callable[[GitTargetSpec], GitTargetPorts] = lambda spec: FakeGitTargetWorld()  # noqa: E731


@dataclass(frozen=True)
class EventSpec:
    """A Kubernetes Event to emit on the GitTarget (``kopf.event(body, **asdict(e))``)."""

    type: str
    reason: str
    message: str


@dataclass(frozen=True)
class ReconcilePlan:
    outcome: ReconcileOutcome[GitTargetStatus]
    #: For ``patch.fns``; None when nothing changed (no write at all).
    status_fn: Callable[[MutableMapping[str, Any]], None] | None
    events: tuple[EventSpec, ...]
    requeue_after: timedelta | None


def _events(outcome: ReconcileOutcome[GitTargetStatus]) -> tuple[EventSpec, ...]:
    events: list[EventSpec] = []
    for transition in outcome.transitions:
        condition = outcome.status.condition(transition.type)
        if condition is None:
            continue  # removed (kstatus' Reconciling/Stalled when no longer applicable)
        bad = condition.status is ConditionStatus.FALSE and transition.type != "Reconciling"
        bad = bad or (transition.type == "Stalled" and condition.status is ConditionStatus.TRUE)
        old = transition.old.value if transition.old is not None else "absent"
        message = f"{transition.type}: {old} -> {condition.status.value}"
        if condition.message:
            message += f": {condition.message}"
        events.append(EventSpec("Warning" if bad else "Normal", condition.reason, message))
    return tuple(events)


def plan_reconcile(
    body: Mapping[str, Any], ports: GitTargetPorts, *, now: datetime
) -> ReconcilePlan:
    """One lifecycle pass over a GitTarget body (a dict, as kopf hands it over)."""
    spec = GitTargetSpec.from_k8s(body.get("spec") or {})
    generation = int(body["metadata"]["generation"])
    requested = (body["metadata"].get("annotations") or {}).get(RECONCILE_REQUEST_ANNOTATION)
    outcome = reconcile_gittarget(
        spec, body.get("status"), ports, generation=generation, now=now, requested_at=requested
    )
    status_fn = None
    if outcome.changed:
        status_fn = kopf_status_fn(
            outcome.status,
            owned_conditions=gittarget_pipeline().owned_types,
            owned_fields=OWNED_FIELDS,
        )
    return ReconcilePlan(outcome, status_fn, _events(outcome), outcome.requeue_after)


def unposted_events(
    memo: MutableMapping[str, Any], body: Mapping[str, Any], events: tuple[EventSpec, ...]
) -> list[EventSpec]:
    """The ``events`` not yet posted from this very body (its ``resourceVersion``).

    ``memo`` is kopf's per-object memory. A second handler on the same body plans the
    same transitions from the same stored status: those Events were posted already. One
    the world moved meanwhile (a gate that turned) is new, and is posted. A body with
    another resourceVersion starts afresh: its stored status is the one to compare with.
    """
    version = (body.get("metadata") or {}).get("resourceVersion")
    seen: tuple[object, set[EventSpec]] | None = memo.get("gittarget_posted_events")
    if seen is None or seen[0] != version:
        seen = memo["gittarget_posted_events"] = (version, set())
    fresh = [event for event in events if event not in seen[1]]
    seen[1].update(fresh)
    return fresh


def register_handlers(
    kopf: Any, *, ports_factory: Callable[[GitTargetSpec], GitTargetPorts] | None = None
) -> None:
    """Register the handlers on a kopf module (passed in: this file never imports kopf)."""
    factory = ports_factory or PORTS_FACTORY

    def configure(settings: Any, **_: Any) -> None:
        # The CRD prunes unknown status fields: keep kopf's own bookkeeping in annotations.
        settings.persistence.progress_storage = kopf.AnnotationsProgressStorage()
        settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage()

    def reconcile(
        body: Mapping[str, Any], patch: Any, logger: Any, memo: MutableMapping[str, Any], **_: Any
    ) -> None:
        spec = GitTargetSpec.from_k8s(body.get("spec") or {})
        plan = plan_reconcile(body, factory(spec), now=datetime.now(UTC))
        if plan.outcome.error is not None:
            logger.warning("gate evaluation failed: %s", plan.outcome.error)
        for event in unposted_events(memo, body, plan.events):
            kopf.event(body, type=event.type, reason=event.reason, message=event.message)
        if plan.status_fn is not None:
            patch.fns.append(plan.status_fn)
        logger.info(
            "gittarget pass: ready=%s write=%s", plan.outcome.ready, plan.status_fn is not None
        )
        if plan.requeue_after is not None:
            raise kopf.TemporaryError("requeue", delay=plan.requeue_after.total_seconds())

    kopf.on.startup()(configure)
    for register in (
        kopf.on.resume(GROUP, VERSION, PLURAL, id="reconcile"),
        kopf.on.create(GROUP, VERSION, PLURAL, id="reconcile"),
        kopf.on.update(GROUP, VERSION, PLURAL, field="spec", id="reconcile"),
        kopf.timer(
            GROUP, VERSION, PLURAL, id="reconcile", interval=RESYNC_SECONDS, idle=RESYNC_SECONDS / 2
        ),
    ):
        register(reconcile)


def _kopf_if_installed() -> Any:
    try:
        return importlib.import_module("kopf")
    except ImportError:
        return None


_KOPF = _kopf_if_installed()
if _KOPF is not None and __name__ != "__main__":  # loaded by `kopf run`
    register_handlers(_KOPF)
