"""The GitTarget pass on the library's typed models, the framework's layers removed.

``reconcile_typed`` is ``baseline.reconcile_dict`` rewritten on ``GitTargetStatus``,
``Condition`` and the library's detail models, checking what the library's pass checks at
steady state (the clock, each verdict's reason against its gate's declared reasons, its
message's type and byte limit), without ``Gate``/``GateResult`` objects, sans-I/O steps,
the pipeline generator, ``ReconcileOutcome`` or the repair bookkeeping: what a pass on
these models costs at the least. ``tests/test_bench_fused.py`` checks it writes the
library's very status on every demo scenario; ``benchmarks/fused_pass.py`` times it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from gittarget_status import (
    BootstrapStatus,
    Condition,
    ConditionStatus,
    EncryptionStatus,
    GitTargetSpec,
    GitTargetStatus,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    StreamStatus,
    WorkerRef,
    derive_phase,
    set_condition,
)
from gittarget_status.conditions._rules import MAX_MESSAGE_BYTES, message_fits
from gittarget_status.gates._writes import assign, moment
from gittarget_status.gittarget._gates import GATES as LIBRARY_GATES, recipients_hash

__all__ = ["GATES", "reconcile_typed"]

TRUE, FALSE, UNKNOWN = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN
#: (status, reason, message, detail fields to assign)
Verdict = tuple[ConditionStatus, str, str, dict[str, Any] | None]
_DISABLED = EncryptionStatus(mode="disabled")


def _validated(spec: GitTargetSpec, ports: Any, old: GitTargetStatus, now: datetime) -> Verdict:
    provider = spec.provider_ref.name
    if not ports.lookup_provider(spec):
        return FALSE, "ProviderNotFound", f"GitProvider {provider!r} not found", None
    if not ports.check_branch(spec):
        message = f"Branch {spec.branch!r} is not allowed by GitProvider {provider!r}"
        return FALSE, "BranchNotAllowed", message, None
    other = ports.find_conflicting_target(spec)
    if other:
        message = f"GitTarget {other!r} already writes {spec.branch}:{spec.path or '/'}"
        return FALSE, "TargetConflict", message, None
    return TRUE, "OK", f"GitProvider {provider!r}, branch {spec.branch!r}", None


def _unvalidated(before: EncryptionStatus | None, mode: str, name: str) -> dict[str, Any]:
    candidate = EncryptionStatus(mode=mode, secret_ref=SecretRef(name=name))
    return {"encryption": before if before == candidate else candidate}


def _encryption(spec: GitTargetSpec, ports: Any, old: GitTargetStatus, now: datetime) -> Verdict:
    encryption = spec.encryption
    before = old.encryption
    if encryption is None:
        disabled = before if before == _DISABLED else _DISABLED
        return TRUE, "NotRequired", "Encryption is disabled", {"encryption": disabled}
    name = encryption.secret_ref.name
    secret = ports.read_encryption_secret(spec)
    if secret is None:
        if not encryption.generate_when_missing:
            message = f"Secret {name!r} not found and generateWhenMissing is false"
            return FALSE, "MissingSecret", message, _unvalidated(before, encryption.provider, name)
        secret = ports.create_encryption_secret(spec)
        if secret is None:
            message = f"Secret {name!r} not found and this controller may not create secrets"
            details = _unvalidated(before, encryption.provider, name)
            return FALSE, "SecretCreateDisabled", message, details
    problem = ports.validate_recipients(spec, secret)
    if problem:
        details = _unvalidated(before, encryption.provider, name)
        return FALSE, "InvalidRecipients", f"Secret {secret.name!r}: {problem}", details
    digest = recipients_hash(secret.recipients)
    if (
        before is not None
        and (before.mode, before.recipients_hash) == (encryption.provider, digest)
        and before.secret_ref is not None
        and before.secret_ref.name == secret.name
        and before.last_validated_time is not None
    ):
        status = before
    else:
        status = EncryptionStatus(
            mode=encryption.provider,
            secret_ref=SecretRef(name=secret.name),
            recipients_hash=digest,
            last_validated_time=now,
        )
    message = f"{len(set(secret.recipients))} recipient(s) in Secret {secret.name!r}"
    return TRUE, "OK", message, {"encryption": status}


def _bootstrapped(spec: GitTargetSpec, ports: Any, old: GitTargetStatus, now: datetime) -> Verdict:
    worker = ports.ensure_worker(spec)
    if worker is None:
        message = f"No worker for GitProvider {spec.provider_ref.name!r} branch {spec.branch!r}"
        return FALSE, "WorkerNotFound", message, {"worker_ref": None}
    before_ref = old.worker_ref
    if before_ref is not None and (before_ref.name, before_ref.uid) == (worker.name, worker.uid):
        ref = before_ref
    else:
        ref = WorkerRef(name=worker.name, uid=worker.uid)
    applied = ports.apply_bootstrap(spec)
    if applied.error:
        return FALSE, "BootstrapFailed", applied.error, {"worker_ref": ref}
    before = old.bootstrap
    if (
        before is not None
        and (before.commit, before.target_path) == (applied.commit, spec.path)
        and before.last_applied_time is not None
    ):
        bootstrap = before
    else:
        bootstrap = BootstrapStatus(
            target_path=spec.path, commit=applied.commit, last_applied_time=now
        )
    details = {"worker_ref": ref, "bootstrap": bootstrap}
    if applied.commit is None:
        message = f"Path {spec.path or '/'!r} needs no bootstrap"
        return TRUE, "BootstrapNotNeeded", message, details
    message = f"Bootstrap commit {applied.commit[:12]} on {spec.branch!r}"
    return TRUE, "BootstrapApplied", message, details


def _snapshot(spec: GitTargetSpec, ports: Any, old: GitTargetStatus, now: datetime) -> Verdict:
    seen = ports.poll_snapshot(spec)
    if seen.state == "running":
        message = seen.message or f"Initial snapshot of {spec.path or '/'!r} is running"
        return FALSE, "Running", message, None
    if seen.state != "completed":
        return FALSE, "SnapshotFailed", seen.message or "Initial snapshot failed", None
    created, updated, deleted = seen.stats
    before = old.snapshot
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
        snapshot = SnapshotStatus(last_completed_time=now, last_commit=seen.commit, stats=stats)
    at = f" at {seen.commit[:12]}" if seen.commit else ""
    message = f"Snapshot{at}: {created} created, {updated} updated, {deleted} deleted"
    return TRUE, "Completed", message, {"snapshot": snapshot}


def _stream(spec: GitTargetSpec, ports: Any, old: GitTargetStatus, now: datetime) -> Verdict:
    seen = ports.register_event_stream(spec)
    before = old.stream
    if not seen.registered:
        message = seen.message or "Event stream registration failed"
        return FALSE, "RegistrationFailed", message, {"stream": StreamStatus(status="Unregistered")}
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
        stream = StreamStatus(status=state, registered_time=now, last_event_time=last_event)
    if not seen.connected:
        return (
            FALSE,
            "Disconnected",
            seen.message or "Event stream disconnected",
            {"stream": stream},
        )
    return TRUE, "Registered", "Event stream is live", {"stream": stream}


GateFn = Callable[[GitTargetSpec, Any, GitTargetStatus, datetime], Verdict]
#: (type, gate, Ready's reason, declared reasons, terminal reasons), from the library's table.
GATES: tuple[tuple[str, GateFn, str, frozenset[str], frozenset[str]], ...] = tuple(
    (gate.type, fn, gate.ready_reason, frozenset(gate.reasons or ()), gate.terminal_reasons)
    for gate, fn in zip(
        LIBRARY_GATES, (_validated, _encryption, _bootstrapped, _snapshot, _stream), strict=True
    )
)


def _checked(verdict: Verdict, declared: frozenset[str]) -> Verdict:
    """What the library's pass checks of a verdict at steady state (a little more: the
    message's byte limit too). A refused verdict's message is not the library's; the
    gates here never return one, so the scenarios do not compare it."""
    _, reason, message, _ = verdict
    if reason not in declared:
        return UNKNOWN, "EvaluationFailed", f"undeclared reason {reason!r}", None
    if type(message) is not str or not (
        (len(message) <= MAX_MESSAGE_BYTES and message.isascii()) or message_fits(message)
    ):
        return UNKNOWN, "EvaluationFailed", "message is not a str within the limit", None
    return verdict


def _upsert(
    conditions: list[Condition],
    type_: str,
    status: ConditionStatus,
    reason: str,
    message: str,
    generation: int,
    now: datetime,
) -> None:
    for existing in conditions:
        if existing.type == type_:
            stored = existing.__dict__
            if (
                stored["status"] is status
                and stored["reason"] == reason
                and stored["message"] == message
                and stored["observed_generation"] == generation
                and stored["last_transition_time"] is not None
            ):
                return
            break
    condition = Condition(
        type=type_, status=status, reason=reason, message=message, observed_generation=generation
    )
    set_condition(conditions, condition, now=now)


def _remove(conditions: list[Condition], type_: str) -> None:
    if any(c.type == type_ for c in conditions):
        conditions[:] = [c for c in conditions if c.type != type_]


def reconcile_typed(
    spec: GitTargetSpec, status: GitTargetStatus, ports: Any, *, generation: int, now: datetime
) -> tuple[GitTargetStatus, bool]:
    """One pass over ``status`` (not mutated): the new status and whether it changed."""
    at = moment(now)
    new = status.__copy__()
    conditions = new.conditions
    blocked_by: str | None = None
    stalled: tuple[str, str, str] | None = None
    for type_, gate, _, declared, terminal in GATES:
        if blocked_by is not None:
            verdict: Verdict = (UNKNOWN, "Blocked", f"Waiting for {blocked_by}", None)
        else:
            try:
                verdict = _checked(gate(spec, ports, status, at), declared)
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                verdict = (UNKNOWN, "EvaluationFailed", text, None)
            if verdict[3]:
                for name, value in verdict[3].items():
                    assign(new, name, value)
            if verdict[0] is not TRUE:
                blocked_by = type_
                if stalled is None and verdict[0] is FALSE and verdict[1] in terminal:
                    stalled = (type_, verdict[1], verdict[2])
        _upsert(conditions, type_, verdict[0], verdict[1], verdict[2], generation, at)
    by_type = {c.type: c for c in reversed(conditions)}
    failing = next(
        (
            (t, r)
            for t, _, r, _, _ in GATES
            if (c := by_type.get(t)) is None or c.status is not TRUE
        ),
        None,
    )
    if failing is None:
        _upsert(conditions, "Ready", TRUE, "OK", "All required gates are True", generation, at)
        _remove(conditions, "Reconciling")
        _remove(conditions, "Stalled")
    else:
        type_, ready_reason = failing
        condition = by_type.get(type_)
        if condition is None or (condition.status, condition.reason) == (UNKNOWN, "NotChecked"):
            reason, pointer = "NotChecked", f"{type_} has not been evaluated yet"
        else:
            reason = ready_reason
            pointer = f"{type_} is {condition.status.value} ({condition.reason})"
            if condition.message:
                pointer += f": {condition.message}"
        _upsert(conditions, "Ready", FALSE, reason, pointer, generation, at)
        if stalled is None:
            _upsert(conditions, "Reconciling", TRUE, "Progressing", pointer, generation, at)
            _remove(conditions, "Stalled")
        else:
            gate_type, why, message = stalled
            text = f"{gate_type} cannot succeed until the spec changes: {message or why}"
            _remove(conditions, "Reconciling")
            _upsert(conditions, "Stalled", TRUE, why, text, generation, at)
    assign(new, "phase", derive_phase(new))
    assign(new, "observed_generation", generation)
    changed = new != status
    if changed:
        new.last_reconcile_time = at
    return new, changed
