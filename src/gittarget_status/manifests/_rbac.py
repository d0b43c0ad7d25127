"""The RBAC a controller needs to reconcile a kind's status through these contracts.

Read the resource, write only its ``/status`` subresource, plus the secrets and events
the lifecycle ports use: as a ClusterRole or a namespaced Role, optionally bound to a
ServiceAccount.
"""

from __future__ import annotations

from typing import Any, Final

from gittarget_status.manifests._crd import DEFAULT_GROUP, DEFAULT_PLURAL

__all__ = ["cluster_role", "rbac_manifests", "role"]

_RBAC_GROUP: Final = "rbac.authorization.k8s.io"


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


def _rbac_object(kind: str, name: str, namespace: str | None, **fields: Any) -> dict[str, Any]:
    """An ``rbac.authorization.k8s.io/v1`` object; namespaced when ``namespace`` is given."""
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": f"{_RBAC_GROUP}/v1", "kind": kind, "metadata": metadata, **fields}


def cluster_role(
    name: str = "gittarget-status-controller",
    *,
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    secrets: bool = True,
    events: bool = True,
) -> dict[str, Any]:
    """get/list/watch the resource, update/patch ``/status``, secrets get/create, events."""
    rules = _rules(group, plural, secrets=secrets, events=events)
    return _rbac_object("ClusterRole", name, None, rules=rules)


def role(
    namespace: str,
    name: str = "gittarget-status-controller",
    *,
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    secrets: bool = True,
    events: bool = True,
) -> dict[str, Any]:
    """The same rules as [`cluster_role`][gittarget_status.manifests.cluster_role], for a controller
    watching one namespace."""
    rules = _rules(group, plural, secrets=secrets, events=events)
    return _rbac_object("Role", name, namespace, rules=rules)


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
        docs.append(
            _rbac_object(
                f"{role_kind}Binding",
                name,
                namespace,
                roleRef={"apiGroup": _RBAC_GROUP, "kind": role_kind, "name": name},
                subjects=[subject],
            )
        )
    return docs
