"""The examples with fakes, for what the real-server runs cannot show.

``test_examples_real.py`` runs every example against the real API server (Ready, then no
write, Events, a 409 re-read, another controller's condition kept). What stays here:

* the golden path through kopf's planning (Warning Events, several writes): the real kopf
  run uses the happy-path world, reaching Ready in one pass;
* kopf's requeue (``TemporaryError`` with a delay) and its handler registration;
* the ``patch.fns`` function applied twice equals once (kopf re-applies it after a
  conflict; the real run cannot force one);
* the Database's terminal failure (pure gate logic) and its CRD against the 1.32 schema
  (the real server is 1.36).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]  # no stubs, no py.typed
import pytest

from gittarget_status.kstatus import KStatus, compute
from gittarget_status.kubectl import condition_met
from gittarget_status.patch import apply_status_body
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._driver import GOLDEN_PATH, GOLDEN_START
from ._examples import load_example as _load


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
    logger = SimpleNamespace(warning=lambda *a: None, info=lambda *a: None)
    memo: dict[str, Any] = {}  # kopf's per-object memory
    with pytest.raises(FakeKopf.TemporaryError) as requeue:
        handler(body=_body(), patch=patch, logger=logger, memo=memo)
    assert requeue.value.delay > 0  # the snapshot is running: come back soon
    assert len(patch.fns) == 1
    assert kopf.events
    body = _body()
    patch.fns[0](body)
    world.snapshot_state = "completed"
    patch = SimpleNamespace(fns=[])
    handler(body=body, patch=patch, logger=logger, memo=memo)
    patch.fns[0](body)
    assert condition_met(body, "condition=Ready")
    patch = SimpleNamespace(fns=[])
    handler(body=body, patch=patch, logger=logger, memo=memo)
    assert patch.fns == []  # steady state: no write


def test_kopf_posts_each_event_once_per_body() -> None:
    """Two handlers on the same body (create, then the timer, before the first write
    lands) plan the same transitions: the second posts none of them again, but does post
    a transition the world made meanwhile."""
    op = _load("kopf_operator")
    kopf = FakeKopf()
    world = FakeGitTargetWorld(snapshot_state="running")
    op.register_handlers(kopf, ports_factory=lambda spec: world)
    create, timer = kopf.handlers["create"][0], kopf.handlers["timer"][0]
    logger = SimpleNamespace(warning=lambda *a: None, info=lambda *a: None)
    memo: dict[str, Any] = {}
    body = _body()
    body["metadata"]["resourceVersion"] = "1"
    with pytest.raises(FakeKopf.TemporaryError):
        create(body=copy.deepcopy(body), patch=SimpleNamespace(fns=[]), logger=logger, memo=memo)
    first = list(kopf.events)
    assert any(e["message"].startswith("Ready: absent -> False") for e in first)
    with pytest.raises(FakeKopf.TemporaryError):
        timer(body=copy.deepcopy(body), patch=SimpleNamespace(fns=[]), logger=logger, memo=memo)
    assert kopf.events == first  # the same body: every Event posted already

    world.snapshot_state = "completed"  # the world moves; the body is still the stale one
    patch = SimpleNamespace(fns=[])
    timer(body=copy.deepcopy(body), patch=patch, logger=logger, memo=memo)
    later = kopf.events[len(first) :]
    assert later and not [e for e in later if e in first]
    assert {e["message"].split(":")[0] for e in later} >= {"SnapshotSynced", "Ready"}

    # The write lands: a new resourceVersion, its stored status the one compared with.
    patch.fns[0](body)
    body["metadata"]["resourceVersion"] = "2"
    posted = len(kopf.events)
    timer(body=copy.deepcopy(body), patch=SimpleNamespace(fns=[]), logger=logger, memo=memo)
    assert len(kopf.events) == posted  # nothing moved: no Event


def test_apply_body_for_the_example_manifests_kind() -> None:
    body = apply_status_body(
        None,
        api_version="configbutler.ai/v1alpha1",
        kind="GitTarget",
        name="prod",
        owned_conditions=["Ready"],
    )
    assert body["status"] == {"conditions": []}
