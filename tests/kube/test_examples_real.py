"""Every example against the real API server: it reaches Ready, then writes nothing.

Each example drives a GitTarget (or a Database) on the session's kube-apiserver with its
own client library: kopf as ``kopf run --standalone`` in a subprocess, the official
``kubernetes`` client, kr8s, lightkube, and the client-agnostic Database pass. For each:
the object becomes Ready, its ``resourceVersion`` then stays put through at least two
further passes (no write at steady state, nothing the server normalises differently from
what the pass computed), an Event per transition is stored about the object, and a
condition written beforehand by another controller survives.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import kr8s.asyncio
import kubernetes  # py.typed, but its config loaders are unannotated: used through Any
import pytest
from lightkube import Client
from lightkube.config.kubeconfig import KubeConfig

from gittarget_status import RECONCILE_REQUEST_ANNOTATION, reconcile_requested
from gittarget_status.kstatus import KStatus, compute
from gittarget_status.kubectl import condition_met
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gittarget_status.testing.control_plane import ControlPlane

from ._driver import GOLDEN_PATH, GOLDEN_START
from ._examples import EXAMPLES, load_example

API_VERSION = "configbutler.ai/v1alpha1"
NAME = "prod"
FOREIGN = {
    "type": "audit.example.com/Compliant",
    "status": "True",
    "reason": "Audited",
    "message": "set by another controller",
    "lastTransitionTime": "2026-01-01T00:00:00Z",
}
#: A reconcile request's value (``date +%s`` when the operator asked).
ASKED = "1764579600"
#: Passes run after Ready; none may write.
IDLE_PASSES = 2


def _until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def _path(cp: ControlPlane, namespace: str, name: str = NAME) -> str:
    return cp.client.resource_path(API_VERSION, "GitTarget", name, namespace=namespace)


def _create_gittarget(cp: ControlPlane, namespace: str) -> dict[str, Any]:
    """A GitTarget whose status already holds another controller's condition."""
    body = {
        "apiVersion": API_VERSION,
        "kind": "GitTarget",
        "metadata": {"name": NAME, "namespace": namespace},
        "spec": demo_spec().to_k8s(),
    }
    cp.client.post(cp.client.resource_path(API_VERSION, "GitTarget", namespace=namespace), body)
    obj: dict[str, Any] = cp.client.patch(
        _path(cp, namespace) + "/status", {"status": {"conditions": [FOREIGN]}}, "merge"
    )
    return obj


def _rv(cp: ControlPlane, path: str) -> str:
    return str(cp.client.get(path)["metadata"]["resourceVersion"])


def _events(cp: ControlPlane, namespace: str, uid: str) -> list[dict[str, Any]]:
    """Events about ``uid``, oldest first (core/v1 lists events.k8s.io/v1 ones too)."""
    items = cp.client.get(f"/api/v1/namespaces/{namespace}/events")["items"]
    mine = [e for e in items if e["involvedObject"].get("uid") == uid]
    return sorted(mine, key=lambda e: int(e["metadata"]["resourceVersion"]))


def _assert_settled(obj: dict[str, Any]) -> None:
    assert condition_met(obj, "condition=Ready")
    assert compute(obj).status is KStatus.CURRENT
    assert FOREIGN in obj["status"]["conditions"]  # the other controller's condition survived
    types = [c["type"] for c in obj["status"]["conditions"]]
    assert len(types) == len(set(types))


# Pass = one reconcile of the example over the world at a time; returns its writes.
Pass = Callable[[FakeGitTargetWorld, datetime], int]


def _converge_then_idle(cp: ControlPlane, namespace: str, one_pass: Pass) -> dict[str, Any]:
    """The golden path, one write per step, then IDLE_PASSES passes with no write at all."""
    path = _path(cp, namespace)
    uid = _create_gittarget(cp, namespace)["metadata"]["uid"]
    world = FakeGitTargetWorld(**GOLDEN_START)
    now, rv = DEMO_EPOCH, _rv(cp, path)
    for step, change in GOLDEN_PATH:
        for key, value in change.items():
            setattr(world, key, value)
        now += timedelta(seconds=30)
        assert one_pass(world, now) == 1, step
        rv, before = _rv(cp, path), rv
        assert rv != before, step  # the write landed
    _assert_settled(cp.client.get(path))
    events = _events(cp, namespace, uid)
    for _ in range(IDLE_PASSES):
        now += timedelta(minutes=1)
        assert one_pass(world, now) == 0
    obj: dict[str, Any] = cp.client.get(path)
    assert obj["metadata"]["resourceVersion"] == rv  # no write after Ready, by the server
    ready = [(e["type"], e["message"]) for e in events if e["message"].startswith("Ready:")]
    assert ready == [("Warning", "Ready: absent -> False"), ("Normal", "Ready: False -> True")]
    assert any(e["type"] == "Warning" for e in events if e["message"].startswith("Encryption"))
    assert _events(cp, namespace, uid) == events  # steady state: no Event either
    # Reconcile now (kubectl annotate --overwrite): answered by one write, then quiet again.
    annotation = {"metadata": {"annotations": {RECONCILE_REQUEST_ANNOTATION: ASKED}}}
    cp.client.patch(path, annotation, "merge")
    assert reconcile_requested(cp.client.get(path))
    assert one_pass(world, now + timedelta(minutes=1)) == 1
    obj = cp.client.get(path)
    assert obj["status"]["lastHandledReconcileAt"] == ASKED and not reconcile_requested(obj)
    assert one_pass(world, now + timedelta(minutes=2)) == 0
    assert _events(cp, namespace, uid) == events  # no condition moved: no Event
    return obj


# ------------------------------------------------------------- official client


@pytest.fixture
def kube_client(gittarget_api: ControlPlane) -> Iterator[Any]:
    config: Any = kubernetes.config  # untyped functions
    client = config.new_client_from_config(config_file=str(gittarget_api.kubeconfig))
    yield client
    client.close()


def test_client_controller_reaches_ready_then_writes_nothing(
    gittarget_api: ControlPlane, gts_namespace: str, kube_client: Any
) -> None:
    ctl = load_example("client_controller")
    api = kubernetes.client.CustomObjectsApi(kube_client)
    emit = ctl.event_emitter(kubernetes.client.CoreV1Api(kube_client), gts_namespace)

    def one_pass(world: FakeGitTargetWorld, now: datetime) -> int:
        result = ctl.reconcile_once(api, gts_namespace, NAME, world, now=now, emit=emit)
        writes: int = result.writes
        return writes

    _converge_then_idle(gittarget_api, gts_namespace, one_pass)


class _WriteFirst:
    """The real CustomObjectsApi, with another writer getting in before our first PATCH."""

    def __init__(self, api: Any, interfere: Callable[[], None]) -> None:
        self.api, self.interfere, self.calls = api, interfere, list[str]()

    def get_namespaced_custom_object(self, *args: Any) -> dict[str, Any]:
        self.calls.append("get")
        obj: dict[str, Any] = self.api.get_namespaced_custom_object(*args)
        return obj

    def patch_namespaced_custom_object_status(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("patch")
        if self.calls.count("patch") == 1:
            self.interfere()
        obj: dict[str, Any] = self.api.patch_namespaced_custom_object_status(*args, **kwargs)
        return obj


def test_client_controller_rereads_on_a_real_409(
    gittarget_api: ControlPlane, gts_namespace: str, kube_client: Any
) -> None:
    """The resourceVersion in the merge patch body is a precondition on ``/status``."""
    ctl = load_example("client_controller")
    cp, path = gittarget_api, _path(gittarget_api, gts_namespace)
    _create_gittarget(cp, gts_namespace)
    later = {**FOREIGN, "type": "audit.example.com/Scanned"}

    def interfere() -> None:
        obj = cp.client.get(path)
        conditions = [*obj["status"]["conditions"], later]
        cp.client.patch(path + "/status", {"status": {"conditions": conditions}}, "merge")

    api = _WriteFirst(kubernetes.client.CustomObjectsApi(kube_client), interfere)
    result = ctl.reconcile_once(api, gts_namespace, NAME, FakeGitTargetWorld(), now=DEMO_EPOCH)
    assert result.writes == 1
    assert api.calls == ["get", "patch", "get", "patch"]
    obj = cp.client.get(path)
    _assert_settled(obj)
    assert later in obj["status"]["conditions"]  # not clobbered by the stale first attempt


def test_client_controller_watch_loop(gittarget_api: ControlPlane, gts_namespace: str) -> None:
    """``run`` itself: the watch's ADDED event reconciles, our write's MODIFIED does not."""
    ctl = load_example("client_controller")
    cp, path = gittarget_api, _path(gittarget_api, gts_namespace)
    _create_gittarget(cp, gts_namespace)
    ctl.run(gts_namespace, kubeconfig=str(cp.kubeconfig), timeout_seconds=1)
    obj = cp.client.get(path)
    _assert_settled(obj)
    rv = obj["metadata"]["resourceVersion"]
    ctl.run(gts_namespace, kubeconfig=str(cp.kubeconfig), timeout_seconds=1)  # a re-list pass
    assert _rv(cp, path) == rv


# ------------------------------------------------------------------------ kr8s


# kr8s 0.20 names 1.35 as the newest Kubernetes it supports and warns about 1.36.
@pytest.mark.filterwarnings("ignore:Kubernetes version .* is not supported:UserWarning")
def test_kr8s_controller_reaches_ready_then_writes_nothing(
    gittarget_api: ControlPlane, gts_namespace: str
) -> None:
    ex = load_example("kr8s_controller")
    loop = asyncio.new_event_loop()
    api = loop.run_until_complete(kr8s.asyncio.api(kubeconfig=str(gittarget_api.kubeconfig)))

    def one_pass(world: FakeGitTargetWorld, now: datetime) -> int:
        result = loop.run_until_complete(
            ex.reconcile_once(api, gts_namespace, NAME, world, now=now)
        )
        writes: int = result.writes
        return writes

    try:
        _converge_then_idle(gittarget_api, gts_namespace, one_pass)
    finally:
        if api._session is not None:  # kr8s has no public close
            loop.run_until_complete(api._session.aclose())
        loop.close()


@pytest.mark.filterwarnings("ignore:Kubernetes version .* is not supported:UserWarning")
def test_kr8s_controller_watch_loop(gittarget_api: ControlPlane, gts_namespace: str) -> None:
    """``run`` itself: its watch reconciles the new GitTarget, then leaves it alone."""
    ex = load_example("kr8s_controller")
    cp, path = gittarget_api, _path(gittarget_api, gts_namespace)
    _create_gittarget(cp, gts_namespace)
    kubeconfig = str(cp.kubeconfig)

    def ready() -> dict[str, Any] | None:
        obj: dict[str, Any] = cp.client.get(path)
        return obj if condition_met(obj, "condition=Ready") else None

    async def main() -> dict[str, Any]:
        watching = asyncio.create_task(ex.run(gts_namespace, kubeconfig=kubeconfig))
        try:
            obj: dict[str, Any] = await asyncio.to_thread(_until, ready, "kr8s' watch loop")
            await asyncio.sleep(0.5)  # the MODIFIED event of its own write: a pass, no write
            return obj
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
            api = await kr8s.asyncio.api(kubeconfig=kubeconfig)
            if api._session is not None:  # kr8s has no public close
                await api._session.aclose()

    obj = asyncio.run(main())
    _assert_settled(obj)
    assert _rv(cp, path) == obj["metadata"]["resourceVersion"]


# ------------------------------------------------------------------- lightkube


def test_lightkube_controller_reaches_ready_then_writes_nothing(
    gittarget_api: ControlPlane, gts_namespace: str
) -> None:
    ex = load_example("lightkube_controller")
    with Client(config=KubeConfig.from_file(gittarget_api.kubeconfig)) as client:

        def one_pass(world: FakeGitTargetWorld, now: datetime) -> int:
            writes: int = ex.reconcile_once(client, gts_namespace, NAME, world, now=now).writes
            return writes

        obj = _converge_then_idle(gittarget_api, gts_namespace, one_pass)
    managers = {m["manager"]: m for m in obj["metadata"]["managedFields"]}
    assert managers[ex.FIELD_MANAGER]["operation"] == "Apply"
    assert managers[ex.FIELD_MANAGER]["subresource"] == "status"


# ------------------------------------------------------------------------ kopf


@pytest.fixture
def kopf_operator(
    gittarget_api: ControlPlane, gts_namespace: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """``kopf run --standalone`` on the example, for one namespace, stopped by SIGINT."""
    log = tmp_path / "kopf.log"
    env = {
        **os.environ,
        "KUBECONFIG": str(gittarget_api.kubeconfig),
        "GITTARGET_RESYNC_SECONDS": "0.5",
    }
    argv = [sys.executable, "-m", "kopf", "run", "--standalone", f"--namespace={gts_namespace}"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*argv, str(EXAMPLES / "kopf_operator.py")],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        yield process, log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_kopf_operator_reaches_ready_then_writes_nothing(
    gittarget_api: ControlPlane,
    gts_namespace: str,
    kopf_operator: tuple[subprocess.Popen[bytes], Path],
) -> None:
    process, log = kopf_operator
    cp, path = gittarget_api, _path(gittarget_api, gts_namespace)
    uid = _create_gittarget(cp, gts_namespace)["metadata"]["uid"]

    def passes() -> int:
        assert process.poll() is None, log.read_text(errors="replace")
        return log.read_text(errors="replace").count("gittarget pass:")

    def ready() -> dict[str, Any] | None:
        passes()
        obj: dict[str, Any] = cp.client.get(path)
        return obj if condition_met(obj, "condition=Ready") else None

    obj = _until(ready, "kopf to make the GitTarget Ready", timeout=60.0)  # start-up included
    rv, seen = obj["metadata"]["resourceVersion"], passes()
    # One pass may have been under way at Ready: wait for IDLE_PASSES whole ones after it.
    _until(lambda: passes() >= seen + IDLE_PASSES + 1, "kopf's timer passes")
    obj = cp.client.get(path)
    assert obj["metadata"]["resourceVersion"] == rv, log.read_text(errors="replace")
    _assert_settled(obj)

    def ready_event() -> list[dict[str, Any]]:
        return [e for e in _events(cp, gts_namespace, uid) if e["message"].startswith("Ready:")]

    events = _until(ready_event, "kopf to post the Ready Event")
    # Once: kopf may run two handlers (create, then the timer) on the same body before the
    # first write lands, and both plan the same transition; the second posts nothing.
    assert len(events) == 1
    assert {(e["type"], e["message"]) for e in events} == {
        ("Normal", "Ready: absent -> True: All required gates are True")
    }
    assert "Traceback" not in log.read_text(errors="replace")


# -------------------------------------------------------------------- Database


@pytest.fixture(scope="module")
def database_api(gts_control_plane: ControlPlane) -> ControlPlane:
    crd = load_example("database").database_crd()
    gts_control_plane.client.apply(crd)
    gts_control_plane.client.wait_established(crd["metadata"]["name"])
    return gts_control_plane


def test_database_reaches_available_then_writes_nothing(
    database_api: ControlPlane, gts_namespace: str
) -> None:
    db = load_example("database")
    cp, seen = database_api, db.DatabaseObservation
    collection = f"/apis/example.com/v1alpha1/namespaces/{gts_namespace}/databases"
    body = {"apiVersion": "example.com/v1alpha1", "kind": "Database", "spec": {"size": "s"}}
    uid = cp.client.post(collection, {**body, "metadata": {"name": "orders"}})["metadata"]["uid"]
    path = collection + "/orders"
    script = [
        (seen("creating", False, None, False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", False, "db:5432", False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", True, "db:5432", False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", True, "db:5432", True), "Available", KStatus.CURRENT),
    ]
    now = DEMO_EPOCH

    def one_pass(observation: Any) -> int:
        plan = db.plan_database_pass(cp.client.get(path), observation, now=now)
        for event in plan.events:
            cp.client.post(f"/apis/events.k8s.io/v1/namespaces/{gts_namespace}/events", event)
        if plan.status_patch is None:
            return 0
        cp.client.patch(path + "/status", plan.status_patch, "merge")
        return 1

    for observation, phase, kstatus in script:
        now += timedelta(seconds=30)
        assert one_pass(observation) == 1
        obj = cp.client.get(path)
        assert obj["status"]["phase"] == phase
        assert compute(obj).status is kstatus
        assert condition_met(obj, "condition=Ready") is (kstatus is KStatus.CURRENT)
    assert obj["status"]["endpoint"] == "db:5432"
    for _ in range(IDLE_PASSES):
        now += timedelta(minutes=1)
        assert one_pass(script[-1][0]) == 0
    assert _rv(cp, path) == obj["metadata"]["resourceVersion"]
    events = _events(cp, gts_namespace, uid)
    notes = [(e["type"], e["message"]) for e in events if e["message"].startswith("Ready:")]
    assert notes == [("Warning", "Ready: absent -> False"), ("Normal", "Ready: False -> True")]
    assert all(e["reportingComponent"] == db.REPORTING_CONTROLLER for e in events)
