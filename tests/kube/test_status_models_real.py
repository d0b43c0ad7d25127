"""Statuses drawn by st.from_type for a non-GitTarget model: valid against the CRD generated
from the same model, and accepted and returned unchanged by the real API server."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import Field

from gittarget_status import StatusModel
from gittarget_status._base import KubeModel
from gittarget_status.conditions import KubeTime
from gittarget_status.manifests import custom_resource_definition, structural_schema
from gittarget_status.testing.control_plane import ControlPlane

from ._schema import k8s_validate

GROUP = "strategies.example.com"


class KeyAlgorithm(StrEnum):
    RSA = "RSA"
    ECDSA = "ECDSA"


class IssuerRef(KubeModel):
    name: Annotated[str, Field(min_length=1, max_length=20)]
    kind: Literal["Issuer", "ClusterIssuer"] = "Issuer"


class CertificateStatus(StatusModel):
    not_after: KubeTime | None = None
    renewals: int = Field(default=0, ge=0, le=5)
    algorithm: KeyAlgorithm | None = None
    issuer: IssuerRef | None = None
    dns_names: list[str] = Field(default_factory=list, max_length=4)
    labels: dict[str, str] = Field(default_factory=dict)
    ready: bool = False


CRD = custom_resource_definition(group=GROUP, kind="Certificate", status_model=CertificateStatus)
SCHEMA = structural_schema(CertificateStatus)


@given(st.from_type(CertificateStatus))
def test_drawn_statuses_satisfy_the_generated_crd_schema(status: CertificateStatus) -> None:
    assert k8s_validate(status.to_k8s(), SCHEMA) == []


def _certificate_api(plane: ControlPlane, namespace: str) -> str:
    plane.client.apply(CRD)
    plane.client.wait_established(CRD["metadata"]["name"])
    body: dict[str, Any] = {
        "apiVersion": f"{GROUP}/v1alpha1",
        "kind": "Certificate",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {},
    }
    collection = plane.client.resource_path(f"{GROUP}/v1alpha1", "Certificate", namespace=namespace)
    plane.client.post(collection, body)
    return f"{collection}/web/status"


def test_drawn_statuses_are_accepted_by_the_real_api_server(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    path = _certificate_api(gts_control_plane, gts_namespace)

    @settings(
        max_examples=15,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.from_type(CertificateStatus))
    def write(status: CertificateStatus) -> None:
        stored = gts_control_plane.client.patch(
            path, {"status": None}, "merge"
        )  # start from no status, so the merge below is the whole status
        stored = gts_control_plane.client.patch(path, {"status": status.to_k8s()}, "merge")
        assert CertificateStatus.from_k8s(stored.get("status") or {}, strict=True) == status

    write()
