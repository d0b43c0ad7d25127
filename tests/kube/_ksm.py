"""kube-state-metrics' custom resource state configuration: its schema, and its series.

kube-state-metrics is a Go binary this machine does not have, so its configuration is
checked two ways instead. ``CONFIG_SCHEMA`` is the ``CustomResourceStateMetrics`` format as
kube-state-metrics documents it (docs/metrics/extend/customresourcestate-metrics.md and the
Go structs it decodes into: ``Resource``, ``Generator``, ``Metric``, ``MetricGauge``,
``MetricStateSet``, ``MetricInfo``), as a JSON schema. ``series`` evaluates a configuration
on one object with the documented path semantics (a key per segment, ``[key=value]`` picks
the first list element whose key has that value, a path ending on a list makes one series
per element, relative paths under it), for the subset of the format the library writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["CONFIG_SCHEMA", "Series", "resolve", "series"]

_PATH: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "string",
        # A list filter is "[key=value]"; anything else is a key or an index.
        "pattern": r"^(?:\[[^=\[\]]+=[^\[\]]*\]|[^\[].*)$",
    },
}
_LABEL_NAME = r"^[a-zA-Z_][a-zA-Z0-9_]*$"
_LABELS_FROM_PATH: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": _LABEL_NAME},
    "additionalProperties": _PATH,
}
_COMMON_LABELS: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": _LABEL_NAME},
    "additionalProperties": {"type": "string"},
}
_META = {"path": _PATH, "labelsFromPath": _LABELS_FROM_PATH}


def _closed(properties: Mapping[str, Any], *required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }


_GAUGE = _closed(
    {
        **_META,
        "valueFrom": _PATH,
        "labelFromKey": {"type": "string"},
        "nilIsZero": {"type": "boolean"},
    }
)
_INFO = _closed({**_META, "labelFromKey": {"type": "string"}})
_STATE_SET = _closed(
    {
        **_META,
        "list": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
        "labelName": {"type": "string", "pattern": _LABEL_NAME},
        "valueFrom": _PATH,
    },
    "list",
    "labelName",
)
_EACH = {
    **_closed(
        {
            "type": {"enum": ["Gauge", "StateSet", "Info"]},
            "gauge": _GAUGE,
            "stateSet": _STATE_SET,
            "info": _INFO,
        },
        "type",
    ),
    # The union: the type names the one member that configures it.
    "oneOf": [
        {"properties": {"type": {"const": t}}, "required": [member]}
        for t, member in (("Gauge", "gauge"), ("StateSet", "stateSet"), ("Info", "info"))
    ],
}
_GENERATOR = _closed(
    {
        "name": {"type": "string", "pattern": r"^[a-zA-Z_:][a-zA-Z0-9_:]*$"},
        "help": {"type": "string", "minLength": 1},
        "each": _EACH,
        "commonLabels": _COMMON_LABELS,
        "labelsFromPath": _LABELS_FROM_PATH,
        "errorLogV": {"type": "integer", "minimum": 0},
    },
    "name",
    "help",
    "each",
)
_RESOURCE = _closed(
    {
        "groupVersionKind": _closed(
            {k: {"type": "string", "minLength": 1} for k in ("group", "version", "kind")},
            "group",
            "version",
            "kind",
        ),
        "resourcePlural": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
        "metricNamePrefix": {"type": "string", "pattern": r"^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?$"},
        "commonLabels": _COMMON_LABELS,
        "labelsFromPath": _LABELS_FROM_PATH,
        "metrics": {"type": "array", "items": _GENERATOR, "minItems": 1},
        "errorLogV": {"type": "integer", "minimum": 0},
    },
    "groupVersionKind",
    "metrics",
)
CONFIG_SCHEMA: dict[str, Any] = _closed(
    {
        "kind": {"const": "CustomResourceStateMetrics"},
        "spec": _closed(
            {"resources": {"type": "array", "items": _RESOURCE, "minItems": 1}}, "resources"
        ),
    },
    "spec",
)

#: One series: (full metric name, sorted labels, value).
Series = tuple[str, tuple[tuple[str, str], ...], float]


def resolve(node: Any, path: list[str]) -> Any:
    """The value at ``path`` (None when any part is missing), as kube-state-metrics reads it."""
    for part in path:
        if node is None:
            return None
        if part.startswith("[") and part.endswith("]") and isinstance(node, list):
            key, _, value = part[1:-1].partition("=")
            node = next(
                (e for e in node if isinstance(e, Mapping) and _text(e.get(key)) == value), None
            )
        elif isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit():
            node = node[int(part)] if int(part) < len(node) else None
        else:
            return None
    return node


def _text(value: Any) -> str | None:
    """A label value as Go's ``%v`` prints it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _labels(node: Any, paths: Mapping[str, list[str]]) -> dict[str, str]:
    found = {name: _text(resolve(node, path)) for name, path in paths.items()}
    return {name: value for name, value in found.items() if value is not None}


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def series(config: Mapping[str, Any], obj: Mapping[str, Any]) -> list[Series]:
    """Every series the (single-resource) ``config`` makes of ``obj``."""
    (resource,) = config["spec"]["resources"]
    gvk = resource["groupVersionKind"]
    common = {f"customresource_{k}": gvk[k] for k in ("group", "version", "kind")}
    out: list[Series] = []
    for metric in resource["metrics"]:
        name = "_".join(p for p in (resource.get("metricNamePrefix", ""), metric["name"]) if p)
        base = {
            **common,
            **_labels(obj, resource.get("labelsFromPath", {})),
            **_labels(obj, metric.get("labelsFromPath", {})),
        }
        kind = metric["each"]["type"]
        each = metric["each"][{"Gauge": "gauge", "StateSet": "stateSet", "Info": "info"}[kind]]
        target = resolve(obj, each.get("path", []))
        elements = target if isinstance(target, list) else [target]
        for element in elements:
            if element is None and not (kind == "Gauge" and each.get("nilIsZero")):
                continue
            labels = {**base, **_labels(element, each.get("labelsFromPath", {}))}
            value = resolve(element, each.get("valueFrom", []))
            if kind == "Info":
                out.append((name, tuple(sorted(labels.items())), 1.0))
            elif kind == "Gauge":
                if value is None and not each.get("nilIsZero"):
                    continue
                number = 0.0 if value is None else _number(value)
                out.append((name, tuple(sorted(labels.items())), number))
            else:
                for state in each["list"]:
                    labelled = {**labels, each["labelName"]: state}
                    out.append((name, tuple(sorted(labelled.items())), float(value == state)))
    return out
