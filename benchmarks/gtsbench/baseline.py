"""The GitTarget pass written by hand on plain dicts: the baseline of the pass and resync rows.

Written the way a careful kopf user would write it: the status is the API JSON
(``body.status``), copied once (each condition dict and the top level; the detail
objects are never edited in place, only replaced, so they are shared), the five gates
call the same ports as the library's, Ready, the phase and Reconciling/Stalled follow the
same rules, lastTransitionTime moves only when a status moves, and ``changed`` is
``new != old``. Nothing is validated: no reason patterns, no byte limits, no types,
no repair of what another writer left; an exception in a port is caught per gate.

``tests/test_bench_baseline.py`` checks that it writes the same status as the library on
every demo scenario, so the comparison is like for like.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["reconcile_dict"]

JSON = dict[str, Any]
#: (status, reason, message, detail fields to write: a None value removes the field)
Verdict = tuple[str, str, str, JSON | None]

TERMINAL = frozenset({"BranchNotAllowed", "TargetConflict", "InvalidRecipients"})


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _validated(spec: Any, ports: Any, old: JSON, now: str) -> Verdict:
    provider = spec.provider_ref.name
    if not ports.lookup_provider(spec):
        return "False", "ProviderNotFound", f"GitProvider {provider!r} not found", None
    if not ports.check_branch(spec):
        message = f"Branch {spec.branch!r} is not allowed by GitProvider {provider!r}"
        return "False", "BranchNotAllowed", message, None
    other = ports.find_conflicting_target(spec)
    if other:
        message = f"GitTarget {other!r} already writes {spec.branch}:{spec.path or '/'}"
        return "False", "TargetConflict", message, None
    return "True", "OK", f"GitProvider {provider!r}, branch {spec.branch!r}", None


def _encryption(spec: Any, ports: Any, old: JSON, now: str) -> Verdict:
    encryption = spec.encryption
    before = old.get("encryption")
    if encryption is None:
        return "True", "NotRequired", "Encryption is disabled", {"encryption": {"mode": "disabled"}}
    name = encryption.secret_ref.name
    unvalidated = {"encryption": {"mode": encryption.provider, "secretRef": {"name": name}}}
    secret = ports.read_encryption_secret(spec)
    if secret is None:
        if not encryption.generate_when_missing:
            message = f"Secret {name!r} not found and generateWhenMissing is false"
            return "False", "MissingSecret", message, unvalidated
        secret = ports.create_encryption_secret(spec)
        if secret is None:
            message = f"Secret {name!r} not found and this controller may not create secrets"
            return "False", "SecretCreateDisabled", message, unvalidated
    problem = ports.validate_recipients(spec, secret)
    if problem:
        return "False", "InvalidRecipients", f"Secret {secret.name!r}: {problem}", unvalidated
    recipients = sorted({r.strip() for r in secret.recipients if r.strip()})
    digest = "sha256:" + hashlib.sha256("\n".join(recipients).encode()).hexdigest()
    if (
        before
        and before.get("mode") == encryption.provider
        and before.get("recipientsHash") == digest
        and before.get("secretRef", {}).get("name") == secret.name
        and before.get("lastValidatedTime")
    ):
        status = before
    else:
        status = {
            "mode": encryption.provider,
            "secretRef": {"name": secret.name},
            "recipientsHash": digest,
            "lastValidatedTime": now,
        }
    message = f"{len(set(secret.recipients))} recipient(s) in Secret {secret.name!r}"
    return "True", "OK", message, {"encryption": status}


def _bootstrapped(spec: Any, ports: Any, old: JSON, now: str) -> Verdict:
    worker = ports.ensure_worker(spec)
    if worker is None:
        message = f"No worker for GitProvider {spec.provider_ref.name!r} branch {spec.branch!r}"
        return "False", "WorkerNotFound", message, {"workerRef": None}
    ref = {"name": worker.name, "uid": worker.uid} if worker.uid else {"name": worker.name}
    applied = ports.apply_bootstrap(spec)
    if applied.error:
        return "False", "BootstrapFailed", applied.error, {"workerRef": ref}
    before = old.get("bootstrap")
    if (
        before
        and before.get("commit") == applied.commit
        and before.get("targetPath") == spec.path
        and before.get("lastAppliedTime")
    ):
        bootstrap = before
    else:
        bootstrap = {"targetPath": spec.path, "lastAppliedTime": now}
        if applied.commit is not None:
            bootstrap["commit"] = applied.commit
    details = {"workerRef": ref, "bootstrap": bootstrap}
    if applied.commit is None:
        return (
            "True",
            "BootstrapNotNeeded",
            f"Path {spec.path or '/'!r} needs no bootstrap",
            details,
        )
    message = f"Bootstrap commit {applied.commit[:12]} on {spec.branch!r}"
    return "True", "BootstrapApplied", message, details


def _snapshot(spec: Any, ports: Any, old: JSON, now: str) -> Verdict:
    seen = ports.poll_snapshot(spec)
    if seen.state == "running":
        message = seen.message or f"Initial snapshot of {spec.path or '/'!r} is running"
        return "False", "Running", message, None
    if seen.state != "completed":
        return "False", "SnapshotFailed", seen.message or "Initial snapshot failed", None
    created, updated, deleted = seen.stats
    stats = {"created": created, "updated": updated, "deleted": deleted}
    before = old.get("snapshot")
    if (
        before
        and before.get("lastCommit") == seen.commit
        and before.get("stats") == stats
        and before.get("lastCompletedTime")
    ):
        snapshot = before
    else:
        snapshot = {"lastCompletedTime": now, "stats": stats}
        if seen.commit is not None:
            snapshot["lastCommit"] = seen.commit
    at = f" at {seen.commit[:12]}" if seen.commit else ""
    message = f"Snapshot{at}: {created} created, {updated} updated, {deleted} deleted"
    return "True", "Completed", message, {"snapshot": snapshot}


def _stream(spec: Any, ports: Any, old: JSON, now: str) -> Verdict:
    seen = ports.register_event_stream(spec)
    before = old.get("stream")
    if not seen.registered:
        message = seen.message or "Event stream registration failed"
        return "False", "RegistrationFailed", message, {"stream": {"status": "Unregistered"}}
    state = "Live" if seen.connected else "Disconnected"
    last_event: str | None = None
    if seen.last_event_time is not None:
        last_event = _stamp(seen.last_event_time)
    elif before:
        last_event = before.get("lastEventTime")
    if before and before.get("registeredTime"):
        if before.get("status") == state and before.get("lastEventTime") == last_event:
            stream = before
        else:
            stream = {"status": state, "registeredTime": before["registeredTime"]}
    else:
        stream = {"status": state, "registeredTime": now}
    if stream is not before and last_event is not None:
        stream["lastEventTime"] = last_event
    if not seen.connected:
        message = seen.message or "Event stream disconnected"
        return "False", "Disconnected", message, {"stream": stream}
    return "True", "Registered", "Event stream is live", {"stream": stream}


GateFn = Callable[[Any, Any, JSON, str], Verdict]
#: (condition type, the gate, Ready's reason while it is the first one not True)
GATES: tuple[tuple[str, GateFn, str], ...] = (
    ("Validated", _validated, "ValidationFailed"),
    ("EncryptionConfigured", _encryption, "EncryptionNotConfigured"),
    ("Bootstrapped", _bootstrapped, "BootstrapNotComplete"),
    ("SnapshotSynced", _snapshot, "InitialSyncInProgress"),
    ("EventStreamLive", _stream, "StreamNotLive"),
)
_BOOTSTRAP_GATES = frozenset({"Validated", "EncryptionConfigured", "Bootstrapped"})


def _upsert(
    conditions: list[JSON], type_: str, status: str, reason: str, message: str, gen: int, now: str
) -> None:
    for condition in conditions:
        if condition["type"] == type_:
            if condition["status"] != status:
                condition["status"] = status
                condition["lastTransitionTime"] = now
            condition["reason"] = reason
            condition["message"] = message
            condition["observedGeneration"] = gen
            return
    conditions.append(
        {
            "type": type_,
            "status": status,
            "observedGeneration": gen,
            "lastTransitionTime": now,
            "reason": reason,
            "message": message,
        }
    )


def _remove(conditions: list[JSON], type_: str) -> None:
    conditions[:] = [c for c in conditions if c["type"] != type_]


def _phase(by_type: dict[str, JSON]) -> str:
    ready = by_type.get("Ready")
    if ready is not None and ready["status"] == "True":
        return "RUNNING"
    gates = [(name, by_type.get(name)) for name, _, _ in GATES]
    if any(c and c["status"] == "False" and c["reason"] in TERMINAL for _, c in gates):
        return "ERROR"
    if all(c is None or (c["status"], c["reason"]) == ("Unknown", "NotChecked") for _, c in gates):
        return "PENDING"
    for name, condition in gates:
        if condition is not None and condition["status"] == "True":
            continue
        if name in _BOOTSTRAP_GATES:
            return "BOOTSTRAPPING"
        if name == "SnapshotSynced":
            return "SYNCING"
        disconnected = condition is not None and condition["reason"] == "Disconnected"
        return "DEGRADED" if disconnected else "SYNCING"
    return "PENDING"


def reconcile_dict(
    spec: Any, status: JSON | None, ports: Any, *, generation: int, now: datetime
) -> tuple[JSON, bool]:
    """One pass over ``status`` (API JSON, not mutated): the new status and whether it changed."""
    old = status or {}
    stamp = _stamp(now)
    new = dict(old)
    conditions = [dict(c) for c in old.get("conditions") or ()]
    new["conditions"] = conditions
    blocked_by: str | None = None
    stalled: tuple[str, str, str] | None = None
    for type_, gate, _ in GATES:
        if blocked_by is not None:
            verdict: Verdict = ("Unknown", "Blocked", f"Waiting for {blocked_by}", None)
        else:
            try:
                verdict = gate(spec, ports, old, stamp)
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                verdict = ("Unknown", "EvaluationFailed", text, None)
            if verdict[3]:
                for key, value in verdict[3].items():
                    if value is None:
                        new.pop(key, None)
                    else:
                        new[key] = value
            if verdict[0] != "True":
                blocked_by = type_
                if stalled is None and verdict[0] == "False" and verdict[1] in TERMINAL:
                    stalled = (type_, verdict[1], verdict[2])
        _upsert(conditions, type_, verdict[0], verdict[1], verdict[2], generation, stamp)

    by_type = {c["type"]: c for c in reversed(conditions)}
    failing = next(
        ((t, r) for t, _, r in GATES if by_type.get(t, {}).get("status") != "True"), None
    )
    if failing is None:
        _upsert(conditions, "Ready", "True", "OK", "All required gates are True", generation, stamp)
        _remove(conditions, "Reconciling")
        _remove(conditions, "Stalled")
    else:
        type_, ready_reason = failing
        condition = by_type.get(type_)
        if condition is None or (condition["status"], condition["reason"]) == (
            "Unknown",
            "NotChecked",
        ):
            reason, pointer = "NotChecked", f"{type_} has not been evaluated yet"
        else:
            reason = ready_reason
            pointer = f"{type_} is {condition['status']} ({condition['reason']})"
            if condition["message"]:
                pointer += f": {condition['message']}"
        _upsert(conditions, "Ready", "False", reason, pointer, generation, stamp)
        if stalled is None:
            _upsert(conditions, "Reconciling", "True", "Progressing", pointer, generation, stamp)
            _remove(conditions, "Stalled")
        else:
            gate_type, why, message = stalled
            text = f"{gate_type} cannot succeed until the spec changes: {message or why}"
            _remove(conditions, "Reconciling")
            _upsert(conditions, "Stalled", "True", why, text, generation, stamp)
    new["phase"] = _phase({c["type"]: c for c in reversed(conditions)})
    new["observedGeneration"] = generation
    changed = new != old
    if changed:
        new["lastReconcileTime"] = stamp
    return new, changed
