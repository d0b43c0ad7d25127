"""CustomResourceDefinition, RBAC and metrics manifests, generated from the status models.

* [`structural_schema`][gittarget_status.manifests.structural_schema] turns any pydantic model (a
  status that embeds the library's [`Condition`][gittarget_status.Condition] list, or a spec) into a
  *structural* OpenAPI v3 schema as the API server requires it: every node typed, ``$ref`` inlined,
  no ``anyOf``/``nullable`` from optional fields (an unset field is omitted, never null), no
  defaults or titles, and no ``x-kubernetes-preserve-unknown-fields`` unless asked. A condition list
  becomes ``x-kubernetes-list-type: map`` keyed by ``type``, each entry carrying metav1.Condition's
  own validation.
* [`custom_resource_definition`][gittarget_status.manifests.custom_resource_definition] builds the
  CRD for any kind (the generic entry point);
  [`gittarget_crd`][gittarget_status.manifests.gittarget_crd] is the GitTarget one (group
  ``configbutler.ai``, ``v1alpha1``).
* [`rbac_manifests`][gittarget_status.manifests.rbac_manifests] is what a controller needs: its
  resource, ``/status``, Events, and the PolicyRules it declares (``rules=``;
  [`parse_policy_rule`][gittarget_status.manifests.parse_policy_rule] reads the CLI's ``--rule``
  form); [`gittarget_rbac_manifests`][gittarget_status.manifests.gittarget_rbac_manifests] adds
  GitTarget's secrets rule.
* [`metrics_config`][gittarget_status.manifests.metrics_config] is kube-state-metrics'
  ``CustomResourceStateMetrics`` configuration for any kind (conditions, phase, generations
  as Prometheus series);
  [`gittarget_metrics_config`][gittarget_status.manifests.gittarget_metrics_config] is GitTarget's.
* [`to_yaml`][gittarget_status.manifests.to_yaml] renders documents deterministically (same input,
  same bytes).

The package's modules: ``_condition`` (metav1.Condition's schema), ``_structural``
(structural schemas from models), ``_crd``, ``_rbac``, ``_state_metrics`` (kube-state-metrics)
and ``_output`` (YAML/JSON).
"""

from gittarget_status.manifests._condition import CONDITIONS_SCHEMA, condition_schema
from gittarget_status.manifests._crd import (
    DEFAULT_GROUP,
    DEFAULT_KIND,
    DEFAULT_PLURAL,
    DEFAULT_VERSION,
    PrinterColumn,
    custom_resource_definition,
    default_printer_columns,
    gittarget_crd,
    gittarget_printer_columns,
    gittarget_spec_schema,
)
from gittarget_status.manifests._output import to_json, to_yaml
from gittarget_status.manifests._policy import (
    GITTARGET_RBAC_RULES,
    PolicyRule,
    parse_policy_rule,
    policy_rules,
)
from gittarget_status.manifests._rbac import (
    cluster_role,
    gittarget_rbac_manifests,
    rbac_manifests,
    role,
)
from gittarget_status.manifests._state_metrics import gittarget_metrics_config, metrics_config
from gittarget_status.manifests._structural import structural_schema

__all__ = [
    "CONDITIONS_SCHEMA",
    "DEFAULT_GROUP",
    "DEFAULT_KIND",
    "DEFAULT_PLURAL",
    "DEFAULT_VERSION",
    "GITTARGET_RBAC_RULES",
    "PolicyRule",
    "PrinterColumn",
    "cluster_role",
    "condition_schema",
    "custom_resource_definition",
    "default_printer_columns",
    "gittarget_crd",
    "gittarget_metrics_config",
    "gittarget_printer_columns",
    "gittarget_rbac_manifests",
    "gittarget_spec_schema",
    "metrics_config",
    "parse_policy_rule",
    "policy_rules",
    "rbac_manifests",
    "role",
    "structural_schema",
    "to_json",
    "to_yaml",
]
