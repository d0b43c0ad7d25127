"""The status-contract invariants: each rule fires on exactly the damage it names."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import BaseModel

from gittarget_status import (
    Gate,
    GatePipeline,
    GateResult,
    GitTargetStatus,
    StatusModel,
    UsageError,
    reconcile_gittarget,
)
from gittarget_status.testing import (
    DEMO_EPOCH,
    GITTARGET_CONTRACT,
    RULES,
    SCENARIOS,
    FakeGitTargetWorld,
    StatusContract,
    assert_status_contract,
    check_status,
    demo_spec,
    format_violations,
    strategies as gs,
)
from gittarget_status.testing.invariants._view import hashable

Raw = dict[str, Any]


def _final(scenario: str) -> Raw:
    return list(SCENARIOS[scenario].run())[-1].outcome.status.to_k8s()


RUNNING = _final("happy-path")
BLOCKED = _final("provider-missing")
STALLED = _final("terminal-failure")


def _cond(raw: Raw, type_: str) -> Raw:
    found: Raw = next(c for c in raw["conditions"] if c["type"] == type_)
    return found


def _ids(obj: object, **kwargs: Any) -> set[str]:
    return {v.rule for v in check_status(obj, **kwargs)}


def test_rule_ids_are_stable_unique_and_documented() -> None:
    assert list(RULES) == [f"GTS{n:03d}" for n in range(1, len(RULES) + 1)]
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names)
    assert all(rule.summary and rule.source for rule in RULES.values())
    flux = {r.source.split()[-1] for r in RULES.values() if r.source.startswith("fluxcd")}
    assert {f"FAIL{n:04d}" for n in range(1, 11)} <= flux


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_pass_of_every_scenario_keeps_the_contract(scenario: str) -> None:
    previous: GitTargetStatus | None = None
    for record in SCENARIOS[scenario].run():
        assert_status_contract(
            record.outcome.status, generation=record.generation, previous=previous
        )
        previous = record.outcome.status


def _mutate(base: Raw, change: Callable[[Raw], None]) -> Raw:
    raw = copy.deepcopy(base)
    change(raw)
    return raw


def _set(type_: str, **fields: Any) -> Callable[[Raw], None]:
    return lambda raw: _cond(raw, type_).update(fields)


def _drop(type_: str) -> Callable[[Raw], None]:
    def change(raw: Raw) -> None:
        raw["conditions"] = [c for c in raw["conditions"] if c["type"] != type_]

    return change


def _add(condition: Raw) -> Callable[[Raw], None]:
    return lambda raw: raw["conditions"].append(condition)


_LTT = "2026-01-01T12:00:30Z"
_RECONCILING_TRUE = {
    "type": "Reconciling",
    "status": "True",
    "reason": "Progressing",
    "observedGeneration": 1,
    "lastTransitionTime": _LTT,
}
_STALLED_TRUE = {**_RECONCILING_TRUE, "type": "Stalled", "reason": "TargetConflict"}

#: (base status, damage, the rule it must trigger)
DAMAGE: list[tuple[str, Raw, Callable[[Raw], None], str]] = [
    ("duplicate", RUNNING, lambda r: r["conditions"].append(r["conditions"][0]), "GTS001"),
    ("bad reason", RUNNING, _set("Validated", reason="not valid!"), "GTS002"),
    ("naive ltt", RUNNING, _set("Validated", lastTransitionTime="2026-01-01T12:00:00"), "GTS002"),
    ("no ltt", RUNNING, lambda r: _cond(r, "Validated").pop("lastTransitionTime"), "GTS002"),
    ("status yes", RUNNING, _set("Validated", status="yes"), "GTS002"),
    ("no Ready", RUNNING, _drop("Ready"), "GTS003"),
    ("Ready while reconciling", RUNNING, _add(_RECONCILING_TRUE), "GTS004"),
    ("Ready while stalled", RUNNING, _add(_STALLED_TRUE), "GTS005"),
    ("both True", STALLED, _add(_RECONCILING_TRUE), "GTS006"),
    (
        "both present",
        STALLED,
        _add({**_RECONCILING_TRUE, "status": "False", "reason": "TerminalFailure"}),
        "GTS007",
    ),
    ("og ahead", RUNNING, lambda r: r.update(observedGeneration=2), "GTS008"),
    ("condition og ahead", RUNNING, _set("Validated", observedGeneration=9), "GTS008"),
    ("Ready, og behind", RUNNING, lambda r: r.update(observedGeneration=0), "GTS009"),
    ("Ready, gate behind", RUNNING, _set("Bootstrapped", observedGeneration=0), "GTS010"),
    ("Ready, gate off root", RUNNING, lambda r: r.update(observedGeneration=0), "GTS011"),
    ("Ready and Stalled", RUNNING, _add(_STALLED_TRUE), "GTS013"),
    ("no gate og", BLOCKED, lambda r: _cond(r, "Bootstrapped").pop("observedGeneration"), "GTS015"),
    ("gate missing", BLOCKED, _drop("SnapshotSynced"), "GTS016"),
    ("Ready True, gate False", RUNNING, _set("EventStreamLive", status="False"), "GTS017"),
    ("Ready False, all gates True", RUNNING, _set("Ready", status="False"), "GTS017"),
    ("wrong Ready reason", BLOCKED, _set("Ready", reason="StreamNotLive"), "GTS017"),
    ("Ready Unknown", BLOCKED, _set("Ready", status="Unknown"), "GTS017"),
    ("wrong phase", RUNNING, lambda r: r.update(phase="SYNCING"), "GTS018"),
    ("gate from old gen", BLOCKED, _set("Validated", observedGeneration=0), "GTS019"),
    ("stale verdict", BLOCKED, _set("SnapshotSynced", status="True", reason="Completed"), "GTS020"),
    ("no Reconciling", BLOCKED, _drop("Reconciling"), "GTS021"),
    ("not stalled", STALLED, _drop("Stalled"), "GTS021"),
    ("stalled, no terminal", BLOCKED, _add(_STALLED_TRUE), "GTS021"),
]


@pytest.mark.parametrize(
    ("base", "damage", "rule"),
    [pytest.param(b, d, r, id=f"{r}-{name}") for name, b, d, r in DAMAGE],
)
def test_each_rule_fires_on_its_damage(base: Raw, damage: Callable[[Raw], None], rule: str) -> None:
    assert check_status(base, generation=1) == []
    damaged = _mutate(base, damage)
    assert rule in _ids(damaged, generation=1)
    with pytest.raises(AssertionError, match=rf"{rule} {RULES[rule].name}: "):
        assert_status_contract(damaged, generation=1)


def test_opt_in_rules_run_only_when_selected() -> None:
    reconciling = _mutate(
        BLOCKED,
        lambda r: r["conditions"].append(
            {**_RECONCILING_TRUE, "type": "Stalled", "status": "False", "reason": "Progressing"}
        ),
    )
    assert "GTS014" not in _ids(reconciling, generation=1)
    assert _ids(reconciling, generation=1, select=["kstatus-removed-when-false"]) == {"GTS014"}
    # Flux's FAIL0010 needs observedGeneration recorded only on success; this library
    # records it after every pass, so the rule only fires when selected.
    assert _ids(BLOCKED, generation=1, select=["GTS012"]) == {"GTS012"}


def test_transition_rules_need_the_previous_status() -> None:
    before = _mutate(RUNNING, _add({**_RECONCILING_TRUE, "type": "x.io/Audit", "severity": 2}))
    before["x-other"] = {"kept": True}
    churned = _mutate(RUNNING, _set("Ready", lastTransitionTime="2026-01-01T13:00:00Z"))
    assert _ids(churned, generation=1, previous=RUNNING) == {"GTS022"}
    backwards = _mutate(
        BLOCKED, _set("Validated", status="True", lastTransitionTime="2020-01-01T00:00:00Z")
    )
    assert "GTS022" in _ids(backwards, generation=1, previous=BLOCKED)
    assert _ids(RUNNING, generation=1, previous=before) == {"GTS023"}
    violations = check_status(RUNNING, generation=1, previous=before, select=["GTS023"])
    text = "\n".join(str(v) for v in violations)
    assert "foreign condition 'x.io/Audit' was dropped" in text
    assert "unknown status fields ['x-other']" in text
    # An owned condition's unknown fields are not foreign data: dropping them is the repair
    # (GTS025 flags an owned condition that still has one).
    kept_extra = _mutate(before, _set("Ready", severity="Info"))
    lost_extra = _mutate(kept_extra, lambda r: _cond(r, "Ready").pop("severity"))
    assert _ids(lost_extra, generation=1, previous=kept_extra, select=["GTS023"]) == set()
    assert _ids(kept_extra, generation=1, select=["GTS025"]) == {"GTS025"}


def test_select_and_ignore_by_id_or_name() -> None:
    damaged = _mutate(RUNNING, _drop("Ready"))
    assert _ids(damaged, generation=1, select=["ready-present"]) == {"GTS003"}
    assert "GTS003" not in _ids(damaged, generation=1, ignore=["GTS003"])
    assert _ids(damaged, generation=1, select="gts003") == {"GTS003"}
    with pytest.raises(ValueError, match="unknown rule 'GTS999'"):
        check_status(RUNNING, select=["GTS999"])


def test_whole_objects_take_the_generation_from_metadata() -> None:
    obj = {"apiVersion": "v1", "kind": "GitTarget", "metadata": {"generation": 2}}
    obj["status"] = RUNNING
    assert {"GTS009", "GTS019"} <= _ids(obj)
    assert _ids(obj, generation=1) == set()
    with pytest.raises(TypeError, match="expected a status model"):
        check_status(42)


def test_the_report_names_the_rule_and_shows_the_conditions() -> None:
    damaged = _mutate(RUNNING, _set("EventStreamLive", status="False", reason="Disconnected"))
    with pytest.raises(AssertionError) as raised:
        assert_status_contract(damaged, generation=1)
    report = str(raised.value)
    assert "GTS017 ready-matches-gates: Ready is True but required gates are not: " in report
    assert "EventStreamLive=False reason=Disconnected gen=1" in report
    assert "all conditions:" in report
    assert report.count("Validated=True") == 1


def test_invalid_conditions_are_reported_not_raised() -> None:
    damaged = {"conditions": [{"type": 5}, "junk", {"type": "Ready", "status": "True"}]}
    violations = check_status(damaged, generation=1)
    assert {"GTS002", "GTS003"} <= {v.rule for v in violations}
    assert "conditions[1] is not a valid metav1.Condition" in "\n".join(map(str, violations))


def test_a_custom_pipeline_brings_its_own_contract() -> None:
    pipeline: GatePipeline[None] = GatePipeline(
        [
            Gate("Fetched", lambda _: GateResult.passed("Done"), ready_reason="NotFetched"),
            Gate(
                "Linted",
                lambda _: GateResult.failed("Lint"),
                ready_reason="LintFailed",
                blocking=False,
                required=False,
            ),
        ],
        kstatus=False,
    )
    contract = StatusContract.for_pipeline(pipeline)
    assert contract.owned_types == {"Fetched", "Linted", "Ready", "Suspended"}
    outcome = pipeline.evaluate(GitTargetStatus(), None, generation=4, now=DEMO_EPOCH)
    assert check_status(outcome.status, generation=4, contract=contract) == []
    assert check_status(outcome.status, generation=4) != []  # not the GitTarget contract


@settings(max_examples=max(10, (settings.default or settings()).max_examples // 2))
@given(world=gs.fake_worlds(), spec=gs.gittarget_specs(), generation=st.integers(1, 5))
def test_any_world_any_spec_keeps_the_contract_and_does_not_churn(
    world: FakeGitTargetWorld, spec: Any, generation: int
) -> None:
    now = DEMO_EPOCH
    first = reconcile_gittarget(spec, None, world, generation=generation, now=now)
    assert_status_contract(first.status, generation=generation, previous=GitTargetStatus())
    again = reconcile_gittarget(spec, first.status, world, generation=generation, now=now)
    assert_status_contract(again.status, generation=generation, previous=first.status)
    assert not again.changed


def test_generic_rules_on_the_default_contract() -> None:
    assert GITTARGET_CONTRACT.required_gates[0] == "Validated"
    assert "Stalled" in GITTARGET_CONTRACT.owned_types
    assert demo_spec().encrypted


def _policy_pipeline(*, kstatus: bool) -> GatePipeline[bool]:
    return GatePipeline(
        [
            Gate(
                "example.com/Scanned",
                lambda done: GateResult.passed("Done") if done else GateResult.failed("Pending"),
                ready_reason="NotScanned",
            )
        ],
        kstatus=kstatus,
        ready_type="example.com/PolicyReady",
    )


def test_the_lifecycle_rules_read_the_pipelines_own_summary_type() -> None:
    # A second controller summarises its gates in a condition of its own: every rule,
    # Flux's included, checks that one (no `Ready` is expected).
    pipeline = _policy_pipeline(kstatus=False)
    contract = StatusContract.for_pipeline(pipeline)
    for done in (False, True):
        outcome = pipeline.evaluate(StatusModel(), done, generation=1, now=DEMO_EPOCH)
        assert check_status(outcome.status, generation=1, contract=contract) == []
        raw = outcome.status.to_k8s()
        summary = next(c for c in raw["conditions"] if c["type"] == "example.com/PolicyReady")
        summary["status"] = "False" if done else "True"  # a summary that lies
        found = check_status(raw, generation=1, contract=contract, select=["GTS017"])
        assert [v.rule for v in found] == ["GTS017"]


def _rules_found(raw: Mapping[str, Any], contract: StatusContract, generation: int = 1) -> set[str]:
    return {v.rule for v in check_status(raw, generation=generation, contract=contract)}


@pytest.mark.parametrize("kstatus", [True, False], ids=["kstatus", "no-kstatus"])
def test_the_flux_rules_read_the_pipelines_own_summary_type(kstatus: bool) -> None:
    pipeline = _policy_pipeline(kstatus=kstatus)
    contract = StatusContract.for_pipeline(pipeline)
    ready = pipeline.evaluate(StatusModel(), True, generation=1, now=DEMO_EPOCH).status.to_k8s()
    assert _rules_found(ready, contract) == set()
    summary = "example.com/PolicyReady"
    without = {**ready, "conditions": [c for c in ready["conditions"] if c["type"] != summary]}
    found = check_status(without, generation=1, contract=contract, select=["GTS003"])
    assert [v.message for v in found] == [f"{summary} condition must always be present"]
    # The summary is True while the object's generation moved on: GTS009 and GTS010.
    assert {"GTS009", "GTS010"} <= _rules_found(ready, contract, generation=2)
    # A Reconciling=True next to a True summary: the pipeline's own (kstatus) contradicts
    # it (GTS004, GTS013); another controller's (no kstatus here) says nothing about it.
    both = {**ready, "conditions": [*ready["conditions"], _RECONCILING_TRUE]}
    flagged = _rules_found(both, contract) & {"GTS004", "GTS013"}
    assert flagged == ({"GTS004", "GTS013"} if kstatus else set())


def test_the_default_contract_still_holds_ready_to_the_kstatus_pair() -> None:
    contract = replace(GITTARGET_CONTRACT, kstatus=False)
    raw = copy.deepcopy(RUNNING)
    _add(_RECONCILING_TRUE)(raw)
    assert {"GTS004", "GTS013"} <= _rules_found(raw, contract)


def test_the_default_contract_is_gittargets_and_refuses_other_statuses() -> None:
    pipeline = GatePipeline(
        [Gate("Issued", lambda _: GateResult.passed("Issued"), ready_reason="NotIssued")]
    )
    status = pipeline.evaluate(StatusModel(), None, generation=1, now=DEMO_EPOCH).status
    obj = {"kind": "Certificate", "metadata": {"generation": 1}, "status": status.to_k8s()}
    for other in (status, obj):
        with pytest.raises(UsageError, match=r"contract=StatusContract\.for_pipeline"):
            check_status(other)
    # With the pipeline's own contract both keep it; GitTarget's own status needs none.
    contract = StatusContract.for_pipeline(pipeline)
    assert check_status(status, generation=1, contract=contract) == []
    assert check_status(obj, contract=contract) == []
    gittarget = reconcile_gittarget(
        demo_spec(), None, FakeGitTargetWorld(), generation=1, now=DEMO_EPOCH
    )
    assert check_status({**obj, "kind": "GitTarget", "status": gittarget.status.to_k8s()}) == []
    assert check_status(gittarget.status, generation=1) == []


# --- paths the scenarios never take ---------------------------------------------------------


def test_without_a_generation_nothing_is_ahead() -> None:
    ahead = _mutate(RUNNING, lambda r: r.update(observedGeneration=9))
    assert "GTS008" in _ids(ahead, generation=1)
    assert "GTS008" not in _ids(ahead)  # no metadata.generation to be ahead of


@pytest.mark.parametrize(
    ("reconciling", "fires"),
    [
        ({"status": "False", "reason": "Succeeded"}, False),  # not True: nothing to compare
        ({"observedGeneration": 2}, False),  # ahead of the root's 1: Flux's strategy
        ({"observedGeneration": 1}, True),  # not ahead
    ],
    ids=["reconciling-false", "ahead", "not-ahead"],
)
def test_reconciling_must_be_ahead_of_the_root_when_selected(reconciling: Raw, fires: bool) -> None:
    raw = _mutate(BLOCKED, _set("Reconciling", **reconciling))
    found = check_status(raw, select=["GTS012"])
    assert [v.rule for v in found] == (["GTS012"] if fires else [])
    if fires:
        assert "status.observedGeneration 1 is not below" in found[0].message


def test_a_status_move_without_a_transition_time_is_reported() -> None:
    moved = _mutate(RUNNING, _set("Validated", status="False", reason="Invalid"))
    _cond(moved, "Validated").pop("lastTransitionTime")
    found = check_status(moved, generation=1, previous=RUNNING, select=["GTS022"])
    assert [str(v).splitlines()[0] for v in found] == [
        "GTS022 ltt-moves-iff-status-moves: Validated: status moved True -> False "
        "but lastTransitionTime is unset"
    ]


def test_unknown_fields_of_another_resource_are_not_judged() -> None:
    pipeline: GatePipeline[None] = GatePipeline(
        [Gate("Fetched", lambda _: GateResult.passed("Done"), ready_reason="NotFetched")]
    )
    contract = StatusContract.for_pipeline(pipeline)
    before = {"conditions": [], "x-other": {"kept": True}}
    after: Raw = {"conditions": []}
    # Plain JSON of a resource whose fields this library does not know: not a loss.
    assert check_status(after, previous=before, contract=contract, select=["GTS023"]) == []
    lost = check_status(after, previous=before, select=["GTS023"])
    assert [v.message for v in lost] == [
        "unknown status fields ['x-other'] were dropped or changed"
    ]


def test_conditions_with_an_unhashable_type_are_compared_as_json() -> None:
    odd = {"type": ["x.io", "Audit"], "status": "True", "reason": "R"}
    before = _mutate(RUNNING, _add(odd))
    found = check_status(RUNNING, generation=1, previous=before, select=["GTS023"])
    assert [v.message for v in found] == ["foreign condition ['x.io', 'Audit'] was dropped"]
    # Reported (GTS002), never raised: kept as it was, it is no foreign change either.
    assert _ids(before, generation=1, previous=before) == {"GTS002"}
    changed = _mutate(before, lambda r: r["conditions"][-1].update(status="False"))
    assert _ids(changed, generation=1, previous=before, select=["GTS023", "GTS024"]) == {
        "GTS023",
        "GTS024",
    }
    assert hashable(["x.io", "Audit"]) == '["x.io", "Audit"]'
    assert hashable("Ready") == "Ready"


class PlainStatus(BaseModel):
    """A status built on pydantic alone (no ``to_k8s``): read through ``model_dump``."""

    observed_generation: int | None = None
    conditions: list[dict[str, Any]] = []


def test_a_plain_pydantic_status_is_read_by_its_json_names() -> None:
    pipeline: GatePipeline[None] = GatePipeline(
        [Gate("Fetched", lambda _: GateResult.passed("Done"), ready_reason="NotFetched")],
        kstatus=False,
    )
    contract = StatusContract.for_pipeline(pipeline)
    ready = {**_cond(RUNNING, "Ready"), "observedGeneration": 3}
    status = PlainStatus(observed_generation=3, conditions=[ready])
    found = check_status(status, generation=2, contract=contract, select=["GTS008"])
    assert [v.message for v in found] == [
        "status.observedGeneration 3 is above metadata.generation 2",
        "conditions observed a generation above metadata.generation 2",
    ]
    report = format_violations(found, obj=status)
    assert "all conditions:\n    Ready=True reason=" in report


def test_a_report_without_the_object_lists_only_the_violations() -> None:
    found = check_status(_mutate(RUNNING, _drop("Ready")), generation=1, select=["GTS003"])
    report = format_violations(found)
    assert report.splitlines()[0] == "status contract broken (1 violation(s)):"
    assert "GTS003 ready-present: " in report
    assert "all conditions" not in report
