"""Reading the raw object a controller is handed: status, identity, generation, switches.

Duck typed over every client's representation (a kopf body, a kr8s or plain dict, a
lightkube or official-client model; camelCase keys or the official client's snake_case
attributes), so [`GatePipeline.reconcile`][gittarget_status.GatePipeline.reconcile] and
[`reconcile_requested`][gittarget_status.reconcile_requested] read any of them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._clients import _object_mapping, status_from_object
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._switches import (
    RECONCILE_REQUEST_ANNOTATION,
    check_requested_at,
    check_suspended,
)

__all__ = ["ObjectRead", "read_object", "reconcile_requested"]


class ObjectRead(NamedTuple):
    """What a pass needs from the raw object, and what its bodies need after."""

    stored: StatusModel
    generation: object
    api_version: str | None
    kind: str | None
    name: str | None
    namespace: str | None
    uid: str | None
    resource_version: str | None
    #: The reconcile-request annotation's value (None: absent, empty or not read).
    requested_at: str | None = None
    #: ``spec.<suspend_field>`` (False: absent or not read).
    suspended: bool = False


def read_object(
    obj: object,
    model: type[StatusModel],
    *,
    request_annotation: str | None = None,
    suspend_field: str | None = None,
) -> ObjectRead:
    """Read ``obj``'s status (leniently, into ``model``), its identity and generation, and
    the operator's switches when their names are given."""
    top = _top(obj)
    metadata = _get(top, "metadata", "metadata")
    if metadata is None:
        raise StatusValidationError.single(
            "metadata", f"missing: {type(obj).__name__} has no metadata (pass the whole object)"
        )
    generation = _get(metadata, "generation", "generation")
    if generation is None:
        raise StatusValidationError.single(
            "metadata.generation",
            "missing (the API server sets it on every object; pass the object as read)",
        )
    return ObjectRead(
        stored=_canonical(model, status_from_object(model, obj)),
        generation=generation,
        api_version=_text(_get(top, "apiVersion", "api_version"), "apiVersion"),
        kind=_text(_get(top, "kind", "kind"), "kind"),
        name=_text(_get(metadata, "name", "name"), "metadata.name"),
        namespace=_text(_get(metadata, "namespace", "namespace"), "metadata.namespace"),
        uid=_text(_get(metadata, "uid", "uid"), "metadata.uid"),
        resource_version=_text(
            _get(metadata, "resourceVersion", "resource_version"), "metadata.resourceVersion"
        ),
        requested_at=None if request_annotation is None else _request(metadata, request_annotation),
        suspended=False if suspend_field is None else _suspend(top, suspend_field),
    )


def reconcile_requested(obj: object, *, annotation: str = RECONCILE_REQUEST_ANNOTATION) -> bool:
    """Whether ``obj`` asks for a pass: ``annotation`` is set, non-empty, and differs from
    ``status.lastHandledReconcileAt``.

    Pure and cheap, for a controller's event filter (kopf's ``when=``, a watch loop
    skipping events) so that an update changing only the annotation is let through. A
    non-string annotation value is a StatusValidationError naming it.
    """
    top = _top(obj)
    metadata = _get(top, "metadata", "metadata")
    requested = None if metadata is None else _request(metadata, annotation)
    if requested is None:
        return False
    status = _get(top, "status", "status")
    if status is None:
        return True
    return bool(requested != _get(status, "lastHandledReconcileAt", "last_handled_reconcile_at"))


def _top(obj: object) -> object:
    if obj is None:
        raise StatusValidationError.single("", "expected a Kubernetes object, got None")
    mapping = _object_mapping(obj)
    return obj if mapping is None else mapping


def _request(metadata: object, annotation: str) -> str | None:
    annotations = _get(metadata, "annotations", "annotations")
    if annotations is None:
        return None
    if not isinstance(annotations, Mapping):
        raise StatusValidationError.single(
            "metadata.annotations", f"must be a mapping, got {type(annotations).__name__}"
        )
    path = f'metadata.annotations["{annotation}"]'
    return check_requested_at(annotations.get(annotation), path)


def _suspend(top: object, name: str) -> bool:
    spec = _get(top, "spec", "spec")
    return check_suspended(None if spec is None else _get(spec, name, name), f"spec.{name}")


def _get(container: object, camel: str, snake: str) -> Any:
    """A field by its API name or the official client's snake_case one, from a mapping or
    an object's attributes."""
    if isinstance(container, Mapping):
        value = container.get(camel)
        return container.get(snake) if value is None else value
    value = getattr(container, snake, None)
    return getattr(container, camel, None) if value is None else value


def _text(value: object, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise StatusValidationError.single(path, f"must be a string, got {type(value).__name__}")


@cache
def _snake_names(model: type[StatusModel]) -> frozenset[str]:
    """The Python names of ``model``'s fields whose JSON name differs."""
    return frozenset(
        name for name, field in model.model_fields.items() if field.alias not in (None, name)
    )


def _canonical(model: type[StatusModel], stored: StatusModel) -> StatusModel:
    """A read whose JSON is the API's own form.

    The official client's ``to_dict()`` names fields in snake_case; the server stores them
    in camelCase. Diffing against the snake_case JSON would write at steady state, so such
    a read is re-read from its API form.
    """
    read = stored._read_info()
    if read is None or read.in_api_form:
        return stored
    raw = read.stored
    if raw and not _snake_names(model).isdisjoint(raw):
        return model.from_k8s(stored.to_k8s())
    return stored
