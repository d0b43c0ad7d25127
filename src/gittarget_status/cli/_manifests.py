"""``gittarget-status crd``, ``rbac`` and ``metrics-config``: print the manifests.

Both write YAML (or ``--output json``) to standard output, byte-for-byte stable, so the
output can be committed and diffed (``gittarget-status crd > crd.yaml``).

``crd`` prints GitTarget's CRD by default and any kind's with ``--kind`` (and
``--status-model``/``--spec-model`` imported as ``module:Class``; without a spec model
the spec is an open object); ``metrics-config`` takes the same options and prints
kube-state-metrics' configuration for that kind. ``rbac --rule KEY=VALUES;...`` adds
declared PolicyRules.
Bad input exits 2 with an error naming the bad part.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from pydantic import BaseModel

from gittarget_status import manifests

__all__ = ["import_model", "register", "run_crd", "run_metrics_config", "run_rbac"]


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", choices=("yaml", "json"), default="yaml", help="format (default yaml)"
    )


def _names(parser: argparse.ArgumentParser, *, plural_default: str | None) -> None:
    parser.add_argument(
        "--group", default=None, help=f"API group (default {manifests.DEFAULT_GROUP} for GitTarget)"
    )
    parser.add_argument(
        "--plural",
        default=plural_default,
        help=f"resource plural (default {manifests.DEFAULT_PLURAL}"
        + (" for GitTarget, else the kind lowercased plus s)" if plural_default is None else ")"),
    )


def _kind_options(parser: argparse.ArgumentParser) -> None:
    """The naming and model options ``crd`` and ``metrics-config`` share."""
    _names(parser, plural_default=None)
    parser.add_argument("--version", dest="api_version", default=manifests.DEFAULT_VERSION)
    parser.add_argument("--kind", default=manifests.DEFAULT_KIND)
    parser.add_argument(
        "--status-model",
        metavar="MODULE:CLASS",
        help="the status model (default: GitTargetStatus for GitTarget, else StatusModel)",
    )
    parser.add_argument(
        "--spec-model",
        metavar="MODULE:CLASS",
        help="the spec model (default: GitTargetSpec for GitTarget, else an open object)",
    )


def register(subparsers: Any) -> None:
    crd: argparse.ArgumentParser = subparsers.add_parser(
        "crd",
        help="print a CustomResourceDefinition (GitTarget's by default)",
        description=(
            "Print a CRD (apiextensions.k8s.io/v1) built from the models: GitTarget's, or "
            "any kind's with --kind, --group and --status-model/--spec-model module:Class."
        ),
    )
    _kind_options(crd)
    crd.add_argument("--scope", choices=("Namespaced", "Cluster"), default="Namespaced")
    _output(crd)
    crd.set_defaults(func=run_crd)

    metrics: argparse.ArgumentParser = subparsers.add_parser(
        "metrics-config",
        help="print kube-state-metrics' custom resource state config (GitTarget's by default)",
        description=(
            "Print a CustomResourceStateMetrics document for kube-state-metrics "
            "(--custom-resource-state-config-file): per-condition, phase, generation and "
            "identity series, read from the paths the CRD of the same models declares."
        ),
    )
    _kind_options(metrics)
    metrics.add_argument(
        "--prefix",
        default=None,
        help="metric name prefix (default: kube_ plus the kind lowercased; '' for none)",
    )
    _output(metrics)
    metrics.set_defaults(func=run_metrics_config)

    rbac: argparse.ArgumentParser = subparsers.add_parser(
        "rbac",
        help="print the controller's RBAC (ClusterRole, or Role with --namespace)",
        description=(
            "Print the RBAC a controller needs: get/list/watch the resource, update/patch "
            "its /status, events create/patch, and each --rule. For GitTarget (the "
            "default --group and --plural) also secrets get/create, what its ports use."
        ),
    )
    _names(rbac, plural_default=manifests.DEFAULT_PLURAL)
    rbac.add_argument("--name", default="gittarget-status-controller", help="role name")
    rbac.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="KEY=VALUES;...",
        help=(
            "one more PolicyRule, e.g. 'apiGroups=;resources=configmaps;verbs=get,list' "
            "(keys apiGroups, resources, verbs, resourceNames, nonResourceURLs; an empty "
            "apiGroups is the core group); repeatable"
        ),
    )
    rbac.add_argument("--namespace", help="emit a namespaced Role instead of a ClusterRole")
    rbac.add_argument("--service-account", help="also emit this ServiceAccount and a binding")
    rbac.add_argument(
        "--service-account-namespace",
        default=None,
        help="the ServiceAccount's namespace (default: --namespace, else default)",
    )
    _output(rbac)
    rbac.set_defaults(func=run_rbac)


def _emit(documents: Any, fmt: str) -> None:
    text = manifests.to_json(documents) if fmt == "json" else manifests.to_yaml(documents)
    print(text, end="")


def import_model(reference: str, option: str) -> type[BaseModel]:
    """The pydantic model class ``module:Class`` names (the current directory importable).

    ValueError names ``option`` and what is wrong: the form, the import, the attribute,
    or a class that is not a model.
    """
    module_name, colon, qualname = reference.partition(":")
    if not colon or not module_name or not qualname:
        raise ValueError(f"{option} {reference!r}: expected MODULE:CLASS, e.g. myapp.status:Status")
    # As `python -m` would: models next to the caller import, for this import only.
    here = os.getcwd()
    added = here not in sys.path and "" not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        found: Any = importlib.import_module(module_name)
    except Exception as exc:  # any import-time failure is the user's module, reported
        raise ValueError(
            f"{option} {reference!r}: cannot import {module_name!r}: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        if added:
            sys.path.remove(here)
    for part in qualname.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise ValueError(
                f"{option} {reference!r}: {module_name!r} has no attribute {qualname!r}"
            ) from None
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise ValueError(
            f"{option} {reference!r}: {qualname} is not a pydantic model class "
            f"(got {type(found).__name__}); subclass gittarget_status.StatusModel"
        )
    return found


#: A status model and an optional spec model.
Models = tuple[type[BaseModel], type[BaseModel] | None]


def _models(args: argparse.Namespace) -> Models | None:
    """The ``--status-model`` and ``--spec-model`` classes, or None for GitTarget's own.

    GitTarget's: the default kind and no model named. Any other kind needs ``--group``.
    """
    from gittarget_status.conditions import StatusModel

    status_model = spec_model = None
    if args.status_model:
        status_model = import_model(args.status_model, "--status-model")
    if args.spec_model:
        spec_model = import_model(args.spec_model, "--spec-model")
    if args.kind == manifests.DEFAULT_KIND and status_model is None and spec_model is None:
        return None
    if args.group is None:
        raise ValueError(f"--group is required for kind {args.kind!r} (e.g. --group example.com)")
    return status_model or StatusModel, spec_model


def _naming(args: argparse.Namespace) -> tuple[Models | None, dict[str, Any]]:
    """The models (None: GitTarget's) and the naming keywords every builder takes."""
    models = _models(args)
    if models is not None:
        return models, {
            "group": args.group,
            "version": args.api_version,
            "kind": args.kind,
            "plural": args.plural,
        }
    return None, {
        "group": args.group or manifests.DEFAULT_GROUP,
        "version": args.api_version,
        "plural": args.plural or manifests.DEFAULT_PLURAL,
    }


def _crd(args: argparse.Namespace) -> dict[str, Any]:
    from gittarget_status.gittarget._status import GitTargetStatus

    models, naming = _naming(args)
    if models is None:
        return manifests.gittarget_crd(**naming, scope=args.scope)
    status, spec_model = models
    columns = (
        manifests.gittarget_printer_columns()
        if issubclass(status, GitTargetStatus)
        else manifests.default_printer_columns(status)
    )
    return manifests.custom_resource_definition(
        **naming,
        scope=args.scope,
        status_model=status,
        spec_schema=spec_model,
        printer_columns=columns,
    )


def _metrics_config(args: argparse.Namespace) -> dict[str, Any]:
    models, naming = _naming(args)
    if models is None:
        return manifests.gittarget_metrics_config(**naming, prefix=args.prefix)
    status, spec_model = models
    return manifests.metrics_config(status, **naming, spec_model=spec_model, prefix=args.prefix)


def _run(build: Any, args: argparse.Namespace) -> int:
    try:
        document = build(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _emit(document, args.output)
    return 0


def run_crd(args: argparse.Namespace) -> int:
    return _run(_crd, args)


def run_metrics_config(args: argparse.Namespace) -> int:
    return _run(_metrics_config, args)


def run_rbac(args: argparse.Namespace) -> int:
    group = args.group or manifests.DEFAULT_GROUP
    try:
        rules: list[manifests.PolicyRule] = [manifests.parse_policy_rule(t) for t in args.rule]
    except ValueError as exc:
        print(f"error: --rule: {exc}", file=sys.stderr)
        return 2
    if group == manifests.DEFAULT_GROUP and args.plural == manifests.DEFAULT_PLURAL:
        rules = [*manifests.GITTARGET_RBAC_RULES, *rules]
    try:
        documents = manifests.rbac_manifests(
            name=args.name,
            group=group,
            plural=args.plural,
            namespace=args.namespace,
            service_account=args.service_account,
            service_account_namespace=args.service_account_namespace,
            rules=rules,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _emit(documents, args.output)
    return 0
