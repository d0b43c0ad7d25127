"""Reconcile now, suspend and resume, the way an operator does it: with kubectl.

A GitTarget on the real API server is reconciled by ``gittarget_pipeline().reconcile``
over the object as the server returns it (annotation and ``spec.suspend`` read from it),
the merge patch written to ``/status``. The operator's commands are real kubectl calls
(each kubectl version): ``kubectl annotate --overwrite`` asks for a pass, ``kubectl patch
--type merge`` suspends and resumes, and ``kubectl wait`` reads the result.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from gittarget_status import (
    RECONCILE_REQUEST_ANNOTATION,
    GitTargetSpec,
    GitTargetStatus,
    Reconciled,
    gittarget_pipeline,
    reconcile_requested,
)
from gittarget_status.conditions import SUSPENDED
from gittarget_status.gittarget import GitTargetContext
from gittarget_status.kstatus import KStatus, compute
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld
from gittarget_status.testing.control_plane import ApiClient, ControlPlane

from ._kubectl import Kubectl
from ._real import create_gittarget

#: What ``date +%s`` printed when the operator asked (fixed, so the test is repeatable).
ASKED = "1764579600"
ASKED_AGAIN = "1764583200"


class _Controller:
    """One GitTarget, reconciled from the server's object; counts the writes it sends."""

    def __init__(self, client: ApiClient, path: str) -> None:
        self.client, self.path = client, path
        self.world = FakeGitTargetWorld()
        self.now = DEMO_EPOCH
        self.writes = 0

    def get(self) -> dict[str, Any]:
        obj: dict[str, Any] = self.client.get(self.path)
        return obj

    def reconcile(self) -> Reconciled[GitTargetStatus]:
        self.now += timedelta(seconds=30)
        obj = self.get()
        context = GitTargetContext(
            spec=GitTargetSpec.from_k8s(obj["spec"]),
            ports=self.world,
            previous=GitTargetStatus.from_k8s(obj.get("status") or {}),
            now=self.now,
        )
        done = gittarget_pipeline().reconcile(
            obj, context, now=self.now, status_model=GitTargetStatus
        )
        if done.merge_patch is not None:
            self.client.patch(self.path + "/status", done.merge_patch, "merge")
            self.writes += 1
        return done


def _gates(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in obj["status"]["conditions"] if c["type"] != SUSPENDED]


def _condition(obj: dict[str, Any], type_: str) -> dict[str, Any] | None:
    return next((c for c in obj["status"]["conditions"] if c["type"] == type_), None)


def _wait(ctl: Kubectl, name: str, condition: str) -> tuple[int, str]:
    """``kubectl wait --for=condition=...`` checked once (``--timeout=0``)."""
    answer = ctl.run("wait", f"--for=condition={condition}", "--timeout=0", f"gittarget/{name}")
    return answer.returncode, (answer.stdout + answer.stderr).strip()


def test_annotate_suspend_and_resume_with_kubectl(
    gittarget_api: ControlPlane, gts_namespace: str, kubectl: Kubectl
) -> None:
    client = gittarget_api.client
    ctl = kubectl.in_namespace(gts_namespace)
    path, created = create_gittarget(client, gts_namespace)
    name = created["metadata"]["name"]
    assert created["spec"]["suspend"] is False  # the CRD's default, filled in by the server
    controller = _Controller(client, path)
    assert controller.reconcile().ready
    assert not controller.reconcile().changed  # steady: no write
    assert _wait(ctl, name, "Ready")[0] == 0

    # Reconcile now: the annotation, a metadata edit (generation unchanged).
    annotate = ctl.run(
        "annotate", "--overwrite", f"gittarget/{name}", f"{RECONCILE_REQUEST_ANNOTATION}={ASKED}"
    )
    assert annotate.returncode == 0, annotate.stderr
    asked = controller.get()
    assert asked["metadata"]["generation"] == 1 and reconcile_requested(asked)
    answered = controller.reconcile()
    assert answered.changed and answered.transitions == ()  # no condition moved
    handled = ctl.run(
        "wait",
        f"--for=jsonpath={{.status.lastHandledReconcileAt}}={ASKED}",
        "--timeout=0",
        f"gittarget/{name}",
    )
    assert handled.returncode == 0, handled.stderr
    stored = controller.get()
    assert stored["status"]["lastHandledReconcileAt"] == ASKED
    assert not reconcile_requested(stored)
    shown = ctl.run("get", f"gittarget/{name}", "-o", "jsonpath={.status.lastHandledReconcileAt}")
    assert shown.stdout == ASKED
    version = stored["metadata"]["resourceVersion"]
    assert not controller.reconcile().changed  # answered once
    assert controller.get()["metadata"]["resourceVersion"] == version

    # Suspend: a spec edit, so metadata.generation moves to 2.
    patch = ctl.run(
        "patch", f"gittarget/{name}", "--type", "merge", "-p", '{"spec":{"suspend":true}}'
    )
    assert patch.returncode == 0, patch.stderr
    before = controller.get()
    assert before["metadata"]["generation"] == 2
    writes = controller.writes
    paused = controller.reconcile()
    assert paused.outcome.suspended and controller.writes == writes + 1
    suspended = controller.get()
    assert _gates(suspended) == _gates(before)  # every gate, Ready and kstatus as they were
    assert suspended["status"]["observedGeneration"] == 1
    mark = _condition(suspended, SUSPENDED)
    assert mark is not None
    assert (mark["status"], mark["reason"], mark["observedGeneration"]) == ("True", SUSPENDED, 2)
    code, said = _wait(ctl, name, "Ready")  # Ready=True, but for generation 1 of 2: stale
    assert code != 0 and said == f"error: condition not met for gittargets/{name}", said
    code, said = _wait(ctl, name, SUSPENDED)
    assert code == 0 and said.endswith("condition met"), said
    verdict = compute(suspended)
    assert verdict.status is KStatus.IN_PROGRESS, verdict
    wide = ctl.run("get", f"gittarget/{name}", "-o", "wide", "--no-headers").stdout.split()
    assert wide[1:3] == ["True", "OK"] and wide[-1] == "true", wide  # READY, REASON, SUSPENDED
    version = suspended["metadata"]["resourceVersion"]
    assert not controller.reconcile().changed  # written once

    # A request while suspended is not handled: it waits for the resume.
    again = ctl.run(
        "annotate",
        "--overwrite",
        f"gittarget/{name}",
        f"{RECONCILE_REQUEST_ANNOTATION}={ASKED_AGAIN}",
    )
    assert again.returncode == 0, again.stderr
    assert not controller.reconcile().changed
    pending = controller.get()
    assert pending["status"]["lastHandledReconcileAt"] == ASKED and reconcile_requested(pending)
    assert pending["status"] == suspended["status"]

    # Resume: generation 3; the next pass evaluates, drops Suspended, answers the request.
    patch = ctl.run(
        "patch", f"gittarget/{name}", "--type", "merge", "-p", '{"spec":{"suspend":false}}'
    )
    assert patch.returncode == 0, patch.stderr
    resumed = controller.reconcile()
    assert resumed.ready and not resumed.outcome.suspended
    back = controller.get()
    assert _condition(back, SUSPENDED) is None
    assert back["status"]["observedGeneration"] == 3
    assert back["status"]["lastHandledReconcileAt"] == ASKED_AGAIN
    assert not reconcile_requested(back)
    assert _wait(ctl, name, "Ready")[0] == 0
    assert compute(back).status is KStatus.CURRENT
    assert not controller.reconcile().changed
    listed = json.loads(ctl.run("get", f"gittarget/{name}", "-o", "json").stdout)
    assert listed["status"] == back["status"]
