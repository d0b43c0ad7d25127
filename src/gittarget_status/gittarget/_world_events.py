"""Named changes to a [`FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld]: what
happens around a GitTarget."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from gittarget_status.gittarget._fake_world import FakeGitTargetWorld

__all__ = ["PORT_METHODS", "WORLD_EVENTS", "apply_world_event"]

#: The port methods of the fake world (values for ``raise_in``).
PORT_METHODS: Final = (
    "lookup_provider",
    "check_branch",
    "find_conflicting_target",
    "read_encryption_secret",
    "create_encryption_secret",
    "validate_recipients",
    "ensure_worker",
    "apply_bootstrap",
    "poll_snapshot",
    "register_event_stream",
)


def _event(**changes: Any) -> Mapping[str, Any]:
    return MappingProxyType(changes)


#: Every world event by name, as the attribute changes it makes.
WORLD_EVENTS: Final[Mapping[str, Mapping[str, Any]]] = MappingProxyType(
    {
        "provider-appears": _event(provider_exists=True),
        "provider-disappears": _event(provider_exists=False),
        "branch-allowed": _event(branch_allowed=True),
        "branch-forbidden": _event(branch_allowed=False),
        "conflict-appears": _event(conflicting_target="other-ns/other-target"),
        "conflict-resolved": _event(conflicting_target=None),
        "secret-created": _event(secret_exists=True),
        "secret-deleted": _event(secret_exists=False),
        "secret-creation-allowed": _event(secret_creation_allowed=True),
        "secret-creation-denied": _event(secret_creation_allowed=False),
        "recipients-valid": _event(recipients_valid=True),
        "recipients-invalid": _event(recipients_valid=False),
        "worker-found": _event(worker_available=True),
        "worker-lost": _event(worker_available=False),
        "bootstrap-fails": _event(bootstrap_fails=True),
        "bootstrap-recovers": _event(bootstrap_fails=False),
        "snapshot-restarts": _event(snapshot_state="running"),
        "snapshot-finishes": _event(snapshot_state="completed"),
        "snapshot-fails": _event(snapshot_state="failed"),
        "snapshot-new-commit": _event(snapshot_commit="c0ffee0000000001", snapshot_stats=(1, 2, 3)),
        "stream-registration-fails": _event(stream_registration_fails=True),
        "stream-registration-works": _event(stream_registration_fails=False),
        "stream-drops": _event(stream_connected=False),
        "stream-returns": _event(stream_connected=True),
        "outage-ends": _event(raise_in=None),
        **{f"outage-in-{m.replace('_', '-')}": _event(raise_in=m) for m in PORT_METHODS},
    }
)


def apply_world_event(world: FakeGitTargetWorld, event: str) -> None:
    """Apply the named [`WORLD_EVENTS`][gittarget_status.testing.WORLD_EVENTS] entry to ``world`` in
    place."""
    try:
        changes = WORLD_EVENTS[event]
    except KeyError:
        raise ValueError(f"unknown world event {event!r}; see WORLD_EVENTS") from None
    for name, value in changes.items():
        setattr(world, name, value)
