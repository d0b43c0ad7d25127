"""The two switches an operator flips on an object: reconcile now, and suspend.

Reconcile requests are a handshake: an annotation (``kubectl annotate --overwrite``) whose
value differs from ``status.lastHandledReconcileAt`` asks for a pass; the pass copies the
value into the status, and that field moves on request only, never on its own. Suspension
is a boolean in the spec (``spec.suspend``). Both are read here from the raw object, duck
typed like the rest of [`reconcile`][gittarget_status.GatePipeline.reconcile]: kopf and kr8s
bodies, plain dicts, lightkube and official-client models (in ``_reconcile``); this module
holds the names, the status field and the checks of the values.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._status import StatusModel

__all__ = [
    "FLUX_RECONCILE_REQUEST_ANNOTATION",
    "RECONCILE_REQUEST_ANNOTATION",
    "ReconcileRequestStatus",
    "check_requested_at",
    "check_suspended",
]

#: GitTarget's reconcile-request annotation, and the pipeline's default.
RECONCILE_REQUEST_ANNOTATION: Final = "reconcile.configbutler.ai/requestedAt"
#: Flux's (``flux reconcile`` sets it): pass it as ``request_annotation=`` to answer
#: requests made with Flux's tooling.
FLUX_RECONCILE_REQUEST_ANNOTATION: Final = "reconcile.fluxcd.io/requestedAt"


class ReconcileRequestStatus(StatusModel):
    """A status model that answers reconcile requests (Flux's ``ReconcileRequestStatus``).

    Subclass it instead of ``StatusModel`` (GitTarget's status does): a pipeline then
    records each request it handles in ``lastHandledReconcileAt``.
    """

    #: The last reconcile-request annotation value a pass handled (the value, verbatim).
    last_handled_reconcile_at: Annotated[str | None, Field(strict=True)] = None


def check_requested_at(value: object, path: str) -> str | None:
    """A request value as given: any string (RFC 3339, ``date +%s``...); ``""`` is none."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise StatusValidationError.single(
            path, f"must be a string (an annotation value), got {type(value).__name__}"
        )
    return value


def check_suspended(value: object, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise StatusValidationError.single(path, f"must be a boolean, got {type(value).__name__}")
    return value
