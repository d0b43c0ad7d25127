"""RBAC from declared rules and the CRD of any resource: the API and the CLI, checked
against the Kubernetes schemas and applied to the real API server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate  # type: ignore[import-untyped]  # no stubs, no py.typed
import pytest
import yaml
from hypothesis import given, strategies as st

from gittarget_status import GitTargetSpec, GitTargetStatus, StatusModel
from gittarget_status.cli._manifests import import_model
from gittarget_status.manifests import (
    GITTARGET_RBAC_RULES,
    custom_resource_definition,
    default_printer_columns,
    gittarget_printer_columns,
    gittarget_rbac_manifests,
    parse_policy_rule,
    policy_rules,
    rbac_manifests,
    role,
    to_yaml,
)
from gittarget_status.testing.control_plane import ApiError, ControlPlane

from ._cli import run_cli, user_module

K8S_VERSION = "1.36"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "manifests"

MODELS = """
from pydantic import Field
from gittarget_status import StatusModel
from gittarget_status._base import KubeModel


class CertificateSpec(KubeModel):
    dns_names: list[str] = Field(min_length=1)
    issuer: str


class CertificateStatus(StatusModel):
    not_after: str | None = None


NOT_A_MODEL = 3


class Plain:
    pass
"""


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module of the user's own models, importable as ``certmodels`` from the cwd."""
    yield from user_module(tmp_path, monkeypatch, "certmodels", MODELS)


# ------------------------------------------------------------------------------ RBAC


def test_the_generic_role_has_no_secrets_and_gittarget_declares_them() -> None:
    (generic,) = rbac_manifests(group="example.com", plural="certificates")
    resources = [r["resources"] for r in generic["rules"]]
    assert resources == [["certificates"], ["certificates/status"], ["events"]]
    (gittarget,) = gittarget_rbac_manifests()
    assert gittarget["rules"][2] == dict(GITTARGET_RBAC_RULES[0])


def test_gittarget_cli_output_is_unchanged() -> None:
    """The committed example is what the CLI printed before rules were declared."""
    code, out, _ = run_cli("rbac", "--service-account", "gittarget-controller")
    assert code == 0
    assert out == (EXAMPLES / "rbac.yaml").read_text(encoding="utf-8")
    assert out == to_yaml(gittarget_rbac_manifests(service_account="gittarget-controller"))


def test_declared_rules_come_before_events_and_are_valid() -> None:
    extra = [
        {"apiGroups": ["cert-manager.io"], "resources": ["issuers"], "verbs": ["get"]},
        {"verbs": ["get"], "resources": ["secrets"], "apiGroups": [""], "resourceNames": ["ca"]},
    ]
    docs = rbac_manifests(group="example.com", plural="certificates", rules=extra)
    rules = docs[0]["rules"]
    assert rules[2:4] == [
        {"apiGroups": ["cert-manager.io"], "resources": ["issuers"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["ca"]},
    ]
    assert list(rules[3]) == ["apiGroups", "resources", "verbs", "resourceNames"]
    assert rules[4]["resources"] == ["events"]
    kubernetes_validate.validate(docs[0], K8S_VERSION, strict=True)


def test_cli_rule_is_repeatable_and_parsed() -> None:
    code, out, _ = run_cli(
        "rbac",
        "--group",
        "example.com",
        "--plural",
        "certificates",
        "--rule",
        "apiGroups=;resources=secrets;verbs=get,create",
        "--rule",
        "apiGroups=cert-manager.io;resources=issuers,clusterissuers;verbs=get,list,watch",
        "--rule",
        "nonResourceURLs=/healthz;verbs=get",
    )
    assert code == 0
    (document,) = yaml.safe_load_all(out)
    kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    assert document["rules"][2:5] == [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create"]},
        {
            "apiGroups": ["cert-manager.io"],
            "resources": ["issuers", "clusterissuers"],
            "verbs": ["get", "list", "watch"],
        },
        {"verbs": ["get"], "nonResourceURLs": ["/healthz"]},
    ]


def test_gittarget_cli_rules_add_to_its_own() -> None:
    code, out, _ = run_cli("rbac", "--rule", "apiGroups=;resources=configmaps;verbs=get")
    assert code == 0
    (document,) = yaml.safe_load_all(out)
    assert [r["resources"] for r in document["rules"]] == [
        ["gittargets"],
        ["gittargets/status"],
        ["secrets"],
        ["configmaps"],
        ["events"],
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("resources=secrets", "rule 'resources=secrets': verbs is required"),
        ("apiGroups=;resources=secrets;verb=get", "unknown key 'verb' (expected one of"),
        ("apiGroups=;resources;verbs=get", "part 'resources' is not KEY=VALUES"),
        ("apiGroups=;verbs=get;verbs=list;resources=x", "verbs given twice"),
        ("apiGroups=;resources=a,,b;verbs=get", "resources='a,,b' has an empty entry"),
        ("verbs=get", "resources (or nonResourceURLs) is required"),
        ("resources=secrets;verbs=get", "apiGroups is required with resources"),
        ("apiGroups=;resources=x;nonResourceURLs=/h;verbs=get", "cannot be combined"),
    ],
)
def test_bad_rules_name_the_bad_part(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="rule ") as raised:
        parse_policy_rule(text)
    assert message in str(raised.value)
    code, out, err = run_cli("rbac", "--rule", text)
    assert (code, out) == (2, "")
    assert err.startswith("error: --rule: ") and message in err


def test_bad_python_rules_name_the_rule() -> None:
    with pytest.raises(ValueError, match=r"rule 1: verbs must be a list of strings"):
        policy_rules([GITTARGET_RBAC_RULES[0], {"apiGroups": [""], "verbs": "get"}])
    with pytest.raises(ValueError, match="rule 0: unknown key 'verb'"):
        rbac_manifests(rules=[{"verb": ["get"]}])
    with pytest.raises(ValueError, match="nonResourceURLs"):
        role("ns", rules=[{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}])
    code, _, err = run_cli("rbac", "--namespace", "ns", "--rule", "nonResourceURLs=/h;verbs=get")
    assert code == 2 and "use a ClusterRole" in err


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("verbs=get", "rule 0: expected a mapping, got str"),
        ({"apiGroups": [""], "resources": ["x"], "verbs": ["get", 1]}, "verbs must be a list"),
        ({"apiGroups": [""], "resources": ["x", ""], "verbs": ["get"]}, "resources has an empty"),
        ({"nonResourceURLs": ["/h"], "verbs": [""]}, "rule 0: verbs has an empty entry"),
    ],
)
def test_a_bad_python_rule_is_refused_naming_the_rule_and_field(rule: object, message: str) -> None:
    with pytest.raises(ValueError, match=r"^rule 0: ") as raised:
        policy_rules([rule])  # type: ignore[list-item]  # deliberately not a PolicyRule
    assert message in str(raised.value)


def test_an_empty_api_group_entry_is_the_core_group_not_an_error() -> None:
    rule = {"apiGroups": ["", "apps"], "resources": ["secrets"], "verbs": ["get"]}
    assert policy_rules([rule]) == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "apiGroups=;resources=secrets;verbs=get;",
        ";apiGroups=;resources=secrets;;verbs=get",
        "apiGroups=; resources=secrets ;  ;verbs=get",
    ],
)
def test_empty_parts_of_the_cli_form_are_skipped(text: str) -> None:
    expected = {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}
    assert parse_policy_rule(text) == expected


def test_events_false_leaves_out_only_the_events_rule() -> None:
    extra = [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]
    (quiet,) = rbac_manifests(group="example.com", plural="certificates", rules=extra, events=False)
    (loud,) = rbac_manifests(group="example.com", plural="certificates", rules=extra)
    assert [r["resources"] for r in quiet["rules"]] == [
        ["certificates"],
        ["certificates/status"],
        ["secrets"],
    ]
    assert quiet["rules"] == loud["rules"][:-1]
    assert loud["rules"][-1]["resources"] == ["events"]
    namespaced = role("ops", group="example.com", plural="certificates", events=False)
    assert [r["resources"] for r in namespaced["rules"]] == [
        ["certificates"],
        ["certificates/status"],
    ]
    kubernetes_validate.validate(quiet, K8S_VERSION, strict=True)


_WORDS = st.text("abcdefghijklmnopqrstuvwxyz-./*", min_size=1, max_size=12)
_GROUPS = st.lists(st.just("") | st.text("abcdefghijklmnopqrstuvwxyz.-", min_size=1), min_size=1)


@given(
    groups=_GROUPS,
    resources=st.lists(_WORDS, min_size=1, max_size=3),
    verbs=st.lists(_WORDS, min_size=1, max_size=4),
    names=st.lists(_WORDS, max_size=2),
)
def test_cli_form_round_trips(
    groups: list[str], resources: list[str], verbs: list[str], names: list[str]
) -> None:
    """Any rule written in the CLI form parses back to itself, in PolicyRule order."""
    rule: dict[str, list[str]] = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        rule["resourceNames"] = names
    parts = [f"{key}={','.join(values)}" for key, values in reversed(rule.items())]
    assert parse_policy_rule(";".join(parts)) == rule
    assert policy_rules([rule]) == [rule]


def test_declared_rules_are_accepted_by_the_real_api_server(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    code, out, _ = run_cli(
        "rbac",
        "--name",
        f"certs-{gts_namespace}",
        "--group",
        "example.com",
        "--plural",
        "certificates",
        "--namespace",
        gts_namespace,
        "--service-account",
        "certs",
        "--service-account-namespace",
        gts_namespace,
        "--rule",
        "apiGroups=;resources=secrets;verbs=get,create;resourceNames=ca",
    )
    assert code == 0
    documents = list(yaml.safe_load_all(out))
    applied = gts_control_plane.client.apply(documents, field_manager="test")
    stored = next(doc for doc in applied if doc["kind"] == "Role")
    assert stored["rules"] == documents[1]["rules"]


# ------------------------------------------------------------------------------- CRD


def test_kind_alone_needs_a_group_and_never_gets_gittarget_schemas() -> None:
    code, out, err = run_cli("crd", "--kind", "Certificate")
    assert (code, out) == (2, "")
    assert "--group is required for kind 'Certificate'" in err
    code, out, _ = run_cli("crd", "--kind", "Certificate", "--group", "example.com")
    assert code == 0
    crd = yaml.safe_load(out)
    assert crd == custom_resource_definition(
        group="example.com", kind="Certificate", status_model=StatusModel
    )
    version = crd["spec"]["versions"][0]
    spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
    assert spec == {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    assert version["additionalPrinterColumns"] == default_printer_columns(StatusModel)
    assert [c["name"] for c in version["additionalPrinterColumns"]] == [
        "Ready",
        "Reason",
        "Age",
        "Message",
    ]
    assert crd["metadata"]["name"] == "certificates.example.com"


def test_models_are_imported_from_module_class(models: str) -> None:
    code, out, err = run_cli(
        "crd",
        "--kind",
        "Certificate",
        "--group",
        "example.com",
        "--status-model",
        f"{models}:CertificateStatus",
        "--spec-model",
        f"{models}:CertificateSpec",
        "--plural",
        "certs",
        "--version",
        "v1",
        "--scope",
        "Cluster",
    )
    assert code == 0, err
    crd = yaml.safe_load(out)
    kubernetes_validate.validate(crd, K8S_VERSION, strict=True)
    version = crd["spec"]["versions"][0]
    properties = version["schema"]["openAPIV3Schema"]["properties"]
    assert properties["spec"]["required"] == ["dnsNames", "issuer"]
    assert "notAfter" in properties["status"]["properties"]
    assert (crd["spec"]["scope"], version["name"], crd["metadata"]["name"]) == (
        "Cluster",
        "v1",
        "certs.example.com",
    )


def test_gittarget_models_under_another_kind_keep_gittarget_columns() -> None:
    code, out, _ = run_cli(
        "crd",
        "--kind",
        "Target",
        "--group",
        "example.com",
        "--status-model",
        "gittarget_status:GitTargetStatus",
        "--spec-model",
        "gittarget_status:GitTargetSpec",
    )
    assert code == 0
    crd = yaml.safe_load(out)
    assert crd == custom_resource_definition(
        group="example.com",
        kind="Target",
        status_model=GitTargetStatus,
        spec_schema=GitTargetSpec,
        printer_columns=gittarget_printer_columns(),
    )


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("certmodels", "expected MODULE:CLASS"),
        (":CertificateStatus", "expected MODULE:CLASS"),
        ("no_such_module_xyz:Status", "cannot import 'no_such_module_xyz': ModuleNotFoundError"),
        ("certmodels:Missing", "'certmodels' has no attribute 'Missing'"),
        ("certmodels:NOT_A_MODEL", "NOT_A_MODEL is not a pydantic model class (got int)"),
        ("certmodels:Plain", "Plain is not a pydantic model class (got type)"),
    ],
)
def test_bad_model_references_are_explained(models: str, reference: str, message: str) -> None:
    with pytest.raises(ValueError, match="--status-model") as raised:
        import_model(reference, "--status-model")
    assert message in str(raised.value)
    code, out, err = run_cli(
        "crd", "--kind", "Certificate", "--group", "x.io", "--status-model", reference
    )
    assert (code, out) == (2, "")
    assert message in err


def test_a_module_failing_on_import_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_models.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match="RuntimeError: boom"):
        import_model("broken_models:Status", "--spec-model")


def test_generated_crd_is_served_and_validates_specs(
    gts_control_plane: ControlPlane, gts_namespace: str, models: str
) -> None:
    group = "generic-cli.example.com"
    code, out, _ = run_cli(
        "crd",
        "--kind",
        "Certificate",
        "--group",
        group,
        "--status-model",
        f"{models}:CertificateStatus",
        "--spec-model",
        f"{models}:CertificateSpec",
    )
    assert code == 0
    crd = yaml.safe_load(out)
    client = gts_control_plane.client
    client.apply(crd, field_manager="test")
    client.wait_established(crd["metadata"]["name"])
    collection = client.resource_path(f"{group}/v1alpha1", "Certificate", namespace=gts_namespace)
    good = {
        "apiVersion": f"{group}/v1alpha1",
        "kind": "Certificate",
        "metadata": {"name": "web"},
        "spec": {"dnsNames": ["web.example.com"], "issuer": "ca"},
    }
    client.post(collection, good)

    bad = {**good, "metadata": {"name": "bad"}, "spec": {"dnsNames": [], "issuer": "ca"}}
    with pytest.raises(ApiError) as refused:
        client.post(collection, bad)
    assert refused.value.code == 422 and "dnsNames" in refused.value.message
    listed = gts_control_plane.kubectl("get", f"certificates.{group}", "-n", gts_namespace)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split()[:4] == ["NAME", "READY", "REASON", "AGE"]


def test_models_next_to_the_caller_import_without_touching_sys_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a console script run from the project folder: the cwd is importable, once."""
    (tmp_path / "cwd_models.py").write_text(MODELS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = list(sys.path)
    monkeypatch.setattr(sys, "path", [p for p in before if p not in ("", str(tmp_path))])
    kept = list(sys.path)
    try:
        model = import_model("cwd_models:CertificateStatus", "--status-model")
    finally:
        sys.modules.pop("cwd_models", None)
    assert model.__name__ == "CertificateStatus"
    assert sys.path == kept


def test_a_roles_service_account_lives_in_the_roles_namespace() -> None:
    # Before, the ServiceAccount went to "default" and the RoleBinding named that one: the
    # controller's own account in "ops" got nothing (seen on the real server).
    docs = rbac_manifests(namespace="ops", service_account="ctl")
    assert [(d["kind"], d["metadata"]["namespace"]) for d in docs] == [
        ("ServiceAccount", "ops"),
        ("Role", "ops"),
        ("RoleBinding", "ops"),
    ]
    assert docs[-1]["subjects"] == [{"kind": "ServiceAccount", "name": "ctl", "namespace": "ops"}]
    cluster = rbac_manifests(service_account="ctl")
    assert cluster[0]["metadata"]["namespace"] == "default"
    explicit = rbac_manifests(namespace="ops", service_account="ctl", service_account_namespace="x")
    assert explicit[-1]["subjects"][0]["namespace"] == "x"
