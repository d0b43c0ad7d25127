"""What a controller does on the real API server, once per write path of the library.

Each ``write_*`` helper sends one library-computed status through ``/status`` exactly as a
controller using that path would, counts it in :mod:`._tally`, reads the object back and
checks the stored status is what was computed (for the parts that writer owns). Nothing
here simulates the server: every answer is the real kube-apiserver's.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, settings

from gittarget_status import ConditionType, GitTargetSpec, GitTargetStatus
from gittarget_status.manifests import gittarget_crd
from gittarget_status.patch import (
    apply_status_body,
    json_merge_patch,
    kopf_status_fn,
    merge_conditions,
    status_from_object,
    status_patch,
)
from gittarget_status.testing import demo_spec
from gittarget_status.testing.control_plane import ApiClient, ApiError

from . import _tally

__all__ = [
    "API_VERSION",
    "FOREIGN",
    "KIND",
    "OWNED_CONDITIONS",
    "OWNED_FIELDS",
    "WRITE_PATHS",
    "create_gittarget",
    "foreign_condition",
    "prune",
    "relaxed",
    "unique_name",
    "write_apply",
    "write_kopf",
    "write_merge",
    "write_retry",
]

API_VERSION: Final = "configbutler.ai/v1alpha1"
KIND: Final = "GitTarget"
#: The condition types and status fields the GitTarget controller owns, always passed
#: explicitly to the apply and kopf builders (their defaults are not what is tested here).
OWNED_CONDITIONS: Final = tuple(t.value for t in ConditionType)
OWNED_FIELDS: Final = tuple(
    f.alias for f in GitTargetStatus.model_fields.values() if f.alias and f.alias != "conditions"
)
#: A condition type another controller writes on the same objects.
FOREIGN: Final = "audit.example.com/Compliant"
_STATUS_SCHEMA: Final = gittarget_crd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"][
    "properties"
]["status"]

Json = dict[str, Any]
StatusLike = GitTargetStatus | Mapping[str, Any] | None


def relaxed(default: int, ci: int) -> settings:
    """Settings for a property test on the server: every example costs real requests.

    ``default`` examples in the quick default profile, ``ci`` in the thorough one (whose
    ``max_examples`` is above the default's 100); one namespace serves all examples.
    """
    return settings(
        max_examples=default if settings().max_examples <= 100 else ci,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def unique_name(prefix: str = "gt") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create_gittarget(
    client: ApiClient, namespace: str, name: str | None = None, spec: GitTargetSpec | None = None
) -> tuple[str, Json]:
    """Create a GitTarget (status empty, generation 1); returns its path and the object."""
    name = name or unique_name()
    body = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": name, "namespace": namespace},
        "spec": (spec or demo_spec()).to_k8s(),
    }
    collection = client.resource_path(API_VERSION, KIND, namespace=namespace)
    created: Json = client.post(collection, body)
    return f"{collection}/{name}", created


def foreign_condition(status: bool, reason: str = "Checked") -> Json:
    return {
        "type": FOREIGN,
        "status": "True" if status else "False",
        "reason": reason,
        "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z",
    }


def _prune(value: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(value, Mapping) and "properties" in schema:
        props = schema["properties"]
        return {k: _prune(v, props[k]) for k, v in value.items() if k in props}
    if isinstance(value, list) and "items" in schema:
        return [_prune(v, schema["items"]) for v in value]
    return copy.deepcopy(value)


def prune(status: Mapping[str, Any]) -> Json:
    """``status`` as the server stores it: fields the CRD's structural schema lacks removed."""
    pruned: Json = _prune(status, _STATUS_SCHEMA)
    return pruned


def _json(status: StatusLike) -> Json:
    if status is None:
        return {}
    if isinstance(status, GitTargetStatus):
        return status.to_k8s()
    return copy.deepcopy(dict(status))


def _owned_part(status: Mapping[str, Any]) -> Json:
    """The fields and conditions (by type) the GitTarget controller owns."""
    conditions = {
        c["type"]: c for c in status.get("conditions", []) if c["type"] in OWNED_CONDITIONS
    }
    fields = {k: status[k] for k in OWNED_FIELDS if k in status}
    return {"conditions": conditions, **fields}


def _check_owned(stored: Mapping[str, Any], computed: StatusLike, path: str) -> None:
    want = _owned_part(prune(_json(computed)))
    got = _owned_part(stored)
    assert got == want, f"{path}: the stored status differs from the computed one"


def _status_of(obj: Mapping[str, Any]) -> Json:
    status: Json = copy.deepcopy(obj.get("status") or {})
    return status


def write_merge(client: ApiClient, path: str, computed: StatusLike) -> Json:
    """Read, ``status_patch`` from the live status (with its resourceVersion), PATCH it.

    Returns the object read back. The whole stored status must equal the computed one as
    pruned by the schema: a merge patch from live to computed leaves nothing else.
    """
    live = client.get(path)
    body = status_patch(
        _status_of(live), computed, resource_version=live["metadata"]["resourceVersion"]
    )
    if body is not None:
        _tally.record("merge", lambda: client.patch(f"{path}/status", body, "merge"))
    stored: Json = client.get(path)
    assert _status_of(stored) == prune(_json(computed)), "merge: stored != computed"
    return stored


def write_apply(
    client: ApiClient,
    path: str,
    computed: StatusLike,
    *,
    manager: str = "gittarget-status",
    owned_conditions: tuple[str, ...] = OWNED_CONDITIONS,
    owned_fields: tuple[str, ...] = OWNED_FIELDS,
    force: bool = True,
) -> Json:
    """Server-side apply ``apply_status_body`` to ``/status`` as ``manager``; read back."""
    live = client.get(path)
    meta = live["metadata"]
    body = apply_status_body(
        computed,
        api_version=API_VERSION,
        kind=KIND,
        name=meta["name"],
        namespace=meta["namespace"],
        owned_conditions=owned_conditions,
        owned_fields=owned_fields,
    )
    _tally.record(
        "apply",
        lambda: client.patch(f"{path}/status", body, "apply", field_manager=manager, force=force),
    )
    stored: Json = client.get(path)
    want = {c["type"]: c for c in body["status"].get("conditions", [])}
    got = {c["type"]: c for c in _status_of(stored).get("conditions", []) if c["type"] in want}
    assert got == want, "apply: the applied conditions are not stored as sent"
    for key in owned_fields:
        assert _status_of(stored).get(key) == body["status"].get(key), f"apply: {key}"
    return stored


def write_kopf(client: ApiClient, path: str, computed: StatusLike) -> Json:
    """As kopf does: the fn on a deep copy of the fresh body, the diff as a merge patch."""
    live = client.get(path)
    fresh = copy.deepcopy(live)
    kopf_status_fn(computed, owned_conditions=OWNED_CONDITIONS, owned_fields=OWNED_FIELDS)(fresh)
    diff = json_merge_patch(live, fresh)
    if diff:
        assert set(diff) == {"status"}, f"kopf fn touched more than the status: {sorted(diff)}"
        _tally.record("kopf", lambda: client.patch(f"{path}/status", diff, "merge"))
    stored: Json = client.get(path)
    _check_owned(_status_of(stored), computed, "kopf")
    return stored


def write_retry(
    client: ApiClient,
    other: ApiClient,
    path: str,
    compute: Callable[[Json], GitTargetStatus],
    interfere: Callable[[Json], Json],
) -> Json:
    """Update-with-retry under a real 409, re-applying our changes with ``merge_conditions``.

    Read; compute our status from the live one; ``other`` (a second client) then
    merge-patches ``/status`` with ``interfere(its fresh status)``; our PUT with the stale
    resourceVersion must get 409; re-read, merge, PUT again, which must succeed.
    """
    live = client.get(path)
    before = status_from_object(GitTargetStatus, live)
    ours = compute(_status_of(live))
    theirs = other.get(path)
    other.patch(
        f"{path}/status",
        {
            "metadata": {"resourceVersion": theirs["metadata"]["resourceVersion"]},
            "status": interfere(_status_of(theirs)),
        },
        "merge",
    )
    stale = {**live, "status": ours.to_k8s()}
    with pytest.raises(ApiError) as refused:
        _tally.record("retry", lambda: client.put(f"{path}/status", stale))
    assert refused.value.conflict, refused.value
    latest = client.get(path)
    merged = merge_conditions(
        before, ours, status_from_object(GitTargetStatus, latest), OWNED_CONDITIONS
    )
    assert merged.ok, merged.conflicts
    status = _status_of(latest)
    ours_json = ours.to_k8s()
    for key in OWNED_FIELDS:
        if key in ours_json:
            status[key] = ours_json[key]
        else:
            status.pop(key, None)
    status["conditions"] = [c.to_k8s() for c in merged.conditions]
    if not status["conditions"]:
        del status["conditions"]
    _tally.record("retry", lambda: client.put(f"{path}/status", {**latest, "status": status}))
    stored: Json = client.get(path)
    _check_owned(_status_of(stored), ours, "retry")
    assert _status_of(stored) == prune(status), "retry: stored != what was PUT"
    return stored


#: The stateless write paths by name (``retry`` needs a second client and is separate).
WRITE_PATHS: Final[Mapping[str, Callable[[ApiClient, str, StatusLike], Json]]] = {
    "merge": write_merge,
    "apply": write_apply,
    "kopf": write_kopf,
}
