"""An in-memory world implementing the GitTarget ports, scripted by plain attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from gittarget_status.gittarget._ports import (
    BootstrapObservation,
    SecretObservation,
    SnapshotObservation,
    StreamObservation,
    WorkerObservation,
)
from gittarget_status.gittarget._spec import GitTargetSpec

__all__ = ["VALID_RECIPIENT", "AsyncFakeGitTargetPorts", "FakeGitTargetWorld"]

#: An age X25519 recipient (``age1`` + 58 bech32 characters).
VALID_RECIPIENT = "age1" + "q" * 58


@dataclass
class FakeGitTargetWorld:
    """The GitTarget ports, backed by attributes you set; the defaults give the happy path.

    Change attributes between passes to script a scenario (the secret appears, the snapshot
    finishes, the stream drops, ...). The world behaves like the real one where it matters: creating
    the secret makes it exist, the bootstrap commit is the same on every call, and ``calls`` records
    each port call for assertions. Pass the world itself to ``reconcile_gittarget`` and
    [`async_ports`][gittarget_status.testing.FakeGitTargetWorld.async_ports] to
    ``areconcile_gittarget``.
    """

    provider_exists: bool = True
    branch_allowed: bool = True
    conflicting_target: str | None = None
    secret_exists: bool = True
    secret_creation_allowed: bool = True
    recipients_valid: bool = True
    worker_available: bool = True
    bootstrap_fails: bool = False
    snapshot_state: Literal["running", "completed", "failed"] = "completed"
    snapshot_stats: tuple[int, int, int] = (3, 0, 0)
    stream_registration_fails: bool = False
    stream_connected: bool = True
    #: The commit the bootstrap makes (None: the path needs no bootstrap).
    bootstrap_commit: str | None = "b0075e1f4a2c9d3e"
    snapshot_commit: str = "5a9b0c7d1e2f3a4b"
    last_event_time: datetime | None = None
    recipients: tuple[str, ...] = (VALID_RECIPIENT,)
    worker_name: str = "worker-0"
    worker_uid: str = "00000000-0000-4000-8000-000000000001"
    #: Name of a port method that raises ``RuntimeError`` (an outage, a bug).
    raise_in: str | None = None
    calls: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def async_ports(self) -> AsyncFakeGitTargetPorts:
        """The same world behind ``async def`` ports."""
        return AsyncFakeGitTargetPorts(self)

    def lookup_provider(self, spec: GitTargetSpec) -> bool:
        self._enter("lookup_provider")
        return self.provider_exists

    def check_branch(self, spec: GitTargetSpec) -> bool:
        self._enter("check_branch")
        return self.branch_allowed

    def find_conflicting_target(self, spec: GitTargetSpec) -> str | None:
        self._enter("find_conflicting_target")
        return self.conflicting_target

    def read_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None:
        self._enter("read_encryption_secret")
        if not self.secret_exists or spec.encryption is None:
            return None
        return SecretObservation(spec.encryption.secret_ref.name, self._recipients())

    def create_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None:
        self._enter("create_encryption_secret")
        if not self.secret_creation_allowed or spec.encryption is None:
            return None
        self.secret_exists = True
        return SecretObservation(spec.encryption.secret_ref.name, self._recipients())

    def validate_recipients(self, spec: GitTargetSpec, secret: SecretObservation) -> str | None:
        self._enter("validate_recipients")
        if not secret.recipients:
            return "no recipients"
        bad = [r for r in secret.recipients if not _looks_like_age(r)]
        return f"not an age recipient: {bad[0]!r}" if bad else None

    def ensure_worker(self, spec: GitTargetSpec) -> WorkerObservation | None:
        self._enter("ensure_worker")
        if not self.worker_available:
            return None
        return WorkerObservation(self.worker_name, self.worker_uid)

    def apply_bootstrap(self, spec: GitTargetSpec) -> BootstrapObservation:
        self._enter("apply_bootstrap")
        if self.bootstrap_fails:
            return BootstrapObservation(error=f"push to {spec.branch!r} rejected")
        return BootstrapObservation(commit=self.bootstrap_commit)

    def poll_snapshot(self, spec: GitTargetSpec) -> SnapshotObservation:
        self._enter("poll_snapshot")
        if self.snapshot_state == "completed":
            return SnapshotObservation("completed", self.snapshot_commit, self.snapshot_stats)
        if self.snapshot_state == "failed":
            return SnapshotObservation("failed", message="snapshot worker exited with code 1")
        return SnapshotObservation("running")

    def register_event_stream(self, spec: GitTargetSpec) -> StreamObservation:
        self._enter("register_event_stream")
        if self.stream_registration_fails:
            return StreamObservation(registered=False, message="watch registration refused")
        return StreamObservation(
            registered=True, connected=self.stream_connected, last_event_time=self.last_event_time
        )

    def _enter(self, method: str) -> None:
        self.calls.append(method)
        if self.raise_in == method:
            raise RuntimeError(f"injected failure in {method}")

    def _recipients(self) -> tuple[str, ...]:
        return self.recipients if self.recipients_valid else ("not-a-recipient",)


def _looks_like_age(recipient: str) -> bool:
    return recipient.startswith("age1") and len(recipient) == 62


class AsyncFakeGitTargetPorts:
    """``async def`` view of a [`FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld]
    (shares its state)."""

    def __init__(self, world: FakeGitTargetWorld) -> None:
        self.world = world

    async def lookup_provider(self, spec: GitTargetSpec) -> bool:
        return self.world.lookup_provider(spec)

    async def check_branch(self, spec: GitTargetSpec) -> bool:
        return self.world.check_branch(spec)

    async def find_conflicting_target(self, spec: GitTargetSpec) -> str | None:
        return self.world.find_conflicting_target(spec)

    async def read_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None:
        return self.world.read_encryption_secret(spec)

    async def create_encryption_secret(self, spec: GitTargetSpec) -> SecretObservation | None:
        return self.world.create_encryption_secret(spec)

    async def validate_recipients(
        self, spec: GitTargetSpec, secret: SecretObservation
    ) -> str | None:
        return self.world.validate_recipients(spec, secret)

    async def ensure_worker(self, spec: GitTargetSpec) -> WorkerObservation | None:
        return self.world.ensure_worker(spec)

    async def apply_bootstrap(self, spec: GitTargetSpec) -> BootstrapObservation:
        return self.world.apply_bootstrap(spec)

    async def poll_snapshot(self, spec: GitTargetSpec) -> SnapshotObservation:
        return self.world.poll_snapshot(spec)

    async def register_event_stream(self, spec: GitTargetSpec) -> StreamObservation:
        return self.world.register_event_stream(spec)
