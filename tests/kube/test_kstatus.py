"""kstatus' Compute rules, and what kstatus concludes about every pipeline output."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from gittarget_status.kstatus import KStatus, KStatusError, compute

from ._walks import Step, lifecycle_walks


def _obj(
    conditions: list[dict[str, Any]] | None = None,
    *,
    generation: int | None = 1,
    observed: int | None = 1,
    deletion: str | None = None,
    kind: str = "GitTarget",
    api_version: str = "configbutler.ai/v1alpha1",
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "x"}
    if generation is not None:
        metadata["generation"] = generation
    if deletion is not None:
        metadata["deletionTimestamp"] = deletion
    status: dict[str, Any] = {}
    if observed is not None:
        status["observedGeneration"] = observed
    if conditions is not None:
        status["conditions"] = conditions
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "status": status}


def _c(type_: str, status: str, reason: str = "R", message: str = "m") -> dict[str, Any]:
    return {"type": type_, "status": status, "reason": reason, "message": message}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(_obj(deletion="2026-01-01T00:00:00Z"), KStatus.TERMINATING, id="deleting"),
        pytest.param(
            _obj([_c("Ready", "True")], deletion="2026-01-01T00:00:00Z"),
            KStatus.TERMINATING,
            id="deleting-beats-ready",
        ),
        pytest.param(
            _obj([_c("Ready", "True")], deletion=""), KStatus.CURRENT, id="empty-deletion"
        ),
        pytest.param(
            _obj([_c("Ready", "True")], generation=2, observed=1),
            KStatus.IN_PROGRESS,
            id="generation-not-observed",
        ),
        pytest.param(
            _obj([_c("Ready", "True")], generation=1, observed=2),
            KStatus.IN_PROGRESS,
            id="observed-ahead-is-also-different",
        ),
        pytest.param(
            _obj([_c("Ready", "True")], generation=2, observed=None),
            KStatus.CURRENT,
            id="no-observed-generation-skips-the-check",
        ),
        pytest.param(
            _obj([_c("Ready", "True")], generation=None, observed=7),
            KStatus.CURRENT,
            id="no-generation-skips-the-check",
        ),
        pytest.param(
            _obj([_c("Reconciling", "True"), _c("Ready", "True")]),
            KStatus.IN_PROGRESS,
            id="reconciling-beats-ready",
        ),
        pytest.param(_obj([_c("Stalled", "True")]), KStatus.FAILED, id="stalled"),
        pytest.param(
            _obj([_c("Stalled", "True"), _c("Reconciling", "True")]),
            KStatus.FAILED,
            id="first-in-list-order-stalled",
        ),
        pytest.param(
            _obj([_c("Reconciling", "True"), _c("Stalled", "True")]),
            KStatus.IN_PROGRESS,
            id="first-in-list-order-reconciling",
        ),
        pytest.param(
            _obj([_c("Reconciling", "False"), _c("Stalled", "False"), _c("Ready", "True")]),
            KStatus.CURRENT,
            id="false-kstatus-conditions-are-ignored",
        ),
        pytest.param(_obj([_c("Ready", "False")]), KStatus.IN_PROGRESS, id="ready-false"),
        pytest.param(_obj([_c("Ready", "Unknown")]), KStatus.IN_PROGRESS, id="ready-unknown"),
        pytest.param(
            _obj([_c("Ready", "maybe"), _c("Ready", "True")]),
            KStatus.CURRENT,
            id="odd-ready-status-is-skipped",
        ),
        pytest.param(
            _obj([_c("ready", "False")]), KStatus.CURRENT, id="types-are-compared-exactly"
        ),
        pytest.param(_obj([_c("Ready", "true")]), KStatus.CURRENT, id="statuses-exactly-too"),
        pytest.param(_obj([]), KStatus.CURRENT, id="no-conditions-is-current"),
        pytest.param(_obj(None, observed=None), KStatus.CURRENT, id="no-status"),
        pytest.param(  # found by tests/oracle: a null entry is an empty condition
            _obj([None, _c("Ready", "False")]),  # type: ignore[list-item]
            KStatus.IN_PROGRESS,
            id="null-condition-entries-are-empty",
        ),
        pytest.param(
            _obj([_c("Ready", "True")], generation=2**63 - 1, observed=2**63 - 1),
            KStatus.CURRENT,
            id="int64-max-is-an-int64",
        ),
    ],
)
def test_compute_rules(obj: dict[str, Any], expected: KStatus) -> None:
    assert compute(obj).status is expected


def test_results_carry_the_deciding_condition() -> None:
    result = compute(_obj([_c("Stalled", "True", "TerminalFailure", "branch not allowed")]))
    assert result.message == "branch not allowed"
    assert [(c.type, c.status, c.reason) for c in result.conditions] == [
        ("Stalled", "True", "TerminalFailure")
    ]
    lag = compute(_obj(generation=3, observed=2))
    assert lag.message == "GitTarget generation is 3, but latest observed generation is 2"
    assert lag.conditions[0].reason == "LatestGenerationNotObserved"
    ready_false = compute(_obj([_c("Ready", "False", "StreamNotLive", "waiting")]))
    assert (ready_false.message, ready_false.conditions[0].reason) == ("waiting", "StreamNotLive")


@pytest.mark.parametrize(
    "obj",
    [
        {"metadata": {"generation": "1"}, "status": {"observedGeneration": 2}},
        {"metadata": {"generation": 1}, "status": {"observedGeneration": 1.5}},
        {"metadata": {}, "status": {"conditions": "nope"}},
        {"metadata": {}, "status": {"conditions": [{"type": 3}]}},
        {"metadata": {}, "status": "nope"},
        {"metadata": {"deletionTimestamp": 5}},
        # Found by the differential tests against kstatus (tests/oracle): NestedString
        # refuses a null, and a number outside int64 decodes as a float in Go.
        {"metadata": {"deletionTimestamp": None}},
        {"metadata": {"generation": 2**63}},
        {"metadata": {"generation": 1}, "status": {"observedGeneration": -(2**63) - 1}},
    ],
)
def test_malformed_objects_are_errors(obj: dict[str, Any]) -> None:
    with pytest.raises(KStatusError):
        compute(obj)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "expected a JSON object, got list"),
        ("GitTarget", "expected a JSON object, got str"),
        (
            {"metadata": {}, "status": {"conditions": ["Ready"]}},
            "every status.conditions entry must be an object or null",
        ),
        (
            {"metadata": {}, "status": {"conditions": [None, 3]}},
            "every status.conditions entry must be an object or null",
        ),
    ],
)
def test_malformed_object_errors_say_what_is_wrong(obj: Any, message: str) -> None:
    with pytest.raises(KStatusError) as raised:
        compute(obj)
    assert str(raised.value) == message


def test_built_in_kinds_are_refused() -> None:
    with pytest.raises(KStatusError, match="apps/Deployment"):
        compute(_obj([_c("Ready", "True")], kind="Deployment", api_version="apps/v1"))
    assert compute(_obj([_c("Stalled", "True")], kind="Pod", api_version="v1")).status is (
        KStatus.FAILED  # the generic rules still decide first, as in kstatus
    )


@settings(max_examples=80, deadline=None)
@given(walk=lifecycle_walks())
def test_kstatus_agrees_with_the_library(walk: list[Step]) -> None:
    """Current iff Ready at the current generation, Failed iff Stalled, else InProgress."""
    for step in walk:
        served = step.obj["status"]
        assert served == step.outcome.status.to_k8s()  # written, or unchanged
        assert served["observedGeneration"] == step.generation
        assert not (step.outcome.ready and step.outcome.stalled)
        result = compute(step.obj)
        if step.outcome.stalled:
            assert result.status is KStatus.FAILED, result
        elif step.outcome.ready:
            assert result.status is KStatus.CURRENT, result
        else:
            assert result.status is KStatus.IN_PROGRESS, result


@settings(max_examples=30, deadline=None)
@given(walk=lifecycle_walks())
def test_a_spec_change_is_in_progress_until_observed(walk: list[Step]) -> None:
    last = walk[-1].obj
    bumped = {**last, "metadata": {**last["metadata"], "generation": walk[-1].generation + 1}}
    if "status" in bumped:
        assert compute(bumped).status in (KStatus.IN_PROGRESS, KStatus.FAILED)
        if "observedGeneration" in bumped["status"]:
            assert compute(bumped).status is KStatus.IN_PROGRESS
