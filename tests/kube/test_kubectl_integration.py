"""The real kubectl, live, against a GitTarget on the real API server that a controller drives.

The driver reads the object from the server, runs one lifecycle pass and merge-patches
``/status`` only when the pass changed something. While it walks the golden path, one
``kubectl wait`` per expression runs against the object (every test runs with each
kubectl version). Each wait must still be blocked after every step before the one that
satisfies it, and return 0 promptly after that step, with the change delivered by the
watch it holds open (no re-read), exactly when ``condition_met`` says so.
"""

from __future__ import annotations

import time
from pathlib import Path

from gittarget_status.kubectl import condition_met
from gittarget_status.testing.control_plane import ControlPlane

from ._driver import GOLDEN_PATH, GOLDEN_START, GitTargetDriver
from ._kubectl import Kubectl, LiveWait

#: How long a still-waiting kubectl is given to (wrongly) return after each step.
SETTLE = 0.3
#: A satisfied kubectl wait must have returned within this many seconds of the write.
PROMPT = 5.0

#: (id, --for expression, the golden-path step after which it is first met).
CASES = (
    ("ready", "condition=Ready=true", "stream registered"),
    ("ready-default-true", "condition=Ready", "stream registered"),
    ("snapshot-synced", "condition=SnapshotSynced=true", "snapshot completed"),
    ("phase-running", "jsonpath={.status.phase}=RUNNING", "stream registered"),
    (
        "ready-jsonpath-filter",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True',
        "stream registered",
    ),
)

#: How each kubectl version reads the object before watching it: v1.32 lists (from the
#: watch cache, ``resourceVersion=0``) then watches from the list's resourceVersion;
#: v1.36 has client-go's WatchListClient on and asks for one watch that starts with the
#: current state (``sendInitialEvents=true``), ended by a bookmark.
INITIAL_READ = {"1.32": "resourceVersion=0", "1.36": "sendInitialEvents=true"}

STEPS = [label for label, _ in GOLDEN_PATH]


def _observe(waits: dict[str, LiveWait], seconds: float) -> None:
    """Poll every wait for ``seconds``, so each records when it returned."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for wait in waits.values():
            wait.running()
        time.sleep(0.01)


def test_wait_returns_when_the_pipeline_reaches_the_state(
    gittarget_api: ControlPlane, gts_namespace: str, kubectl: Kubectl, tmp_path: Path
) -> None:
    ctl = kubectl.in_namespace(gts_namespace)
    driver = GitTargetDriver(gittarget_api.client, gts_namespace, "demo")
    for key, value in GOLDEN_START.items():
        setattr(driver.world, key, value)
    driver.create()
    created = driver.get()
    for case, expression, _ in CASES:
        assert not condition_met(created, expression), case

    waits = {
        case: ctl.wait_live(expression, "gittarget/demo", tmp_path / f"{case}.log")
        for case, expression, _ in CASES
    }
    try:
        for case, wait in waits.items():
            wait.wait_until_watching()
            objects = [url for _, url in wait.requests() if "/gittargets?" in url]
            assert INITIAL_READ[kubectl.version] in objects[0], (case, objects)
        pending = {case: (expression, STEPS.index(after)) for case, expression, after in CASES}
        for step, (label, change) in enumerate(GOLDEN_PATH):
            marks = {case: len(waits[case].requests()) for case in pending}
            driver.reconcile(**change)
            written = time.monotonic()
            obj = driver.get()
            _observe(waits, SETTLE)
            for case, (expression, returns_at) in list(pending.items()):
                wait = waits[case]
                assert condition_met(obj, expression) == (step == returns_at), (case, label)
                if step < returns_at:
                    assert wait.running(), f"{case}: kubectl returned early at {label!r}"
                    continue
                code, out = wait.finish()
                assert code == 0, (case, wait.stderr())
                assert out.strip() == "gittarget.configbutler.ai/demo condition met", case
                assert wait.returned_at is not None
                assert wait.returned_at - written < PROMPT, case
                # Delivered by the open watch: kubectl did not re-read the object.
                assert wait.reads_after(marks[case]) == [], case
                del pending[case]
        assert not pending, f"never met: {sorted(pending)}"
    finally:
        for wait in waits.values():
            wait.close()


def test_steady_state_writes_nothing_and_kubectl_still_agrees(
    gittarget_api: ControlPlane, gts_namespace: str, kubectl: Kubectl
) -> None:
    driver = GitTargetDriver(gittarget_api.client, gts_namespace, "steady")
    driver.create()
    driver.reconcile()
    writes = driver.writes
    version = driver.get()["metadata"]["resourceVersion"]
    for _ in range(3):
        assert not driver.reconcile().changed
    assert driver.writes == writes
    assert driver.get()["metadata"]["resourceVersion"] == version  # the server saw no write
    ctl = kubectl.in_namespace(gts_namespace)
    for expression in ("jsonpath={.status.phase}=RUNNING", "condition=Ready=true"):
        assert condition_met(driver.get(), expression)
        result = ctl.run("wait", f"--for={expression}", "gittarget/steady", "--timeout=0")
        assert result.returncode == 0, result.stderr
    result = ctl.run("wait", "--for=condition=Ready=false", "gittarget/steady", "--timeout=0")
    assert result.returncode == 1
    assert "condition not met for gittargets/steady" in result.stderr
