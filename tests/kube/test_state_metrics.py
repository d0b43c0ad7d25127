"""kube-state-metrics' configuration: valid in its documented format, reading only paths the
CRD of the same models declares, and giving the intended series on real stored objects.

kube-state-metrics itself is not installable here (a Go binary): ``_ksm.CONFIG_SCHEMA`` (the
format) and ``_ksm.series`` (its path semantics) stand in for it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, Field

from gittarget_status import Gate, GatePipeline, GateResult, GitTargetSpec, StatusModel
from gittarget_status._base import KubeModel
from gittarget_status.conditions import ConditionList
from gittarget_status.manifests import (
    custom_resource_definition,
    gittarget_crd,
    gittarget_metrics_config,
    metrics_config,
    to_json,
    to_yaml,
)
from gittarget_status.testing.control_plane import ControlPlane

from ._cli import run_cli, user_module
from ._examples import load_example
from ._ksm import CONFIG_SCHEMA, resolve, series

#: ObjectMeta fields a path may read (the CRD leaves ``metadata`` to the API server).
OBJECT_META: dict[str, dict[str, Any]] = {
    "name": {"type": "string"},
    "namespace": {"type": "string"},
    "uid": {"type": "string"},
    "generation": {"type": "integer"},
    "labels": {"type": "object"},
    "annotations": {"type": "object"},
}
SCALARS = {"string", "integer", "number", "boolean"}


class WidgetPhase(StrEnum):
    PENDING = "Pending"
    RUNNING = "Running"


class WidgetStatus(StatusModel):
    phase: WidgetPhase | None = None


class WidgetSpec(KubeModel):
    size: int = 1
    suspend: bool = False


class FreePhaseStatus(StatusModel):
    """A phase that is any string: a label, but no StateSet (no list of values)."""

    phase: str | None = None
    ready_replicas: int | None = Field(default=None, alias="readyReplicas")


class CounterStatus(KubeModel):
    """No conditions, no phase, no observedGeneration: the info series has only the name."""

    count: int = 0


def _certificate() -> tuple[type[BaseModel], type[BaseModel]]:
    module = load_example("certificate")
    return module.CertificateStatus, module.CertificateSpec


# (config, CRD) pairs for the same models: GitTarget's, the example's and the test's own.
def _cases() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    cert_status, cert_spec = _certificate()
    pairs: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "gittarget": (gittarget_metrics_config(), gittarget_crd())
    }
    for name, status, spec in (
        ("certificate", cert_status, cert_spec),
        ("widget", WidgetStatus, WidgetSpec),
        ("plain", StatusModel, None),
        ("free-phase", FreePhaseStatus, None),
    ):
        kind = name.title().replace("-", "")
        pairs[name] = (
            metrics_config(status, group="example.com", version="v1", kind=kind, spec_model=spec),
            custom_resource_definition(
                group="example.com", version="v1", kind=kind, status_model=status, spec_schema=spec
            ),
        )
    return pairs


CASES = _cases()


def _resource(config: Mapping[str, Any]) -> dict[str, Any]:
    (resource,) = config["spec"]["resources"]
    return dict(resource)


def _metric(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    (found,) = [m for m in _resource(config)["metrics"] if m["name"] == name]
    return dict(found)


def _names(config: Mapping[str, Any]) -> list[str]:
    return [m["name"] for m in _resource(config)["metrics"]]


# ------------------------------------------------------------------- the format


def _format_problems(config: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(CONFIG_SCHEMA)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(config)]
    for resource in config.get("spec", {}).get("resources", []):
        for metric in resource.get("metrics", []):
            # kube-state-metrics warns about an Info metric whose name lacks _info.
            if metric.get("each", {}).get("type") == "Info" and not metric["name"].endswith("info"):
                problems.append(f"{metric['name']}: an Info metric's name ends in info")
    return problems


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_config_is_valid_in_the_documented_format(case: str) -> None:
    config, _ = CASES[case]
    assert _format_problems(config) == []
    # What kube-state-metrics reads from a file or the Helm chart: the same after YAML/JSON.
    assert yaml.safe_load(to_yaml(config)) == config == json.loads(to_json(config))


def _break(path: list[Any], value: Any) -> Any:
    config = copy.deepcopy(CASES["gittarget"][0])
    node: Any = config
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return config


R = ["spec", "resources", 0]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (["kind"], "CustomResourceStateMetric"),
        ([*R, "groupVersionKind", "kind"], KeyError),
        ([*R, "metrics", 1, "each", "type"], "Counter"),
        ([*R, "metrics", 1, "each", "stateSet", "list"], KeyError),
        ([*R, "metrics", 1, "each", "stateSet", "labelName"], "the-status"),
        ([*R, "metrics", 1, "each", "type"], "Gauge"),  # the union names the wrong member
        ([*R, "metrics", 0, "name"], "resource"),  # an Info without _info
        ([*R, "metrics", 0, "labelsFromPath", "ready", 2], "[type]"),
        ([*R, "labelsFromPath", "name"], "metadata.name"),
        ([*R, "metricNamePrefix"], "9lives"),
        ([*R, "metrics", 2, "each", "gauge", "valueFrom"], "lastTransitionTime"),
        ([*R, "metrics", 2, "each", "gauge", "nilIsZero"], "yes"),
        (["spec", "resources"], []),
    ],
)
def test_the_format_check_rejects_what_the_format_does_not_allow(
    where: list[Any], value: Any
) -> None:
    assert _format_problems(_break(where, value)) != []


# ------------------------------------------------------------ paths in the CRD


def _schema_at(root: Mapping[str, Any], path: list[str], where: str) -> Mapping[str, Any]:
    """The CRD schema node ``path`` reads (AssertionError naming the part that is not there)."""
    node = root
    for index, part in enumerate(path):
        at = f"{where}: {path[: index + 1]}"
        if node is root.get("properties", {}).get("metadata"):
            assert part in OBJECT_META and index == len(path) - 1, f"{at}: not ObjectMeta"
            return OBJECT_META[part]
        if part.startswith("["):
            assert node.get("type") == "array", f"{at}: a list filter on a non-list"
            key, _, _ = part[1:-1].partition("=")
            node = node["items"]
            assert key in node.get("properties", {}), f"{at}: list items have no {key!r}"
        elif node.get("type") == "array":
            assert part.isdigit(), f"{at}: a key on a list"
            node = node["items"]
        else:
            assert part in node.get("properties", {}), f"{at}: the CRD declares no such field"
            node = node["properties"][part]
    return node


def _is_time(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "string" and node.get("format") == "date-time"


def _check_paths(config: Mapping[str, Any], crd: Mapping[str, Any]) -> int:
    """Assert every path resolves to a node of the right type; returns how many were read."""
    (version,) = crd["spec"]["versions"]
    root = version["schema"]["openAPIV3Schema"]
    resource = _resource(config)
    read = 0
    for label, path in resource["labelsFromPath"].items():
        assert _schema_at(root, path, label).get("type") in SCALARS, label
        read += 1
    for metric in resource["metrics"]:
        name = metric["name"]
        for label, path in metric.get("labelsFromPath", {}).items():
            assert _schema_at(root, path, f"{name}.{label}").get("type") in SCALARS
            read += 1
        kind = metric["each"]["type"]
        each = metric["each"][{"Gauge": "gauge", "StateSet": "stateSet", "Info": "info"}[kind]]
        target = _schema_at(root, each.get("path", []), f"{name}.path")
        element = target["items"] if target.get("type") == "array" else target
        for label, path in each.get("labelsFromPath", {}).items():
            base = root if kind == "Info" else element
            assert _schema_at(base, path, f"{name}.{label}").get("type") in SCALARS
            read += 1
        value = _schema_at(element, each.get("valueFrom", []), f"{name}.valueFrom")
        if kind == "Gauge":
            assert value.get("type") in {"integer", "number", "boolean"} or _is_time(value), name
        elif kind == "StateSet":
            assert value.get("type") == "string", name
            assert value.get("enum", each["list"]) == each["list"], f"{name}: not the enum"
        read += 1
    return read


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_path_the_config_reads_is_declared_by_the_crd(case: str) -> None:
    config, crd = CASES[case]
    assert _check_paths(config, crd) >= 8


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ([*R, "labelsFromPath", "suspended"], ["spec", "paused"]),
        ([*R, "metrics", 0, "labelsFromPath", "ready"], ["status", "conditions", "[kind=Ready]"]),
        ([*R, "metrics", 1, "each", "stateSet", "valueFrom"], ["state"]),
        ([*R, "metrics", 1, "each", "stateSet", "list"], ["True", "False"]),  # not the enum
        ([*R, "metrics", 2, "each", "gauge", "valueFrom"], ["message"]),  # text, not a number
        ([*R, "metrics", 3, "each", "stateSet", "list"], ["Ready"]),  # not the phase enum
        ([*R, "labelsFromPath", "name"], ["metadata", "finalizers"]),
        ([*R, "labelsFromPath", "name"], ["status", "conditions"]),  # a list, not a scalar
    ],
)
def test_the_crd_check_finds_a_path_the_crd_does_not_declare(where: list[Any], value: Any) -> None:
    assert _names(CASES["gittarget"][0])[:4] == [
        "info",
        "status_condition",
        "status_condition_last_transition_time",
        "status_phase",
    ]
    with pytest.raises(AssertionError):
        _check_paths(_break(where, value), CASES["gittarget"][1])


# ------------------------------------------------------------- what it derives


def test_labels_and_metrics_follow_the_models() -> None:
    widget, plain, free = (CASES[c][0] for c in ("widget", "plain", "free-phase"))
    assert _resource(widget)["labelsFromPath"]["suspended"] == ["spec", "suspend"]
    assert "suspended" not in _resource(plain)["labelsFromPath"]
    assert _metric(widget, "status_phase")["each"]["stateSet"]["list"] == ["Pending", "Running"]
    assert "phase" in _metric(free, "info")["labelsFromPath"]
    assert "status_phase" not in _names(free)
    assert "phase" not in _metric(plain, "info")["labelsFromPath"]
    assert _resource(widget)["metricNamePrefix"] == "kube_widget"
    assert _resource(widget)["resourcePlural"] == "widgets"


def test_a_status_without_conditions_phase_or_generation_gets_the_name_alone() -> None:
    config = metrics_config(CounterStatus, group="example.com", version="v1", kind="Counter")
    crd = custom_resource_definition(
        group="example.com", version="v1", kind="Counter", status_model=CounterStatus
    )
    assert _format_problems(config) == []
    assert _check_paths(config, crd) == 5  # name, namespace; info (node, name); generation
    assert _names(config) == ["info", "metadata_generation"]
    info = _metric(config, "info")
    assert "labelsFromPath" not in info  # nothing beyond the each-labels to read
    assert info["each"] == {
        "type": "Info",
        "info": {"labelsFromPath": {"name": ["metadata", "name"]}},
    }
    assert info["help"] == "The current state of a Counter: its Ready condition as labels."
    assert _resource(config)["labelsFromPath"] == {
        "name": ["metadata", "name"],
        "namespace": ["metadata", "namespace"],
    }


class TwoListStatus(StatusModel):
    checks: ConditionList = Field(default_factory=list)


def test_a_second_condition_list_does_not_displace_conditions() -> None:
    config = metrics_config(TwoListStatus, group="g.io", version="v1", kind="Two")
    paths = [m["each"]["stateSet"]["path"] for m in _resource(config)["metrics"][1:2]]
    assert paths == [["status", "conditions"]]
    crd = custom_resource_definition(
        group="g.io", version="v1", kind="Two", status_model=TwoListStatus
    )
    assert _check_paths(config, crd) >= 8


def test_gittarget_picks_up_spec_suspend_when_the_spec_has_it() -> None:
    """Derived, not listed: GitTargetSpec gaining ``suspend`` adds the label by itself."""
    has_suspend = "suspend" in GitTargetSpec.model_json_schema(by_alias=True)["properties"]
    labels = _resource(gittarget_metrics_config())["labelsFromPath"]
    assert ("suspended" in labels) is has_suspend


def test_the_summary_condition_and_prefix_are_the_callers() -> None:
    config = metrics_config(
        WidgetStatus, group="g.io", version="v1", kind="Widget", prefix="", summary="Available"
    )
    assert _resource(config)["metricNamePrefix"] == ""
    ready = _metric(config, "info")["labelsFromPath"]["ready"]
    assert ready == ["status", "conditions", "[type=Available]", "status"]
    assert _resource(gittarget_metrics_config(prefix="gt"))["metricNamePrefix"] == "gt"


@pytest.mark.parametrize("prefix", ["9x", "kube-gittarget", "a b"])
def test_a_prefix_prometheus_rejects_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        metrics_config(StatusModel, group="g.io", version="v1", kind="Widget", prefix=prefix)


# ------------------------------------------------------------------------ CLI

MODELS = """
from enum import StrEnum
from gittarget_status import StatusModel
from gittarget_status._base import KubeModel
from gittarget_status.conditions import ConditionList


class JobPhase(StrEnum):
    QUEUED = "Queued"
    DONE = "Done"


class JobStatus(StatusModel):
    phase: JobPhase | None = None


class JobSpec(KubeModel):
    suspend: bool = False
"""


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from user_module(tmp_path, monkeypatch, "jobmodels", MODELS)


def test_cli_prints_gittargets_config_by_default() -> None:
    assert run_cli("metrics-config") == (0, to_yaml(gittarget_metrics_config()), "")
    code, out, _ = run_cli("metrics-config", "-o", "json", "--prefix", "gitops", "--plural", "gts")
    assert code == 0
    assert json.loads(out) == gittarget_metrics_config(prefix="gitops", plural="gts")


def test_cli_takes_the_crd_commands_model_options(models: str) -> None:
    argv = ["--kind", "Job", "--group", "batch.example.com", "--version", "v2"]
    argv += ["--status-model", f"{models}:JobStatus", "--spec-model", f"{models}:JobSpec"]
    code, out, err = run_cli("metrics-config", *argv)
    assert (code, err) == (0, "")
    config = yaml.safe_load(out)
    assert _format_problems(config) == []
    resource = _resource(config)
    assert resource["groupVersionKind"] == {
        "group": "batch.example.com",
        "version": "v2",
        "kind": "Job",
    }
    assert resource["labelsFromPath"]["suspended"] == ["spec", "suspend"]
    assert _metric(config, "status_phase")["each"]["stateSet"]["list"] == ["Queued", "Done"]
    code, crd_out, _ = run_cli("crd", *argv)
    assert code == 0
    assert _check_paths(config, yaml.safe_load(crd_out)) >= 8


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kind", "Job"], "--group is required"),
        (["--status-model", "nope"], "expected MODULE:CLASS"),
        (["--prefix", "a-b"], "prefix"),
    ],
)
def test_cli_bad_input_exits_2_naming_it(argv: list[str], message: str) -> None:
    code, out, err = run_cli("metrics-config", *argv)
    assert (code, out) == (2, "")
    assert message in err


# --------------------------------------------------------- on a real object

GROUP = "metrics.example.com"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CONFIG = metrics_config(
    WidgetStatus, group=GROUP, version="v1", kind="Widget", spec_model=WidgetSpec
)
PIPELINE = GatePipeline(
    [
        Gate(
            "Available",
            lambda up: GateResult.failed("Down", "no replica"),
            ready_reason="NotAvailable",
        )
    ],
    phase=lambda conditions: WidgetPhase.PENDING,
    status_model=WidgetStatus,
)


def _values(found: list[Any], metric: str, /, **labels: str) -> list[float]:
    return [
        value
        for name, got, value in found
        if name == metric and labels.items() <= dict(got).items()
    ]


def test_the_series_of_a_real_object_answer_the_alerts(
    gts_control_plane: ControlPlane, gts_namespace: str
) -> None:
    """A Widget written by a pass, read back from the API server: Ready False is visible,
    and a spec edit shows as generation lag until the next status write."""
    crd = custom_resource_definition(
        group=GROUP, version="v1", kind="Widget", status_model=WidgetStatus, spec_schema=WidgetSpec
    )
    client = gts_control_plane.client
    client.apply(crd)
    client.wait_established(crd["metadata"]["name"])
    collection = client.resource_path(f"{GROUP}/v1", "Widget", namespace=gts_namespace)
    client.post(
        collection,
        {
            "apiVersion": f"{GROUP}/v1",
            "kind": "Widget",
            "metadata": {"name": "w1", "namespace": gts_namespace},
            "spec": {"size": 1},
        },
    )
    path = f"{collection}/w1"

    fresh = series(CONFIG, client.get(path))  # nothing written yet: no status at all
    assert _values(fresh, "kube_widget_metadata_generation") == [1.0]
    assert _values(fresh, "kube_widget_status_observed_generation") == [0.0]
    assert _values(fresh, "kube_widget_status_condition") == []

    done = PIPELINE.reconcile(client.get(path), False, now=T0)
    client.patch(f"{path}/status", done.merge_patch, "merge")
    client.patch(path, {"spec": {"suspend": True}}, "merge")  # generation 2, not yet observed
    obj = client.get(path)
    found = series(CONFIG, obj)

    identity = {"name": "w1", "namespace": gts_namespace, "suspended": "true"}
    info = _values(found, "kube_widget_info", ready="False", phase="Pending", **identity)
    assert info == [1.0]
    ready = {"type": "Ready", "reason": "NotAvailable"}
    assert _values(found, "kube_widget_status_condition", status="False", **ready) == [1.0]
    assert _values(found, "kube_widget_status_condition", status="True", **ready) == [0.0]
    assert _values(found, "kube_widget_status_phase", phase="Pending") == [1.0]
    assert _values(found, "kube_widget_status_phase", phase="Running") == [0.0]
    when = _values(found, "kube_widget_status_condition_last_transition_time", type="Ready")
    assert when == [T0.timestamp()]
    # The lag alert's two operands: generation 2, observed 1.
    assert _values(found, "kube_widget_metadata_generation", **identity) == [2.0]
    assert _values(found, "kube_widget_status_observed_generation", **identity) == [1.0]
    assert resolve(obj, ["status", "conditions", "[type=Ready]", "status"]) == "False"
    # Every series carries the kind's identity, as kube-state-metrics adds it.
    assert {dict(labels)["customresource_kind"] for _, labels, _ in found} == {"Widget"}
