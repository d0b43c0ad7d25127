"""kube-state-metrics' ``CustomResourceStateMetrics`` configuration, from the status models.

kube-state-metrics (``--custom-resource-state-config-file``) turns fields of custom resources
into Prometheus series, as Flux's monitoring setup does for its own kinds. The configuration
is written from the same structural schemas the CRD is, so every path it reads is one the
CRD declares, and a field added to a model (``spec.suspend``, a ``phase``) shows up here
without a change to this module.

The format reads one field per value: it cannot subtract ``status.observedGeneration`` from
``metadata.generation``. Both are exported as gauges and the lag is a PromQL subtraction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

from gittarget_status.conditions import ConditionStatus
from gittarget_status.manifests._crd import (
    DEFAULT_GROUP,
    DEFAULT_KIND,
    DEFAULT_PLURAL,
    DEFAULT_VERSION,
)
from gittarget_status.manifests._structural import _condition_fields, structural_schema

__all__ = ["gittarget_metrics_config", "metrics_config"]

#: Prometheus' metric name syntax (the prefix may also be empty: no prefix).
_METRIC_NAME: Final = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def _properties(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    return properties


def _condition_list(model: type[BaseModel]) -> str | None:
    """The status field holding the condition list (``conditions`` if there are several)."""
    fields = sorted(_condition_fields(model))
    return "conditions" if "conditions" in fields else next(iter(fields), None)


def _gauge(name: str, help_text: str, path: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "help": help_text,
        "each": {"type": "Gauge", "gauge": {"path": path, **extra}},
    }


def _condition_metrics(field: str) -> list[dict[str, Any]]:
    labels = {"type": ["type"], "reason": ["reason"]}
    return [
        {
            "name": "status_condition",
            "help": f"The {field} of the object: 1 for the status each condition type has.",
            "each": {
                "type": "StateSet",
                "stateSet": {
                    "path": ["status", field],
                    "labelName": "status",
                    "valueFrom": ["status"],
                    "list": [status.value for status in ConditionStatus],
                    "labelsFromPath": labels,
                },
            },
        },
        _gauge(
            "status_condition_last_transition_time",
            "When each condition last changed status (Unix seconds).",
            ["status", field],
            labelsFromPath={**labels, "status": ["status"]},
            valueFrom=["lastTransitionTime"],
        ),
    ]


def metrics_config(
    status_model: type[BaseModel],
    *,
    group: str,
    version: str,
    kind: str,
    plural: str | None = None,
    spec_model: type[BaseModel] | None = None,
    prefix: str | None = None,
    summary: str = "Ready",
) -> dict[str, Any]:
    """The ``CustomResourceStateMetrics`` document for one kind whose status is ``status_model``.

    Every series carries the object's ``name`` and ``namespace`` (and ``suspended`` when
    ``spec_model`` has a boolean ``suspend``); kube-state-metrics adds
    ``customresource_group``, ``_version`` and ``_kind``. Metrics, named ``PREFIX_...``
    (default prefix ``kube_`` plus the kind lowercased, as kube-state-metrics' own):

    * ``info``: 1, with the ``summary`` condition's status and reason as ``ready`` and
      ``reason``, and ``phase`` when the model has one;
    * ``status_condition``: per condition type, one series per status (``True``, ``False``,
      ``Unknown``), 1 for the one it has, labelled ``type`` and ``reason``;
    * ``status_condition_last_transition_time``: per condition, when it last moved;
    * ``status_phase``: one series per phase value, when the phase is an enumeration;
    * ``metadata_generation`` and ``status_observed_generation`` (0 until the first write):
      ``generation - observed_generation > 0`` is a change the controller has not acted on.

    ``plural`` is kube-state-metrics' ``resourcePlural`` (default: the kind lowercased plus
    ``s``, as [`custom_resource_definition`][gittarget_status.manifests.custom_resource_definition]
    names it). Raises ValueError for a prefix Prometheus would not accept.
    """
    name_prefix = f"kube_{kind.lower()}" if prefix is None else prefix
    if name_prefix and not _METRIC_NAME.fullmatch(name_prefix):
        raise ValueError(
            f"prefix {name_prefix!r}: not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)"
        )
    status = _properties(structural_schema(status_model))
    spec = {} if spec_model is None else _properties(structural_schema(spec_model))
    identity: dict[str, list[str]] = {
        "name": ["metadata", "name"],
        "namespace": ["metadata", "namespace"],
    }
    if spec.get("suspend", {}).get("type") == "boolean":
        identity["suspended"] = ["spec", "suspend"]

    info_labels: dict[str, list[str]] = {}
    metrics: list[dict[str, Any]] = []
    field = _condition_list(status_model)
    if field is not None:
        info_labels["ready"] = ["status", field, f"[type={summary}]", "status"]
        info_labels["reason"] = ["status", field, f"[type={summary}]", "reason"]
        metrics += _condition_metrics(field)
    if "phase" in status:
        info_labels["phase"] = ["status", "phase"]
        if "enum" in status["phase"]:
            metrics.append(
                {
                    "name": "status_phase",
                    "help": f"The {kind}'s phase: 1 for the one it is in.",
                    "each": {
                        "type": "StateSet",
                        "stateSet": {
                            "path": ["status", "phase"],
                            "labelName": "phase",
                            "list": [str(value) for value in status["phase"]["enum"]],
                        },
                    },
                }
            )
    info = {
        "name": "info",
        "help": f"The current state of a {kind}: its {summary} condition"
        + (" and phase" if "phase" in status else "")
        + " as labels.",
        # The series exists when the each-labels resolve: the name always does.
        "each": {"type": "Info", "info": {"labelsFromPath": {"name": ["metadata", "name"]}}},
    }
    if info_labels:
        info["labelsFromPath"] = info_labels
    metrics.insert(0, info)
    metrics.append(
        _gauge(
            "metadata_generation", f"The {kind}'s metadata.generation.", ["metadata", "generation"]
        )
    )
    if "observedGeneration" in status:
        metrics.append(
            _gauge(
                "status_observed_generation",
                f"The generation the controller last wrote a {kind}'s status for (0: never).",
                ["status", "observedGeneration"],
                nilIsZero=True,
            )
        )
    resource: dict[str, Any] = {
        "groupVersionKind": {"group": group, "version": version, "kind": kind},
        "resourcePlural": plural or kind.lower() + "s",
        "metricNamePrefix": name_prefix,
        "labelsFromPath": identity,
        "metrics": metrics,
    }
    return {"kind": "CustomResourceStateMetrics", "spec": {"resources": [resource]}}


def gittarget_metrics_config(
    *,
    group: str = DEFAULT_GROUP,
    version: str = DEFAULT_VERSION,
    kind: str = DEFAULT_KIND,
    plural: str = DEFAULT_PLURAL,
    prefix: str | None = None,
) -> dict[str, Any]:
    """[`metrics_config`][gittarget_status.manifests.metrics_config] for GitTarget (its
    status and spec models, the CRD's names)."""
    from gittarget_status.gittarget._spec import GitTargetSpec
    from gittarget_status.gittarget._status import GitTargetStatus

    return metrics_config(
        GitTargetStatus,
        group=group,
        version=version,
        kind=kind,
        plural=plural,
        spec_model=GitTargetSpec,
        prefix=prefix,
    )
