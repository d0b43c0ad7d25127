"""Status writes: the exact request bodies a controller sends, and nothing when idle.

Four ways to write ``/status``, all pure (the controller does the HTTP call):

* [`status_patch`][gittarget_status.patch.status_patch] - a JSON merge patch
  (``application/merge-patch+json``) from the status read to the status computed, or ``None`` when
  they are equal: the controller then skips the write, so a resource at steady state costs zero
  writes and zero watch events.
* [`apply_status_body`][gittarget_status.patch.apply_status_body] - a server-side apply body
  (``application/apply-patch+yaml``) naming only the condition types and status fields this
  controller owns. ``conditions`` is a list-map keyed by ``type`` in the CRD, so the API server
  merges entries by type and another field manager's conditions are never touched.
* [`merge_conditions`][gittarget_status.patch.merge_conditions] - a three-way merge for
  update-with-retry controllers: re-applies this pass's changes (``before`` -> ``after``) to the
  ``latest`` object and reports a conflict only where both sides changed the same owned condition.
* [`kopf_status_fn`][gittarget_status.patch.kopf_status_fn] - a function for kopf's ``patch.fns``
  that re-derives the status from whatever fresh body kopf hands it (pure, idempotent).

The conversions to and from the official client's ``V1Condition``, lightkube's ``Condition``
and the plain dicts of kopf and kr8s live in the generic conditions layer
([`gittarget_status.conditions`][gittarget_status.conditions]) and are re-exported here unchanged.
"""

from gittarget_status.conditions import (
    condition_from_client,
    condition_to_client,
    conditions_from_object,
    status_from_object,
)
from gittarget_status.patch._apply import apply_status_body, owned_status_fields
from gittarget_status.patch._kopf import kopf_status_fn
from gittarget_status.patch._merge_patch import json_merge_patch, status_patch
from gittarget_status.patch._three_way import ConditionConflict, ConditionMerge, merge_conditions

__all__ = [
    "ConditionConflict",
    "ConditionMerge",
    "apply_status_body",
    "condition_from_client",
    "condition_to_client",
    "conditions_from_object",
    "json_merge_patch",
    "kopf_status_fn",
    "merge_conditions",
    "owned_status_fields",
    "status_from_object",
    "status_patch",
]
