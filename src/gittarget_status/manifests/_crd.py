"""The CustomResourceDefinition: the generic builder and GitTarget's own.

Also the GitTarget API coordinates (group, version, kind, plural) that the RBAC rules
grant on, and the printer columns ``kubectl get`` shows from the summary condition.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from pydantic import BaseModel

from gittarget_status.manifests._structural import structural_schema

__all__ = [
    "DEFAULT_GROUP",
    "DEFAULT_KIND",
    "DEFAULT_PLURAL",
    "DEFAULT_VERSION",
    "PrinterColumn",
    "custom_resource_definition",
    "default_printer_columns",
    "gittarget_crd",
    "gittarget_printer_columns",
    "gittarget_spec_schema",
]

DEFAULT_GROUP: Final = "configbutler.ai"
DEFAULT_VERSION: Final = "v1alpha1"
DEFAULT_KIND: Final = "GitTarget"
DEFAULT_PLURAL: Final = "gittargets"


def gittarget_spec_schema() -> dict[str, Any]:
    """The GitTarget spec (``providerRef``, ``branch``, ``path``, optional ``encryption``),
    from [`GitTargetSpec`][gittarget_status.GitTargetSpec]."""
    from gittarget_status.gittarget._spec import GitTargetSpec

    schema = structural_schema(GitTargetSpec, description="Desired state of the GitTarget.")
    # The server fills it in, so every stored object says whether it is suspended.
    schema["properties"]["suspend"]["default"] = False
    return schema


PrinterColumn = Mapping[str, Any]


def _condition_path(condition_type: str, field: str) -> str:
    return f'.status.conditions[?(@.type=="{condition_type}")].{field}'


def _columns(summary: str, *, phase: bool) -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = [
        {"name": "Ready", "type": "string", "jsonPath": _condition_path(summary, "status")},
        {"name": "Reason", "type": "string", "jsonPath": _condition_path(summary, "reason")},
    ]
    if phase:
        columns.append({"name": "Phase", "type": "string", "jsonPath": ".status.phase"})
    columns += [
        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
        {
            "name": "Message",
            "type": "string",
            "priority": 1,
            "jsonPath": _condition_path(summary, "message"),
        },
    ]
    return columns


def default_printer_columns(
    status_model: type[BaseModel], summary: str = "Ready"
) -> list[dict[str, Any]]:
    """Any kind's ``kubectl get`` columns: Ready and Reason (from the ``summary``
    condition), Phase when ``status_model`` has a ``phase`` field, Age, and the summary
    message under ``-o wide``."""
    return _columns(summary, phase="phase" in status_model.model_fields)


def gittarget_printer_columns(summary: str = "Ready") -> list[dict[str, Any]]:
    """Ready, Reason, Phase, Age, and under ``-o wide`` the Ready message and Suspended
    (``spec.suspend``, as ``flux get`` shows it)."""
    suspended = {"name": "Suspended", "type": "boolean", "priority": 1, "jsonPath": ".spec.suspend"}
    return [*_columns(summary, phase=True), suspended]


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
    [`default_printer_columns`][gittarget_status.manifests.default_printer_columns].
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
        columns = default_printer_columns(status_model)
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
