"""The control-plane fixture itself: start, stop, nothing left running, clear failures.

Runs on the real etcd and kube-apiserver (``KUBEBUILDER_ASSETS``); the failure cases use
stand-in scripts, since a real binary cannot be made to fail on cue.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gittarget_status.manifests import gittarget_crd
from gittarget_status.testing.control_plane import (
    ApiError,
    Assets,
    ControlPlane,
    ControlPlaneError,
    ControlPlaneNotFound,
    find_assets,
)

pytestmark = pytest.mark.real_server

CRD = "gittargets.configbutler.ai"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def _wait_gone(pids: tuple[int, ...], seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [pid for pid in pids if _alive(pid)]
        if not left:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if _alive(pid)]


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def test_the_session_server_is_real_and_reachable(gts_control_plane: ControlPlane) -> None:
    cp = gts_control_plane
    assert cp.running
    assert cp.server.startswith("https://127.0.0.1:")
    assert cp.client.get("/version")["gitVersion"].startswith("v1.")
    config = json.loads(cp.kubeconfig.read_text())
    assert config["clusters"][0]["cluster"]["server"] == cp.server
    assert config["users"][0]["user"]["token"] == cp.token
    answer = cp.kubectl("get", "namespace", "default", "-o", "jsonpath={.metadata.name}")
    assert (answer.returncode, answer.stdout) == (0, "default"), answer.stderr


def test_a_wrong_token_is_refused(gts_control_plane: ControlPlane) -> None:
    from gittarget_status.testing.control_plane import ApiClient

    stranger = ApiClient(gts_control_plane.server, "not-the-token", str(gts_control_plane.ca_file))
    with pytest.raises(ApiError) as refused:
        stranger.get("/api/v1/namespaces")
    assert refused.value.code == 401


def test_errors_carry_the_servers_status(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    client = gts_control_plane.client
    with pytest.raises(ApiError) as missing:
        client.get(f"/api/v1/namespaces/{gts_namespace}/configmaps/absent")
    assert (missing.value.code, missing.value.reason) == (404, "NotFound")
    assert missing.value.status["kind"] == "Status"
    assert "absent" in missing.value.message

    path = f"/api/v1/namespaces/{gts_namespace}/configmaps"
    made = client.post(path, {"metadata": {"name": "cm"}, "data": {"a": "1"}})
    stale = made["metadata"]["resourceVersion"]
    client.patch(f"{path}/cm", {"data": {"a": "2"}}, "merge")
    with pytest.raises(ApiError) as conflict:
        client.put(
            f"{path}/cm",
            {
                **made,
                "data": {"a": "3"},
                "metadata": {**made["metadata"], "resourceVersion": stale},
            },
        )
    assert conflict.value.conflict and conflict.value.reason == "Conflict"


def test_every_patch_type_has_its_content_type(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    client = gts_control_plane.client
    path = f"/api/v1/namespaces/{gts_namespace}/configmaps"
    client.post(path, {"metadata": {"name": "p"}, "data": {"a": "1"}})
    client.patch(f"{path}/p", {"data": {"b": "2"}}, "merge")
    client.patch(f"{path}/p", [{"op": "add", "path": "/data/c", "value": "3"}], "json")
    client.patch(f"{path}/p", {"data": {"d": "4"}}, "strategic")
    applied = client.patch(
        f"{path}/p",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p"}, "data": {"e": "5"}},
        "apply",
        field_manager="second",
    )
    assert applied["data"] == {"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
    managers = {entry["manager"] for entry in applied["metadata"]["managedFields"]}
    assert "second" in managers


def test_apply_waits_for_the_crd_and_serves_its_kind(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    client = gts_control_plane.client
    dry = client.apply(gittarget_crd(), dry_run=True)
    assert dry[0]["metadata"]["name"] == CRD
    client.apply(gittarget_crd())
    crd = client.wait_established(CRD)
    assert crd["spec"]["names"]["kind"] == "GitTarget"
    obj = {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": "t"},
        "spec": {"providerRef": {"name": "p"}, "branch": "main", "path": "x"},
    }
    created = client.apply(obj, namespace=gts_namespace)[0]
    assert created["metadata"]["namespace"] == gts_namespace
    assert client.resource_path(
        "configbutler.ai/v1alpha1", "GitTarget", "t", namespace=gts_namespace
    ) == (f"/apis/configbutler.ai/v1alpha1/namespaces/{gts_namespace}/gittargets/t")


def test_namespaces_are_fresh_per_test(gts_control_plane: ControlPlane, gts_namespace: str) -> None:
    other = gts_control_plane.client.create_namespace()
    assert other != gts_namespace
    names = {
        ns["metadata"]["name"] for ns in gts_control_plane.client.get("/api/v1/namespaces")["items"]
    }
    assert {gts_namespace, other} <= names


# The session server is requested by the tests that start servers of their own for its rule
# without binaries: skip (fail with GTS_REQUIRE_CONTROL_PLANE=1), as every real-server test.


def test_stop_leaves_nothing_running_and_removes_its_folder(
    gts_control_plane: ControlPlane,
) -> None:
    with ControlPlane() as cp:
        pids, workdir = cp.pids, cp.workdir
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
        assert cp.startup_seconds > 0
    assert not cp.running
    assert _wait_gone(pids, 1.0) == []
    assert not workdir.exists()


def test_an_outage_keeps_the_port_and_the_data(gts_control_plane: ControlPlane) -> None:
    """``stop_apiserver`` leaves etcd running; ``restart_apiserver`` serves the same data."""
    with ControlPlane() as cp:
        server, (apiserver, etcd) = cp.server, cp.pids
        namespace = cp.client.create_namespace()
        path = f"/api/v1/namespaces/{namespace}"
        before = cp.client.get(path)["metadata"]["uid"]
        cp.stop_apiserver()
        with pytest.raises(ApiError) as down:
            cp.client.get(path)
        assert (down.value.code, down.value.reason) == (0, "Unreachable")
        assert _alive(etcd) and not _alive(apiserver)
        cp.restart_apiserver()
        assert cp.server == server and cp.pids[1] == etcd and cp.pids[0] != apiserver
        assert cp.client.get(path)["metadata"]["uid"] == before


def test_a_crashed_test_process_takes_the_control_plane_with_it(
    gts_control_plane: ControlPlane, tmp_path: Path
) -> None:
    child = textwrap.dedent(
        """
        import json, os, signal, sys
        from gittarget_status.testing.control_plane import ControlPlane
        cp = ControlPlane(workdir=sys.argv[1]).start()
        print(json.dumps(cp.pids), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(tmp_path / "cp")],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == -9, done.stderr
    pids = tuple(json.loads(done.stdout.splitlines()[-1]))
    assert len(pids) == 2
    assert _wait_gone(pids) == [], "etcd or kube-apiserver outlived the test process"


def test_missing_binaries_say_how_to_get_them(tmp_path: Path) -> None:
    with pytest.raises(ControlPlaneNotFound) as unset:
        find_assets(environ={})
    assert "KUBEBUILDER_ASSETS is not set" in str(unset.value)
    assert "setup-envtest" in str(unset.value)
    with pytest.raises(ControlPlaneNotFound) as empty:
        ControlPlane(tmp_path)
    assert f"{tmp_path / 'etcd'} is not an executable file" in str(empty.value)
    assert "kube-apiserver" in str(empty.value)


def test_explicit_paths_win_over_the_folder(tmp_path: Path) -> None:
    etcd = _script(tmp_path / "my-etcd", "exit 0")
    api = _script(tmp_path / "my-apiserver", "exit 0")
    assets = find_assets(tmp_path / "nowhere", etcd=etcd, kube_apiserver=api, environ={})
    assert (assets.etcd, assets.kube_apiserver) == (etcd, api)


def test_a_server_that_exits_shows_its_log_and_stops_etcd(tmp_path: Path) -> None:
    etcd = _script(tmp_path / "etcd", "echo etcd says hello; exec sleep 60")
    api = _script(tmp_path / "kube-apiserver", "echo 'E1201 flag --nope is unknown' >&2; exit 3")
    cp = ControlPlane(Assets(etcd=etcd, kube_apiserver=api), workdir=tmp_path / "w")
    with pytest.raises(ControlPlaneError) as failed:
        cp.start()
    message = str(failed.value)
    assert "kube-apiserver exited with code 3 during start-up" in message
    assert "flag --nope is unknown" in message and "etcd says hello" in message
    assert not cp.running


def test_a_server_that_never_gets_ready_times_out(tmp_path: Path) -> None:
    etcd = _script(tmp_path / "etcd", "exec sleep 60")
    api = _script(tmp_path / "kube-apiserver", "echo starting; exec sleep 60")
    cp = ControlPlane(
        Assets(etcd=etcd, kube_apiserver=api), workdir=tmp_path / "w", start_timeout=0.5
    )
    with pytest.raises(ControlPlaneError, match=r"not ready after 0.5s") as failed:
        cp.start()
    assert "starting" in str(failed.value)
    assert not cp.running


def test_a_binary_that_cannot_run_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "etcd"
    broken.write_bytes(b"\x7fELF not really")
    broken.chmod(0o755)
    api = _script(tmp_path / "kube-apiserver", "exit 0")
    with pytest.raises(ControlPlaneError, match=r"cannot run .*etcd"):
        ControlPlane(Assets(etcd=broken, kube_apiserver=api), workdir=tmp_path / "w").start()


PLUGIN_TEST = """
def test_needs_a_server(gts_control_plane):
    assert gts_control_plane.running
"""


@pytest.mark.parametrize(("require", "outcome"), [("", "skipped"), ("1", "errors")])
def test_the_fixture_skips_or_fails_without_binaries(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, require: str, outcome: str
) -> None:
    pytester.makepyfile(PLUGIN_TEST)
    monkeypatch.delenv("KUBEBUILDER_ASSETS", raising=False)
    monkeypatch.setenv("GTS_REQUIRE_CONTROL_PLANE", require)
    result = pytester.runpytest_inprocess("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(**{outcome: 1})
    result.stdout.fnmatch_lines(["*KUBEBUILDER_ASSETS is not set*"])


def test_apply_bodies_beyond_the_bmp_are_accepted(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    # json.dumps' default \ud83d\ude00 escapes are invalid YAML: the apply would get a 400.
    client = gts_control_plane.client
    path = f"/api/v1/namespaces/{gts_namespace}/configmaps/emoji"
    manifest = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "emoji"},
        "data": {"k": "\U0001f600 \u00e9"},
    }
    applied = client.patch(path, manifest, "apply", field_manager="t")
    assert applied["data"]["k"] == "\U0001f600 \u00e9"
