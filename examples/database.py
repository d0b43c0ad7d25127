"""A non-GitTarget resource on the generic gate framework: a ``Database`` with three gates.

Nothing here knows about GitTarget. The ``Database`` status embeds the library's
conditions, so it gets set_condition's rules, a Ready summary, kstatus' Reconciling and
Stalled, a derived phase, status patches, a CRD and kubectl-wait semantics for free.

    Provisioned -> CredentialsReady -> Reachable  => Ready

:func:`plan_database_pass` is a whole controller pass with the I/O left out: the object
as read from the API server in, the ``/status`` merge patch (None: no write) and the
events.k8s.io/v1 Events to post out, for any client to send.

Run it: ``python examples/database.py`` prints each pass of a simulated provisioning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from gittarget_status import (
    Condition,
    ConditionStatus,
    Gate,
    GatePipeline,
    GateResult,
    ReconcileOutcome,
    StatusModel,
    find_condition,
    is_true,
)
from gittarget_status.conditions import KubeTime
from gittarget_status.manifests import custom_resource_definition, to_yaml
from gittarget_status.patch import status_patch

__all__ = [
    "DatabaseObservation",
    "DatabasePass",
    "DatabasePhase",
    "DatabaseStatus",
    "database_crd",
    "database_phase",
    "database_pipeline",
    "plan_database_pass",
    "reconcile_database",
]


class DatabasePhase(StrEnum):
    PENDING = "Pending"
    PROVISIONING = "Provisioning"
    AVAILABLE = "Available"
    FAILED = "Failed"


class DatabaseStatus(StatusModel):
    """``Database.status``: ``StatusModel`` brings ``conditions`` and ``observed_generation``.

    The pipeline maintains ``phase`` and ``last_reconcile_time`` because they are declared;
    ``endpoint`` is a detail field the Provisioned gate fills in.
    """

    phase: DatabasePhase | None = None
    last_reconcile_time: KubeTime | None = None
    endpoint: str | None = None


@dataclass(frozen=True)
class DatabaseObservation:
    """What the controller saw this pass (its reads of the cloud API, secrets, ...)."""

    instance_state: str  # "creating" | "available" | "error" | "quota-exceeded"
    credentials_secret: bool
    endpoint: str | None
    accepts_connections: bool


def _provisioned(seen: DatabaseObservation) -> GateResult:
    if seen.instance_state == "available":
        return GateResult.passed("InstanceAvailable", details={"endpoint": seen.endpoint})
    if seen.instance_state == "quota-exceeded":
        return GateResult.failed("QuotaExceeded", "raise the quota or pick a smaller size")
    if seen.instance_state == "error":
        return GateResult.failed("ProvisioningFailed", requeue_after=timedelta(minutes=1))
    return GateResult.in_progress("Creating", requeue_after=timedelta(seconds=20))


def _credentials(seen: DatabaseObservation) -> GateResult:
    if seen.credentials_secret:
        return GateResult.passed("SecretPresent")
    return GateResult.in_progress("WaitingForSecret", requeue_after=timedelta(seconds=10))


def _reachable(seen: DatabaseObservation) -> GateResult:
    if seen.accepts_connections:
        return GateResult.passed("Connected")
    return GateResult.failed("ConnectionRefused", requeue_after=timedelta(seconds=15))


def database_phase(conditions: Sequence[Condition]) -> DatabasePhase:
    """A pure function of the conditions, as the framework requires."""
    if is_true(conditions, "Ready"):
        return DatabasePhase.AVAILABLE
    if is_true(conditions, "Stalled"):
        return DatabasePhase.FAILED
    if any(c.reason not in ("NotChecked",) for c in conditions if c.type != "Ready"):
        return DatabasePhase.PROVISIONING
    return DatabasePhase.PENDING


def database_pipeline() -> GatePipeline[DatabaseObservation]:
    return GatePipeline(
        [
            # QuotaExceeded is terminal (Stalled=True): retrying cannot fix it.
            Gate(
                "Provisioned",
                _provisioned,
                ready_reason="NotProvisioned",
                terminal={"QuotaExceeded"},
            ),
            Gate("CredentialsReady", _credentials, ready_reason="CredentialsMissing"),
            Gate("Reachable", _reachable, ready_reason="Unreachable"),
        ],
        phase=database_phase,
    )


def reconcile_database(
    status: DatabaseStatus | None,
    seen: DatabaseObservation,
    *,
    generation: int,
    now: datetime,
) -> ReconcileOutcome[DatabaseStatus]:
    """One pass. Write ``outcome.status`` (e.g. with status_patch) only if ``changed``."""
    return database_pipeline().evaluate(
        status or DatabaseStatus(), seen, generation=generation, now=now
    )


REPORTING_CONTROLLER = "example.com/database-controller"


@dataclass(frozen=True)
class DatabasePass:
    outcome: ReconcileOutcome[DatabaseStatus]
    #: ``PATCH .../status`` body (``application/merge-patch+json``); None: write nothing.
    status_patch: dict[str, Any] | None
    #: events.k8s.io/v1 Event bodies, one per condition transition.
    events: tuple[dict[str, Any], ...]


def _event(obj: Mapping[str, Any], condition: Condition, old: str, now: datetime) -> dict[str, Any]:
    meta = obj["metadata"]
    bad = condition.status is ConditionStatus.FALSE and condition.type != "Reconciling"
    bad = bad or (condition.type == "Stalled" and condition.status is ConditionStatus.TRUE)
    return {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"generateName": f"{meta['name']}-", "namespace": meta["namespace"]},
        "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),  # MicroTime: six digits
        "reportingController": REPORTING_CONTROLLER,
        "reportingInstance": "database-controller-0",
        "action": "Reconcile",
        "type": "Warning" if bad else "Normal",
        "reason": condition.reason,
        "note": f"{condition.type}: {old} -> {condition.status.value}",
        "regarding": {
            "apiVersion": obj["apiVersion"],
            "kind": obj["kind"],
            "name": meta["name"],
            "namespace": meta["namespace"],
            "uid": meta["uid"],
        },
    }


def plan_database_pass(
    obj: Mapping[str, Any], seen: DatabaseObservation, *, now: datetime
) -> DatabasePass:
    """One pass over a ``Database`` as the API server returned it (a dict)."""
    raw = obj.get("status")
    status = DatabaseStatus.from_k8s(raw) if raw else None
    meta = obj["metadata"]
    outcome = reconcile_database(status, seen, generation=int(meta["generation"]), now=now)
    body = status_patch(raw, outcome.status, resource_version=meta["resourceVersion"])
    events = []
    for transition in outcome.transitions if body is not None else ():
        condition = find_condition(outcome.status.conditions, transition.type)
        if condition is not None:
            old = transition.old.value if transition.old is not None else "absent"
            events.append(_event(obj, condition, old, now))
    return DatabasePass(outcome, body, tuple(events))


def database_crd() -> dict[str, Any]:
    """The CRD for ``databases.example.com``, from :class:`DatabaseStatus`."""
    return custom_resource_definition(
        group="example.com",
        kind="Database",
        status_model=DatabaseStatus,
        short_names=("db",),
    )


def main() -> None:  # pragma: no cover - a demonstration
    now = datetime(2026, 1, 1, tzinfo=UTC)
    status: DatabaseStatus | None = None
    script = [
        DatabaseObservation("creating", False, None, False),
        DatabaseObservation("available", False, "db.internal:5432", False),
        DatabaseObservation("available", True, "db.internal:5432", False),
        DatabaseObservation("available", True, "db.internal:5432", True),
        DatabaseObservation("available", True, "db.internal:5432", True),
    ]
    for number, seen in enumerate(script, start=1):
        now += timedelta(seconds=30)
        outcome = reconcile_database(status, seen, generation=1, now=now)
        body = status_patch(status, outcome.status)
        print(
            f"pass {number}: phase={outcome.phase} ready={outcome.ready} write={body is not None}"
        )
        status = outcome.status
    print(to_yaml(database_crd())[:200], "...")


if __name__ == "__main__":  # pragma: no cover
    main()
