"""``gittarget-status crd`` and ``gittarget-status rbac``: print the manifests.

Both write YAML (or ``--output json``) to standard output, byte-for-byte stable, so the
output can be committed and diffed (``gittarget-status crd > crd.yaml``).
"""

from __future__ import annotations

import argparse
from typing import Any

from gittarget_status import manifests

__all__ = ["register", "run_crd", "run_rbac"]


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", choices=("yaml", "json"), default="yaml", help="format (default yaml)"
    )


def _names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--group", default=manifests.DEFAULT_GROUP, help="API group")
    parser.add_argument("--plural", default=manifests.DEFAULT_PLURAL, help="resource plural")


def register(subparsers: Any) -> None:
    crd: argparse.ArgumentParser = subparsers.add_parser(
        "crd",
        help="print the GitTarget CustomResourceDefinition",
        description="Print the GitTarget CRD (apiextensions.k8s.io/v1) built from the models.",
    )
    _names(crd)
    crd.add_argument("--version", dest="api_version", default=manifests.DEFAULT_VERSION)
    crd.add_argument("--kind", default=manifests.DEFAULT_KIND)
    crd.add_argument("--scope", choices=("Namespaced", "Cluster"), default="Namespaced")
    _output(crd)
    crd.set_defaults(func=run_crd)

    rbac: argparse.ArgumentParser = subparsers.add_parser(
        "rbac",
        help="print the controller's RBAC (ClusterRole, or Role with --namespace)",
        description=(
            "Print the RBAC a GitTarget controller needs: get/list/watch gittargets, "
            "update/patch gittargets/status, secrets get/create, events create/patch."
        ),
    )
    _names(rbac)
    rbac.add_argument("--name", default="gittarget-status-controller", help="role name")
    rbac.add_argument("--namespace", help="emit a namespaced Role instead of a ClusterRole")
    rbac.add_argument("--service-account", help="also emit this ServiceAccount and a binding")
    rbac.add_argument(
        "--service-account-namespace", default="default", help="the ServiceAccount's namespace"
    )
    _output(rbac)
    rbac.set_defaults(func=run_rbac)


def _emit(documents: Any, fmt: str) -> None:
    text = manifests.to_json(documents) if fmt == "json" else manifests.to_yaml(documents)
    print(text, end="")


def run_crd(args: argparse.Namespace) -> int:
    crd = manifests.gittarget_crd(
        group=args.group,
        version=args.api_version,
        kind=args.kind,
        plural=args.plural,
        scope=args.scope,
    )
    _emit(crd, args.output)
    return 0


def run_rbac(args: argparse.Namespace) -> int:
    documents = manifests.rbac_manifests(
        name=args.name,
        group=args.group,
        plural=args.plural,
        namespace=args.namespace,
        service_account=args.service_account,
        service_account_namespace=args.service_account_namespace,
    )
    _emit(documents, args.output)
    return 0
