"""The generic condition contract: model, metav1 rules, set operations and client conversions.

Nothing here knows about GitTarget; any resource's status can use it.
"""

from gittarget_status._stored import Stored
from gittarget_status.conditions._clients import (
    condition_from_client,
    condition_to_client,
    conditions_from_object,
    status_from_object,
)
from gittarget_status.conditions._common import (
    READY,
    RECONCILING,
    STALLED,
    SUSPENDED,
    CommonReason,
)
from gittarget_status.conditions._list import ConditionList
from gittarget_status.conditions._mark import (
    mark_false,
    mark_reconciling,
    mark_stalled,
    mark_true,
    mark_unknown,
)
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._operations import (
    ConditionTarget,
    HasConditions,
    conditions_of,
    find_condition,
    is_false,
    is_true,
    is_unknown,
    remove_condition,
    set_condition,
)
from gittarget_status.conditions._rules import (
    MAX_MESSAGE_BYTES,
    MAX_REASON_LENGTH,
    MAX_TYPE_LENGTH,
    REASON_PATTERN,
    TRUNCATION_MARKER,
    TYPE_PATTERN,
)
from gittarget_status.conditions._status import StatusModel
from gittarget_status.conditions._time import KubeTime, format_kube_time, parse_kube_time

__all__ = [
    "MAX_MESSAGE_BYTES",
    "MAX_REASON_LENGTH",
    "MAX_TYPE_LENGTH",
    "READY",
    "REASON_PATTERN",
    "RECONCILING",
    "STALLED",
    "SUSPENDED",
    "TRUNCATION_MARKER",
    "TYPE_PATTERN",
    "CommonReason",
    "Condition",
    "ConditionList",
    "ConditionStatus",
    "ConditionTarget",
    "HasConditions",
    "KubeTime",
    "StatusModel",
    "Stored",
    "condition_from_client",
    "condition_to_client",
    "conditions_from_object",
    "conditions_of",
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
    "remove_condition",
    "set_condition",
    "status_from_object",
]
