"""A GitTarget controller loop on the official ``kubernetes`` client.

    pip install kubernetes
    python examples/client_controller.py NAMESPACE [KUBECONFIG]

The loop watches GitTargets and reconciles each event; :func:`reconcile_once` is the
whole controller logic and talks to the API only through the two calls of
:class:`CustomObjects` (``kubernetes.client.CustomObjectsApi`` has them):

* read the object, run one lifecycle pass;
* nothing changed -> no request at all (zero writes at steady state);
* changed -> a JSON merge patch of ``/status`` carrying ``metadata.resourceVersion``, so
  a concurrent write makes it fail with 409 instead of silently clobbering; on 409 the
  pass is simply re-run on a fresh read (the pipeline is deterministic);
* one core/v1 Event per condition transition, through ``emit`` (:func:`event_emitter`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from gittarget_status import (
    RECONCILE_REQUEST_ANNOTATION,
    ConditionStatus,
    GitTargetPorts,
    GitTargetSpec,
    Transition,
    reconcile_gittarget,
)
from gittarget_status.patch import status_patch
from gittarget_status.testing import FakeGitTargetWorld

__all__ = ["CustomObjects", "ReconcileResult", "event_emitter", "reconcile_once", "run"]

GROUP, VERSION, PLURAL = "configbutler.ai", "v1alpha1", "gittargets"
COMPONENT = "gittarget-client-example"
MAX_CONFLICT_RETRIES = 5


class CustomObjects(Protocol):
    """The two ``kubernetes.client.CustomObjectsApi`` methods the controller uses."""

    def get_namespaced_custom_object(
        self, group: str, version: str, namespace: str, plural: str, name: str
    ) -> dict[str, Any]: ...

    def patch_namespaced_custom_object_status(
        self,
        group: str,
        version: str,
        namespace: str,
        plural: str,
        name: str,
        body: dict[str, Any],
        **kwargs: Any,
    ) -> dict[str, Any]: ...


#: ``emit(obj, type, reason, message)`` posts one Event about ``obj``.
Emit = Callable[[dict[str, Any], str, str, str], None]


class ReconcileResult:
    __slots__ = ("requeue_after", "writes")

    def __init__(self, writes: int, requeue_after: timedelta | None) -> None:
        self.writes = writes
        self.requeue_after = requeue_after


def _is_conflict(exc: Exception) -> bool:
    return getattr(exc, "status", None) == 409


def _event_type(transition: Transition) -> str:
    bad = transition.new is ConditionStatus.FALSE and transition.type != "Reconciling"
    stalled = transition.type == "Stalled" and transition.new is ConditionStatus.TRUE
    return "Warning" if bad or stalled else "Normal"


def reconcile_once(
    api: CustomObjects,
    namespace: str,
    name: str,
    ports: GitTargetPorts,
    *,
    now: datetime,
    emit: Emit | None = None,
) -> ReconcileResult:
    """Reconcile one GitTarget; returns how many status writes it took (0 at steady state)."""
    for _ in range(MAX_CONFLICT_RETRIES):
        obj = api.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name)
        generation = int(obj["metadata"]["generation"])
        requested = (obj["metadata"].get("annotations") or {}).get(RECONCILE_REQUEST_ANNOTATION)
        outcome = reconcile_gittarget(
            obj.get("spec") or {},
            obj.get("status"),
            ports,
            generation=generation,
            now=now,
            requested_at=requested,  # kubectl annotate ... reconcile.configbutler.ai/requestedAt
        )
        body = status_patch(
            obj.get("status"),
            outcome.status,
            resource_version=obj["metadata"].get("resourceVersion"),
        )
        if body is None:
            return ReconcileResult(0, outcome.requeue_after)
        try:
            api.patch_namespaced_custom_object_status(GROUP, VERSION, namespace, PLURAL, name, body)
        except Exception as exc:
            if _is_conflict(exc):
                continue  # someone wrote since we read: re-read and re-run the pass
            raise
        if emit is not None:
            for transition in outcome.transitions:
                condition = outcome.status.condition(transition.type)
                if condition is not None:
                    old = transition.old.value if transition.old is not None else "absent"
                    message = f"{transition.type}: {old} -> {condition.status.value}"
                    emit(obj, _event_type(transition), condition.reason, message)
        return ReconcileResult(1, outcome.requeue_after)
    raise RuntimeError(f"gave up after {MAX_CONFLICT_RETRIES} conflicting writes")


def event_emitter(core: Any, namespace: str) -> Emit:
    """An :data:`Emit` posting core/v1 Events with ``kubernetes.client.CoreV1Api``."""

    def emit(obj: dict[str, Any], type_: str, reason: str, message: str) -> None:
        meta = obj["metadata"]
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        core.create_namespaced_event(
            namespace,
            {
                "metadata": {"generateName": f"{meta['name']}-"},
                "involvedObject": {
                    "apiVersion": f"{GROUP}/{VERSION}",
                    "kind": "GitTarget",
                    "name": meta["name"],
                    "namespace": namespace,
                    "uid": meta["uid"],
                    "resourceVersion": meta["resourceVersion"],
                },
                "type": type_,
                "reason": reason,
                "message": message,
                "source": {"component": COMPONENT},
                "firstTimestamp": stamp,
                "lastTimestamp": stamp,
                "count": 1,
            },
        )

    return emit


def run(
    namespace: str,
    *,
    kubeconfig: str | None = None,
    ports_factory: Callable[[GitTargetSpec], GitTargetPorts] = lambda spec: FakeGitTargetWorld(),
    timeout_seconds: int = 300,
) -> None:
    """Watch GitTargets in ``namespace`` and reconcile each event, for ``timeout_seconds``."""
    kubernetes: Any = importlib.import_module("kubernetes")
    client = kubernetes.config.new_client_from_config(config_file=kubeconfig)
    api = kubernetes.client.CustomObjectsApi(client)
    emit = event_emitter(kubernetes.client.CoreV1Api(client), namespace)
    watch = kubernetes.watch.Watch()
    for event in watch.stream(
        api.list_namespaced_custom_object,
        GROUP,
        VERSION,
        namespace,
        PLURAL,
        timeout_seconds=timeout_seconds,
    ):
        if event["type"] not in ("ADDED", "MODIFIED"):
            continue
        obj = event["object"]
        ports = ports_factory(GitTargetSpec.from_k8s(obj.get("spec") or {}))
        name = obj["metadata"]["name"]
        reconcile_once(api, namespace, name, ports, now=datetime.now(UTC), emit=emit)


if __name__ == "__main__":  # pragma: no cover
    run(sys.argv[1], kubeconfig=sys.argv[2] if len(sys.argv) > 2 else None)
