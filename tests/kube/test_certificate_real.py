"""The Certificate example (examples/certificate.py) on the real API server.

Its CRD is applied and served; a Certificate is reconciled with ``await aevaluate`` passes
(the issuer stays the example's in-memory fake, the Secret is a real Secret written
through an adapter of the example's Secret port), each pass writing its ``/status`` merge
patch only when it has one and posting its Events. It reaches Ready, then two more passes
write nothing (the resourceVersion stays put), and ``kubectl wait --for=condition=Ready``
agrees. The declared RBAC is applied and the server's own access reviews grant exactly it.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from gittarget_status.kstatus import KStatus, compute
from gittarget_status.testing import DEMO_EPOCH
from gittarget_status.testing.control_plane import ApiClient, ApiError, ControlPlane

from ._examples import load_example

cert = load_example("certificate")
IDLE_PASSES = 2


@pytest.fixture(scope="module")
def certificate_api(gts_control_plane: ControlPlane) -> ControlPlane:
    crd = cert.certificate_crd()
    gts_control_plane.client.apply(crd)
    gts_control_plane.client.wait_established(crd["metadata"]["name"])
    return gts_control_plane


class ServerSecrets:
    """The example's Secret port over real Secrets in one namespace (create, then update)."""

    def __init__(self, client: ApiClient, namespace: str) -> None:
        self.client = client
        self.collection = f"/api/v1/namespaces/{namespace}/secrets"
        self.writes = 0

    async def read(self, name: str) -> Mapping[str, str] | None:
        try:
            secret = self.client.get(f"{self.collection}/{name}")
        except ApiError as error:
            if error.code == 404:
                return None
            raise
        data = secret.get("data") or {}
        return {key: base64.b64decode(value).decode() for key, value in data.items()}

    async def write(self, name: str, data: Mapping[str, str]) -> None:
        encoded = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
        body: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name},
            "type": "Opaque",
            "data": encoded,
        }
        self.writes += 1
        if await self.read(name) is None:
            self.client.post(self.collection, body)
        else:
            self.client.put(f"{self.collection}/{name}", body)


def test_a_certificate_becomes_ready_on_the_server_then_writes_nothing(
    certificate_api: ControlPlane, gts_namespace: str
) -> None:
    cp = certificate_api
    collection = cp.client.resource_path(
        "example.com/v1alpha1", "Certificate", namespace=gts_namespace
    )
    spec = {"dnsNames": ["shop.example.com"], "issuerName": "letsencrypt", "secretName": "tls"}
    body = {"apiVersion": "example.com/v1alpha1", "kind": "Certificate", "spec": spec}
    created = cp.client.post(collection, {**body, "metadata": {"name": "shop"}})
    assert created["spec"] == spec  # the spec schema keeps every field
    path = f"{collection}/shop"
    issuer = cert.FakeIssuer(issuers={"letsencrypt": cert.IssuerState(False, "booting")})
    secrets = ServerSecrets(cp.client, gts_namespace)
    events_path = f"/apis/events.k8s.io/v1/namespaces/{gts_namespace}/events"
    now = DEMO_EPOCH
    writes: list[int] = []

    def one_pass() -> Any:
        plan = asyncio.run(
            cert.plan_certificate_pass(cp.client.get(path), issuer, secrets, now=now)
        )
        for event in plan.events:
            cp.client.post(events_path, event)
        if plan.status_patch is not None:
            cp.client.patch(path + "/status", plan.status_patch, "merge")
        writes.append(0 if plan.status_patch is None else 1)
        return plan

    steps = [
        (lambda: None, "IssuerUnavailable"),
        (lambda: issuer.issuers.update(letsencrypt=cert.IssuerState(True)), "NotIssued"),
        (issuer.issue_pending, "OK"),
    ]
    for change, ready_reason in steps:
        change()
        now += timedelta(seconds=30)
        plan = one_pass()
        obj = cp.client.get(path)
        assert obj["status"] == plan.outcome.status.to_k8s()  # stored as computed
        ready = next(c for c in obj["status"]["conditions"] if c["type"] == "Ready")
        assert ready["reason"] == ready_reason
    assert writes == [1, 1, 1]
    assert obj["status"]["phase"] == "Issued"
    assert compute(obj).status is KStatus.CURRENT
    assert obj["status"]["serialNumber"] == "00000001"
    stored = cp.client.get(f"/api/v1/namespaces/{gts_namespace}/secrets/tls")
    assert base64.b64decode(stored["data"]["serial"]).decode() == "00000001"
    version = obj["metadata"]["resourceVersion"]
    for _ in range(IDLE_PASSES):
        now += timedelta(minutes=1)
        assert one_pass().events == ()
    assert writes[3:] == [0] * IDLE_PASSES
    assert cp.client.get(path)["metadata"]["resourceVersion"] == version
    assert secrets.writes == 1  # the Secret too: written once, then read as up to date
    waited = cp.kubectl(
        "wait",
        "--for=condition=Ready=true",
        "certificate.example.com/shop",
        "-n",
        gts_namespace,
        "--timeout=10s",
    )
    assert waited.returncode == 0, waited.stderr
    stored_events = cp.client.get(events_path)["items"]
    mine = [e for e in stored_events if e["regarding"]["uid"] == created["metadata"]["uid"]]
    assert {e["reportingController"] for e in mine} == {cert.REPORTING_CONTROLLER}
    warnings = sorted(e["note"].split(":")[0] for e in mine if e["type"] == "Warning")
    assert warnings == ["Issued", "IssuerReady"]


def _can(client: ApiClient, user: str, namespace: str, verb: str, resource: str) -> bool:
    """The server's verdict (a SubjectAccessReview) on ``verb`` for ``plural[.group][/sub]``."""
    plural_group, _, subresource = resource.partition("/")
    plural, _, group = plural_group.partition(".")
    attributes = {"namespace": namespace, "verb": verb, "group": group, "resource": plural}
    review = client.post(
        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SubjectAccessReview",
            "spec": {
                "user": user,
                "resourceAttributes": {**attributes, "subresource": subresource},
            },
        },
    )
    allowed: bool = review["status"]["allowed"]
    return allowed


def test_the_declared_rbac_grants_the_secrets_and_the_status_only(
    certificate_api: ControlPlane, gts_namespace: str
) -> None:
    client = certificate_api.client
    manifests = cert.certificate_rbac(namespace=gts_namespace, service_account="certs")
    assert [m["kind"] for m in manifests] == ["ServiceAccount", "Role", "RoleBinding"]
    client.apply(manifests, namespace=gts_namespace)
    user = f"system:serviceaccount:{gts_namespace}:certs"
    granted = [
        ("get", "certificates.example.com"),
        ("watch", "certificates.example.com"),
        ("patch", "certificates.example.com/status"),
        ("get", "secrets"),
        ("create", "secrets"),
        ("update", "secrets"),
        ("create", "events.events.k8s.io"),
    ]
    denied = [
        ("patch", "certificates.example.com"),
        ("delete", "secrets"),
        ("list", "secrets"),
        ("patch", "gittargets.configbutler.ai/status"),
    ]
    for verb, resource in granted:
        assert _can(client, user, gts_namespace, verb, resource), (verb, resource)
    for verb, resource in denied:
        assert not _can(client, user, gts_namespace, verb, resource), (verb, resource)
