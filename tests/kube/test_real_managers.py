"""Two writers on one object's ``/status``, on the real API server.

Server-side apply by two field managers owning different condition types: neither
clobbers the other, ``managedFields`` record the split per ``k:{"type":...}`` key, and
conflicts are the server's own (409 without force, takeover with it). Merge patches
with a resourceVersion precondition fail on a stale read and the three-way merge
recovers. The RFC 7386 merge the other kube tests simulate (``_apiserver_merge``) is
checked against the server here on generated patch sequences; the server-side apply
simulation that module used to hold disagreed with the server and was retired (the
tests below that pin the server's behaviour are where it disagreed).
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import ConditionStatus, GitTargetStatus, reconcile_gittarget, set_condition
from gittarget_status.patch import apply_status_body, merge_conditions, status_patch
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gittarget_status.testing.control_plane import ApiClient, ApiError, ControlPlane

from . import _tally
from ._apiserver_merge import apply_merge_patch
from ._real import (
    API_VERSION,
    FOREIGN,
    KIND,
    OWNED_CONDITIONS,
    create_gittarget,
    foreign_condition,
    relaxed,
    write_apply,
)

OURS = "gittarget-status"
AUDITOR = "auditor"
TYPES = ("Ready", "Validated", FOREIGN, "x.io/Degraded")


@pytest.fixture(scope="module")
def client(gittarget_api: ControlPlane) -> ApiClient:
    return gittarget_api.client


def _condition(type_: str, value: int) -> dict[str, Any]:
    return {
        "type": type_,
        "status": ("True", "False", "Unknown")[value % 3],
        "reason": f"Reason{value}",
        "message": f"value {value}",
        "lastTransitionTime": f"2026-01-01T00:00:{value:02d}Z",
    }


def _apply(
    client: ApiClient,
    path: str,
    manager: str,
    conditions: list[dict[str, Any]],
    *,
    owned: tuple[str, ...],
    fields: dict[str, Any] | None = None,
    force: bool = True,
) -> dict[str, Any]:
    """``apply_status_body`` of ``conditions`` (and ``fields``) for ``manager``, sent."""
    name, namespace = path.rsplit("/", 1)[1], path.split("/namespaces/")[1].split("/")[0]
    body = apply_status_body(
        {"conditions": conditions, **(fields or {})},
        api_version=API_VERSION,
        kind=KIND,
        name=name,
        namespace=namespace,
        owned_conditions=owned,
        owned_fields=tuple(fields or ()),
    )
    answer: dict[str, Any] = _tally.record(
        "apply",
        lambda: client.patch(f"{path}/status", body, "apply", field_manager=manager, force=force),
    )
    return answer


def _owned_keys(obj: dict[str, Any], manager: str) -> dict[str, set[str]]:
    """Per condition key (``k:{"type":"..."}``) the fields ``manager`` owns by apply."""
    entries = [
        m
        for m in obj["metadata"]["managedFields"]
        if m["manager"] == manager and m["operation"] == "Apply"
    ]
    assert len(entries) <= 1
    if not entries:
        return {}
    assert entries[0]["subresource"] == "status"
    conditions = entries[0]["fieldsV1"]["f:status"].get("f:conditions", {})
    return {key: set(fields) for key, fields in conditions.items()}


def _key(type_: str) -> str:
    return "k:" + json.dumps({"type": type_}, separators=(",", ":"))


# ------------------------------------------------------- two appliers, no clobbering


def test_two_appliers_never_clobber_and_managed_fields_show_the_split(
    client: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    world = FakeGitTargetWorld(snapshot_state="running")
    now, audit = DEMO_EPOCH, False
    for step in range(5):
        now += timedelta(seconds=30)
        live = client.get(path)
        ours = reconcile_gittarget(demo_spec(), live.get("status"), world, generation=1, now=now)
        write_apply(client, path, ours.status, manager=OURS)
        audit = not audit
        obj = _apply(client, path, AUDITOR, [foreign_condition(audit)], owned=(FOREIGN,))
        if step == 1:
            world.snapshot_state = "completed"
        stored = obj["status"]
        types = [c["type"] for c in stored["conditions"]]
        assert len(types) == len(set(types))
        assert {c.type for c in ours.status.conditions} | {FOREIGN} == set(types)
        assert next(c for c in stored["conditions"] if c["type"] == FOREIGN) == (
            foreign_condition(audit)
        )
        mine = _owned_keys(obj, OURS)
        owned = {c.type for c in ours.status.conditions} & set(OWNED_CONDITIONS)
        assert set(mine) == {_key(t) for t in owned}  # the auditor's entry is not ours
        assert set(_owned_keys(obj, AUDITOR)) == {_key(FOREIGN)}
        every = {".", "f:type", "f:status", "f:reason", "f:message", "f:lastTransitionTime"}
        assert all(every <= fields for fields in mine.values())
    final = GitTargetStatus.from_k8s(stored)
    ready = final.condition("Ready")
    assert ready is not None and ready.status is ConditionStatus.TRUE
    assert final.phase == "RUNNING"


def test_applying_another_managers_condition_conflicts_unless_forced(
    client: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    _apply(client, path, OURS, [_condition("Ready", 1)], owned=OWNED_CONDITIONS)
    _apply(client, path, AUDITOR, [foreign_condition(True)], owned=(FOREIGN,))
    grab = [foreign_condition(True), _condition("Ready", 2)]
    with pytest.raises(ApiError) as refused:
        _apply(client, path, AUDITOR, grab, owned=(FOREIGN, "Ready"), force=False)
    assert refused.value.code == 409
    assert f'conflicts with "{OURS}" with subresource "status"' in refused.value.message
    assert '.status.conditions[type="Ready"].status' in refused.value.message
    fields = {c["field"] for c in refused.value.status["details"]["causes"]}
    assert fields == {
        f'.status.conditions[type="Ready"].{f}'
        for f in ("status", "reason", "message", "lastTransitionTime")
    }
    unchanged = client.get(path)
    assert _condition("Ready", 1) in unchanged["status"]["conditions"]

    taken = _apply(client, path, AUDITOR, grab, owned=(FOREIGN, "Ready"), force=True)
    assert _condition("Ready", 2) in taken["status"]["conditions"]
    assert {"f:status", "f:reason"} <= _owned_keys(taken, AUDITOR)[_key("Ready")]
    ours_left = _owned_keys(taken, OURS).get(_key("Ready"), set())
    assert not ours_left & {"f:status", "f:reason", "f:message", "f:lastTransitionTime"}


def test_a_manager_dropping_an_owned_type_removes_only_that_type(
    client: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    both = [_condition("Ready", 1), _condition("Stalled", 2)]
    _apply(client, path, OURS, both, owned=OWNED_CONDITIONS)
    _apply(client, path, AUDITOR, [foreign_condition(True)], owned=(FOREIGN,))
    obj = _apply(client, path, OURS, [_condition("Ready", 1)], owned=OWNED_CONDITIONS)
    assert [c["type"] for c in obj["status"]["conditions"]] == ["Ready", FOREIGN]


# ------------------------------------- where the retired apply simulation was wrong


def test_equal_values_are_co_owned_so_one_manager_dropping_them_keeps_them(
    client: ApiClient, gts_namespace: str
) -> None:
    """Force moves only the fields whose values differ; equal ones become shared."""
    path, _ = create_gittarget(client, gts_namespace)
    _apply(client, path, OURS, [_condition("Ready", 1)], owned=("Ready",))
    _apply(client, path, AUDITOR, [_condition("Ready", 1)], owned=("Ready",))
    obj = _apply(client, path, AUDITOR, [], owned=("Ready",))
    assert obj["status"]["conditions"] == [_condition("Ready", 1)]  # ours still owns it


def test_an_apply_orders_the_entries_it_names_as_it_lists_them(
    client: ApiClient, gts_namespace: str
) -> None:
    """Not "existing entries stay in place": the applier's order wins among its own."""
    path, _ = create_gittarget(client, gts_namespace)
    _apply(client, path, OURS, [_condition("Ready", 1), _condition("Validated", 1)], owned=TYPES)
    _apply(client, path, AUDITOR, [foreign_condition(True)], owned=(FOREIGN,))
    grab = [foreign_condition(True), _condition("Ready", 2)]
    obj = _apply(client, path, AUDITOR, grab, owned=(FOREIGN, "Ready"))
    assert [c["type"] for c in obj["status"]["conditions"]] == ["Validated", FOREIGN, "Ready"]


def test_apply_and_update_by_one_manager_name_are_owned_apart(
    client: ApiClient, gts_namespace: str
) -> None:
    """A merge patch records operation Update; a later apply does not drop its fields."""
    path, _ = create_gittarget(client, gts_namespace)
    _apply(client, path, OURS, [_condition("Ready", 1)], owned=("Ready",))
    client.patch(f"{path}/status", {"status": {"phase": "RUNNING"}}, "merge", field_manager=OURS)
    obj = _apply(client, path, OURS, [_condition("Ready", 2)], owned=("Ready",))
    assert obj["status"]["phase"] == "RUNNING"
    operations = sorted(
        m["operation"] for m in obj["metadata"]["managedFields"] if m["manager"] == OURS
    )
    assert operations == ["Apply", "Update"]


def test_an_empty_owned_list_is_stored_as_an_empty_list(
    client: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    obj = _apply(client, path, OURS, [], owned=OWNED_CONDITIONS)
    assert obj["status"] == {"conditions": []}


# ------------------------------------------------- generated sequences, two appliers


_steps = st.lists(
    st.tuples(
        st.sampled_from([OURS, AUDITOR]),
        st.lists(
            st.tuples(st.integers(0, 1), st.integers(0, 5)), max_size=2, unique_by=lambda x: x[0]
        ),
        st.none() | st.sampled_from(["RUNNING", "SYNCING"]),
    ),
    min_size=1,
    max_size=6,
)
_OWNS = {OURS: ("Ready", "Validated"), AUDITOR: (FOREIGN, "x.io/Degraded")}


@relaxed(6, 60)
@given(steps=_steps)
def test_disjoint_appliers_never_touch_each_others_conditions(
    client: ApiClient,
    gts_namespace: str,
    steps: list[tuple[str, list[tuple[int, int]], str | None]],
) -> None:
    """Whatever each applies, when: the stored status is the union of their last applies."""
    path, _ = create_gittarget(client, gts_namespace)
    last: dict[str, dict[str, dict[str, Any]]] = {OURS: {}, AUDITOR: {}}
    phase: str | None = None
    for manager, picks, new_phase in steps:
        owned = _OWNS[manager]
        conditions = [_condition(owned[which], value) for which, value in picks]
        fields = {"phase": new_phase} if manager == OURS and new_phase else {}
        if manager == OURS:
            phase = new_phase
        obj = _apply(client, path, manager, conditions, owned=owned, fields=fields)
        last[manager] = {c["type"]: c for c in conditions}
        stored = obj.get("status", {})
        by_type = {c["type"]: c for c in stored.get("conditions", [])}
        assert len(by_type) == len(stored.get("conditions", []))
        assert by_type == {**last[OURS], **last[AUDITOR]}
        assert stored.get("phase") == phase
        for who in (OURS, AUDITOR):
            assert set(_owned_keys(obj, who)) == {_key(t) for t in last[who]}


# ------------------------------------------- merge patches: simulation vs the server


_patch_steps = st.lists(
    st.tuples(
        st.sampled_from(["fresh", "stale"]),
        st.lists(
            st.tuples(st.sampled_from(TYPES), st.integers(0, 5)),
            max_size=3,
            unique_by=lambda x: x[0],
        ),
        st.sets(st.sampled_from(TYPES), max_size=2),
        st.none() | st.sampled_from(["RUNNING", "SYNCING", "delete"]),
    ),
    min_size=1,
    max_size=6,
)


@relaxed(8, 80)
@given(steps=_patch_steps)
def test_the_merge_patch_simulation_agrees_with_the_server(
    client: ApiClient, gts_namespace: str, steps: list[tuple[str, list[Any], set[str], str | None]]
) -> None:
    """Read-modify-write merge patches, some from a stale read (no precondition)."""
    path, _ = create_gittarget(client, gts_namespace)
    simulated: dict[str, Any] = {}
    stale: dict[str, Any] = {}
    for base, upserts, removals, phase in steps:
        live = client.get(path).get("status", {})
        start = live if base == "fresh" else stale
        new = copy.deepcopy(start)
        conditions = [c for c in new.get("conditions", []) if c["type"] not in removals]
        for type_, value in upserts:
            index = next((i for i, c in enumerate(conditions) if c["type"] == type_), None)
            if index is None:
                conditions.append(_condition(type_, value))
            else:
                conditions[index] = _condition(type_, value)
        new["conditions"] = conditions
        if phase == "delete":
            new.pop("phase", None)
        elif phase is not None:
            new["phase"] = phase
        body = status_patch(start, new)
        stale = live
        if body is None:
            continue
        _tally.record("merge", partial(client.patch, f"{path}/status", body, "merge"))
        simulated = apply_merge_patch(simulated, body["status"])
        assert client.get(path).get("status", {}) == simulated


# ---------------------------------------------- the precondition and the retry merge


def test_a_stale_merge_patch_would_clobber_and_the_precondition_stops_it(
    client: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    blocked = {"conditions": [_condition("Ready", 1)]}
    client.patch(f"{path}/status", {"status": blocked}, "merge")
    read = client.get(path)
    before, version = read["status"], read["metadata"]["resourceVersion"]
    auditor = {"conditions": [*before["conditions"], foreign_condition(True)]}
    client.patch(f"{path}/status", {"status": auditor}, "merge", field_manager=AUDITOR)
    ours = GitTargetStatus.from_k8s(before)
    set_condition(
        ours, GitTargetStatus.from_k8s({"conditions": [_condition("Ready", 0)]}).conditions[0]
    )
    body = status_patch(before, ours, resource_version=version)
    assert body is not None
    with pytest.raises(ApiError) as stale:
        client.patch(f"{path}/status", body, "merge", field_manager=OURS)
    assert stale.value.code == 409
    assert "the object has been modified" in stale.value.message
    latest = client.get(path)
    merged = merge_conditions(
        GitTargetStatus.from_k8s(before),
        ours,
        GitTargetStatus.from_k8s(latest["status"]),
        OWNED_CONDITIONS,
    )
    assert merged.ok
    retry = GitTargetStatus.from_k8s(latest["status"])
    retry.conditions = merged.conditions
    body = status_patch(
        latest["status"], retry, resource_version=latest["metadata"]["resourceVersion"]
    )
    assert body is not None
    obj = _tally.record(
        "merge", lambda: client.patch(f"{path}/status", body, "merge", field_manager=OURS)
    )
    assert [c["type"] for c in obj["status"]["conditions"]] == ["Ready", FOREIGN]
    assert obj["status"]["conditions"][0]["status"] == "True"
