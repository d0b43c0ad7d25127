"""The JSON merge patch route: the ``/status`` body from the status read to the status computed.

Kept apart from the apply body: a merge patch replaces lists whole and suits read-modify-write
controllers, while server-side apply merges by owner.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Mapping
from typing import Any

from gittarget_status._base import KubeModel
from gittarget_status.conditions._status import StatusModel
from gittarget_status.patch._bodies import StatusLike, _status_json, _stored_json


def json_merge_patch(old: Any, new: Any) -> Any:
    """RFC 7386: the merge patch turning ``old`` into ``new`` (``{}`` when equal).

    Objects are diffed key by key (a removed key becomes ``null``); anything else,
    lists included, is replaced whole, which is what the API server does for custom
    resources (no strategic merge).
    """
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return copy.deepcopy(new)
    patch: dict[str, Any] = {}
    for key in old:
        if key not in new:
            patch[key] = None
    for key, value in new.items():
        if key not in old:
            patch[key] = copy.deepcopy(value)
        elif old[key] != value:
            if isinstance(old[key], Mapping) and isinstance(value, Mapping):
                patch[key] = json_merge_patch(old[key], value)
            else:
                patch[key] = copy.deepcopy(value)
    return patch


def status_patch(
    old: StatusLike, new: StatusLike, *, resource_version: str | None = None
) -> dict[str, Any] | None:
    """The ``/status`` merge patch body from ``old`` to ``new``, or None if nothing changed.

    ``old`` and ``new`` are status models or the status JSON. A model ``from_k8s`` read counts as
    the JSON it was read from
    ([`StatusModel.stored_json`][gittarget_status.conditions.StatusModel.stored_json]), so the patch
    from a parsed model is the patch from the stored JSON, repairs included. The body is
    ``{"status": {...}}``; ``conditions`` is sent whole when any condition changed (a merge patch
    replaces lists), with every condition not changed written back exactly as read.
    Read-modify-write with ``resource_version`` (sent as ``metadata.resourceVersion``, making the
    write fail with 409 on a stale read) or use
    [`apply_status_body`][gittarget_status.patch.apply_status_body] when other writers share the
    list.
    """
    if _same_model(old, new):
        return None  # equal models serialize equally: skip two serializations
    diff = json_merge_patch(_stored_json(old), _status_json(new))
    if not diff:
        return None
    body: dict[str, Any] = {"status": diff}
    if resource_version is not None:
        body["metadata"] = {"resourceVersion": resource_version}
    return body


def _same_model(old: StatusLike, new: StatusLike) -> bool:
    """Whether ``new`` certainly serializes to what ``old`` was read from (cheap checks)."""
    if not isinstance(old, KubeModel) or type(old) is not type(new) or old != new:
        return False
    if isinstance(old, StatusModel) and old.needs_repair:
        return False
    before = old.__dict__.get("conditions")
    after = new.__dict__.get("conditions")
    if type(before) is list and type(after) is list:
        # Equal values may still differ in form: a repaired condition is a new object.
        return all(map(operator.is_, before, after))
    return True
