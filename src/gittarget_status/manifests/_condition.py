"""metav1.Condition as OpenAPI: the schema every generated condition list carries.

Written out by hand (not derived from [`Condition`][gittarget_status.Condition]) because it
must match what the Kubernetes API types declare, descriptions included, with the
limits taken from the library's own condition rules so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from gittarget_status.conditions import (
    MAX_REASON_LENGTH,
    MAX_TYPE_LENGTH,
    REASON_PATTERN,
    TYPE_PATTERN,
)
from gittarget_status.conditions._rules import MAX_MESSAGE_BYTES

__all__ = ["CONDITIONS_SCHEMA", "condition_schema"]

_CONDITION_DESCRIPTION: Final = (
    "Condition contains details for one aspect of the current state of this API Resource."
)


def condition_schema() -> dict[str, Any]:
    """One metav1.Condition, with the validation the Kubernetes API types declare."""
    return {
        "description": _CONDITION_DESCRIPTION,
        "type": "object",
        "required": ["lastTransitionTime", "message", "reason", "status", "type"],
        "properties": {
            "lastTransitionTime": {
                "description": "Last time the condition transitioned from one status to another.",
                "type": "string",
                "format": "date-time",
            },
            "message": {
                "description": "Human readable message indicating details about the transition.",
                "type": "string",
                "maxLength": MAX_MESSAGE_BYTES,
            },
            "observedGeneration": {
                "description": "The .metadata.generation the condition was set based upon.",
                "type": "integer",
                "format": "int64",
                "minimum": 0,
            },
            "reason": {
                "description": "Programmatic identifier of the reason for the last transition.",
                "type": "string",
                "maxLength": MAX_REASON_LENGTH,
                "minLength": 1,
                "pattern": REASON_PATTERN,
            },
            "status": {
                "description": "Status of the condition, one of True, False, Unknown.",
                "type": "string",
                "enum": ["True", "False", "Unknown"],
            },
            "type": {
                "description": "Type of condition in CamelCase or in foo.example.com/CamelCase.",
                "type": "string",
                "maxLength": MAX_TYPE_LENGTH,
                "pattern": TYPE_PATTERN,
            },
        },
    }


#: ``status.conditions``: a list-map keyed by type (server-side apply merges by type).
CONDITIONS_SCHEMA: Final[Mapping[str, Any]] = {
    "description": "Conditions, one per type: the automation contract (kubectl wait).",
    "type": "array",
    "items": condition_schema(),
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["type"],
}
