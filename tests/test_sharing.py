"""Sharing an object with other writers: lenient reads, strict writes, no write wars.

Foreign data (other types' conditions, unknown fields) is read at the API server's level
and written back byte for byte; what we own is written by the strict rules, and an owned
entry stored in another form is repaired once and reported. One property ties every write
path together: ``outcome.changed`` iff the body computed from the same stored input writes.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from _apply_model import applied_status
from gittarget_status import (
    Condition,
    Gate,
    GatePipeline,
    GateResult,
    GitTargetStatus,
    StatusModel,
    StatusValidationError,
    UsageError,
    find_condition,
    format_kube_time,
    gittarget_pipeline,
    is_false,
    is_true,
    is_unknown,
    reconcile_gittarget,
    remove_condition,
    set_condition,
)
from gittarget_status.patch import (
    apply_status_body,
    kopf_status_fn,
    merge_conditions,
    owned_status_fields,
    status_from_object,
    status_patch,
)
from gittarget_status.testing import (
    DEMO_EPOCH,
    SCENARIOS,
    FakeGitTargetWorld,
    StatusContract,
    check_status,
    demo_spec,
    strategies as gs,
)

OWNED = gittarget_pipeline().owned_types
FIELDS = owned_status_fields(GitTargetStatus)
LATER = DEMO_EPOCH + timedelta(hours=1)


def _steady() -> dict[str, Any]:
    """The stored status of a Ready GitTarget (the golden path's last write)."""
    status: dict[str, Any] = list(SCENARIOS["happy-path"].run())[-1].outcome.status.to_k8s()
    return status


STEADY = _steady()


STEADY_WORLDLESS = STEADY


def _pass(stored: Any, *, ports: Any = None, **kwargs: Any) -> Any:
    world = FakeGitTargetWorld() if ports is None else ports
    return reconcile_gittarget(demo_spec(), stored, world, generation=1, now=LATER, **kwargs)


def _with(stored: dict[str, Any], *foreign: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(stored)
    out["conditions"] = [
        *out["conditions"][:2],
        *copy.deepcopy(list(foreign)),
        *out["conditions"][2:],
    ]
    return out


def _bytes(conditions: list[dict[str, Any]], types: set[str]) -> list[str]:
    return [json.dumps(c, ensure_ascii=False) for c in conditions if c["type"] in types]


# ------------------------------------------------------------------- the cases


@pytest.mark.parametrize("name", sorted(gs.ODD_FOREIGN_CONDITIONS))
def test_each_server_valid_oddity_is_read_and_kept_byte_for_byte(name: str) -> None:
    odd = gs.ODD_FOREIGN_CONDITIONS[name]
    stored = _with(STEADY, odd)
    outcome = _pass(stored)
    assert not outcome.changed, "another controller's valid data must not cause a write"
    assert outcome.ready
    assert status_patch(stored, outcome.status) is None
    written = outcome.status.to_k8s()["conditions"]
    assert _bytes(written, {odd["type"]}) == [json.dumps(odd, ensure_ascii=False)]
    # A change of ours sends the list whole: the foreign entry still goes back as read.
    moved = reconcile_gittarget(
        demo_spec(), stored, FakeGitTargetWorld(provider_exists=False), generation=1, now=LATER
    )
    body = status_patch(stored, moved.status)
    assert moved.changed and body is not None
    assert _bytes(body["status"]["conditions"], {odd["type"]}) == [
        json.dumps(odd, ensure_ascii=False)
    ]


def test_the_reported_wedge_and_rewrites_are_gone() -> None:
    """The issue's reproduction: a 64-character name part, a 20,000-character message."""
    theirs = [
        {"type": "x" * 64, "status": "True", "reason": "Theirs", "message": "",
         "lastTransitionTime": "2026-04-01T10:00:00Z"},
        {"type": "example.com/Wide", "status": "False", "reason": "Theirs",
         "message": "語" * 20_000, "lastTransitionTime": "2026-04-01T10:00:00.123456Z"},
        {"type": "example.com/Offset", "status": "True", "reason": "Theirs", "message": "",
         "lastTransitionTime": "2026-04-01T10:00:00+02:00"},
    ]  # fmt: skip
    stored = _with(STEADY, *theirs)
    outcome = _pass(stored)
    out = {c["type"]: c for c in outcome.status.to_k8s()["conditions"]}
    assert len(out["example.com/Wide"]["message"]) == 20_000
    assert out["example.com/Wide"]["lastTransitionTime"] == "2026-04-01T10:00:00.123456Z"
    assert out["example.com/Offset"]["lastTransitionTime"] == "2026-04-01T10:00:00+02:00"
    assert check_status(outcome.status, generation=1, previous=stored) == []


def test_strict_rules_still_bind_what_we_build() -> None:
    with pytest.raises(StatusValidationError):
        Condition(type="x" * 64, status=True, reason="Mine")
    long = Condition(type="Mine", status=True, reason="Mine", message="語" * 20_000)
    assert len(long.message.encode()) <= 32768 and long.message.endswith("[truncated]")
    foreign = Condition.from_k8s(gs.ODD_FOREIGN_CONDITIONS["name-part-64"])
    assert foreign.strict_problem is not None
    with pytest.raises(StatusValidationError):
        foreign.with_changes(reason="Edited")  # a change is a write: strict rules apply


def test_an_owned_condition_stored_in_another_form_is_repaired_once_and_reported() -> None:
    stored = copy.deepcopy(STEADY)
    ready = next(c for c in stored["conditions"] if c["type"] == "Ready")
    canonical = ready["lastTransitionTime"]
    ready["lastTransitionTime"] = canonical.replace("Z", ".000000+00:00")  # same instant
    outcome = _pass(stored)
    assert outcome.changed
    assert [path for path, _ in outcome.repaired] == [
        f"conditions[{stored['conditions'].index(ready)}]"
    ]
    written = next(c for c in outcome.status.to_k8s()["conditions"] if c["type"] == "Ready")
    assert written["lastTransitionTime"] == canonical
    assert status_patch(stored, outcome.status) is not None
    again = _pass(outcome.status.to_k8s())
    assert not again.changed and again.repaired == ()


def test_an_owned_field_stored_in_another_form_is_repaired_once_and_reported() -> None:
    stored = copy.deepcopy(STEADY)
    stored["lastReconcileTime"] = stored["lastReconcileTime"].replace("Z", ".5Z")
    outcome = _pass(stored)
    assert outcome.changed
    assert ("lastReconcileTime", stored["lastReconcileTime"]) in outcome.repaired
    assert not _pass(outcome.status.to_k8s()).changed


def test_a_parsed_duplicate_is_written_away_by_status_patch_from_the_model() -> None:
    stored = copy.deepcopy(STEADY)
    stored["conditions"].append(copy.deepcopy(stored["conditions"][0]))
    parsed = GitTargetStatus.from_k8s(stored)
    assert parsed.dropped_on_parse and parsed.needs_repair
    outcome = _pass(parsed)
    assert outcome.changed
    body = status_patch(parsed, outcome.status)
    assert body is not None and body == status_patch(stored, outcome.status)
    assert len(body["status"]["conditions"]) == len(STEADY["conditions"])
    # Once repaired: zero writes, and lastReconcileTime is not moved on every pass.
    repaired = outcome.status.to_k8s()
    for minutes in (1, 2, 3):
        later = LATER + timedelta(minutes=minutes)
        quiet = reconcile_gittarget(
            demo_spec(), repaired, FakeGitTargetWorld(), generation=1, now=later
        )
        assert not quiet.changed
        assert status_patch(repaired, quiet.status) is None


def test_a_python_built_old_status_patches_against_its_values() -> None:
    status = GitTargetStatus.from_k8s(STEADY)
    rebuilt = GitTargetStatus.model_validate(status.model_dump())  # no stored JSON
    assert rebuilt.stored_json is None and status.stored_json is not None
    assert status_patch(rebuilt, status) is None


# --------------------------------------------------------------------------- ownership


def test_apply_status_body_requires_the_owned_types() -> None:
    status = GitTargetStatus.from_k8s(_with(STEADY, gs.ODD_FOREIGN_CONDITIONS["generation-0"]))
    with pytest.raises(TypeError):
        apply_status_body(status, api_version="v", kind="K", name="n")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="collection"):
        apply_status_body(status, api_version="v", kind="K", name="n", owned_conditions="Ready")
    with pytest.raises(ValueError, match="owned_conditions must be a string, got int"):
        apply_status_body(
            status,
            api_version="v",
            kind="K",
            name="n",
            owned_conditions=["Ready", 3],  # type: ignore[list-item]
        )
    body = apply_status_body(status, api_version="v", kind="K", name="n", owned_conditions=OWNED)
    types = {c["type"] for c in body["status"]["conditions"]}
    assert types == set(OWNED) & {c.type for c in status.conditions}
    assert set(body["status"]) - {"conditions"} <= set(FIELDS)


def test_owned_fields_are_derived_from_the_model_and_checked() -> None:
    status = GitTargetStatus.from_k8s({**STEADY, "x-theirs": {"kept": True}})
    body = apply_status_body(status, api_version="v", kind="K", name="n", owned_conditions=OWNED)
    assert "x-theirs" not in body["status"]
    assert "phase" in body["status"] and "observedGeneration" in body["status"]
    snake = apply_status_body(
        status, api_version="v", kind="K", name="n", owned_conditions=OWNED,
        owned_fields=["last_reconcile_time", "phase"],
    )  # fmt: skip
    assert set(snake["status"]) == {"conditions", "lastReconcileTime", "phase"}
    for bad in (["phse"], ["x-theirs"], ["conditions"]):
        with pytest.raises(ValueError, match="not a status field of GitTargetStatus"):
            apply_status_body(
                status, api_version="v", kind="K", name="n", owned_conditions=OWNED,
                owned_fields=bad,
            )  # fmt: skip
        with pytest.raises(ValueError, match="not a status field"):
            kopf_status_fn(status, owned_conditions=OWNED, owned_fields=bad)
    with pytest.raises(TypeError, match="owned_fields is required"):
        apply_status_body(STEADY, api_version="v", kind="K", name="n", owned_conditions=OWNED)
    with pytest.raises(TypeError, match="owned_fields is required"):
        kopf_status_fn(STEADY, owned_conditions=OWNED)
    json_body = apply_status_body(
        STEADY, api_version="v", kind="K", name="n", owned_conditions=OWNED,
        owned_fields=["phase"],
    )  # fmt: skip
    assert set(json_body["status"]) == {"conditions", "phase"}


def test_kopf_fn_leaves_foreign_dicts_as_the_very_same_objects() -> None:
    odd = copy.deepcopy(gs.ODD_FOREIGN_CONDITIONS["offset-time"])
    body: dict[str, Any] = {"status": _with(STEADY, odd)}
    foreign = body["status"]["conditions"][2]
    moved = reconcile_gittarget(
        demo_spec(), body["status"], FakeGitTargetWorld(provider_exists=False),
        generation=1, now=LATER,
    )  # fmt: skip
    kopf_status_fn(moved.status, owned_conditions=OWNED)(body)
    assert any(c is foreign for c in body["status"]["conditions"])
    assert foreign == gs.ODD_FOREIGN_CONDITIONS["offset-time"]


def test_merge_conditions_keeps_foreign_objects_and_reports_changed() -> None:
    parsed = GitTargetStatus.from_k8s(_with(STEADY, gs.ODD_FOREIGN_CONDITIONS["keys-reversed"]))
    quiet = _pass(parsed)
    merged = merge_conditions(parsed, quiet.status, parsed, OWNED)
    assert merged.ok and not merged.changed
    assert all(a is b for a, b in zip(merged.conditions, parsed.conditions, strict=True))
    moved = reconcile_gittarget(
        demo_spec(), parsed, FakeGitTargetWorld(provider_exists=False), generation=1, now=LATER
    )
    merged = merge_conditions(parsed, moved.status, parsed, OWNED)
    assert merged.ok and merged.changed
    foreign = gs.ODD_FOREIGN_CONDITIONS["keys-reversed"]
    out = [c.to_k8s() for c in merged.conditions]
    assert _bytes(out, {foreign["type"]}) == [json.dumps(foreign)]


# ------------------------------------------------ condition operations on API JSON dicts


def test_operations_accept_a_list_of_dicts_and_touch_only_their_type() -> None:
    listed = [
        *copy.deepcopy(STEADY["conditions"]),
        copy.deepcopy(gs.ODD_FOREIGN_CONDITIONS["name-part-64"]),
    ]
    before = list(listed)
    ready = find_condition(listed, "Ready")
    assert isinstance(ready, Condition) and is_true(listed, "Ready")
    assert not is_false(listed, "Ready") and is_unknown(listed, "Missing")
    assert not set_condition(listed, ready, now=LATER)
    assert all(a is b for a, b in zip(listed, before, strict=True))
    changed = Condition(type="Ready", status=False, reason="Broken", message="m")
    assert set_condition(listed, changed, now=LATER)
    index = next(i for i, c in enumerate(before) if c["type"] == "Ready")
    assert isinstance(listed[index], dict) and listed[index]["status"] == "False"
    assert all(a is b for i, (a, b) in enumerate(zip(listed, before, strict=True)) if i != index)
    assert set_condition(listed, Condition(type="New", status=True, reason="Added"), now=LATER)
    assert listed[-1]["type"] == "New" and isinstance(listed[-1], dict)
    assert remove_condition(listed, "New") and not remove_condition(listed, "New")


def test_operations_accept_a_status_dict_as_kopf_hands_it_over() -> None:
    status: dict[str, Any] = {}
    assert set_condition(status, Condition(type="Ready", status=True, reason="OK"), now=LATER)
    assert status["conditions"] == [
        {"type": "Ready", "status": "True", "lastTransitionTime": format_kube_time(LATER),
         "reason": "OK", "message": ""}
    ]  # fmt: skip
    assert is_true(status, "Ready") and find_condition({"conditions": None}, "Ready") is None


def test_operations_refuse_other_entries_naming_what_they_accept() -> None:
    with pytest.raises(TypeError, match="Condition objects or condition dicts"):
        set_condition([1, 2], Condition(type="Ready", status=True, reason="OK"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="list of condition dicts"):
        find_condition(5, "Ready")  # type: ignore[arg-type]


def test_a_kr8s_or_client_status_keeps_foreign_bytes() -> None:
    odd = gs.ODD_FOREIGN_CONDITIONS["fractional-time"]
    obj = {"status": _with(STEADY, odd)}
    parsed = status_from_object(GitTargetStatus, obj)
    assert _bytes(parsed.to_k8s()["conditions"], {odd["type"]}) == [json.dumps(odd)]


# ---------------------------------------------------- one invariant over every write path


@st.composite
def stored_statuses(draw: st.DrawFn, *, steady: bool) -> dict[str, Any]:
    """What the server may hold: steady or damaged, foreign oddities, owned hand edits."""
    base = copy.deepcopy(STEADY) if steady else draw(gs.damaged_statuses())
    listed: list[dict[str, Any]] = base.setdefault("conditions", [])
    present = {c.get("type") for c in listed}
    for odd in draw(gs.foreign_condition_lists(3, exclude=OWNED)):
        if odd["type"] not in present:
            listed.insert(draw(st.integers(0, len(listed))), odd)
    edit: bool = draw(st.booleans())
    if listed and edit:
        # A hand edit of an owned entry: same instant, another RFC 3339 spelling.
        owned = [c for c in listed if c.get("type") in OWNED and "lastTransitionTime" in c]
        if owned:
            entry = draw(st.sampled_from(owned))
            spelling = draw(st.sampled_from([".0Z", ".123Z", "+00:00", "-00:00"]))
            entry["lastTransitionTime"] = entry["lastTransitionTime"].replace("Z", spelling)
    return base


@st.composite
def passes(draw: st.DrawFn) -> tuple[dict[str, Any], FakeGitTargetWorld, int]:
    """A stored status, a world and a generation; half of them a quiet steady state.

    Quiet ones (the Ready object, its unchanged world and generation) are where a write
    caused only by foreign data, or a repair missed, would show.
    """
    if draw(st.booleans()):
        return draw(stored_statuses(steady=True)), FakeGitTargetWorld(), 1
    stored = draw(stored_statuses(steady=draw(st.booleans())))
    return stored, draw(gs.fake_worlds(raising=False)), draw(st.integers(1, 12))


@settings(max_examples=max(25, (settings.default or settings()).max_examples // 2))
@given(case=passes())
def test_changed_iff_every_write_path_writes(
    case: tuple[dict[str, Any], FakeGitTargetWorld, int],
) -> None:
    stored, world, gen = case
    frozen = copy.deepcopy(stored)
    spec = demo_spec()
    from_json = reconcile_gittarget(spec, stored, world, generation=gen, now=LATER)
    parsed = GitTargetStatus.from_k8s(stored)
    from_model = reconcile_gittarget(spec, parsed, world, generation=gen, now=LATER)
    assert stored == frozen, "a pass mutated its input"
    changed = from_json.changed
    assert from_model.changed == changed
    assert from_model.status == from_json.status
    new = from_json.status
    # Merge patch, from the stored JSON and from the parsed model alike.
    assert (status_patch(stored, new) is not None) == changed
    assert (status_patch(parsed, from_model.status) is not None) == changed
    # kopf: the function changes the body iff the pass changed something.
    body = {"status": copy.deepcopy(stored)}
    kopf_status_fn(new, owned_conditions=OWNED)(body)
    assert (body["status"] != stored) == changed
    # Server-side apply: the object after our apply differs iff the pass changed something.
    applied = apply_status_body(new, api_version="v", kind="K", name="n", owned_conditions=OWNED)
    assert (applied_status(stored, applied["status"], OWNED, FIELDS) != stored) == changed
    # Three-way merge on the same read: the list changes iff the conditions did.
    merged = merge_conditions(parsed, from_model.status, parsed, OWNED)
    patch = status_patch(stored, new)
    conditions_changed = patch is not None and "conditions" in patch["status"]
    assert merged.ok and merged.changed == conditions_changed
    # Foreign conditions: byte for byte on every path that writes them (all but those
    # over the server's own limits, which no server holds and a read truncates).
    firsts: dict[str, dict[str, Any]] = {}
    for entry in stored["conditions"]:
        firsts.setdefault(entry["type"], entry)
    kept = [c.type for c in parsed.conditions if c.type not in OWNED and c.stored_json]
    for written in (new.to_k8s().get("conditions", []), body["status"].get("conditions", [])):
        out: dict[str, dict[str, Any]] = {}
        for entry in written:
            out.setdefault(entry["type"], entry)
        for type_ in kept:
            assert json.dumps(out[type_]) == json.dumps(firsts[type_])
    # And the next pass from what was written is quiet.
    again = reconcile_gittarget(spec, new.to_k8s(), world, generation=gen, now=LATER)
    assert not again.changed


# --------------------------------------------------------- a status without a heartbeat


class _Plain(StatusModel):
    """A status with conditions only: no lastReconcileTime to make a repair visible."""


def _plain_pipeline() -> GatePipeline[None]:
    return GatePipeline([Gate("Working", lambda _: GateResult.passed("Fine"), ready_reason="X")])


def test_status_patch_from_a_parsed_model_sees_what_only_the_stored_json_shows() -> None:
    pipeline = _plain_pipeline()
    first = pipeline.evaluate(_Plain(), None, generation=1, now=LATER).status.to_k8s()
    duplicated = {**first, "conditions": [*first["conditions"], first["conditions"][0]]}
    edited = copy.deepcopy(first)
    edited["conditions"][0]["lastTransitionTime"] = "2026-01-01T13:00:00.000+00:00"
    for stored in (duplicated, edited):
        parsed = _Plain.from_k8s(stored)
        outcome = pipeline.evaluate(parsed, None, generation=1, now=LATER)
        assert outcome.changed and outcome.repaired
        assert outcome.status == parsed  # equal values: only the stored form differs
        assert status_patch(parsed, outcome.status) == status_patch(stored, outcome.status)
        assert status_patch(parsed, outcome.status) is not None
    quiet = pipeline.evaluate(_Plain.from_k8s(first), None, generation=1, now=LATER)
    assert not quiet.changed and status_patch(_Plain.from_k8s(first), quiet.status) is None


# ------------------------------------------------------------------ programming errors


class _AsyncWorld(FakeGitTargetWorld):
    async def lookup_provider(self, spec: object) -> bool:  # type: ignore[override]
        return True


def test_async_ports_in_a_sync_pass_raise_instead_of_becoming_a_condition() -> None:
    with pytest.raises(UsageError, match="async ports"):
        _pass(STEADY_WORLDLESS, ports=_AsyncWorld())
    with pytest.raises(UsageError, match="areconcile_gittarget"):
        _pass(STEADY_WORLDLESS, ports=FakeGitTargetWorld().async_ports)


def test_an_object_that_is_not_ports_raises() -> None:
    with pytest.raises(UsageError, match="no callable lookup_provider"):
        _pass(STEADY_WORLDLESS, ports=object())
    world = FakeGitTargetWorld()
    world.poll_snapshot = None  # type: ignore[assignment, method-assign]
    with pytest.raises(UsageError, match="poll_snapshot"):
        _pass(STEADY_WORLDLESS, ports=world)


def test_a_world_failure_still_becomes_evaluation_failed() -> None:
    outcome = _pass(STEADY_WORLDLESS, ports=FakeGitTargetWorld(raise_in="poll_snapshot"))
    assert outcome.error is not None
    assert find_condition(outcome.status, "SnapshotSynced").reason == "EvaluationFailed"  # type: ignore[union-attr]


# ------------------------------------------------------------- the invariants can fail


def test_the_byte_for_byte_and_strict_rules_catch_violations() -> None:
    odd = gs.ODD_FOREIGN_CONDITIONS["offset-time"]
    before = _with(STEADY, odd)
    rewritten = _with(STEADY, {**odd, "lastTransitionTime": "2026-04-01T08:00:00Z"})
    reordered = _with(STEADY, dict(reversed(list(odd.items()))))
    for after in (rewritten, reordered):
        ids = {v.rule for v in check_status(after, generation=1, previous=before)}
        assert "GTS024" in ids
    assert check_status(before, generation=1, previous=before) == []
    sloppy = copy.deepcopy(STEADY)
    sloppy["conditions"][0]["lastTransitionTime"] = "2026-01-01T12:00:00.5Z"
    assert {v.rule for v in check_status(sloppy, generation=1)} == {"GTS025"}


# ------------------------------------------------ two controllers built on the library


class _PolicyStatus(StatusModel):
    """A second controller's view of the same status: its conditions only."""


def test_two_pipelines_on_one_object_never_write_each_others_conditions() -> None:
    policy = GatePipeline(
        [Gate("example.com/Scanned", lambda _: GateResult.passed("Clean"), ready_reason="X")],
        kstatus=False,
        ready_type="example.com/PolicyReady",
        suspended_type=None,
    )
    assert policy.owned_types == ("example.com/Scanned", "example.com/PolicyReady")
    assert not set(policy.owned_types) & set(OWNED)
    stored = copy.deepcopy(STEADY)
    theirs = policy.evaluate(_PolicyStatus.from_k8s(stored), None, generation=1, now=LATER)
    assert theirs.changed
    stored = theirs.status.to_k8s()  # the policy controller wrote; ours reads it
    assert _bytes(stored["conditions"], set(OWNED)) == _bytes(STEADY["conditions"], set(OWNED))
    ours = _pass(stored)
    assert not ours.changed and ours.ready
    again = policy.evaluate(_PolicyStatus.from_k8s(stored), None, generation=1, now=LATER)
    assert not again.changed
    with pytest.raises(ValueError, match="ready_type"):
        GatePipeline(
            [Gate("A", lambda _: GateResult.passed("OK"), ready_reason="X")], ready_type="x" * 64
        )
    contract = StatusContract.for_pipeline(policy)
    assert contract.owned_types == frozenset(policy.owned_types)
