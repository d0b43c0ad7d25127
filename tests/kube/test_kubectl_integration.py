"""The real kubectl against a GitTarget whose status the lifecycle pipeline produces.

kubectl talks to a fake API endpoint on 127.0.0.1 (discovery, get, list, watch); the
status progresses pass by pass as the fake world changes, exactly as a controller would
write it. These tests prove that ``kubectl wait`` returns when, and only when, the
library's contract says it should, and that the offline port agrees with it.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from gittarget_status.kubectl import condition_met
from gittarget_status.testing import demo_spec

from ._driver import GOLDEN_PATH, GOLDEN_START, GitTargetDriver
from ._fakeapi import FakeAPIServer
from ._kubectl import Kubectl

#: How long a still-waiting kubectl is given to (wrongly) return before we move on.
SETTLE = 0.25


def _finish(process: subprocess.Popen[str], timeout: float = 15.0) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"kubectl wait did not return within {timeout}s: {out} {err}")
    return process.returncode, out, err


def _object_reads_after(api: FakeAPIServer, mark: int, name: str) -> list[str]:
    """Non-watch reads of ``name`` (get or list) made after request number ``mark``."""
    return [
        r.path
        for r in api.requests[mark:]
        if not r.watch and (r.path.endswith(f"/{name}") or r.path.endswith("/gittargets"))
    ]


@pytest.mark.parametrize(
    ("expression", "returns_after"),
    [
        pytest.param("condition=Ready=true", "stream registered", id="ready"),
        pytest.param("condition=Ready", "stream registered", id="ready-default-true"),
        pytest.param("condition=SnapshotSynced=true", "snapshot completed", id="snapshot-synced"),
        pytest.param("jsonpath={.status.phase}=RUNNING", "stream registered", id="phase-running"),
        pytest.param(
            'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True',
            "stream registered",
            id="ready-jsonpath-filter",
        ),
    ],
)
def test_wait_returns_when_the_pipeline_reaches_the_state(
    api: FakeAPIServer, kubectl: Kubectl, expression: str, returns_after: str
) -> None:
    driver = GitTargetDriver(api, "demo")
    for key, value in GOLDEN_START.items():
        setattr(driver.world, key, value)
    driver.create()
    assert not condition_met(api.get("demo"), expression)

    process = kubectl.popen("wait", f"--for={expression}", "gittarget/demo", "--timeout=30s")
    try:
        api.wait_for_watch()  # kubectl saw the not-yet-met object and is now watching
        for label, change in GOLDEN_PATH:
            mark = len(api.requests)
            driver.reconcile(**change)
            met = condition_met(api.get("demo"), expression)
            assert met == (label == returns_after), label
            if met:
                code, out, err = _finish(process)
                assert code == 0, err
                assert out.strip() == "gittarget.configbutler.ai/demo condition met"
                # Delivered by the open watch: kubectl did not re-read the object.
                assert _object_reads_after(api, mark, "demo") == []
                break
            time.sleep(SETTLE)
            assert process.poll() is None, f"kubectl returned early at {label!r}"
        else:
            pytest.fail("the expression never became true")
        if returns_after == "snapshot completed":
            assert not condition_met(api.get("demo"), "condition=Ready")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_generation_bump_blocks_until_the_pipeline_observes_it(
    api: FakeAPIServer, kubectl: Kubectl
) -> None:
    driver = GitTargetDriver(api, "demo")
    driver.create()
    driver.reconcile()
    assert condition_met(api.get("demo"), "condition=Ready=true")
    assert (
        kubectl.run("wait", "--for=condition=Ready", "gittarget/demo", "--timeout=0").returncode
        == 0
    )

    generation = driver.change_spec(demo_spec().model_copy(update={"branch": "release"}))
    assert generation == 2
    stale = api.get("demo")
    ready = next(c for c in stale["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "True"
    assert ready["observedGeneration"] == 1  # Ready=True, but for the old spec
    assert not condition_met(stale, "condition=Ready=true")
    once = kubectl.run("wait", "--for=condition=Ready=true", "gittarget/demo", "--timeout=0")
    assert once.returncode == 1
    assert "condition not met" in once.stderr

    process = kubectl.popen("wait", "--for=condition=Ready=true", "gittarget/demo", "--timeout=30s")
    try:
        api.wait_for_watch()
        time.sleep(4 * SETTLE)
        assert process.poll() is None, "kubectl accepted a Ready condition of an old generation"
        outcome = driver.reconcile()
        assert outcome.changed
        assert outcome.status.observed_generation == 2
        code, out, err = _finish(process)
        assert code == 0, err
        assert "condition met" in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_steady_state_writes_nothing_and_kubectl_still_agrees(
    api: FakeAPIServer, kubectl: Kubectl
) -> None:
    driver = GitTargetDriver(api, "steady")
    driver.create()
    driver.reconcile()
    writes = driver.writes
    for _ in range(3):
        assert not driver.reconcile().changed
    assert driver.writes == writes
    result = kubectl.run(
        "wait", "--for=jsonpath={.status.phase}=RUNNING", "gittarget/steady", "--timeout=0"
    )
    assert result.returncode == 0, result.stderr
