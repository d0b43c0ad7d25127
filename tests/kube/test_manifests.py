"""The generated CRD and RBAC: valid Kubernetes objects, structural, stable, overridable."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import kubernetes_validate  # type: ignore[import-untyped]  # no stubs, no py.typed
import pytest
import yaml
from hypothesis import given, settings
from pydantic import BaseModel, Field, WithJsonSchema

from gittarget_status import Condition, GitTargetStatus, StatusModel
from gittarget_status._base import KubeModel
from gittarget_status.cli import main
from gittarget_status.conditions import REASON_PATTERN, TYPE_PATTERN, ConditionList
from gittarget_status.manifests import (
    custom_resource_definition,
    gittarget_crd,
    gittarget_rbac_manifests,
    structural_schema,
    to_json,
    to_yaml,
)

from ._schema import k8s_validate, structural_problems
from ._walks import Step, lifecycle_walks

K8S_VERSION = "1.32"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "manifests"


def _version(crd: dict[str, Any]) -> dict[str, Any]:
    version: dict[str, Any] = crd["spec"]["versions"][0]
    return version


def _root(crd: dict[str, Any]) -> dict[str, Any]:
    root: dict[str, Any] = _version(crd)["schema"]["openAPIV3Schema"]
    return root


def test_crd_is_a_valid_custom_resource_definition() -> None:
    kubernetes_validate.validate(gittarget_crd(), K8S_VERSION, strict=True)


def test_crd_names_scope_and_status_subresource() -> None:
    crd = gittarget_crd()
    assert crd["metadata"]["name"] == "gittargets.configbutler.ai"
    spec = crd["spec"]
    assert spec["group"] == "configbutler.ai"
    assert spec["scope"] == "Namespaced"
    assert spec["names"]["kind"] == "GitTarget"
    assert spec["names"]["plural"] == "gittargets"
    assert spec["names"]["listKind"] == "GitTargetList"
    version = _version(crd)
    assert (version["name"], version["served"], version["storage"]) == ("v1alpha1", True, True)
    assert version["subresources"] == {"status": {}}


def test_crd_everything_overridable() -> None:
    crd = gittarget_crd(
        group="example.com", version="v1", kind="Target", plural="targets", scope="Cluster"
    )
    kubernetes_validate.validate(crd, K8S_VERSION, strict=True)
    assert crd["metadata"]["name"] == "targets.example.com"
    assert crd["spec"]["scope"] == "Cluster"
    assert crd["spec"]["names"]["kind"] == "Target"
    assert _version(crd)["name"] == "v1"


def test_schema_is_structural() -> None:
    root = _root(gittarget_crd())
    assert structural_problems(root, allow_preserve=frozenset()) == []
    assert "x-kubernetes-preserve-unknown-fields" not in yaml.safe_dump(root)


def test_conditions_are_a_list_map_with_metav1_validation() -> None:
    conditions = _root(gittarget_crd())["properties"]["status"]["properties"]["conditions"]
    assert conditions["x-kubernetes-list-type"] == "map"
    assert conditions["x-kubernetes-list-map-keys"] == ["type"]
    item = conditions["items"]
    assert sorted(item["required"]) == ["lastTransitionTime", "message", "reason", "status", "type"]
    props = item["properties"]
    assert props["type"]["pattern"] == TYPE_PATTERN
    assert props["type"]["maxLength"] == 316
    assert props["reason"]["pattern"] == REASON_PATTERN
    assert (props["reason"]["minLength"], props["reason"]["maxLength"]) == (1, 1024)
    assert props["message"]["maxLength"] == 32768
    assert props["status"]["enum"] == ["True", "False", "Unknown"]
    assert props["observedGeneration"]["minimum"] == 0
    assert props["lastTransitionTime"]["format"] == "date-time"


def test_status_schema_lists_every_status_field() -> None:
    status = _root(gittarget_crd())["properties"]["status"]["properties"]
    assert set(status) == {
        "observedGeneration",
        "phase",
        "conditions",
        "lastHandledReconcileAt",
        "lastReconcileTime",
        "workerRef",
        "encryption",
        "bootstrap",
        "snapshot",
        "stream",
    }
    assert status["phase"]["enum"] == [
        "PENDING",
        "BOOTSTRAPPING",
        "SYNCING",
        "RUNNING",
        "DEGRADED",
        "ERROR",
    ]
    stats = status["snapshot"]["properties"]["stats"]["properties"]
    assert stats["created"] == {"type": "integer", "format": "int64", "minimum": 0}


def test_spec_schema_has_the_resource_shape() -> None:
    spec = _root(gittarget_crd())["properties"]["spec"]
    assert set(spec["required"]) == {"providerRef", "branch"}
    assert spec["properties"]["providerRef"]["required"] == ["name"]
    encryption = spec["properties"]["encryption"]["properties"]
    assert encryption["provider"]["enum"] == ["sops"]
    assert encryption["secretRef"]["properties"]["name"]["type"] == "string"
    assert encryption["generateWhenMissing"]["type"] == "boolean"
    suspend = spec["properties"]["suspend"]
    assert (suspend["type"], suspend["default"]) == ("boolean", False)


def test_printer_columns() -> None:
    columns = {c["name"]: c for c in _version(gittarget_crd())["additionalPrinterColumns"]}
    assert list(columns) == ["Ready", "Reason", "Phase", "Age", "Message", "Suspended"]
    assert columns["Suspended"] == {
        "name": "Suspended",
        "type": "boolean",
        "priority": 1,
        "jsonPath": ".spec.suspend",
    }
    assert columns["Ready"]["jsonPath"] == '.status.conditions[?(@.type=="Ready")].status'
    assert columns["Reason"]["jsonPath"] == '.status.conditions[?(@.type=="Ready")].reason'
    assert columns["Phase"]["jsonPath"] == ".status.phase"
    assert columns["Age"] == {
        "name": "Age",
        "type": "date",
        "jsonPath": ".metadata.creationTimestamp",
    }
    assert columns["Message"]["priority"] == 1
    wide = {"Message", "Suspended"}
    assert all("priority" not in c for n, c in columns.items() if n not in wide)


def _rules(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (group, resource, verb)
        for rule in doc["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


def test_cluster_role_grants_exactly_what_the_controller_needs() -> None:
    (role,) = gittarget_rbac_manifests()
    kubernetes_validate.validate(role, K8S_VERSION, strict=True)
    assert role["kind"] == "ClusterRole"
    group = "configbutler.ai"
    assert _rules(role) == {
        (group, "gittargets", "get"),
        (group, "gittargets", "list"),
        (group, "gittargets", "watch"),
        (group, "gittargets/status", "update"),
        (group, "gittargets/status", "patch"),
        ("", "secrets", "get"),
        ("", "secrets", "create"),
        ("", "events", "create"),
        ("", "events", "patch"),
        ("events.k8s.io", "events", "create"),
        ("events.k8s.io", "events", "patch"),
    }


def test_namespaced_role_with_service_account_and_binding() -> None:
    docs = gittarget_rbac_manifests(
        namespace="gitops", service_account="ctl", service_account_namespace="ops"
    )
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    kinds = [d["kind"] for d in docs]
    assert kinds == ["ServiceAccount", "Role", "RoleBinding"]
    binding = docs[2]
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "gittarget-status-controller",
    }
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "ctl", "namespace": "ops"}]
    assert docs[1]["metadata"]["namespace"] == "gitops"
    assert _rules(docs[1]) == _rules(gittarget_rbac_manifests()[0])


def test_yaml_is_stable_and_round_trips() -> None:
    first, second = to_yaml(gittarget_crd()), to_yaml(gittarget_crd())
    assert first == second
    assert yaml.safe_load(first) == gittarget_crd()
    multi = to_yaml(gittarget_rbac_manifests(service_account="ctl"))
    assert multi.startswith("---\n")
    assert list(yaml.safe_load_all(multi)) == gittarget_rbac_manifests(service_account="ctl")
    assert "'True'" in first  # the status enum stays a string, never a YAML bool


def _cli(*argv: str) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(list(argv)) == 0
    return buffer.getvalue()


def test_cli_crd_and_rbac_print_the_generated_documents() -> None:
    assert _cli("crd") == to_yaml(gittarget_crd())
    assert _cli("crd", "-o", "json") == to_json(gittarget_crd())
    # Another kind is another resource: its own (open) spec, not GitTarget's.
    assert _cli("crd", "--group", "example.com", "--kind", "Target", "--plural", "targets") == (
        to_yaml(
            custom_resource_definition(
                group="example.com", kind="Target", plural="targets", status_model=StatusModel
            )
        )
    )
    assert _cli("rbac") == to_yaml(gittarget_rbac_manifests())
    assert _cli("rbac", "--namespace", "ns", "--service-account", "sa") == to_yaml(
        gittarget_rbac_manifests(namespace="ns", service_account="sa")
    )


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("crd.yaml", lambda: to_yaml(gittarget_crd())),
        (
            "rbac.yaml",
            lambda: to_yaml(gittarget_rbac_manifests(service_account="gittarget-controller")),
        ),
    ],
)
def test_example_manifests_are_in_sync(filename: str, expected: Any) -> None:
    """Regenerate with ``gittarget-status crd > examples/manifests/crd.yaml`` and
    ``gittarget-status rbac --service-account gittarget-controller > .../rbac.yaml``."""
    assert (EXAMPLES / filename).read_text(encoding="utf-8") == expected()


def test_sample_gittarget_validates_against_the_crd() -> None:
    sample = yaml.safe_load((EXAMPLES / "gittarget.yaml").read_text(encoding="utf-8"))
    root = _root(gittarget_crd())
    assert sample["apiVersion"] == "configbutler.ai/v1alpha1"
    assert k8s_validate(sample, root) == []


# ----------------------------------------------------------- the generic entry point


class DatabaseStatus(KubeModel):
    """Any resource's status that embeds the library's conditions."""

    observed_generation: int | None = None
    conditions: ConditionList = Field(default_factory=list)
    endpoint: str | None = None
    replicas: int = 0


def test_any_status_model_with_conditions_gets_a_crd() -> None:
    crd = custom_resource_definition(
        group="example.com", kind="Database", status_model=DatabaseStatus
    )
    kubernetes_validate.validate(crd, K8S_VERSION, strict=True)
    root = _root(crd)
    allowed = frozenset({".spec"})
    assert structural_problems(root, allow_preserve=allowed) == []
    status = root["properties"]["status"]["properties"]
    assert status["conditions"]["x-kubernetes-list-type"] == "map"
    assert status["replicas"] == {"type": "integer", "format": "int64"}
    columns = [c["name"] for c in _version(crd)["additionalPrinterColumns"]]
    assert columns == ["Ready", "Reason", "Age", "Message"]  # no phase on this status


def test_structural_schema_of_a_condition_list_field_alone() -> None:
    schema = structural_schema(DatabaseStatus)
    entry = Condition(type="Ready", status=True, reason="OK").to_k8s()
    assert k8s_validate({"conditions": [entry]}, schema) != []  # lastTransitionTime missing
    entry["lastTransitionTime"] = "2026-01-01T00:00:00Z"
    assert k8s_validate({"conditions": [entry]}, schema) == []
    assert k8s_validate({"conditions": [entry, entry]}, schema) != []  # duplicate type


# ------------------------------------- every status the suite produces validates


STATUS_SCHEMA = _root(gittarget_crd())["properties"]["status"]
OBJECT_SCHEMA = _root(gittarget_crd())


@settings(max_examples=60, deadline=None)
@given(walk=lifecycle_walks())
def test_every_pipeline_status_validates_against_the_crd(walk: list[Step]) -> None:
    for step in walk:
        assert k8s_validate(step.outcome.status.to_k8s(), STATUS_SCHEMA) == []
        assert k8s_validate(step.obj, OBJECT_SCHEMA) == []


def test_every_scenario_status_validates_against_the_crd() -> None:
    from gittarget_status.testing import SCENARIOS

    count = 0
    for scenario in SCENARIOS.values():
        for record in scenario.run():
            assert k8s_validate(record.outcome.status.to_k8s(), STATUS_SCHEMA) == []
            count += 1
    assert count >= len(SCENARIOS) * 2


def test_empty_status_validates() -> None:
    assert k8s_validate(GitTargetStatus().to_k8s(), STATUS_SCHEMA) == []


# ------------------------------------------------- output and schema edge cases


class Colour(StrEnum):
    RED = "red"


class Size(IntEnum):
    BIG = 2


def test_enums_render_as_their_values_in_yaml_and_json() -> None:
    document = {"colour": Colour.RED, "sizes": (Size.BIG,)}
    assert to_yaml(document) == "colour: red\nsizes:\n- 2\n"
    assert to_json(document) == '{\n  "colour": "red",\n  "sizes": [\n    2\n  ]\n}\n'


@pytest.mark.parametrize(
    ("documents", "items"),
    [
        ([{"a": 1}, {"b": Colour.RED}], [{"a": 1}, {"b": "red"}]),
        (iter([{"a": 1}, {"a": 2}, {"a": 3}]), [{"a": 1}, {"a": 2}, {"a": 3}]),
        ([], []),  # no document: an empty List (before: IndexError)
    ],
)
def test_json_of_several_documents_or_none_is_a_v1_list(
    documents: Any, items: list[dict[str, Any]]
) -> None:
    out = to_json(documents)
    assert out.endswith("\n")
    assert json.loads(out) == {"apiVersion": "v1", "kind": "List", "items": items}


class Node(BaseModel):
    children: list[Node] = Field(default_factory=list)


class Either(BaseModel):
    value: int | str = 0


class Anything(BaseModel):
    value: Any = None


class PositionalItems(BaseModel):
    pair: Annotated[list[str], WithJsonSchema({"type": "array", "items": [{"type": "string"}]})] = (
        Field(default_factory=list)
    )


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (Node, "recursive model 'Node' cannot be a structural schema"),
        (
            Either,
            "anyOf with several non-null options cannot be made structural: "
            '[{"type": "integer"}, {"type": "string"}]',
        ),
        (Anything, "Anything.value: every schema node needs a type"),
        (PositionalItems, "PositionalItems.pair[]: a schema node must be an object, not list"),
    ],
)
def test_a_model_that_cannot_be_structural_is_refused_naming_the_field(
    model: type[BaseModel], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        structural_schema(model)
    assert str(raised.value) == message


class Hinted(BaseModel):
    """Schemas a model may give by hand (WithJsonSchema), as older pydantic wrote them."""

    single: Annotated[str, WithJsonSchema({"allOf": [{"type": "string"}], "description": "d"})]
    numbers: Annotated[int, WithJsonSchema({"enum": [1, 2]})]
    words: Annotated[str, WithJsonSchema({"enum": ["a", "b"]})]
    fixed: Annotated[int, WithJsonSchema({"const": 3})]


@pytest.mark.parametrize(
    ("field", "schema"),
    [
        ("single", {"type": "string", "description": "d"}),  # a one-entry allOf is inlined
        ("numbers", {"enum": [1, 2], "type": "integer", "format": "int64"}),
        ("words", {"enum": ["a", "b"], "type": "string"}),
        ("fixed", {"enum": [3], "type": "integer", "format": "int64"}),
    ],
)
def test_hand_written_schemas_get_the_type_the_api_server_needs(
    field: str, schema: dict[str, Any]
) -> None:
    root = structural_schema(Hinted)
    assert root["properties"][field] == schema
    assert structural_problems(root, allow_preserve=frozenset()) == []


def test_preserve_unknown_fields_marks_only_the_top_object() -> None:
    kept = structural_schema(DatabaseStatus, preserve_unknown_fields=True)
    assert kept["x-kubernetes-preserve-unknown-fields"] is True
    assert {k: v for k, v in kept.items() if k != "x-kubernetes-preserve-unknown-fields"} == (
        structural_schema(DatabaseStatus)
    )
    assert "x-kubernetes-preserve-unknown-fields" not in kept["properties"]["conditions"]
