"""A pass over the raw object a controller is handed, with the write bodies ready.

[`GatePipeline.reconcile`][gittarget_status.GatePipeline.reconcile] takes the object as the
client returns it (a kopf body, a kr8s or plain dict, a lightkube or official-client model),
reads the status leniently into the pipeline's status model and the generation from
``metadata``, runs the pass, and hands back a [`Reconciled`][gittarget_status.gates.Reconciled]:
the outcome plus the merge patch and the server-side apply body, both None when nothing
changed. The data flows one way: object in, bodies out; the caller does the I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar

from gittarget_status._errors import StatusValidationError, UsageError
from gittarget_status.conditions._clients import _object_mapping, status_from_object
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._events import object_reference
from gittarget_status.gates._outcome import ReconcileOutcome, Transition
from gittarget_status.gates._switches import (
    RECONCILE_REQUEST_ANNOTATION,
    check_requested_at,
    check_suspended,
)
from gittarget_status.patch import apply_status_body, status_patch

__all__ = ["Reconciled", "check_status_model", "reconcile_requested"]

M = TypeVar("M", bound=StatusModel)


def check_status_model(model: object, what: str) -> type[StatusModel] | None:
    """``model`` if it is a StatusModel subclass (or None); a UsageError otherwise."""
    if model is None or (isinstance(model, type) and issubclass(model, StatusModel)):
        return model
    raise UsageError(f"{what}: status_model must be a StatusModel subclass, got {model!r}")


@dataclass(frozen=True, slots=True)
class Reconciled(Generic[M]):
    """One pass over a raw object: the outcome and the bodies that write it.

    ``merge_patch`` is the ``/status`` JSON merge patch from what was read to what the pass
    computed, carrying ``metadata.resourceVersion`` (a stale read then fails with 409);
    ``apply_body`` the server-side apply body naming only the pipeline's condition types and
    the status model's fields (send it with ``fieldManager=...&force=true``). Both are None
    exactly when ``changed`` is False: skip the write, the object is at steady state.
    """

    outcome: ReconcileOutcome[M]
    #: The status as read (lenient parse of the object's ``status``).
    stored: M
    merge_patch: dict[str, Any] | None
    api_version: str | None
    kind: str | None
    name: str | None
    namespace: str | None
    uid: str | None
    generation: int
    resource_version: str | None
    owned_conditions: tuple[str, ...]

    @property
    def status(self) -> M:
        """The status the pass computed (``outcome.status``)."""
        return self.outcome.status

    @property
    def changed(self) -> bool:
        """Whether there is anything to write (``outcome.changed``)."""
        return self.outcome.changed

    @property
    def ready(self) -> bool:
        return self.outcome.ready

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return self.outcome.transitions

    @property
    def apply_body(self) -> dict[str, Any] | None:
        """The server-side apply body for ``/status``, or None when nothing changed.

        Needs the object's apiVersion, kind and metadata.name (a StatusValidationError
        naming the field when one is missing, e.g. an official-client list item).
        """
        if not self.outcome.changed:
            return None
        return apply_status_body(
            self.outcome.status,
            api_version=_required(self.api_version, "apiVersion"),
            kind=_required(self.kind, "kind"),
            name=_required(self.name, "metadata.name"),
            namespace=self.namespace,
            owned_conditions=self.owned_conditions,
        )

    @property
    def regarding(self) -> dict[str, str]:
        """The object's ObjectReference, for Events."""
        return object_reference(
            {
                "apiVersion": self.api_version,
                "kind": self.kind,
                "metadata": {"name": self.name, "namespace": self.namespace, "uid": self.uid},
            }
        )

    def events(
        self,
        *,
        reporting_controller: str,
        reporting_instance: str,
        now: datetime,
        action: str = "Reconcile",
        generate_name: bool = False,
    ) -> tuple[dict[str, Any], ...]:
        """[`ReconcileOutcome.events`][gittarget_status.ReconcileOutcome.events] about this
        object (``regarding`` is taken from it)."""
        return self.outcome.events(
            regarding=self.regarding,
            reporting_controller=reporting_controller,
            reporting_instance=reporting_instance,
            now=now,
            action=action,
            generate_name=generate_name,
        )


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


def reconciled(
    read: ObjectRead, outcome: ReconcileOutcome[Any], owned: Sequence[str], generation: int
) -> Reconciled[Any]:
    """Bundle a pass's outcome with its bodies (the merge patch is built once, here)."""
    patch = (
        status_patch(read.stored, outcome.status, resource_version=read.resource_version)
        if outcome.changed
        else None
    )
    return Reconciled(
        outcome=outcome,
        stored=read.stored,
        merge_patch=patch,
        api_version=read.api_version,
        kind=read.kind,
        name=read.name,
        namespace=read.namespace,
        uid=read.uid,
        generation=generation,
        resource_version=read.resource_version,
        owned_conditions=tuple(owned),
    )


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


def _required(value: str | None, path: str) -> str:
    if not value:
        raise StatusValidationError.single(path, "missing: the apply body needs it")
    return value


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
    raw = stored.stored_json
    if raw and not _snake_names(model).isdisjoint(raw):
        return model.from_k8s(stored.to_k8s())
    return stored
