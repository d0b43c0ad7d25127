"""Soak: two controllers on the library share many objects for 20 rounds, with an outage.

(50 objects under the thorough hypothesis profile, ``HYPOTHESIS_PROFILE=ci``; 14 under the
default and quick ones, see ``OBJECTS``.)

Our GitTarget controller writes by merge patch with ``resourceVersion``. A policy
controller, also built on the library, owns two other condition types and writes them by
server-side apply. Both run at the same time, in two threads, and on every third writing pass
a third writer edits the object's labels between our read and our write, so real 409s
happen every round (not only when the threads happen to race). In the middle,
kube-apiserver is stopped and started again. At the end:

* no condition is lost;
* neither controller changed a byte of the other's entries;
* writes are bounded by the real changes (no ping-pong);
* both controllers recovered after the restart, and every GitTarget is Ready.

It runs on a control plane of its own, because it restarts the server.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from hypothesis import settings

from gittarget_status.manifests import gittarget_crd
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld
from gittarget_status.testing.control_plane import ApiError, ControlPlane

from ._driver import GOLDEN_PATH, GOLDEN_START
from ._sharing import GitTargetController, PolicyController, create_gittarget, entries_by_type

pytestmark = pytest.mark.real_server  # a control plane of its own (it restarts the server)

#: 50 objects in the thorough profile (ci); 14 in the default (the README's run) and quick ones,
#: still two of every staggering class (``index % 7``) and the policy's flips (``% 5``).
OBJECTS = 14 if settings().max_examples <= 100 else 50
ROUNDS = 20
OUTAGE_AFTER_ROUND = 10
GITTARGET_TYPES = (
    "Validated",
    "EncryptionConfigured",
    "Bootstrapped",
    "SnapshotSynced",
    "EventStreamLive",
    "Ready",
)


@pytest.fixture(scope="module")
def soak_plane(gts_control_plane: ControlPlane) -> Iterator[ControlPlane]:
    """A control plane of its own (the session's one is asked for its skip/fail rule)."""
    with ControlPlane() as plane:
        plane.client.apply(gittarget_crd())
        plane.client.wait_established("gittargets.configbutler.ai")
        yield plane


def _golden_step(index: int, round_: int) -> int:
    """How far object ``index`` is along the golden path in a round (staggered)."""
    return max(0, min(len(GOLDEN_PATH), (round_ - index % 7) // 2))


def _policy(index: int, round_: int) -> tuple[bool, bool]:
    """The policy controller's world: compliance flips now and then, scans finish."""
    compliant = not (index % 5 == 0 and 4 <= round_ < 12)
    return compliant, round_ >= 3 + index % 4


def _run_round(work: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_two_controllers_many_objects_twenty_rounds_and_a_restart(
    soak_plane: ControlPlane, capsys: pytest.CaptureFixture[str]
) -> None:
    api = soak_plane.client
    namespace = api.create_namespace()
    names = [f"soak-{i:02d}" for i in range(OBJECTS)]
    for name in names:
        create_gittarget(api, namespace, name)
    interfered = 0

    def touch(name: str) -> None:
        """Every third writing pass: a label edit lands between our read and our write."""
        nonlocal interfered
        if zlib.crc32(f"{name}/{ours.tally.passes}".encode()) % 3 == 0:
            path = ours.object_path(name)
            api.patch(path, {"metadata": {"labels": {"touched": str(interfered)}}}, "merge")
            interfered += 1

    ours = GitTargetController(api, namespace, path="merge", interfere=touch)
    policy = PolicyController(api, namespace)
    worlds = {name: FakeGitTargetWorld(**GOLDEN_START) for name in names}
    # The real changes each controller has to write: the first pass, then each world change.
    ours_changes = policy_changes = 0
    last_policy: dict[str, tuple[bool, bool]] = {}
    last_step: dict[str, int] = {}
    started = time.monotonic()
    outage_errors = 0

    def gittarget_round(round_: int) -> Callable[[], None]:
        def job() -> None:
            for name in names:
                ours.reconcile(name, worlds[name], DEMO_EPOCH + timedelta(minutes=round_))

        return job

    def policy_round(round_: int) -> Callable[[], None]:
        def job() -> None:
            for index, name in enumerate(names):
                compliant, scanned = _policy(index, round_)
                policy.reconcile(name, compliant, scanned, DEMO_EPOCH + timedelta(minutes=round_))

        return job

    for round_ in range(ROUNDS + 2):  # two settling rounds at the end: nothing changes
        world_round = min(round_, ROUNDS - 1)
        for index, name in enumerate(names):
            step = _golden_step(index, world_round)
            for _, change in GOLDEN_PATH[:step]:
                for key, value in change.items():
                    setattr(worlds[name], key, value)
            if last_step.get(name) != step:
                ours_changes += 1
                last_step[name] = step
            verdict = _policy(index, world_round)
            if last_policy.get(name) != verdict:
                policy_changes += 1
                last_policy[name] = verdict
        if round_ == OUTAGE_AFTER_ROUND:
            soak_plane.stop_apiserver()
            down = _run_round([gittarget_round(round_), policy_round(round_)])
            assert down and all(isinstance(e, ApiError) and e.code == 0 for e in down), down
            outage_errors = len(down)
            soak_plane.restart_apiserver()
        writes_before = ours.tally.writes + policy.tally.writes
        errors = _run_round([gittarget_round(round_), policy_round(round_)])
        assert not errors, errors
        if round_ >= ROUNDS:
            settled = ours.tally.writes + policy.tally.writes - writes_before
            assert settled == 0, f"round {round_}: {settled} writes with nothing changed"
    elapsed = time.monotonic() - started

    lost = foreign_changed = 0
    for index, name in enumerate(names):
        obj = api.get(ours.object_path(name))
        conditions = obj["status"]["conditions"]
        by_type = entries_by_type(obj)
        assert len(conditions) == len(by_type), f"{name}: duplicated condition types"
        lost += sum(t not in by_type for t in (*GITTARGET_TYPES, *policy.owned))
        assert by_type["Ready"]["status"] == "True", f"{name} is not Ready"
        compliant, scanned = _policy(index, ROUNDS - 1)
        mine = [c.to_k8s() for c in policy.desired(compliant, scanned, 1)]
        for wanted in mine:  # what the policy controller wrote, exactly, time aside
            stored = dict(by_type[wanted["type"]])
            stored.pop("lastTransitionTime")
            foreign_changed += json.dumps(stored, sort_keys=True) != json.dumps(
                {k: v for k, v in wanted.items() if k != "lastTransitionTime"}, sort_keys=True
            )
    assert lost == 0
    assert foreign_changed == 0
    assert ours.tally.conflicts >= interfered > 0, "the stale writes met no real 409"
    # Each real change costs at most one write per controller: no ping-pong.
    assert ours.tally.writes <= ours_changes, (ours.tally.writes, ours_changes)
    assert policy.tally.writes <= policy_changes, (policy.tally.writes, policy_changes)
    with capsys.disabled():
        print(
            f"\nsoak: {OBJECTS} objects x {ROUNDS} rounds (+2 settling), kube-apiserver "
            f"restarted after round {OUTAGE_AFTER_ROUND}, {elapsed:.1f} s\n"
            f"  gittarget controller (merge patch): {ours.tally}; real changes {ours_changes}\n"
            f"  policy controller (server-side apply): {policy.tally}; real changes "
            f"{policy_changes}\n"
            f"  another writer edited {interfered} objects between our read and write\n"
            f"  outage: {outage_errors} controller rounds failed while the server was down\n"
            f"  lost conditions: {lost}, foreign entries changed: {foreign_changed}"
        )
