"""The generated manifests on the real API server: accepted, Established, and shown.

The GitTarget CRD (from the library and from the CLI), the Database example's CRD and
the RBAC pass a server-side dry run (which stores nothing), then apply; the CRDs become
Established; the RBAC grants exactly what docs/kubernetes.md says; ``kubectl get``
(each kubectl version) shows the printer columns with the values of the written status.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from gittarget_status import GitTargetStatus
from gittarget_status.manifests import gittarget_crd, gittarget_rbac_manifests
from gittarget_status.patch import status_patch
from gittarget_status.testing import DEMO_EPOCH, SCENARIOS
from gittarget_status.testing.control_plane import ApiClient, ApiError, ControlPlane

from . import _tally
from ._examples import load_example
from ._real import create_gittarget, write_merge

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def _cli(*args: str) -> Any:
    """``gittarget-status ARGS -o json``, parsed."""
    out = subprocess.run(
        [sys.executable, "-m", "gittarget_status", *args, "-o", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out)


def _dry_run_then_apply(client: ApiClient, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """Dry run (nothing stored), then apply; returns what the server stored.

    Another test of the session may have applied the same manifest already: then the dry
    run must leave its resourceVersion alone instead of leaving it absent.
    """
    path = client.object_path(manifest)

    def stored_version() -> str | None:
        try:
            version: str = client.get(path)["metadata"]["resourceVersion"]
        except ApiError as error:
            if error.code != 404:
                raise
            return None
        return version

    before = stored_version()
    (dry,) = client.apply(manifest, dry_run=True)
    assert dry["metadata"]["name"] == manifest["metadata"]["name"]
    assert stored_version() == before, "a dry run stored the object"
    (applied,) = client.apply(manifest)
    stored: dict[str, Any] = client.get(path)
    assert stored["metadata"]["uid"] == applied["metadata"]["uid"]
    return stored


def _established(client: ApiClient, crd: Mapping[str, Any]) -> dict[str, Any]:
    stored: dict[str, Any] = client.wait_established(crd["metadata"]["name"])
    conditions = {c["type"]: c["status"] for c in stored["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    assert stored["spec"]["versions"] == crd["spec"]["versions"]  # stored as generated
    return stored


# ---------------------------------------------------------------------- CRDs


def test_the_generated_crd_passes_a_dry_run_against_the_served_one(
    gittarget_api: ControlPlane,
) -> None:
    (dry,) = gittarget_api.client.apply(gittarget_crd(), dry_run=True)
    assert dry["spec"]["versions"] == gittarget_crd()["spec"]["versions"]


@pytest.fixture(scope="module")
def extra_crds(gts_control_plane: ControlPlane) -> dict[str, dict[str, Any]]:
    """The CLI's CRD for another group and the Database example's: dry run, apply, then
    Established (applied together, so the server establishes them together)."""
    client = gts_control_plane.client
    crds = {
        "cli": _cli("crd", "--group", "realtest.example.com"),
        "database": load_example("database").database_crd(),
    }
    for crd in crds.values():
        _dry_run_then_apply(client, crd)
    return {key: _established(client, crd) for key, crd in crds.items()}


def test_the_cli_crd_with_another_group_is_dry_run_applied_and_established(
    extra_crds: dict[str, dict[str, Any]],
) -> None:
    assert extra_crds["cli"]["metadata"]["name"] == "gittargets.realtest.example.com"
    assert extra_crds["cli"]["status"]["acceptedNames"]["shortNames"] == ["gt"]


def test_the_database_example_crd_and_its_statuses_on_the_server(
    gts_control_plane: ControlPlane, gts_namespace: str, extra_crds: dict[str, dict[str, Any]]
) -> None:
    db = load_example("database")
    client = gts_control_plane.client
    assert extra_crds["database"]["status"]["acceptedNames"]["kind"] == "Database"
    collection = client.resource_path("example.com/v1alpha1", "Database", namespace=gts_namespace)
    obj = {
        "apiVersion": "example.com/v1alpha1",
        "kind": "Database",
        "metadata": {"name": "orders"},
        "spec": {"engine": "postgres"},
    }
    client.post(collection, obj)
    seen = db.DatabaseObservation
    script = [
        seen("creating", False, None, False),
        seen("available", False, "db:5432", False),
        seen("available", True, "db:5432", True),
        seen("quota-exceeded", False, None, False),
    ]
    status, now = None, DEMO_EPOCH
    for observation in script:
        now += timedelta(seconds=30)
        outcome = db.reconcile_database(status, observation, generation=1, now=now)
        live = client.get(f"{collection}/orders")
        body = status_patch(live.get("status"), outcome.status)
        assert body is not None
        _tally.record("merge", partial(client.patch, f"{collection}/orders/status", body, "merge"))
        assert client.get(f"{collection}/orders")["status"] == outcome.status.to_k8s()
        status = outcome.status
    row = _rows(gts_control_plane, None, "databases", gts_namespace)["orders"]
    assert row["PHASE"] == "Failed"
    assert row["READY"] == "False"


# ----------------------------------------------------------------------- RBAC


def _can(client: ApiClient, user: str, namespace: str, verb: str, resource: str) -> bool:
    """The server's own RBAC verdict (a SubjectAccessReview) for ``verb`` on ``resource``.

    ``resource`` is ``plural[.group][/subresource]``.
    """
    plural_group, _, subresource = resource.partition("/")
    plural, _, group = plural_group.partition(".")
    review = client.post(
        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SubjectAccessReview",
            "spec": {
                "user": user,
                "groups": ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"],
                "resourceAttributes": {
                    "namespace": namespace,
                    "verb": verb,
                    "group": group,
                    "resource": plural,
                    "subresource": subresource,
                },
            },
        },
    )
    allowed: bool = review["status"]["allowed"]
    return allowed


_GRANTED = [
    ("get", "gittargets.configbutler.ai"),
    ("list", "gittargets.configbutler.ai"),
    ("watch", "gittargets.configbutler.ai"),
    ("patch", "gittargets.configbutler.ai/status"),
    ("update", "gittargets.configbutler.ai/status"),
    ("get", "secrets"),
    ("create", "secrets"),
    ("create", "events"),
    ("patch", "events"),
    ("create", "events.events.k8s.io"),
    ("patch", "events.events.k8s.io"),
]
_DENIED = [
    ("update", "gittargets.configbutler.ai"),
    ("patch", "gittargets.configbutler.ai"),
    ("delete", "gittargets.configbutler.ai"),
    ("create", "gittargets.configbutler.ai"),
    ("get", "gittargets.configbutler.ai/status"),
    ("list", "secrets"),
    ("update", "secrets"),
    ("delete", "secrets"),
    ("get", "configmaps"),
    ("patch", "gittargets.realtest.example.com/status"),
]


@pytest.mark.parametrize("scope", ["Role", "ClusterRole"])
def test_the_rbac_is_accepted_and_grants_exactly_what_the_docs_say(
    gittarget_api: ControlPlane, gts_namespace: str, scope: str
) -> None:
    client = gittarget_api.client
    name, sa = f"ctl-{gts_namespace}", "ctl"
    manifests = (
        _cli("rbac", "--namespace", gts_namespace, "--name", name, "--service-account", sa,
             "--service-account-namespace", gts_namespace)["items"]
        if scope == "Role"
        else gittarget_rbac_manifests(
            name=name, service_account=sa, service_account_namespace=gts_namespace
        )
    )  # fmt: skip
    assert [m["kind"] for m in manifests] == ["ServiceAccount", scope, f"{scope}Binding"]
    for manifest in manifests:
        _dry_run_then_apply(client, manifest)
    user = f"system:serviceaccount:{gts_namespace}:ctl"
    for verb, resource in _GRANTED:
        assert _can(client, user, gts_namespace, verb, resource), (verb, resource)
    for verb, resource in _DENIED:
        assert not _can(client, user, gts_namespace, verb, resource), (verb, resource)
    elsewhere = client.create_namespace()
    granted_elsewhere = _can(client, user, elsewhere, "patch", "gittargets.configbutler.ai/status")
    assert granted_elsewhere is (scope == "ClusterRole")  # a Role stays in its namespace


# ------------------------------------------------------------- printer columns


def _table(text: str) -> list[dict[str, str]]:
    """kubectl's aligned table, split at the header's column starts (the last takes the rest)."""
    header, *rows = text.rstrip("\n").split("\n")
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    names = header.split()
    out = []
    for row in rows:
        cells = [row[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        out.append(dict(zip(names, cells, strict=True)))
    return out


def _rows(
    plane: ControlPlane, binary: str | None, kind: str, namespace: str, *wide: str
) -> dict[str, dict[str, str]]:
    """``kubectl get KIND -n NAMESPACE`` as rows by NAME."""
    answer = plane.kubectl("get", kind, "-n", namespace, *wide, binary=binary)
    assert answer.returncode == 0, answer.stderr
    return {row["NAME"]: row for row in _table(answer.stdout)}


#: Objects in different states, listed by one ``kubectl get`` (each kubectl run costs
#: half a second here): (scenario, pass number).
_STATES = (("golden-path", 1), ("golden-path", 3), ("happy-path", 1), ("provider-missing", 1))


def test_printer_columns_show_the_written_status_in_each_kubectl(
    gittarget_api: ControlPlane, gts_namespace: str, kubectl_binaries: dict[str, str]
) -> None:
    client = gittarget_api.client
    expected: dict[str, GitTargetStatus] = {}
    for scenario, step in _STATES:
        records = list(SCENARIOS[scenario].run())
        path, obj = create_gittarget(client, gts_namespace, spec=SCENARIOS[scenario].spec)
        for record in records[: step + 1]:
            write_merge(client, path, record.outcome.status)
        expected[obj["metadata"]["name"]] = records[step].outcome.status
    assert len({s.to_k8s()["phase"] for s in expected.values()}) == 3  # and Ready differs too
    for version, binary in sorted(kubectl_binaries.items()):
        wide = _rows(gittarget_api, binary, "gittargets", gts_namespace, "-o", "wide")
        narrow = _rows(gittarget_api, binary, "gt", gts_namespace)  # the short name
        assert set(wide) == set(narrow) == set(expected), version
        for name, status in expected.items():
            ready = status.condition("Ready")
            assert ready is not None
            row = wide[name]
            header = ["NAME", "READY", "REASON", "PHASE", "AGE", "MESSAGE", "SUSPENDED"]
            assert list(row) == header, version
            assert row["SUSPENDED"] == "false", version  # the CRD's default, filled in
            assert row["READY"] == ready.status.value, version
            assert row["REASON"] == ready.reason, version
            assert row["PHASE"] == status.to_k8s()["phase"], version
            assert re.fullmatch(r"\d+s", row["AGE"]), (version, row["AGE"])
            assert row["MESSAGE"] == " ".join(ready.message.split()), version
            short = narrow[name]
            assert re.fullmatch(r"\d+s", short.pop("AGE"))
            wide_only = {"AGE", "MESSAGE", "SUSPENDED"}
            assert short == {k: v for k, v in row.items() if k not in wide_only}, version
