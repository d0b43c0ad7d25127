"""A GitTarget controller on kr8s (asyncio).

    pip install kr8s
    python examples/kr8s_controller.py NAMESPACE [KUBECONFIG]

kr8s has no generated class for a custom resource: :class:`GitTarget` declares one, the
kr8s way (an ``APIObject`` subclass naming its group-version and plural). Each pass:

* reads the object and runs the lifecycle (``areconcile_gittarget``: the asyncio twin of
  ``reconcile_gittarget``, taking sync or async ports);
* writes nothing when the pass changed nothing;
* otherwise merge-patches ``/status`` (``obj.patch(body, subresource="status")``) with
  ``metadata.resourceVersion`` in the body: a concurrent write answers 409 and the pass
  re-runs on a fresh read instead of overwriting it;
* posts a core/v1 Event per condition transition (kr8s' ``Event`` object).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import kr8s.asyncio
from kr8s import ServerError
from kr8s.asyncio.objects import APIObject, Event

from gittarget_status import (
    RECONCILE_REQUEST_ANNOTATION,
    ConditionStatus,
    GitTargetPorts,
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    areconcile_gittarget,
)
from gittarget_status.patch import status_patch
from gittarget_status.testing import FakeGitTargetWorld

__all__ = ["GitTarget", "PassResult", "reconcile_once", "run"]

COMPONENT = "gittarget-kr8s-example"
MAX_CONFLICT_RETRIES = 5


class GitTarget(APIObject):
    """``gittargets.configbutler.ai`` for kr8s."""

    version = "configbutler.ai/v1alpha1"
    endpoint = "gittargets"
    kind = "GitTarget"
    plural = "gittargets"
    singular = "gittarget"
    namespaced = True


@dataclass(frozen=True)
class PassResult:
    writes: int  # 0 at steady state
    ready: bool
    requeue_after: timedelta | None


def _event_type(type_: str, new: ConditionStatus | None) -> str:
    bad = new is ConditionStatus.FALSE and type_ != "Reconciling"
    return "Warning" if bad or (type_ == "Stalled" and new is ConditionStatus.TRUE) else "Normal"


async def _post_events(
    target: GitTarget, outcome: ReconcileOutcome[GitTargetStatus], now: datetime
) -> None:
    meta = target.metadata
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    for transition in outcome.transitions:
        condition = outcome.status.condition(transition.type)
        if condition is None:
            continue  # a removed condition (kstatus' Reconciling/Stalled) has nothing to say
        old = transition.old.value if transition.old is not None else "absent"
        event = Event(
            {
                "metadata": {"generateName": f"{meta.name}-", "namespace": meta.namespace},
                "involvedObject": {
                    "apiVersion": GitTarget.version,
                    "kind": GitTarget.kind,
                    "name": meta.name,
                    "namespace": meta.namespace,
                    "uid": meta.uid,
                },
                "type": _event_type(transition.type, transition.new),
                "reason": condition.reason,
                "message": f"{transition.type}: {old} -> {condition.status.value}",
                "source": {"component": COMPONENT},
                "firstTimestamp": stamp,
                "lastTimestamp": stamp,
                "count": 1,
            },
            api=target.api,
        )
        await event.create()


async def reconcile_once(
    api: kr8s.asyncio.Api, namespace: str, name: str, ports: GitTargetPorts, *, now: datetime
) -> PassResult:
    """One pass over one GitTarget: at most one status write, none when nothing changed."""
    for _ in range(MAX_CONFLICT_RETRIES):
        target = await GitTarget.get(name, namespace=namespace, api=api)
        obj = target.to_dict()
        outcome = await areconcile_gittarget(
            obj.get("spec") or {},
            obj.get("status"),
            ports,
            generation=int(obj["metadata"]["generation"]),
            now=now,
            requested_at=(obj["metadata"].get("annotations") or {}).get(
                RECONCILE_REQUEST_ANNOTATION
            ),
        )
        body = status_patch(
            obj.get("status"), outcome.status, resource_version=obj["metadata"]["resourceVersion"]
        )
        if body is None:
            return PassResult(0, outcome.ready, outcome.requeue_after)
        try:
            await target.patch(body, subresource="status")
        except ServerError as error:
            if error.response is not None and error.response.status_code == 409:
                continue  # written since we read it: re-read, re-run the pass
            raise
        await _post_events(target, outcome, now)
        return PassResult(1, outcome.ready, outcome.requeue_after)
    raise RuntimeError(f"gave up after {MAX_CONFLICT_RETRIES} conflicting writes")


async def run(
    namespace: str,
    *,
    kubeconfig: str | None = None,
    ports_factory: Callable[[GitTargetSpec], GitTargetPorts] = lambda spec: FakeGitTargetWorld(),
) -> None:
    """Watch GitTargets in ``namespace`` (forever) and reconcile each change."""
    api = await kr8s.asyncio.api(kubeconfig=kubeconfig)
    async for kind, target in api.watch(GitTarget.endpoint, namespace=namespace):
        if kind in ("ADDED", "MODIFIED"):
            spec: dict[str, Any] = target.to_dict().get("spec") or {}
            ports = ports_factory(GitTargetSpec.from_k8s(spec))
            await reconcile_once(api, namespace, target.name, ports, now=datetime.now(UTC))


if __name__ == "__main__":  # pragma: no cover
    asyncio.run(run(sys.argv[1], kubeconfig=sys.argv[2] if len(sys.argv) > 2 else None))
