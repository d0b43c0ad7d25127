"""The controller's side of the lifecycle: every effect the gates need, behind a port.

The library performs no I/O. A controller implements
[`GitTargetPorts`][gittarget_status.GitTargetPorts] (or the async
[`AsyncGitTargetPorts`][gittarget_status.AsyncGitTargetPorts]) with its Kubernetes client and git
machinery; tests use
[`gittarget_status.testing.FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld].
Methods return small observation values; an exception means "could not observe" and is reported as
``EvaluationFailed`` without losing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from gittarget_status.gittarget._spec import GitTargetSpec

__all__ = [
    "AsyncGitTargetPorts",
    "BootstrapObservation",
    "GitTargetPorts",
    "SecretObservation",
    "SnapshotObservation",
    "StreamObservation",
    "WorkerObservation",
]


@dataclass(frozen=True, slots=True)
class SecretObservation:
    """The encryption secret as read (or just created): its name and recipients."""

    name: str
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkerObservation:
    """The worker bound to the target's (provider, branch)."""

    name: str
    uid: str | None = None


@dataclass(frozen=True, slots=True)
class BootstrapObservation:
    """Result of idempotently applying the target-path bootstrap.

    ``commit`` is the bootstrap commit (the same one on every call once made), or None
    when the path needed no bootstrap. ``error`` describes a failed attempt.
    """

    commit: str | None = None
    error: str | None = None


SnapshotState = Literal["running", "completed", "failed"]


@dataclass(frozen=True, slots=True)
class SnapshotObservation:
    """The initial whole-folder snapshot, started on first call and polled after."""

    state: SnapshotState
    commit: str | None = None
    stats: tuple[int, int, int] = (0, 0, 0)
    message: str = ""


@dataclass(frozen=True, slots=True)
class StreamObservation:
    """The event stream: registered at all, and connected right now."""

    registered: bool
    connected: bool = False
    last_event_time: datetime | None = None
    message: str = field(default="")


class GitTargetPorts(Protocol):
    """Synchronous effects, in the order the gates use them."""

    def lookup_provider(self, spec: GitTargetSpec) -> bool:
        """Whether the referenced GitProvider exists."""
        ...

    def check_branch(self, spec: GitTargetSpec) -> bool:
        """Whether the provider's policy allows writing to ``spec.branch``."""
        ...

    def find_conflicting_target(self, spec: GitTargetSpec) -> str | None:
        """The name of another GitTarget already writing the same branch and path."""
        ...

    def read_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None: ...
    def create_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None:
        """Create the secret; None when this controller may not create secrets."""
        ...

    def validate_recipients(self, spec: GitTargetSpec, secret: SecretObservation) -> str | None:
        """A description of what is wrong with the recipients, or None if they are valid."""
        ...

    def ensure_worker(self, spec: GitTargetSpec) -> WorkerObservation | None: ...
    def apply_bootstrap(self, spec: GitTargetSpec) -> BootstrapObservation: ...
    def poll_snapshot(self, spec: GitTargetSpec) -> SnapshotObservation:
        """Start the initial snapshot if it has not started, then report its state."""
        ...

    def register_event_stream(self, spec: GitTargetSpec) -> StreamObservation:
        """Register the event stream if needed, then report whether it is connected."""
        ...


class AsyncGitTargetPorts(Protocol):
    """The same effects for asyncio controllers (kopf, kubernetes_asyncio, kr8s)."""

    async def lookup_provider(self, spec: GitTargetSpec) -> bool: ...
    async def check_branch(self, spec: GitTargetSpec) -> bool: ...
    async def find_conflicting_target(self, spec: GitTargetSpec) -> str | None: ...
    async def read_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None: ...
    async def create_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None: ...
    async def validate_recipients(
        self, spec: GitTargetSpec, secret: SecretObservation
    ) -> str | None: ...
    async def ensure_worker(self, spec: GitTargetSpec) -> WorkerObservation | None: ...
    async def apply_bootstrap(self, spec: GitTargetSpec) -> BootstrapObservation: ...
    async def poll_snapshot(self, spec: GitTargetSpec) -> SnapshotObservation: ...
    async def register_event_stream(self, spec: GitTargetSpec) -> StreamObservation: ...
