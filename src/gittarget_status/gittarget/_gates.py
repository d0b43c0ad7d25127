"""The five GitTarget gates, each written once as a sans-I/O step.

Each is a [`GateStep`][gittarget_status.gates.GateStep] of the generic core: it yields port
calls ``(method, args)`` and receives their results, then returns a
[`GateResult`][gittarget_status.GateResult]; ``sync_evaluator`` and ``async_evaluator`` drive
it, so both flavours share every decision.

One module of about 370 lines: the five steps and ``GATES`` are the one
declaration of the gate table (type, step, Ready reason, reasons, terminal reasons) that
the pipeline, the phase, the contract checks and the docs derive from; split, the table
would import every step from elsewhere and read as a second list.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from gittarget_status.gates._gate import Evaluator, Gate
from gittarget_status.gates._result import GateResult
from gittarget_status.gates._steps import GateStep, async_evaluator, sync_evaluator
from gittarget_status.gittarget._ports import (
    AsyncGitTargetPorts,
    BootstrapObservation,
    GitTargetPorts,
    SecretObservation,
    SnapshotObservation,
    StreamObservation,
    WorkerObservation,
)
from gittarget_status.gittarget._reasons import (
    BootstrappedReason,
    EncryptionConfiguredReason,
    EventStreamLiveReason,
    ReadyReason,
    SnapshotSyncedReason,
    ValidatedReason,
)
from gittarget_status.gittarget._spec import GitTargetSpec
from gittarget_status.gittarget._status import (
    BootstrapStatus,
    EncryptionStatus,
    GitTargetStatus,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    StreamStatus,
    WorkerRef,
)
from gittarget_status.gittarget._types import ConditionType

__all__ = [
    "GATES",
    "STEPS",
    "TERMINAL_REASONS",
    "GitTargetContext",
    "async_gates",
    "recipients_hash",
]


#: Requeue hints: how soon a non-terminal failure is worth looking at again.
RETRY_SOON: Final = timedelta(seconds=10)
RETRY_LATER: Final = timedelta(seconds=30)
RETRY_SLOW: Final = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class GitTargetContext:
    """What every gate sees: the spec, the ports, the status before this pass, the clock."""

    spec: GitTargetSpec
    ports: GitTargetPorts | AsyncGitTargetPorts
    previous: GitTargetStatus
    now: datetime


def recipients_hash(recipients: Iterable[str]) -> str:
    """A stable hash of the normalised recipient set (order and duplicates ignored)."""
    normalised = sorted({r.strip() for r in recipients if r.strip()})
    digest = hashlib.sha256("\n".join(normalised).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def _validated(ctx: GitTargetContext) -> GateStep:
    spec = ctx.spec
    provider = spec.provider_ref.name
    if not (yield ("lookup_provider", (spec,))):
        return GateResult.failed(
            ValidatedReason.PROVIDER_NOT_FOUND,
            f"GitProvider {provider!r} not found",
            requeue_after=RETRY_LATER,
        )
    if not (yield ("check_branch", (spec,))):
        return GateResult.failed(
            ValidatedReason.BRANCH_NOT_ALLOWED,
            f"Branch {spec.branch!r} is not allowed by GitProvider {provider!r}",
        )
    other: str | None = yield ("find_conflicting_target", (spec,))
    if other:
        return GateResult.failed(
            ValidatedReason.TARGET_CONFLICT,
            f"GitTarget {other!r} already writes {spec.branch}:{spec.path or '/'}",
        )
    return GateResult.passed(
        ValidatedReason.OK, f"GitProvider {provider!r}, branch {spec.branch!r}"
    )


def _encryption_configured(ctx: GitTargetContext) -> GateStep:
    encryption = ctx.spec.encryption
    before = ctx.previous.encryption
    if encryption is None:
        disabled = before if before == _DISABLED else _DISABLED
        return GateResult.passed(
            EncryptionConfiguredReason.NOT_REQUIRED,
            "Encryption is disabled",
            details={"encryption": disabled},
        )
    name = encryption.secret_ref.name
    secret: SecretObservation | None = yield ("read_encryption_secret", (ctx.spec,))
    if secret is None:
        if not encryption.generate_when_missing:
            return GateResult.failed(
                EncryptionConfiguredReason.MISSING_SECRET,
                f"Secret {name!r} not found and generateWhenMissing is false",
                requeue_after=RETRY_SLOW,
                details=_unvalidated(before, encryption.provider, name),
            )
        secret = yield ("create_encryption_secret", (ctx.spec,))
        if secret is None:
            return GateResult.failed(
                EncryptionConfiguredReason.SECRET_CREATE_DISABLED,
                f"Secret {name!r} not found and this controller may not create secrets",
                requeue_after=RETRY_SLOW,
                details=_unvalidated(before, encryption.provider, name),
            )
    problem: str | None = yield ("validate_recipients", (ctx.spec, secret))
    if problem:
        return GateResult.failed(
            EncryptionConfiguredReason.INVALID_RECIPIENTS,
            f"Secret {secret.name!r}: {problem}",
            details=_unvalidated(before, encryption.provider, name),
        )
    digest = recipients_hash(secret.recipients)
    if (
        before is not None
        and (before.mode, before.recipients_hash) == (encryption.provider, digest)
        and before.secret_ref is not None
        and before.secret_ref.name == secret.name
        and before.last_validated_time is not None
    ):
        status = before  # same recipients as last validated: nothing moves
    else:
        status = EncryptionStatus(
            mode=encryption.provider,
            secret_ref=SecretRef(name=secret.name),
            recipients_hash=digest,
            last_validated_time=ctx.now,
        )
    return GateResult.passed(
        EncryptionConfiguredReason.OK,
        f"{len(set(secret.recipients))} recipient(s) in Secret {secret.name!r}",
        details={"encryption": status},
    )


_DISABLED: Final = EncryptionStatus(mode="disabled")


def _unvalidated(
    before: EncryptionStatus | None, mode: str, secret: str
) -> dict[str, EncryptionStatus]:
    """What a failure observed: the secret the spec names, with nothing validated."""
    candidate = EncryptionStatus(mode=mode, secret_ref=SecretRef(name=secret))
    return {"encryption": before if before == candidate else candidate}


def _bootstrapped(ctx: GitTargetContext) -> GateStep:
    spec = ctx.spec
    worker: WorkerObservation | None = yield ("ensure_worker", (spec,))
    if worker is None:
        return GateResult.failed(
            BootstrappedReason.WORKER_NOT_FOUND,
            f"No worker for GitProvider {spec.provider_ref.name!r} branch {spec.branch!r}",
            requeue_after=RETRY_LATER,
            details={"worker_ref": None},
        )
    before_ref = ctx.previous.worker_ref
    unchanged_ref = before_ref is not None and (before_ref.name, before_ref.uid) == (
        worker.name,
        worker.uid,
    )
    ref = (
        before_ref if before_ref and unchanged_ref else WorkerRef(name=worker.name, uid=worker.uid)
    )
    applied: BootstrapObservation = yield ("apply_bootstrap", (spec,))
    if applied.error:
        return GateResult.failed(
            BootstrappedReason.BOOTSTRAP_FAILED,
            applied.error,
            requeue_after=RETRY_LATER,
            details={"worker_ref": ref},
        )
    before = ctx.previous.bootstrap
    if (
        before is not None
        and (before.commit, before.target_path) == (applied.commit, spec.path)
        and before.last_applied_time is not None
    ):
        bootstrap = before
    else:
        bootstrap = BootstrapStatus(
            target_path=spec.path, commit=applied.commit, last_applied_time=ctx.now
        )
    details = {"worker_ref": ref, "bootstrap": bootstrap}
    if applied.commit is None:
        return GateResult.passed(
            BootstrappedReason.BOOTSTRAP_NOT_NEEDED,
            f"Path {spec.path or '/'!r} needs no bootstrap",
            details=details,
        )
    return GateResult.passed(
        BootstrappedReason.BOOTSTRAP_APPLIED,
        f"Bootstrap commit {applied.commit[:12]} on {spec.branch!r}",
        details=details,
    )


def _snapshot_synced(ctx: GitTargetContext) -> GateStep:
    seen: SnapshotObservation = yield ("poll_snapshot", (ctx.spec,))
    if seen.state == "running":
        return GateResult.in_progress(
            SnapshotSyncedReason.RUNNING,
            seen.message or f"Initial snapshot of {ctx.spec.path or '/'!r} is running",
            requeue_after=RETRY_SOON,
        )
    if seen.state != "completed":
        return GateResult.failed(
            SnapshotSyncedReason.SNAPSHOT_FAILED,
            seen.message or "Initial snapshot failed",
            requeue_after=RETRY_SLOW,
        )
    created, updated, deleted = seen.stats
    before = ctx.previous.snapshot
    stats = before.stats if before is not None else None
    if stats is None or (stats.created, stats.updated, stats.deleted) != seen.stats:
        stats = SnapshotStats(created=created, updated=updated, deleted=deleted)
    if (
        before is not None
        and before.last_commit == seen.commit
        and before.stats is stats
        and before.last_completed_time is not None
    ):
        snapshot = before
    else:
        snapshot = SnapshotStatus(last_completed_time=ctx.now, last_commit=seen.commit, stats=stats)
    at = f" at {seen.commit[:12]}" if seen.commit else ""
    return GateResult.passed(
        SnapshotSyncedReason.COMPLETED,
        f"Snapshot{at}: {created} created, {updated} updated, {deleted} deleted",
        details={"snapshot": snapshot},
    )


def _event_stream_live(ctx: GitTargetContext) -> GateStep:
    seen: StreamObservation = yield ("register_event_stream", (ctx.spec,))
    before = ctx.previous.stream
    if not seen.registered:
        return GateResult.failed(
            EventStreamLiveReason.REGISTRATION_FAILED,
            seen.message or "Event stream registration failed",
            requeue_after=RETRY_LATER,
            details={"stream": StreamStatus(status="Unregistered")},
        )
    state = "Live" if seen.connected else "Disconnected"
    last_event = seen.last_event_time or (before.last_event_time if before else None)
    if before is not None and before.registered_time is not None:
        if (before.status, before.last_event_time) == (state, last_event):
            stream = before
        else:
            stream = StreamStatus(
                status=state, registered_time=before.registered_time, last_event_time=last_event
            )
    else:
        stream = StreamStatus(status=state, registered_time=ctx.now, last_event_time=last_event)
    if not seen.connected:
        return GateResult.failed(
            EventStreamLiveReason.DISCONNECTED,
            seen.message or "Event stream disconnected",
            requeue_after=RETRY_SOON,
            details={"stream": stream},
        )
    return GateResult.passed(
        EventStreamLiveReason.REGISTERED, "Event stream is live", details={"stream": stream}
    )


#: The gate steps in [`GATE_ORDER`][gittarget_status.GATE_ORDER].
STEPS: Final[tuple[Callable[[GitTargetContext], GateStep], ...]] = (
    _validated,
    _encryption_configured,
    _bootstrapped,
    _snapshot_synced,
    _event_stream_live,
)


#: What a sync pass says to do when a port turns out to be async.
_ASYNC_HINT: Final = "use areconcile_gittarget"


def _sync(step: Callable[[GitTargetContext], GateStep]) -> Evaluator[GitTargetContext]:
    return sync_evaluator(step, async_hint=_ASYNC_HINT)


#: The GitTarget gates in [`GATE_ORDER`][gittarget_status.GATE_ORDER] (sync evaluators), each
#: blocking and required, with the reasons it may report and those that are terminal: the one
#: declaration the pipeline, ``TERMINAL_REASONS``, the phase and the contract derive from.
GATES: Final[tuple[Gate[GitTargetContext], ...]] = (
    Gate(
        ConditionType.VALIDATED,
        _sync(_validated),
        ready_reason=ReadyReason.VALIDATION_FAILED,
        reasons=ValidatedReason,
        terminal={ValidatedReason.BRANCH_NOT_ALLOWED, ValidatedReason.TARGET_CONFLICT},
    ),
    Gate(
        ConditionType.ENCRYPTION_CONFIGURED,
        _sync(_encryption_configured),
        ready_reason=ReadyReason.ENCRYPTION_NOT_CONFIGURED,
        reasons=EncryptionConfiguredReason,
        terminal={EncryptionConfiguredReason.INVALID_RECIPIENTS},
    ),
    Gate(
        ConditionType.BOOTSTRAPPED,
        _sync(_bootstrapped),
        ready_reason=ReadyReason.BOOTSTRAP_NOT_COMPLETE,
        reasons=BootstrappedReason,
    ),
    Gate(
        ConditionType.SNAPSHOT_SYNCED,
        _sync(_snapshot_synced),
        ready_reason=ReadyReason.INITIAL_SYNC_IN_PROGRESS,
        reasons=SnapshotSyncedReason,
    ),
    Gate(
        ConditionType.EVENT_STREAM_LIVE,
        _sync(_event_stream_live),
        ready_reason=ReadyReason.STREAM_NOT_LIVE,
        reasons=EventStreamLiveReason,
    ),
)

#: Gate reasons that retrying cannot fix until the spec changes (phase ERROR, Stalled):
#: derived from the gates' ``terminal`` declarations.
TERMINAL_REASONS: Final[frozenset[str]] = frozenset().union(
    *(gate.terminal_reasons for gate in GATES)
)


def async_gates() -> tuple[Gate[GitTargetContext], ...]:
    """``GATES`` with async-driven evaluators: the same declaration, awaiting the ports."""
    return tuple(
        dataclasses.replace(gate, evaluate=async_evaluator(step))
        for gate, step in zip(GATES, STEPS, strict=True)
    )
