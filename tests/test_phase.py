"""derive_phase: checked exhaustively against an oracle of the 7 rules in the contract doc.

The oracle below works on plain strings and is written from docs/status-contract.md, not
from the implementation, so the two can disagree.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from random import Random

import pytest
from hypothesis import given, strategies as st

from gittarget_status import (
    GATE_ORDER,
    TERMINAL_REASONS,
    Condition,
    ConditionStatus,
    GitTargetStatus,
    Phase,
    derive_phase,
    set_condition,
)
from gittarget_status.testing import strategies as gs

GATES = ("Validated", "EncryptionConfigured", "Bootstrapped", "SnapshotSynced", "EventStreamLive")
BOOTSTRAP_GATES = {"Validated", "EncryptionConfigured", "Bootstrapped"}
TERMINAL = {"BranchNotAllowed", "TargetConflict", "InvalidRecipients"}
STATUSES = ("True", "False", "Unknown")
ABSENT = None
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

#: A gate as (status, reason), or None when the condition is absent.
Gate = tuple[str, str] | None


def status_of(gate: Gate) -> str | None:
    return None if gate is None else gate[0]


def oracle(ready: str | None, gates: dict[str, Gate], terminal: set[str] = TERMINAL) -> str:
    """The contract's rules 1-7, in order, over plain strings."""
    if ready == "True":
        return "RUNNING"  # 1
    for gate in gates.values():
        if gate is not None and gate[0] == "False" and gate[1] in terminal:
            return "ERROR"  # 2
    if all(gate in (None, ("Unknown", "NotChecked")) for gate in gates.values()):
        return "PENDING"  # 3
    not_true = [name for name in GATES if status_of(gates[name]) != "True"]
    if not not_true:
        return "PENDING"  # 7
    first = not_true[0]
    if first in BOOTSTRAP_GATES:
        return "BOOTSTRAPPING"  # 4
    if first == "SnapshotSynced":
        return "SYNCING"  # 5
    gate = gates[first]
    return "DEGRADED" if gate is not None and gate[1] == "Disconnected" else "SYNCING"  # 6


_BUILT: dict[tuple[str, str, str], Condition] = {}


def built(type_: str, status: str, reason: str) -> Condition:
    """Conditions are immutable, so the exhaustive loops share one instance per value."""
    key = (type_, status, reason)
    if key not in _BUILT:
        _BUILT[key] = Condition(type=type_, status=status, reason=reason, last_transition_time=T0)
    return _BUILT[key]


def conditions_for(ready: str | None, gates: dict[str, Gate]) -> list[Condition]:
    listed = [] if ready is None else [built("Ready", ready, "Summary")]
    listed += [built(name, *gate) for name, gate in gates.items() if gate is not None]
    return listed


#: How each gate's reason is chosen for one sweep over all status combinations.
REASON_VARIANTS: dict[str, dict[str, str]] = {
    "ordinary": dict.fromkeys(GATES, "SomeReason"),
    "not-checked": dict.fromkeys(GATES, "NotChecked"),
    "terminal": dict.fromkeys(GATES, "TargetConflict"),
    "disconnected": dict.fromkeys(GATES, "Disconnected"),
    "plan-reasons": {
        "Validated": "ProviderNotFound",
        "EncryptionConfigured": "InvalidRecipients",
        "Bootstrapped": "WorkerNotFound",
        "SnapshotSynced": "Running",
        "EventStreamLive": "Disconnected",
    },
}


def combinations(
    reasons: dict[str, str], *, with_absent: bool
) -> Iterator[tuple[str | None, dict[str, Gate]]]:
    choices: tuple[str | None, ...] = (*STATUSES, ABSENT) if with_absent else STATUSES
    for ready, *statuses in itertools.product(choices, repeat=6):
        gates: dict[str, Gate] = {
            name: None if status is None else (status, reasons[name])
            for name, status in zip(GATES, statuses, strict=True)
        }
        yield ready, gates


def test_the_oracle_uses_the_libraries_gate_order_and_terminal_reasons() -> None:
    assert tuple(GATE_ORDER) == GATES
    assert set(TERMINAL_REASONS) == TERMINAL


@pytest.mark.parametrize("variant", sorted(REASON_VARIANTS))
def test_all_729_status_combinations_match_the_oracle(variant: str) -> None:
    seen: set[str] = set()
    count = 0
    for ready, gates in combinations(REASON_VARIANTS[variant], with_absent=False):
        listed = conditions_for(ready, gates)
        expected = oracle(ready, gates)
        assert derive_phase(listed) == expected, (ready, gates)
        assert derive_phase(listed[::-1]) == expected, "order must not matter"
        seen.add(expected)
        count += 1
    assert count == 3**6
    assert {"RUNNING", "PENDING"} <= seen


@pytest.mark.parametrize("variant", sorted(REASON_VARIANTS))
def test_combinations_with_absent_conditions_match_the_oracle(variant: str) -> None:
    for ready, gates in combinations(REASON_VARIANTS[variant], with_absent=True):
        assert derive_phase(conditions_for(ready, gates)) == oracle(ready, gates), (ready, gates)


def test_the_sweeps_reach_every_phase() -> None:
    """Guards the oracle itself: a degenerate oracle would not produce every phase."""
    reached = {
        oracle(ready, gates)
        for reasons in REASON_VARIANTS.values()
        for ready, gates in combinations(reasons, with_absent=True)
    }
    assert reached == {phase.value for phase in Phase}


_REASON_POOL = st.sampled_from(
    [*sorted(TERMINAL), "NotChecked", "Disconnected", "Blocked", "Running", "OK", "Completed"]
)
_GATE = st.none() | st.tuples(st.sampled_from(STATUSES), _REASON_POOL | gs.reasons())


@given(
    st.none() | st.sampled_from(STATUSES),
    st.fixed_dictionaries(dict.fromkeys(GATES, _GATE)),
    gs.condition_lists(max_size=3),
    st.randoms(use_true_random=False),
)
def test_any_reasons_any_order_and_foreign_conditions_match_the_oracle(
    ready: str | None,
    gates: dict[str, Gate],
    foreign: list[Condition],
    random: Random,
) -> None:
    listed = conditions_for(ready, gates)
    owned = {c.type for c in listed}
    listed += [c for c in foreign if c.type not in owned and c.type not in (*GATES, "Ready")]
    random.shuffle(listed)
    assert derive_phase(listed) == oracle(ready, gates)
    assert derive_phase(GitTargetStatus(conditions=listed)) == oracle(ready, gates)


@pytest.mark.parametrize(
    ("terminal", "expected"),
    [(frozenset(), Phase.BOOTSTRAPPING), (frozenset({"ProviderNotFound"}), Phase.ERROR)],
)
def test_terminal_reasons_are_configurable(terminal: frozenset[str], expected: Phase) -> None:
    listed = [built("Validated", "False", "ProviderNotFound")]
    assert derive_phase(listed, terminal_reasons=terminal) == expected
    gates: dict[str, Gate] = dict.fromkeys(GATES)
    gates["Validated"] = ("False", "ProviderNotFound")
    assert oracle(None, gates, set(terminal)) == expected.value


# --- the plan's named scenarios -------------------------------------------------------------


def scenario(ready: tuple[str, str] | None, **gates: tuple[str, str]) -> list[Condition]:
    listed = [] if ready is None else [built("Ready", *ready)]
    return listed + [built(name, *gate) for name, gate in gates.items()]


OK = ("True", "OK")
NOT_CHECKED = ("Unknown", "NotChecked")
BLOCKED = ("Unknown", "Blocked")

SCENARIOS: list[tuple[str, list[Condition], Phase]] = [
    ("empty status", [], Phase.PENDING),
    (
        "new object",
        scenario(
            ("Unknown", "NotChecked"),
            Validated=NOT_CHECKED,
            EncryptionConfigured=NOT_CHECKED,
            Bootstrapped=NOT_CHECKED,
            SnapshotSynced=NOT_CHECKED,
            EventStreamLive=NOT_CHECKED,
        ),
        Phase.PENDING,
    ),
    (
        "provider missing",
        scenario(
            ("False", "ValidationFailed"),
            Validated=("False", "ProviderNotFound"),
            EncryptionConfigured=BLOCKED,
            Bootstrapped=BLOCKED,
            SnapshotSynced=BLOCKED,
            EventStreamLive=BLOCKED,
        ),
        Phase.BOOTSTRAPPING,
    ),
    (
        "encryption secret missing, autocreate off",
        scenario(
            ("False", "EncryptionNotConfigured"),
            Validated=OK,
            EncryptionConfigured=("False", "SecretCreateDisabled"),
        ),
        Phase.BOOTSTRAPPING,
    ),
    (
        "worker missing",
        scenario(
            ("False", "BootstrapNotComplete"),
            Validated=OK,
            EncryptionConfigured=("True", "NotRequired"),
            Bootstrapped=("False", "WorkerNotFound"),
        ),
        Phase.BOOTSTRAPPING,
    ),
    (
        "snapshot running",
        scenario(
            ("False", "InitialSyncInProgress"),
            Validated=OK,
            EncryptionConfigured=OK,
            Bootstrapped=("True", "BootstrapApplied"),
            SnapshotSynced=("False", "Running"),
            EventStreamLive=BLOCKED,
        ),
        Phase.SYNCING,
    ),
    (
        "stream registration fails",
        scenario(
            ("False", "StreamNotLive"),
            Validated=OK,
            EncryptionConfigured=OK,
            Bootstrapped=("True", "BootstrapApplied"),
            SnapshotSynced=("True", "Completed"),
            EventStreamLive=("False", "RegistrationFailed"),
        ),
        Phase.SYNCING,
    ),
    (
        "stream disconnected",
        scenario(
            ("False", "StreamNotLive"),
            Validated=OK,
            EncryptionConfigured=OK,
            Bootstrapped=("True", "BootstrapApplied"),
            SnapshotSynced=("True", "Completed"),
            EventStreamLive=("False", "Disconnected"),
        ),
        Phase.DEGRADED,
    ),
    (
        "happy path",
        scenario(
            ("True", "OK"),
            Validated=OK,
            EncryptionConfigured=OK,
            Bootstrapped=("True", "BootstrapApplied"),
            SnapshotSynced=("True", "Completed"),
            EventStreamLive=("True", "Registered"),
        ),
        Phase.RUNNING,
    ),
    (
        "all gates true, Ready not computed yet",
        scenario(
            None,
            Validated=OK,
            EncryptionConfigured=OK,
            Bootstrapped=OK,
            SnapshotSynced=OK,
            EventStreamLive=OK,
        ),
        Phase.PENDING,
    ),
    (
        "target conflict",
        scenario(("False", "ValidationFailed"), Validated=("False", "TargetConflict")),
        Phase.ERROR,
    ),
    (
        "branch not allowed",
        scenario(("False", "ValidationFailed"), Validated=("False", "BranchNotAllowed")),
        Phase.ERROR,
    ),
    (
        "invalid recipients behind a failing gate",
        scenario(
            None,
            Validated=("False", "ProviderNotFound"),
            EncryptionConfigured=("False", "InvalidRecipients"),
        ),
        Phase.ERROR,
    ),
    (
        "terminal reason on Unknown is not terminal",
        scenario(None, Validated=("Unknown", "TargetConflict")),
        Phase.BOOTSTRAPPING,
    ),
]


@pytest.mark.parametrize(
    ("listed", "expected"), [(s[1], s[2]) for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_named_scenarios(listed: list[Condition], expected: Phase) -> None:
    assert derive_phase(listed) is expected
    assert derive_phase(GitTargetStatus(conditions=listed)) is expected


def test_golden_path_progression() -> None:
    """Plan section 6: the phase a GitTarget shows at each step of a healthy start."""
    status = GitTargetStatus()
    for gate in GATES:
        set_condition(status, Condition(type=gate, status="Unknown", reason="NotChecked"))
    set_condition(status, Condition(type="Ready", status=False, reason="BootstrapNotComplete"))
    steps: list[tuple[str, ConditionStatus, str, Phase]] = [
        ("Validated", ConditionStatus.TRUE, "OK", Phase.BOOTSTRAPPING),
        ("EncryptionConfigured", ConditionStatus.TRUE, "NotRequired", Phase.BOOTSTRAPPING),
        ("Bootstrapped", ConditionStatus.TRUE, "BootstrapApplied", Phase.SYNCING),
        ("SnapshotSynced", ConditionStatus.FALSE, "Running", Phase.SYNCING),
        ("SnapshotSynced", ConditionStatus.TRUE, "Completed", Phase.SYNCING),
        ("EventStreamLive", ConditionStatus.TRUE, "Registered", Phase.PENDING),
        ("Ready", ConditionStatus.TRUE, "OK", Phase.RUNNING),
    ]
    assert derive_phase(status) is Phase.PENDING
    for type_, value, reason, expected in steps:
        set_condition(status, Condition(type=type_, status=value, reason=reason), now=T0)
        assert derive_phase(status) is expected, (type_, value, reason)
