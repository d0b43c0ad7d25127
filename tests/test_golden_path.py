"""Plan section 6: the golden path, one pass per world step, asserting after each pass."""

from __future__ import annotations

import itertools

from gittarget_status import ConditionStatus, GitTargetStatus, Phase, find_condition
from gittarget_status.testing import SCENARIOS, PassRecord

T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN
GATES = ("Validated", "EncryptionConfigured", "Bootstrapped", "SnapshotSynced", "EventStreamLive")

# (phase, gate statuses in GATE_ORDER, Ready status, write expected)
EXPECTED: list[tuple[Phase, str, ConditionStatus, bool]] = [
    (Phase.PENDING, "UUUUU", F, True),
    (Phase.BOOTSTRAPPING, "TFUUU", F, True),
    (Phase.BOOTSTRAPPING, "TTFUU", F, True),
    (Phase.SYNCING, "TTTFU", F, True),
    (Phase.SYNCING, "TTTTF", F, True),
    (Phase.RUNNING, "TTTTT", T, True),
    (Phase.RUNNING, "TTTTT", T, False),
]
LETTERS = {"T": T, "F": F, "U": U}


def _records() -> list[PassRecord]:
    return list(SCENARIOS["golden-path"].run())


def test_golden_path_progression() -> None:
    records = _records()
    assert len(records) == len(EXPECTED)
    for record, (phase, gates, ready, write) in zip(records, EXPECTED, strict=True):
        status = record.outcome.status
        where = f"pass {record.number} ({record.label})"
        assert status.phase is phase, where
        observed = "".join(
            next(k for k, v in LETTERS.items() if v is find_status(status, gate)) for gate in GATES
        )
        assert observed == gates, where
        assert find_status(status, "Ready") is ready, where
        assert record.outcome.changed is write, where


def find_status(status: GitTargetStatus, type_: str) -> ConditionStatus:
    condition = find_condition(status, type_)
    assert condition is not None, type_
    return condition.status


def test_golden_path_snapshot_step_is_running() -> None:
    syncing = _records()[3].outcome.status
    snapshot = find_condition(syncing, "SnapshotSynced")
    assert snapshot is not None
    assert (snapshot.status, snapshot.reason) == (F, "Running")


def test_transition_times_move_only_with_status() -> None:
    records = _records()
    for before, after in itertools.pairwise(records):
        for condition in after.outcome.status.conditions:
            previous = find_condition(before.outcome.status, condition.type)
            if previous is None:
                continue
            moved = condition.last_transition_time != previous.last_transition_time
            assert moved is (condition.status is not previous.status), condition.type


def test_details_recorded_and_stable() -> None:
    records = _records()
    final = records[-1].outcome.status
    assert final.worker_ref is not None and final.worker_ref.name == "worker-0"
    assert final.encryption is not None and final.encryption.recipients_hash is not None
    assert final.encryption.recipients_hash.startswith("sha256:")
    assert final.bootstrap is not None and final.bootstrap.commit is not None
    assert final.snapshot is not None and final.snapshot.stats is not None
    assert final.stream is not None and final.stream.status == "Live"
    # The steady pass moved nothing, not even lastReconcileTime.
    assert records[-1].outcome.status == records[-2].outcome.status
    # The bootstrap happened at pass 3 and was not re-stamped afterwards.
    bootstrap_time = records[3].outcome.status.bootstrap
    assert bootstrap_time is not None
    assert final.bootstrap.last_applied_time == bootstrap_time.last_applied_time
