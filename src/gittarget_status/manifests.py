"""CustomResourceDefinition and RBAC manifests, generated from the status models.

* :func:`structural_schema` turns any pydantic model (a status that embeds the library's
  :class:`~gittarget_status.Condition` list, or a spec) into a *structural* OpenAPI v3
  schema as the API server requires it: every node typed, ``$ref`` inlined, no
  ``anyOf``/``nullable`` from optional fields (an unset field is omitted, never null),
  no defaults or titles, and no ``x-kubernetes-preserve-unknown-fields`` unless asked.
  A condition list becomes ``x-kubernetes-list-type: map`` keyed by ``type``, each entry
  carrying metav1.Condition's own validation.
* :func:`custom_resource_definition` builds the CRD for any kind (the generic entry point);
  :func:`gittarget_crd` is the GitTarget one (group ``configbutler.ai``, ``v1alpha1``).
* :func:`rbac_manifests` is what the controller needs (plan 2.2 plus the lifecycle ports).
* :func:`to_yaml` renders documents deterministically (same input, same bytes).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, Final, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel

from gittarget_status.conditions import (
    MAX_REASON_LENGTH,
    MAX_TYPE_LENGTH,
    REASON_PATTERN,
    TYPE_PATTERN,
    Condition,
)
from gittarget_status.conditions._rules import MAX_MESSAGE_BYTES

__all__ = [
    "DEFAULT_GROUP",
    "DEFAULT_KIND",
    "DEFAULT_PLURAL",
    "DEFAULT_VERSION",
    "CONDITIONS_SCHEMA",
    "PrinterColumn",
    "cluster_role",
    "condition_schema",
    "custom_resource_definition",
    "gittarget_crd",
    "gittarget_printer_columns",
    "gittarget_spec_schema",
    "rbac_manifests",
    "role",
    "structural_schema",
    "to_json",
    "to_yaml",
]

DEFAULT_GROUP: Final = "configbutler.ai"
DEFAULT_VERSION: Final = "v1alpha1"
DEFAULT_KIND: Final = "GitTarget"
DEFAULT_PLURAL: Final = "gittargets"

_CONDITION_DESCRIPTION: Final = (
    "Condition contains details for one aspect of the current state of this API Resource."
)


def condition_schema() -> dict[str, Any]:
    """One metav1.Condition, with the validation the Kubernetes API types declare."""
    return {
        "description": _CONDITION_DESCRIPTION,
        "type": "object",
        "required": ["lastTransitionTime", "message", "reason", "status", "type"],
        "properties": {
            "lastTransitionTime": {
                "description": "Last time the condition transitioned from one status to another.",
                "type": "string",
                "format": "date-time",
            },
            "message": {
                "description": "Human readable message indicating details about the transition.",
                "type": "string",
                "maxLength": MAX_MESSAGE_BYTES,
            },
            "observedGeneration": {
                "description": "The .metadata.generation the condition was set based upon.",
                "type": "integer",
                "format": "int64",
                "minimum": 0,
            },
            "reason": {
                "description": "Programmatic identifier of the reason for the last transition.",
                "type": "string",
                "maxLength": MAX_REASON_LENGTH,
                "minLength": 1,
                "pattern": REASON_PATTERN,
            },
            "status": {
                "description": "Status of the condition, one of True, False, Unknown.",
                "type": "string",
                "enum": ["True", "False", "Unknown"],
            },
            "type": {
                "description": "Type of condition in CamelCase or in foo.example.com/CamelCase.",
                "type": "string",
                "maxLength": MAX_TYPE_LENGTH,
                "pattern": TYPE_PATTERN,
            },
        },
    }


#: ``status.conditions``: a list-map keyed by type (server-side apply merges by type).
CONDITIONS_SCHEMA: Final[Mapping[str, Any]] = {
    "description": "Conditions, one per type: the automation contract (kubectl wait).",
    "type": "array",
    "items": condition_schema(),
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["type"],
}

_DROP_KEYS: Final = frozenset({"title", "default", "examples", "$defs", "definitions"})
_INT64_MAX: Final = 2**63 - 1
#: Constraint names pydantic leaves untranslated in some annotated types.
_KEYWORDS: Final = {"ge": "minimum", "le": "maximum"}


def _is_condition_list(annotation: Any) -> bool:
    """True for ``list[Condition]`` (possibly Annotated or Optional)."""
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation) or (None,)
        return isinstance(item, type) and issubclass(item, Condition)
    return any(_is_condition_list(arg) for arg in get_args(annotation))


def _condition_fields(model: type[BaseModel]) -> set[str]:
    """JSON names of the fields of ``model`` holding a condition list."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if _is_condition_list(annotation) or any(
            _is_condition_list(m) for m in field.metadata if isinstance(m, type)
        ):
            names.add(field.alias or name)
    return names


def _resolve(node: Any, defs: Mapping[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, defs, stack) for item in node]
    if not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name in stack:
            raise ValueError(f"recursive model {name!r} cannot be a structural schema")
        merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return _resolve(merged, defs, (*stack, name))
    for combinator in ("anyOf", "oneOf"):
        if combinator in node:
            options = [o for o in node[combinator] if o != {"type": "null"}]
            if len(options) != 1:
                raise ValueError(
                    f"{combinator} with several non-null options cannot be made structural: "
                    f"{json.dumps(node[combinator])[:200]}"
                )
            rest = {k: v for k, v in node.items() if k != combinator}
            return _resolve({**options[0], **rest}, defs, stack)
    if "allOf" in node and len(node["allOf"]) == 1:
        rest = {k: v for k, v in node.items() if k != "allOf"}
        return _resolve({**node["allOf"][0], **rest}, defs, stack)
    out: dict[str, Any] = {}
    for raw_key, value in node.items():
        if raw_key in _DROP_KEYS:
            continue
        key = _KEYWORDS.get(str(raw_key), str(raw_key))
        if key == "properties":
            out[key] = {name: _resolve(sub, defs, stack) for name, sub in value.items()}
        elif key == "additionalProperties":
            if isinstance(value, Mapping):
                out[key] = _resolve(value, defs, stack)
            # True/False: extra="allow" models; the CRD lists every field (pruning applies)
        else:
            out[key] = _resolve(value, defs, stack)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "enum" in out and "type" not in out:
        out["type"] = "string" if all(isinstance(v, str) for v in out["enum"]) else "integer"
    if out.get("type") == "integer":
        out.setdefault("format", "int64")
        if out.get("maximum") == _INT64_MAX:
            del out["maximum"]
    return out


def _check_structural(node: Any, path: str) -> None:
    if not isinstance(node, Mapping):
        return
    if "$ref" in node or "anyOf" in node or "oneOf" in node:
        raise ValueError(f"{path}: not structural (combinator or $ref left)")
    if "type" not in node and not node.get("x-kubernetes-preserve-unknown-fields"):
        raise ValueError(f"{path}: every schema node needs a type")
    for name, sub in node.get("properties", {}).items():
        _check_structural(sub, f"{path}.{name}")
    if "items" in node:
        _check_structural(node["items"], f"{path}[]")


def structural_schema(
    model: type[BaseModel],
    *,
    description: str | None = None,
    preserve_unknown_fields: bool = False,
) -> dict[str, Any]:
    """A structural OpenAPI v3 schema for ``model``'s JSON (by alias).

    Any field typed as a list of :class:`Condition` becomes :data:`CONDITIONS_SCHEMA`.
    ``preserve_unknown_fields=True`` marks the top object with
    ``x-kubernetes-preserve-unknown-fields`` (the API server then keeps fields the schema
    does not list, at that level and below where no schema is given): deliberate, off by
    default. Raises ValueError for a model that cannot be expressed structurally.
    """
    raw = model.model_json_schema(by_alias=True, mode="validation")
    defs = raw.get("$defs", {})
    schema: dict[str, Any] = _resolve(raw, defs, ())
    schema["type"] = "object"
    schema.pop("additionalProperties", None)
    for name in _condition_fields(model):
        schema.setdefault("properties", {})[name] = copy.deepcopy(dict(CONDITIONS_SCHEMA))
    if description is not None:
        schema["description"] = description
    if preserve_unknown_fields:
        schema["x-kubernetes-preserve-unknown-fields"] = True
    _check_structural(schema, model.__name__)
    return schema


def gittarget_spec_schema() -> dict[str, Any]:
    """The GitTarget spec (``providerRef``, ``branch``, ``path``, optional ``encryption``),
    from :class:`~gittarget_status.GitTargetSpec`."""
    from gittarget_status.gittarget._spec import GitTargetSpec

    return structural_schema(GitTargetSpec, description="Desired state of the GitTarget.")


PrinterColumn = Mapping[str, Any]


def _condition_path(condition_type: str, field: str) -> str:
    return f'.status.conditions[?(@.type=="{condition_type}")].{field}'


def gittarget_printer_columns(summary: str = "Ready") -> list[dict[str, Any]]:
    """Ready, Reason, Phase, Age, and the Ready message (``-o wide`` only)."""
    return [
        {"name": "Ready", "type": "string", "jsonPath": _condition_path(summary, "status")},
        {"name": "Reason", "type": "string", "jsonPath": _condition_path(summary, "reason")},
        {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
        {
            "name": "Message",
            "type": "string",
            "priority": 1,
            "jsonPath": _condition_path(summary, "message"),
        },
    ]


def custom_resource_definition(
    *,
    group: str,
    kind: str,
    status_model: type[BaseModel],
    spec_schema: Mapping[str, Any] | type[BaseModel] | None = None,
    version: str = "v1alpha1",
    plural: str | None = None,
    singular: str | None = None,
    list_kind: str | None = None,
    short_names: Sequence[str] = (),
    categories: Sequence[str] = (),
    scope: Literal["Namespaced", "Cluster"] = "Namespaced",
    printer_columns: Iterable[PrinterColumn] | None = None,
) -> dict[str, Any]:
    """The CRD (apiextensions.k8s.io/v1) for any kind whose status is ``status_model``.

    The status subresource is enabled (``.status`` is then written only through
    ``/status``, and spec writes bump ``metadata.generation``, which is what
    ``observedGeneration`` is compared with). ``spec_schema``: a schema or a pydantic
    model (None: an object preserving unknown fields). Printer columns default to
    Ready/Reason/Age (plus Phase when the status has a ``phase``).
    """
    plural = plural or kind.lower() + "s"
    singular = singular or kind.lower()
    if isinstance(spec_schema, type) and issubclass(spec_schema, BaseModel):
        spec: dict[str, Any] = structural_schema(spec_schema)
    elif spec_schema is None:
        spec = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    else:
        spec = copy.deepcopy(dict(spec_schema))
    status = structural_schema(status_model, description=f"Observed state of the {kind}.")
    if printer_columns is None:
        columns = gittarget_printer_columns()
        if "phase" not in status.get("properties", {}):
            columns = [c for c in columns if c["name"] != "Phase"]
    else:
        columns = [dict(c) for c in printer_columns]
    names: dict[str, Any] = {
        "kind": kind,
        "listKind": list_kind or f"{kind}List",
        "plural": plural,
        "singular": singular,
    }
    if short_names:
        names["shortNames"] = list(short_names)
    if categories:
        names["categories"] = list(categories)
    version_entry: dict[str, Any] = {
        "name": version,
        "served": True,
        "storage": True,
        "schema": {
            "openAPIV3Schema": {
                "description": f"{kind} is the Schema for the {plural} API.",
                "type": "object",
                "properties": {
                    "apiVersion": {"type": "string"},
                    "kind": {"type": "string"},
                    "metadata": {"type": "object"},
                    "spec": spec,
                    "status": status,
                },
            }
        },
        "subresources": {"status": {}},
        "additionalPrinterColumns": columns,
    }
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {"group": group, "names": names, "scope": scope, "versions": [version_entry]},
    }


def gittarget_crd(
    *,
    group: str = DEFAULT_GROUP,
    version: str = DEFAULT_VERSION,
    kind: str = DEFAULT_KIND,
    plural: str = DEFAULT_PLURAL,
    scope: Literal["Namespaced", "Cluster"] = "Namespaced",
    short_names: Sequence[str] = ("gt",),
) -> dict[str, Any]:
    """The GitTarget CustomResourceDefinition (every naming part overridable)."""
    from gittarget_status.gittarget._status import GitTargetStatus

    return custom_resource_definition(
        group=group,
        version=version,
        kind=kind,
        plural=plural,
        scope=scope,
        short_names=short_names,
        categories=("gitops",),
        status_model=GitTargetStatus,
        spec_schema=gittarget_spec_schema(),
        printer_columns=gittarget_printer_columns(),
    )


# ------------------------------------------------------------------------------ RBAC


def _rules(group: str, plural: str, *, secrets: bool, events: bool) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"apiGroups": [group], "resources": [plural], "verbs": ["get", "list", "watch"]},
        {"apiGroups": [group], "resources": [f"{plural}/status"], "verbs": ["patch", "update"]},
    ]
    if secrets:
        rules.append({"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "get"]})
    if events:
        events_groups = ["", "events.k8s.io"]
        rules.append(
            {"apiGroups": events_groups, "resources": ["events"], "verbs": ["create", "patch"]}
        )
    return rules


def cluster_role(
    name: str = "gittarget-status-controller",
    *,
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    secrets: bool = True,
    events: bool = True,
) -> dict[str, Any]:
    """get/list/watch the resource, update/patch ``/status``, secrets get/create, events."""
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name},
        "rules": _rules(group, plural, secrets=secrets, events=events),
    }


def role(
    namespace: str,
    name: str = "gittarget-status-controller",
    *,
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    secrets: bool = True,
    events: bool = True,
) -> dict[str, Any]:
    """The same rules as :func:`cluster_role`, for a controller watching one namespace."""
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": name, "namespace": namespace},
        "rules": _rules(group, plural, secrets=secrets, events=events),
    }


def rbac_manifests(
    *,
    name: str = "gittarget-status-controller",
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    namespace: str | None = None,
    service_account: str | None = None,
    service_account_namespace: str = "default",
) -> list[dict[str, Any]]:
    """A ClusterRole (or, with ``namespace``, a Role) and, with ``service_account``, its
    ServiceAccount and binding."""
    docs: list[dict[str, Any]] = []
    if service_account is not None:
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": service_account, "namespace": service_account_namespace},
            }
        )
    if namespace is None:
        docs.append(cluster_role(name, group=group, plural=plural))
    else:
        docs.append(role(namespace, name, group=group, plural=plural))
    if service_account is not None:
        subject = {
            "kind": "ServiceAccount",
            "name": service_account,
            "namespace": service_account_namespace,
        }
        role_kind = "ClusterRole" if namespace is None else "Role"
        metadata: dict[str, Any] = {"name": name}
        if namespace is not None:
            metadata["namespace"] = namespace
        docs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": f"{role_kind}Binding",
                "metadata": metadata,
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": role_kind,
                    "name": name,
                },
                "subjects": [subject],
            }
        )
    return docs


# ---------------------------------------------------------------------------- output


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases: the same documents always give the same bytes."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_yaml(documents: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str:
    """Render one or more documents as YAML (``---`` between them), deterministically."""
    docs = [documents] if isinstance(documents, Mapping) else list(documents)
    return yaml.dump_all(
        [_plain(d) for d in docs],
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
        explicit_start=len(docs) > 1,
    )


def to_json(documents: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str:
    """One document as a JSON object, several as a ``v1 List``; two-space indent."""
    docs = [documents] if isinstance(documents, Mapping) else list(documents)
    payload: Any = _plain(docs[0])
    if len(docs) != 1:
        payload = {"apiVersion": "v1", "kind": "List", "items": _plain(docs)}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
