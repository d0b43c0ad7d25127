"""A GitTarget controller on lightkube, writing status by server-side apply.

    pip install lightkube
    python examples/lightkube_controller.py NAMESPACE [KUBECONFIG]

:data:`GitTarget` is lightkube's generic class for the CRD
(``create_namespaced_resource``). Each pass:

* reads the object and runs one lifecycle pass (``reconcile_gittarget``);
* writes nothing when the pass changed nothing;
* otherwise server-side applies ``/status`` as field manager :data:`FIELD_MANAGER`
  (``client.patch(GitTarget.Status, name, body, patch_type=PatchType.APPLY, ...)``),
  naming only the conditions and fields this controller owns
  (:func:`gittarget_status.patch.apply_status_body`): the CRD keys ``conditions`` by
  ``type``, so other managers' conditions are never touched and no read-modify-write
  race exists;
* posts an events.k8s.io/v1 Event per condition transition.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lightkube import Client
from lightkube.config.kubeconfig import KubeConfig
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.core_v1 import ObjectReference
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.events_v1 import Event
from lightkube.types import PatchType

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
from gittarget_status.patch import apply_status_body
from gittarget_status.testing import FakeGitTargetWorld

__all__ = ["FIELD_MANAGER", "GitTarget", "PassResult", "reconcile_once", "run"]

GROUP, VERSION, KIND = "configbutler.ai", "v1alpha1", "GitTarget"
FIELD_MANAGER = "gittarget-lightkube-example"
REPORTING_CONTROLLER = "configbutler.ai/gittarget-lightkube-example"

GitTarget = create_namespaced_resource(GROUP, VERSION, KIND, "gittargets")

#: Every top-level status field the lifecycle writes (JSON names), besides conditions.
OWNED_FIELDS: tuple[str, ...] = tuple(
    field.alias or name
    for name, field in GitTargetStatus.model_fields.items()
    if name != "conditions"
)


@dataclass(frozen=True)
class PassResult:
    writes: int  # 0 at steady state
    ready: bool
    requeue_after: timedelta | None


def _event_type(type_: str, new: ConditionStatus | None) -> str:
    bad = new is ConditionStatus.FALSE and type_ != "Reconciling"
    return "Warning" if bad or (type_ == "Stalled" and new is ConditionStatus.TRUE) else "Normal"


def _post_events(
    client: Client,
    obj: dict[str, Any],
    outcome: ReconcileOutcome[GitTargetStatus],
    now: datetime,
) -> None:
    meta = obj["metadata"]
    regarding = ObjectReference(
        apiVersion=f"{GROUP}/{VERSION}",
        kind=KIND,
        name=meta["name"],
        namespace=meta["namespace"],
        uid=meta["uid"],
    )
    # A MicroTime needs six fractional digits; lightkube writes none for a datetime whose
    # microsecond is 0 ("12:00:30Z"), which the API server rejects with 400.
    event_time = now if now.microsecond else now.replace(microsecond=1)
    for transition in outcome.transitions:
        condition = outcome.status.condition(transition.type)
        if condition is None:
            continue  # a removed condition (kstatus' Reconciling/Stalled) has nothing to say
        old = transition.old.value if transition.old is not None else "absent"
        event = Event(
            # events.k8s.io/v1 validates generateName as a DNS subdomain: no trailing "."
            metadata=ObjectMeta(generateName=f"{meta['name']}-", namespace=meta["namespace"]),
            eventTime=event_time,
            action="Reconcile",
            reason=condition.reason,
            note=f"{transition.type}: {old} -> {condition.status.value}",
            type=_event_type(transition.type, transition.new),
            regarding=regarding,
            reportingController=REPORTING_CONTROLLER,
            reportingInstance=socket.gethostname()[:128],
        )
        client.create(event)


def reconcile_once(
    client: Client, namespace: str, name: str, ports: GitTargetPorts, *, now: datetime
) -> PassResult:
    """One pass over one GitTarget: at most one status write, none when nothing changed."""
    obj = dict(client.get(GitTarget, name, namespace=namespace))  # a generic resource is a dict
    outcome = reconcile_gittarget(
        obj.get("spec") or {},
        obj.get("status"),
        ports,
        generation=int(obj["metadata"]["generation"]),
        now=now,
        requested_at=(obj["metadata"].get("annotations") or {}).get(RECONCILE_REQUEST_ANNOTATION),
    )
    if not outcome.changed:
        return PassResult(0, outcome.ready, outcome.requeue_after)
    body = apply_status_body(
        outcome.status,
        api_version=f"{GROUP}/{VERSION}",
        kind=KIND,
        name=name,
        namespace=namespace,
        owned_conditions=gittarget_pipeline().owned_types,
        owned_fields=OWNED_FIELDS,
    )
    client.patch(
        GitTarget.Status,
        name,
        body,
        namespace=namespace,
        patch_type=PatchType.APPLY,
        field_manager=FIELD_MANAGER,
        force=True,
    )
    _post_events(client, obj, outcome, now)
    return PassResult(1, outcome.ready, outcome.requeue_after)


def run(
    namespace: str,
    *,
    kubeconfig: str | None = None,
    ports_factory: Callable[[GitTargetSpec], GitTargetPorts] = lambda spec: FakeGitTargetWorld(),
) -> None:
    """Watch GitTargets in ``namespace`` (forever) and reconcile each change."""
    config = KubeConfig.from_file(kubeconfig) if kubeconfig else None
    with Client(config=config, field_manager=FIELD_MANAGER) as client:
        for kind, target in client.watch(GitTarget, namespace=namespace):
            if kind in ("ADDED", "MODIFIED") and target.metadata is not None:
                spec: dict[str, Any] = target.get("spec") or {}
                ports = ports_factory(GitTargetSpec.from_k8s(spec))
                name = str(target.metadata.name)
                reconcile_once(client, namespace, name, ports, now=datetime.now(UTC))


if __name__ == "__main__":  # pragma: no cover
    run(sys.argv[1], kubeconfig=sys.argv[2] if len(sys.argv) > 2 else None)
