"""Every status the GitTarget lifecycle produces is accepted by the real API server.

Through each write path the library offers (merge patch, server-side apply, kopf's
``patch.fns`` route, update-with-retry under a real 409), for every demo scenario step,
generated worlds and world-event scripts, and repaired damaged statuses. After each
write the object is read back and the stored status must be what was computed (for the
parts that writer owns; unknown fields are pruned by the server, as the schema says).
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import (
    GitTargetSpec,
    GitTargetStatus,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.patch import apply_status_body, status_patch
from gittarget_status.testing import (
    DEMO_EPOCH,
    SCENARIOS,
    FakeGitTargetWorld,
    apply_world_event,
    strategies as gs,
)
from gittarget_status.testing.control_plane import (
    PATCH_CONTENT_TYPES,
    ApiClient,
    ApiError,
    ControlPlane,
)
from gittarget_status.testing.control_plane._client import encode_body

from . import _tally
from ._real import (
    API_VERSION,
    FOREIGN,
    KIND,
    OWNED_CONDITIONS,
    OWNED_FIELDS,
    WRITE_PATHS,
    create_gittarget,
    foreign_condition,
    relaxed,
    write_retry,
)

PATHS = (*WRITE_PATHS, "retry")
APPLY, MERGE = PATCH_CONTENT_TYPES["apply"], PATCH_CONTENT_TYPES["merge"]
_METAV1_KEYS = {"type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"}


@pytest.fixture(scope="module")
def client(gittarget_api: ControlPlane) -> ApiClient:
    return gittarget_api.client


@pytest.fixture(scope="module")
def other(gittarget_api: ControlPlane) -> ApiClient:
    """A second client (own connection, own field manager): the concurrent writer."""
    plane = gittarget_api
    return ApiClient(plane.server, plane.token, str(plane.ca_file) if plane.ca_file else None)


def _toggle_foreign(status: dict[str, Any]) -> dict[str, Any]:
    """The other writer's change: add its condition, or flip it (whole list, merge patch)."""
    conditions = copy.deepcopy(status.get("conditions", []))
    mine = next((c for c in conditions if c["type"] == FOREIGN), None)
    if mine is None:
        conditions.append(foreign_condition(True))
    else:
        mine.update(foreign_condition(mine["status"] != "True"))
    return {"conditions": conditions}


def _write(
    path_kind: str, client: ApiClient, other: ApiClient, path: str, status: GitTargetStatus
) -> dict[str, Any]:
    if path_kind == "retry":
        return write_retry(client, other, path, lambda _live: status, _toggle_foreign)
    return WRITE_PATHS[path_kind](client, path, status)


def _set_spec(client: ApiClient, path: str, spec: GitTargetSpec) -> int:
    """A user's spec edit on the main resource; returns the new generation."""
    obj = client.patch(path, {"spec": spec.to_k8s()}, "merge")
    generation: int = obj["metadata"]["generation"]
    return generation


# ----------------------------------------------------------------- demo scenarios


@pytest.mark.parametrize("path_kind", PATHS)
def test_every_scenario_step_is_accepted_and_stored(
    client: ApiClient, other: ApiClient, gts_namespace: str, path_kind: str
) -> None:
    written = 0
    for scenario in SCENARIOS.values():
        path, obj = create_gittarget(client, gts_namespace, spec=scenario.spec)
        generation = obj["metadata"]["generation"]
        for record in scenario.run():
            if record.generation != generation:
                spec = next(s.spec for s in scenario.steps if s.spec is not None)
                generation = _set_spec(client, path, spec)
                assert generation == record.generation
            stored = _write(path_kind, client, other, path, record.outcome.status)
            written += 1
            assert stored["metadata"]["generation"] == generation  # status writes never bump it
    assert written == sum(len(s.steps) + 1 for s in SCENARIOS.values())


# ------------------------------------------------------- generated worlds, scripts


@relaxed(6, 60)
@given(
    spec=gs.gittarget_specs(),
    world=gs.fake_worlds(),
    script=gs.world_event_sequences(min_size=1, max_size=5),
    path_kind=st.sampled_from(PATHS),
)
def test_generated_lifecycles_are_accepted_pass_by_pass(
    client: ApiClient,
    other: ApiClient,
    gts_namespace: str,
    spec: GitTargetSpec,
    world: FakeGitTargetWorld,
    script: list[str],
    path_kind: str,
) -> None:
    """The pipeline reads what the server stored, like a controller, and writes its pass."""
    path, obj = create_gittarget(client, gts_namespace, spec=spec)
    assert obj["spec"] == spec.to_k8s()  # the generated spec is valid for the schema too
    now = DEMO_EPOCH
    _write(path_kind, client, other, path, initialize_gittarget(None, generation=1, now=now).status)
    for event in script:
        apply_world_event(world, event)
        now += timedelta(seconds=30)
        live = client.get(path)
        outcome = reconcile_gittarget(spec, live.get("status"), world, generation=1, now=now)
        if not outcome.changed:
            assert status_patch(live.get("status"), outcome.status) is None  # zero writes
            continue
        _write(path_kind, client, other, path, outcome.status)


# ------------------------------------------------------------ damaged, repaired


def _without_unknown_keys_on_owned(raw: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown keys from owned conditions: through apply that is the known bug below."""
    cleaned = copy.deepcopy(raw)
    for condition in cleaned.get("conditions", []):
        if condition.get("type") in OWNED_CONDITIONS:
            for key in set(condition) - _METAV1_KEYS:
                del condition[key]
    return cleaned


@relaxed(5, 60)
@given(
    raw=gs.damaged_statuses(max_generation=10),
    world=gs.fake_worlds(),
    spec=gs.gittarget_specs(),
    generation=st.integers(1, 12),
)
def test_repaired_damaged_statuses_are_accepted_by_every_path(
    client: ApiClient,
    other: ApiClient,
    gts_namespace: str,
    raw: dict[str, Any],
    world: FakeGitTargetWorld,
    spec: GitTargetSpec,
    generation: int,
) -> None:
    for path_kind in PATHS:
        damaged = _without_unknown_keys_on_owned(raw) if path_kind == "apply" else raw
        outcome = reconcile_gittarget(spec, damaged, world, generation=generation, now=DEMO_EPOCH)
        path, _ = create_gittarget(client, gts_namespace, spec=spec)
        _write(path_kind, client, other, path, outcome.status)


def test_apply_of_an_owned_condition_with_an_unknown_field(
    client: ApiClient, gts_namespace: str
) -> None:
    """An owned entry stored with a key the CRD does not declare is repaired, not copied.

    Server-side apply refuses such a key (500 "field not declared in schema"; a merge
    patch would prune it silently), so the pass writes the entry in strict form and reports
    the repair.
    """
    stale = SCENARIOS["happy-path"].run()
    status = list(stale)[-1].outcome.status.to_k8s()
    status["conditions"][0]["severity"] = "x"  # e.g. read from a CRD that kept it
    outcome = reconcile_gittarget(
        SCENARIOS["happy-path"].spec, status, FakeGitTargetWorld(), generation=1, now=DEMO_EPOCH
    )
    path, obj = create_gittarget(client, gts_namespace)
    body = apply_status_body(
        outcome.status,
        api_version=API_VERSION,
        kind=KIND,
        name=obj["metadata"]["name"],
        namespace=gts_namespace,
        owned_conditions=OWNED_CONDITIONS,
        owned_fields=OWNED_FIELDS,
    )
    _tally.record(
        "apply",
        lambda: client.patch(
            f"{path}/status", body, "apply", field_manager="gittarget-status", force=True
        ),
    )
    assert outcome.changed
    assert [path for path, _ in outcome.repaired] == ["conditions[0]"]
    assert all("severity" not in c for c in body["status"]["conditions"])


# ------------------------------------------------------------ the real 409 itself


def test_a_stale_put_gets_a_real_409_and_the_merge_keeps_both_writers(
    client: ApiClient, other: ApiClient, gts_namespace: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    first = initialize_gittarget(None, generation=1, now=DEMO_EPOCH).status
    _write("merge", client, other, path, first)
    live = client.get(path)
    ours = reconcile_gittarget(
        SCENARIOS["happy-path"].spec,
        live["status"],
        FakeGitTargetWorld(),
        generation=1,
        now=DEMO_EPOCH + timedelta(seconds=30),
    ).status
    stored = write_retry(client, other, path, lambda _live: ours, _toggle_foreign)
    types = [c["type"] for c in stored["status"]["conditions"]]
    assert FOREIGN in types
    assert set(OWNED_CONDITIONS) & set(types) == {c.type for c in ours.conditions}
    assert stored["status"]["phase"] == "RUNNING"


# ------------------------------------------- characters beyond U+FFFF in an apply body


#: What the server's YAML parser does with a character in an apply body, serialized by
#: json.dumps with ensure_ascii=True / ensure_ascii=False: "ok", "changed" (read back
#: different) or the 400 message. Found by the damaged-status property (a spec path of
#: U+10000, then one of U+007F): "JSON is YAML" does not hold for plain json.dumps.
_YAML_CASES = [
    ("\U0001f680", "found invalid Unicode character escape code", "ok"),
    ("\x7f", "ok", "control characters are not allowed"),
    ("\x9f", "ok", "control characters are not allowed"),
    ("\ufffe", "ok", "control characters are not allowed"),
    ("\x85", "ok", "changed"),
    ("\u2028", "ok", "ok"),
    ("\x00", "ok", "ok"),
]


def _apply_raw(client: ApiClient, path: str, data: bytes) -> str:
    params = {"fieldManager": "gittarget-status", "force": "true"}
    try:
        client.send("PATCH", f"{path}/status", data, content_type=APPLY, params=params)
    except ApiError as error:
        return f"{error.code} {error.message}"
    return "sent"


@pytest.mark.parametrize(("char", "ascii_escaped", "raw"), _YAML_CASES)
def test_apply_bodies_are_yaml_and_encode_body_makes_them_safe(
    client: ApiClient, gts_namespace: str, char: str, ascii_escaped: str, raw: str
) -> None:
    path, obj = create_gittarget(client, gts_namespace)
    message = f"a{char}b"
    conditions = [{**foreign_condition(True), "message": message}]
    body: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": obj["metadata"]["name"], "namespace": gts_namespace},
        "status": {"conditions": conditions},
    }

    def outcome(data: bytes) -> str:
        answer = _apply_raw(client, path, data)
        if answer != "sent":
            return answer
        stored = client.get(path)["status"]["conditions"][0]["message"]
        return "ok" if stored == message else "changed"

    for expected, data in (
        (ascii_escaped, json.dumps(body).encode()),
        (raw, json.dumps(body, ensure_ascii=False).encode()),
        ("ok", encode_body(body)),  # what the test client sends
    ):
        got = outcome(data)
        assert got == expected or (got.startswith("400 ") and expected in got), (data, got)
    merge = json.dumps({"status": {"conditions": conditions}}).encode()
    client.send("PATCH", f"{path}/status", merge, content_type=MERGE)  # JSON: always fine
    assert client.get(path)["status"]["conditions"][0]["message"] == message


@pytest.mark.parametrize("path_kind", PATHS)
def test_characters_beyond_the_bmp_pass_every_write_path(
    client: ApiClient, other: ApiClient, gts_namespace: str, path_kind: str
) -> None:
    spec = SCENARIOS["happy-path"].spec.model_copy(update={"path": "clusters/\U0001f680"})
    path, _ = create_gittarget(client, gts_namespace, spec=spec)
    for record in SCENARIOS["happy-path"].run():
        status = reconcile_gittarget(
            spec, client.get(path).get("status"), FakeGitTargetWorld(), generation=1,
            now=record.now,
        ).status  # fmt: skip
        _write(path_kind, client, other, path, status)
