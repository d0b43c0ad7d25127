"""The RBAC a controller needs to reconcile a kind's status through these contracts.

Read the resource, write only its ``/status`` subresource and record Events, plus the
rules the controller declares (``rules=``: what its own ports touch; GitTarget's are
[`GITTARGET_RBAC_RULES`][gittarget_status.manifests.GITTARGET_RBAC_RULES], its secrets):
as a ClusterRole or a namespaced Role, optionally bound to a ServiceAccount.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from gittarget_status.manifests._crd import DEFAULT_GROUP, DEFAULT_PLURAL
from gittarget_status.manifests._policy import GITTARGET_RBAC_RULES, PolicyRule, policy_rules

__all__ = ["cluster_role", "gittarget_rbac_manifests", "rbac_manifests", "role"]

_RBAC_GROUP: Final = "rbac.authorization.k8s.io"


def _rules(
    group: str, plural: str, *, extra: Iterable[PolicyRule], events: bool
) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"apiGroups": [group], "resources": [plural], "verbs": ["get", "list", "watch"]},
        {"apiGroups": [group], "resources": [f"{plural}/status"], "verbs": ["patch", "update"]},
    ]
    rules.extend(policy_rules(extra))
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
    rules: Iterable[PolicyRule] = (),
    events: bool = True,
) -> dict[str, Any]:
    """get/list/watch the resource, update/patch ``/status``, then ``rules``, then events."""
    granted = _rules(group, plural, extra=rules, events=events)
    return _rbac_object("ClusterRole", name, None, rules=granted)


def role(
    namespace: str,
    name: str = "gittarget-status-controller",
    *,
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    rules: Iterable[PolicyRule] = (),
    events: bool = True,
) -> dict[str, Any]:
    """The same rules as [`cluster_role`][gittarget_status.manifests.cluster_role], for a
    controller watching one namespace.

    A Role cannot grant ``nonResourceURLs`` (the API server refuses it): ValueError.
    """
    granted = _rules(group, plural, extra=rules, events=events)
    if any("nonResourceURLs" in rule for rule in granted):
        raise ValueError("a namespaced Role cannot grant nonResourceURLs; use a ClusterRole")
    return _rbac_object("Role", name, namespace, rules=granted)


def rbac_manifests(
    *,
    name: str = "gittarget-status-controller",
    group: str = DEFAULT_GROUP,
    plural: str = DEFAULT_PLURAL,
    namespace: str | None = None,
    service_account: str | None = None,
    service_account_namespace: str | None = None,
    rules: Iterable[PolicyRule] = (),
    events: bool = True,
) -> list[dict[str, Any]]:
    """A ClusterRole (or, with ``namespace``, a Role) and, with ``service_account``, its
    ServiceAccount and binding.

    The ServiceAccount lives in ``service_account_namespace``; by default in ``namespace``
    for a Role (a controller watching one namespace usually runs there), else ``default``.

    ``rules`` are the PolicyRules the controller's own ports need beyond its resource
    (checked: a bad rule raises ValueError naming it); ``events=False`` leaves out the
    Events rule for a controller that records none.
    """
    rules = policy_rules(rules)
    if service_account_namespace is None:
        service_account_namespace = namespace or "default"
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
        docs.append(cluster_role(name, group=group, plural=plural, rules=rules, events=events))
    else:
        docs.append(role(namespace, name, group=group, plural=plural, rules=rules, events=events))
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


def gittarget_rbac_manifests(
    *, rules: Iterable[PolicyRule] = (), **options: Any
) -> list[dict[str, Any]]:
    """[`rbac_manifests`][gittarget_status.manifests.rbac_manifests] for the GitTarget
    controller: [`GITTARGET_RBAC_RULES`][gittarget_status.manifests.GITTARGET_RBAC_RULES]
    (its ports' secrets get/create) first, then ``rules``; ``options`` as for
    [`rbac_manifests`][gittarget_status.manifests.rbac_manifests]."""
    return rbac_manifests(rules=(*GITTARGET_RBAC_RULES, *rules), **options)
