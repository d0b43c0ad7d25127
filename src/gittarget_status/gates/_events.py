"""Kubernetes Events (``events.k8s.io/v1``) for the condition transitions of one pass.

One Event per condition whose status moved and is still present (a removed Reconciling
or Stalled is told by the other conditions' Events). ``Warning`` only when something
failed: Stalled turned True, or a required gate turned False; everything else is
``Normal``. A pass that changed nothing has no Events, so a steady state is silent.

The bodies are deterministic: the same outcome, reference, reporter and clock give the
same bytes, including ``metadata.name`` (the object's name and a digest of the Event),
so a retried POST is refused as AlreadyExists instead of recording the Event twice.
Limits are the API server's validation of ``events.k8s.io/v1`` creates: reason and
action at most 128 characters, note at most 1024 bytes (longer ones are truncated),
reportingController a qualified name, reportingInstance at most 128 characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._common import READY, RECONCILING, STALLED
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.conditions._operations import find_condition
from gittarget_status.conditions._rules import check_type, fit_message

if TYPE_CHECKING:
    from gittarget_status.gates._outcome import Transition

__all__ = [
    "EVENTS_API_VERSION",
    "MAX_EVENT_NOTE_BYTES",
    "NORMAL",
    "WARNING",
    "object_reference",
    "transition_events",
]

EVENTS_API_VERSION: Final = "events.k8s.io/v1"
NORMAL: Final = "Normal"
WARNING: Final = "Warning"
#: The API server's limits for an ``events.k8s.io/v1`` create.
MAX_EVENT_NOTE_BYTES: Final = 1024
_MAX_FIELD: Final = 128
_MAX_NAME: Final = 253
_DIGEST_CHARS: Final = 16
_REFERENCE_KEYS: Final = frozenset(
    {"apiVersion", "kind", "name", "namespace", "uid", "resourceVersion", "fieldPath"}
)
_SUMMARY_TYPES: Final = frozenset({READY, RECONCILING, STALLED})


def object_reference(obj: Mapping[str, Any]) -> dict[str, str]:
    """The ``regarding`` reference for a raw object (a kopf/kr8s body or a client dict).

    apiVersion, kind, name, namespace (when set) and uid (when set); the resourceVersion
    is left out on purpose: the Event is about the object, not one version of it.
    """
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping):
        raise ValueError("object has no metadata")
    reference = {
        "apiVersion": obj.get("apiVersion"),
        "kind": obj.get("kind"),
        "name": metadata.get("name"),
        "namespace": metadata.get("namespace"),
        "uid": metadata.get("uid"),
    }
    return _reference(reference)


def _reference(regarding: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(regarding) - _REFERENCE_KEYS)
    if unknown:
        raise ValueError(f"regarding: not ObjectReference fields: {', '.join(unknown)}")
    reference = {k: v for k, v in regarding.items() if v is not None and v != ""}
    for key, value in reference.items():
        if not isinstance(value, str):
            raise ValueError(f"regarding.{key} must be a string, got {type(value).__name__}")
    for key in ("apiVersion", "kind", "name"):
        if key not in reference:
            raise ValueError(f"regarding.{key} is required")
    return reference


def _micro_time(now: datetime) -> str:
    """metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits."""
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise StatusValidationError.single("now", "must be an aware datetime (e.g. tz=UTC)")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _short(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} must not be empty")
    if len(value) > _MAX_FIELD:
        raise ValueError(f"{what} is longer than {_MAX_FIELD} characters")
    return value


def _controller(value: str) -> str:
    try:
        return check_type(value)
    except ValueError as exc:
        detail = str(exc).replace("condition type", "reportingController")
        raise ValueError(f"reportingController {value!r}: {detail}") from None


def _event_type(transition: Transition, optional: Collection[str]) -> str:
    new = transition.new
    if transition.type == STALLED:
        return WARNING if new is ConditionStatus.TRUE else NORMAL
    if transition.type in _SUMMARY_TYPES or transition.type in optional:
        return NORMAL
    return WARNING if new is ConditionStatus.FALSE else NORMAL


def _name(object_name: str, body: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f"{_prefix(object_name, _DIGEST_CHARS + 1)}.{digest[:_DIGEST_CHARS]}"


def _prefix(object_name: str, room: int) -> str:
    """The object's name cut to leave ``room`` characters, still a DNS subdomain."""
    return object_name[: _MAX_NAME - room].rstrip(".-")


def transition_events(
    status: object,
    transitions: tuple[Transition, ...],
    *,
    changed: bool,
    optional_gates: Collection[str],
    regarding: Mapping[str, Any],
    reporting_controller: str,
    reporting_instance: str,
    now: datetime,
    action: str = "Reconcile",
    generate_name: bool = False,
) -> tuple[dict[str, Any], ...]:
    """The Event bodies for ``transitions`` on ``status`` (see the module docstring).

    ``optional_gates`` are the gates not required for Ready: their False is Normal.
    """
    if not changed or not transitions:
        return ()
    reference = _reference(regarding)
    controller = _controller(reporting_controller)
    instance = _short(reporting_instance, "reportingInstance")
    action = _short(action, "action")
    event_time = _micro_time(now)
    namespace = reference.get("namespace") or "default"
    events: list[dict[str, Any]] = []
    for transition in transitions:
        condition = find_condition(status, transition.type)  # type: ignore[arg-type]
        if transition.new is None or condition is None:
            continue
        old = "absent" if transition.old is None else transition.old.value
        note = f"{transition.type}: {old} -> {condition.status.value}"
        if condition.message:
            note = f"{note}: {condition.message}"
        body: dict[str, Any] = {
            "apiVersion": EVENTS_API_VERSION,
            "kind": "Event",
            "metadata": {"namespace": namespace},
            "eventTime": event_time,
            "type": _event_type(transition, optional_gates),
            "reason": condition.reason[:_MAX_FIELD],
            "note": fit_message(note, MAX_EVENT_NOTE_BYTES),
            "action": action,
            "regarding": reference,
            "reportingController": controller,
            "reportingInstance": instance,
        }
        if generate_name:
            # The server appends 5 characters; events.k8s.io/v1 validates generateName
            # as a whole DNS subdomain, so no trailing separator ("name." is refused).
            body["metadata"]["generateName"] = _prefix(reference["name"], 5)
        else:
            body["metadata"]["name"] = _name(reference["name"], body)
        events.append(body)
    return tuple(events)
