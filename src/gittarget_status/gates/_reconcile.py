"""A pass over the raw object a controller is handed, with the write bodies ready.

[`GatePipeline.reconcile`][gittarget_status.GatePipeline.reconcile] takes the object as the
client returns it (a kopf body, a kr8s or plain dict, a lightkube or official-client model),
reads the status leniently into the pipeline's status model and the generation from
``metadata``, runs the pass, and hands back a [`Reconciled`][gittarget_status.gates.Reconciled]:
the outcome plus the merge patch and the server-side apply body, both None when nothing
changed. The data flows one way: object in, bodies out; the caller does the I/O. Reading
the object is ``_read``'s job; this module bundles the outcome with its bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from gittarget_status._errors import StatusValidationError, UsageError
from gittarget_status.conditions._status import StatusModel
from gittarget_status.gates._events import object_reference
from gittarget_status.gates._outcome import ReconcileOutcome, Transition
from gittarget_status.gates._read import ObjectRead
from gittarget_status.patch import apply_status_body, status_patch

__all__ = ["Reconciled", "check_status_model", "reconciled"]

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

    def log_fields(self) -> dict[str, Any]:
        """[`ReconcileOutcome.log_fields`][gittarget_status.ReconcileOutcome.log_fields] with
        the object first: ``object`` holds the apiVersion, kind, namespace, name and uid that
        were read (never raising for a missing one: logging a pass must not fail it), and
        ``generation`` is ``metadata.generation``."""
        identity = {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
            "uid": self.uid,
        }
        fields = self.outcome.log_fields()
        fields["generation"] = self.generation
        return {"object": {k: v for k, v in identity.items() if v}, **fields}

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


def _required(value: str | None, path: str) -> str:
    if not value:
        raise StatusValidationError.single(path, "missing: the apply body needs it")
    return value
