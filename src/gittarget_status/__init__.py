"""gittarget-status: a typed, deterministic status contract for Kubernetes operators.

Observations -> gates -> conditions -> Ready -> phase -> patch. The library does no
Kubernetes I/O; controllers do the reads and writes and call into these pure functions.

Names are imported on first use (PEP 562, see ``_lazy``): ``import gittarget_status``
alone does not import pydantic.
"""

import logging as _logging

from gittarget_status import gittarget as _gittarget
from gittarget_status._lazy import TYPE_CHECKING
from gittarget_status._lazy import lazy_attributes as _lazy_attributes
from gittarget_status._version import __version__

if TYPE_CHECKING:
    from gittarget_status._base import KubeModel
    from gittarget_status._errors import FieldError, StatusValidationError, UsageError
    from gittarget_status.conditions import (
        CommonReason,
        Condition,
        ConditionStatus,
        StatusModel,
        find_condition,
        format_kube_time,
        is_false,
        is_true,
        is_unknown,
        mark_false,
        mark_reconciling,
        mark_stalled,
        mark_true,
        mark_unknown,
        parse_kube_time,
        remove_condition,
        set_condition,
    )
    from gittarget_status.gates import (
        FLUX_RECONCILE_REQUEST_ANNOTATION,
        RECONCILE_REQUEST_ANNOTATION,
        Gate,
        GatePipeline,
        GateResult,
        Reconciled,
        ReconcileOutcome,
        ReconcileRequestStatus,
        Transition,
        reconcile_requested,
    )
    from gittarget_status.gittarget import *  # noqa: F403 - the product's curated __all__

#: The generic core: any resource's status model, conditions, gates and pipeline.
__all__ = [
    "FLUX_RECONCILE_REQUEST_ANNOTATION",
    "RECONCILE_REQUEST_ANNOTATION",
    "CommonReason",
    "Condition",
    "ConditionStatus",
    "FieldError",
    "Gate",
    "GatePipeline",
    "GateResult",
    "KubeModel",
    "ReconcileOutcome",
    "ReconcileRequestStatus",
    "Reconciled",
    "StatusModel",
    "StatusValidationError",
    "Transition",
    "UsageError",
    "__version__",
    "find_condition",
    "format_kube_time",
    "is_false",
    "is_true",
    "is_unknown",
    "mark_false",
    "mark_reconciling",
    "mark_stalled",
    "mark_true",
    "mark_unknown",
    "parse_kube_time",
    "reconcile_requested",
    "remove_condition",
    "set_condition",
]
#: The GitTarget product built on it: ``gittarget_status.gittarget``'s own list, not a copy.
__all__ += _gittarget.__all__

#: Subpackages reachable as attributes (``gittarget_status.patch``) without an import.
_SUBPACKAGES = (
    "cli",
    "conditions",
    "gates",
    "gittarget",
    "kstatus",
    "kubectl",
    "manifests",
    "patch",
    "testing",
)
if not TYPE_CHECKING:  # for type checkers, the imports above are the names
    __getattr__, __dir__ = _lazy_attributes(
        __name__,
        __all__,
        ("._errors", "._base", ".conditions", ".gates", ".gittarget"),
        _SUBPACKAGES,
    )

# A library logs nothing unless the application configures logging: without this, records
# of WARNING and above would reach logging's last-resort stderr handler.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
