"""The examples, exercised with fakes: no kopf, no kubernetes client, no cluster."""

from __future__ import annotations

import copy
import importlib.util
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]  # no stubs, no py.typed
import pytest

from gittarget_status.kstatus import KStatus, compute
from gittarget_status.kubectl import condition_met
from gittarget_status.patch import apply_status_body
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._apiserver_merge import apply_merge_patch
from ._driver import GOLDEN_PATH, GOLDEN_START
from ._schema import k8s_validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    module_name = f"gittarget_status_example_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _body(status: Any = None, generation: int = 1) -> dict[str, Any]:
    body: dict[str, Any] = {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": "prod", "namespace": "default", "generation": generation},
        "spec": demo_spec().to_k8s(),
    }
    if status is not None:
        body["status"] = status
    return body


# -------------------------------------------------------------------- Database


def test_database_progresses_on_the_generic_framework() -> None:
    db = _load("database")
    seen = db.DatabaseObservation
    script = [
        (seen("creating", False, None, False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", False, "db:5432", False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", True, "db:5432", False), "Provisioning", KStatus.IN_PROGRESS),
        (seen("available", True, "db:5432", True), "Available", KStatus.CURRENT),
    ]
    schema = db.database_crd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    status, now = None, DEMO_EPOCH
    for observation, phase, kstatus in script:
        now += timedelta(seconds=30)
        outcome = db.reconcile_database(status, observation, generation=1, now=now)
        status = outcome.status
        obj = {"metadata": {"generation": 1}, "status": status.to_k8s()}
        assert outcome.phase == phase
        assert k8s_validate(obj["status"], schema["properties"]["status"]) == []
        assert compute(obj).status is kstatus
        assert condition_met(obj, "condition=Ready") is (kstatus is KStatus.CURRENT)
    assert status is not None
    assert status.endpoint == "db:5432"
    again = db.reconcile_database(status, script[-1][0], generation=1, now=now + timedelta(1))
    assert not again.changed


def test_database_terminal_failure_is_stalled() -> None:
    db = _load("database")
    outcome = db.reconcile_database(
        None,
        db.DatabaseObservation("quota-exceeded", False, None, False),
        generation=1,
        now=DEMO_EPOCH,
    )
    obj = {"metadata": {"generation": 1}, "status": outcome.status.to_k8s()}
    assert outcome.stalled
    assert outcome.phase == "Failed"
    assert compute(obj).status is KStatus.FAILED


def test_database_crd_is_valid() -> None:
    db = _load("database")
    crd = db.database_crd()
    kubernetes_validate.validate(crd, "1.32", strict=True)
    assert crd["metadata"]["name"] == "databases.example.com"


# ------------------------------------------------------------------------ kopf


def test_kopf_plan_writes_only_on_change_and_emits_events_on_transitions() -> None:
    op = _load("kopf_operator")
    world = FakeGitTargetWorld(**GOLDEN_START)
    body = _body()
    now = DEMO_EPOCH
    all_events: list[Any] = []
    for _, change in GOLDEN_PATH:
        for key, value in change.items():
            setattr(world, key, value)
        now += timedelta(seconds=30)
        plan = op.plan_reconcile(body, world, now=now)
        assert plan.status_fn is not None
        fresh = copy.deepcopy(body)  # kopf hands the function a deep copy of the body
        plan.status_fn(fresh)
        assert fresh["status"] == plan.outcome.status.to_k8s()
        body = fresh
        all_events.extend(plan.events)
        present = [t for t in plan.outcome.transitions if t.new is not None]
        assert len(plan.events) == len(present)  # a removed condition emits no event
    assert condition_met(body, "condition=Ready")
    assert compute(body).status is KStatus.CURRENT
    steady = op.plan_reconcile(body, world, now=now + timedelta(minutes=5))
    assert steady.status_fn is None
    assert steady.events == ()
    ready_events = [e for e in all_events if e.message.startswith("Ready:")]
    assert [e.type for e in ready_events] == ["Warning", "Normal"]
    assert ready_events[0].message.startswith("Ready: absent -> False")
    assert ready_events[-1].message == "Ready: False -> True: All required gates are True"
    warnings = [e for e in all_events if e.type == "Warning"]
    assert any(e.message.startswith("EncryptionConfigured:") for e in warnings)


def test_kopf_status_fn_keeps_other_controllers_conditions() -> None:
    op = _load("kopf_operator")
    plan = op.plan_reconcile(_body(), FakeGitTargetWorld(), now=DEMO_EPOCH)
    foreign = {
        "type": "audit.example.com/Compliant",
        "status": "True",
        "reason": "OK",
        "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z",
    }
    fresh = _body({"conditions": [foreign]})
    plan.status_fn(fresh)
    plan.status_fn(fresh)
    types = [c["type"] for c in fresh["status"]["conditions"]]
    assert types[0] == "audit.example.com/Compliant"
    assert "Ready" in types
    assert len(types) == len(set(types))


@dataclass
class FakeKopf:
    """The slice of kopf the example touches."""

    handlers: dict[str, list[Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    class TemporaryError(Exception):
        def __init__(self, message: str, *, delay: float) -> None:
            super().__init__(message)
            self.delay = delay

    class AnnotationsProgressStorage:
        pass

    class AnnotationsDiffBaseStorage:
        pass

    def __post_init__(self) -> None:
        def registrar(kind: str) -> Any:
            def factory(*args: Any, **kwargs: Any) -> Any:
                def register(fn: Any) -> Any:
                    self.handlers.setdefault(kind, []).append(fn)
                    return fn

                return register

            return factory

        self.on = SimpleNamespace(
            startup=registrar("startup"),
            resume=registrar("resume"),
            create=registrar("create"),
            update=registrar("update"),
        )
        self.timer = registrar("timer")

    def event(self, body: Any, *, type: str, reason: str, message: str) -> None:
        self.events.append({"type": type, "reason": reason, "message": message})


def test_kopf_handlers_with_a_fake_kopf() -> None:
    op = _load("kopf_operator")
    kopf = FakeKopf()
    world = FakeGitTargetWorld(snapshot_state="running")
    op.register_handlers(kopf, ports_factory=lambda spec: world)
    assert {k: len(v) for k, v in kopf.handlers.items()} == {
        "startup": 1,
        "resume": 1,
        "create": 1,
        "update": 1,
        "timer": 1,
    }
    settings = SimpleNamespace(persistence=SimpleNamespace())
    kopf.handlers["startup"][0](settings=settings)
    assert isinstance(settings.persistence.progress_storage, FakeKopf.AnnotationsProgressStorage)

    handler = kopf.handlers["create"][0]
    patch = SimpleNamespace(fns=[])
    logger = SimpleNamespace(warning=lambda *a: None)
    with pytest.raises(FakeKopf.TemporaryError) as requeue:
        handler(body=_body(), patch=patch, logger=logger)
    assert requeue.value.delay > 0  # the snapshot is running: come back soon
    assert len(patch.fns) == 1
    assert kopf.events
    body = _body()
    patch.fns[0](body)
    world.snapshot_state = "completed"
    patch = SimpleNamespace(fns=[])
    handler(body=body, patch=patch, logger=logger)
    patch.fns[0](body)
    assert condition_met(body, "condition=Ready")
    patch = SimpleNamespace(fns=[])
    handler(body=body, patch=patch, logger=logger)
    assert patch.fns == []  # steady state: no write


# ------------------------------------------------- official kubernetes client


class ApiException(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass
class FakeCustomObjects:
    """CustomObjectsApi for one object: merge-patch semantics and resourceVersion checks."""

    obj: dict[str, Any]
    calls: list[str] = field(default_factory=list)
    interfere_once: dict[str, Any] | None = None

    def get_namespaced_custom_object(
        self, group: str, version: str, namespace: str, plural: str, name: str
    ) -> dict[str, Any]:
        self.calls.append("get")
        return copy.deepcopy(self.obj)

    def patch_namespaced_custom_object_status(
        self,
        group: str,
        version: str,
        namespace: str,
        plural: str,
        name: str,
        body: dict[str, Any],
        **kwargs: Any,
    ) -> dict[str, Any]:
        self.calls.append("patch")
        if self.interfere_once is not None:  # another writer got there first
            self.obj["status"] = apply_merge_patch(self.obj.get("status"), self.interfere_once)
            self._bump()
            self.interfere_once = None
        expected = body.get("metadata", {}).get("resourceVersion")
        if expected is not None and expected != self.obj["metadata"]["resourceVersion"]:
            raise ApiException(409)
        self.obj["status"] = apply_merge_patch(self.obj.get("status"), body["status"])
        self._bump()
        return copy.deepcopy(self.obj)

    def _bump(self) -> None:
        meta = self.obj["metadata"]
        meta["resourceVersion"] = str(int(meta["resourceVersion"]) + 1)


def test_client_controller_loop() -> None:
    ctl = _load("client_controller")
    obj = _body()
    obj["metadata"]["resourceVersion"] = "7"
    api = FakeCustomObjects(obj)
    world = FakeGitTargetWorld(**GOLDEN_START)
    events: list[tuple[str, str, str]] = []

    def emit(o: dict[str, Any], type_: str, reason: str, message: str) -> None:
        events.append((type_, reason, message))

    now = DEMO_EPOCH
    for _, change in GOLDEN_PATH:
        for key, value in change.items():
            setattr(world, key, value)
        now += timedelta(seconds=30)
        result = ctl.reconcile_once(api, "default", "prod", world, now=now, emit=emit)
        assert result.writes == 1
    assert condition_met(api.obj, "condition=Ready")
    assert ("Normal", "OK", "Ready: False -> True") in events
    api.calls.clear()
    result = ctl.reconcile_once(api, "default", "prod", world, now=now + timedelta(minutes=1))
    assert result.writes == 0
    assert api.calls == ["get"]  # zero writes at steady state


def test_client_controller_retries_a_conflict_without_clobbering() -> None:
    ctl = _load("client_controller")
    obj = _body()
    obj["metadata"]["resourceVersion"] = "1"
    foreign = {
        "type": "audit.example.com/Compliant",
        "status": "True",
        "reason": "OK",
        "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z",
    }
    api = FakeCustomObjects(obj, interfere_once={"conditions": [foreign]})
    result = ctl.reconcile_once(api, "default", "prod", FakeGitTargetWorld(), now=DEMO_EPOCH)
    assert result.writes == 1
    assert api.calls == ["get", "patch", "get", "patch"]
    types = [c["type"] for c in api.obj["status"]["conditions"]]
    assert "audit.example.com/Compliant" in types
    assert condition_met(api.obj, "condition=Ready")


def test_apply_body_for_the_example_manifests_kind() -> None:
    body = apply_status_body(
        None,
        api_version="configbutler.ai/v1alpha1",
        kind="GitTarget",
        name="prod",
        owned_conditions=["Ready"],
    )
    assert body["status"] == {"conditions": []}
