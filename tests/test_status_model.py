"""GitTargetStatus <-> API-server JSON: exact shape, round trips, unknown fields, errors."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import Field

from gittarget_status import (
    Condition,
    GitTargetStatus,
    KubeModel,
    Phase,
    SnapshotStats,
    SnapshotStatus,
    StatusModel,
    StatusValidationError,
    StreamStatus,
    WorkerRef,
    reconcile_gittarget,
    set_condition,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec, strategies as gs

T0 = datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)
WIRE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

#: The JSON schema of the status, written out by hand: object name -> its keys.
SCHEMA: dict[str, set[str]] = {
    "status": {
        "observedGeneration",
        "phase",
        "conditions",
        "lastReconcileTime",
        "workerRef",
        "encryption",
        "bootstrap",
        "snapshot",
        "stream",
    },
    "conditions": {
        "type",
        "status",
        "observedGeneration",
        "lastTransitionTime",
        "reason",
        "message",
    },
    "workerRef": {"name", "uid"},
    "encryption": {"mode", "secretRef", "recipientsHash", "lastValidatedTime"},
    "secretRef": {"name"},
    "bootstrap": {"targetPath", "commit", "lastAppliedTime"},
    "snapshot": {"lastCompletedTime", "lastCommit", "stats"},
    "stats": {"created", "updated", "deleted"},
    "stream": {"status", "registeredTime", "lastEventTime"},
}

FULL: dict[str, Any] = {
    "observedGeneration": 7,
    "phase": "SYNCING",
    "conditions": [
        {
            "type": "Validated",
            "status": "True",
            "observedGeneration": 7,
            "lastTransitionTime": "2026-11-26T09:42:16Z",
            "reason": "OK",
            "message": "",
        },
        {
            "type": "SnapshotSynced",
            "status": "False",
            "lastTransitionTime": "2026-11-26T09:43:00Z",
            "reason": "Running",
            "message": "snapshot 3/10 files",
        },
    ],
    "lastReconcileTime": "2026-11-26T09:43:00Z",
    "workerRef": {"name": "worker-github-main", "uid": "0b1c"},
    "encryption": {
        "mode": "age",
        "secretRef": {"name": "gittarget-age"},
        "recipientsHash": "sha256:ab12",
        "lastValidatedTime": "2026-11-26T09:42:30Z",
    },
    "bootstrap": {"targetPath": "clusters/prod", "commit": "deadbeef"},
    "snapshot": {"lastCommit": "cafe", "stats": {"created": 3, "updated": 0, "deleted": 1}},
    "stream": {"status": "Registering", "registeredTime": "2026-11-26T09:43:00Z"},
}


def walk(value: object, name: str = "status") -> list[tuple[str, str, object]]:
    """Every (object name, key, value) in a JSON document, depth first."""
    found: list[tuple[str, str, object]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((name, key, item))
            found += walk(item, key)
    elif isinstance(value, list):
        for item in value:
            found += walk(item, name)
    return found


def assert_api_shape(document: dict[str, Any]) -> None:
    """camelCase keys of the schema only, nothing null or empty, times in metav1 form."""
    for parent, key, value in walk(document):
        assert key in SCHEMA[parent], f"{parent}.{key}"
        assert value is not None, f"{parent}.{key} is null"
        assert value != [], f"{parent}.{key} is an empty list"
        if key.endswith("Time"):
            assert isinstance(value, str)
            assert WIRE_TIME.fullmatch(value), f"{parent}.{key}={value}"
    for condition in document.get("conditions", []):
        assert "message" in condition


def error_paths(raw: object, *, strict: bool = False) -> tuple[str, ...]:
    with pytest.raises(StatusValidationError) as caught:
        GitTargetStatus.from_k8s(raw, strict=strict)
    assert isinstance(caught.value, ValueError)
    return caught.value.paths


# --- shape and round trips -------------------------------------------------------------------


def test_full_status_round_trips_to_exactly_the_same_json() -> None:
    status = GitTargetStatus.from_k8s(FULL)
    assert status.phase is Phase.SYNCING
    assert status.snapshot is not None
    assert status.snapshot.stats == SnapshotStats(created=3, updated=0, deleted=1)
    assert status.to_k8s() == FULL
    assert_api_shape(status.to_k8s())


def test_python_construction_serialises_to_camel_case_and_omits_unset_fields() -> None:
    status = GitTargetStatus(
        observed_generation=2,
        worker_ref=WorkerRef(name="w"),
        snapshot=SnapshotStatus(last_completed_time=T0),
    )
    set_condition(status, Condition(type="Ready", status=False, reason="Waiting"), now=T0)
    assert status.to_k8s() == {
        "observedGeneration": 2,
        "conditions": [
            {
                "type": "Ready",
                "status": "False",
                "lastTransitionTime": "2026-11-26T09:42:16Z",
                "reason": "Waiting",
                "message": "",
            }
        ],
        "workerRef": {"name": "w"},
        "snapshot": {"lastCompletedTime": "2026-11-26T09:42:16Z"},
    }


def test_an_empty_status_is_an_empty_object() -> None:
    assert GitTargetStatus().to_k8s() == {}
    assert GitTargetStatus.from_k8s({}) == GitTargetStatus()


@given(gs.gittarget_statuses())
def test_generated_statuses_round_trip(status: GitTargetStatus) -> None:
    document = status.to_k8s()
    assert_api_shape(document)
    assert GitTargetStatus.from_k8s(document) == status
    assert GitTargetStatus.from_k8s(document, strict=True) == status
    assert json.loads(json.dumps(document)) == document


@given(gs.gittarget_statuses())
def test_only_set_fields_are_written(status: GitTargetStatus) -> None:
    document = status.to_k8s()
    present = {
        "observedGeneration": status.observed_generation is not None,
        "phase": status.phase is not None,
        "conditions": bool(status.conditions),
        "lastReconcileTime": status.last_reconcile_time is not None,
        "workerRef": status.worker_ref is not None,
        "encryption": status.encryption is not None,
        "bootstrap": status.bootstrap is not None,
        "snapshot": status.snapshot is not None,
        "stream": status.stream is not None,
    }
    assert set(document) == {key for key, is_set in present.items() if is_set}


def reorder(value: Any) -> Any:
    """The same JSON with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reorder(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reorder(item) for item in value]
    return value


@given(gs.gittarget_statuses())
def test_equal_inputs_give_byte_identical_output(status: GitTargetStatus) -> None:
    document = status.to_k8s()
    dumped = json.dumps(document)
    assert json.dumps(GitTargetStatus.from_k8s(document).to_k8s()) == dumped
    assert json.dumps(GitTargetStatus.from_k8s(copy.deepcopy(document)).to_k8s()) == dumped
    # Conditions read are written back as read, key order included; the rest is ours.
    reordered = reorder(document)
    again = GitTargetStatus.from_k8s(reordered).to_k8s()
    assert json.dumps(again.get("conditions")) == json.dumps(reordered.get("conditions"))
    assert json.dumps(again, sort_keys=True) == json.dumps(document, sort_keys=True)


# --- unknown fields ------------------------------------------------------------------------------

WITH_UNKNOWN: dict[str, Any] = {
    "observedGeneration": 1,
    "futureField": {"nested": [1, "two", None]},
    "conditions": [
        {
            "type": "other.io/Synced",
            "status": "True",
            "lastTransitionTime": "2026-11-26T09:42:16Z",
            "reason": "Theirs",
            "message": "",
            "severity": "Info",
        }
    ],
    "workerRef": {"name": "w", "namespace": "gittarget-system"},
    "encryption": {"secretRef": {"name": "s", "key": "age.key"}},
    "snapshot": {"stats": {"created": 1, "updated": 2, "deleted": 3, "skipped": 4}},
    "stream": {"status": "Live", "lag": "2s"},
}


def test_unknown_fields_survive_the_round_trip_everywhere() -> None:
    status = GitTargetStatus.from_k8s(WITH_UNKNOWN)
    assert status.to_k8s() == WITH_UNKNOWN
    assert status.model_extra == {"futureField": {"nested": [1, "two", None]}}


def test_unknown_fields_survive_updates_of_the_status() -> None:
    status = GitTargetStatus.from_k8s(WITH_UNKNOWN)
    set_condition(status, Condition(type="Ready", status=True, reason="OK"), now=T0)
    status.phase = Phase.RUNNING
    status.observedGeneration = 2
    document = status.to_k8s()
    assert document["futureField"] == WITH_UNKNOWN["futureField"]
    assert document["conditions"][0] == WITH_UNKNOWN["conditions"][0]
    assert document["snapshot"] == WITH_UNKNOWN["snapshot"]
    assert (document["phase"], document["observedGeneration"]) == ("RUNNING", 2)
    rebuilt = GitTargetStatus(conditions=status.conditions, snapshot=status.snapshot)
    assert rebuilt.to_k8s()["snapshot"] == WITH_UNKNOWN["snapshot"]


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"futureField": 1}, "futureField"),
        ({"conditions": [{**FULL["conditions"][0], "severity": "x"}]}, "conditions[0].severity"),
        ({"workerRef": {"name": "w", "namespace": "n"}}, "workerRef.namespace"),
        ({"snapshot": {"stats": {"skipped": 1}}}, "snapshot.stats.skipped"),
        ({"encryption": {"secretRef": {"name": "s", "key": "k"}}}, "encryption.secretRef.key"),
    ],
)
def test_strict_parse_and_python_construction_reject_unknown_fields(
    raw: dict[str, Any], path: str
) -> None:
    assert error_paths(raw, strict=True) == (path,)
    with pytest.raises(StatusValidationError) as caught:
        GitTargetStatus(**raw)
    assert caught.value.paths == (path,)


def test_assignment_accepts_both_spellings_and_refuses_unknown_names() -> None:
    status = GitTargetStatus()
    status.observedGeneration = 3
    assert status.observed_generation == 3
    assert status.to_k8s() == {"observedGeneration": 3}
    with pytest.raises(StatusValidationError) as caught:
        status.observed_generaton = 4
    assert caught.value.paths == ("observed_generaton",)
    with pytest.raises(StatusValidationError) as caught_value:
        status.observed_generation = -1
    assert caught_value.value.paths == ("observed_generation",)
    assert status.to_k8s() == {"observedGeneration": 3}


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("conditions", [{**FULL["conditions"][0], "severity": "x"}], "conditions[0].severity"),
        ("worker_ref", {"name": "w", "namespace": "n"}, "worker_ref.namespace"),
        ("snapshot", {"stats": {"skipped": 1}}, "snapshot.stats.skipped"),
    ],
)
def test_assigned_values_are_python_input_and_refuse_unknown_fields(
    field: str, value: object, path: str
) -> None:
    status = GitTargetStatus.from_k8s(WITH_UNKNOWN)
    before = status.to_k8s()
    with pytest.raises(StatusValidationError) as caught:
        setattr(status, field, value)
    assert caught.value.paths == (path,)
    assert status.to_k8s() == before


def test_assigning_parsed_values_back_keeps_their_unknown_fields() -> None:
    status = GitTargetStatus.from_k8s(WITH_UNKNOWN)
    status.conditions = list(status.conditions)
    status.stream = status.stream
    assert status.to_k8s() == WITH_UNKNOWN


def test_copies_own_their_condition_list() -> None:
    original = GitTargetStatus.from_k8s(FULL)
    for duplicate in (original.model_copy(), copy.copy(original), copy.deepcopy(original)):
        assert duplicate == original
        set_condition(duplicate, Condition(type="Ready", status=True, reason="OK"), now=T0)
        assert duplicate != original
        assert original.to_k8s() == FULL
    updated = original.model_copy(update={"phase": Phase.RUNNING})
    assert (updated.phase, original.phase) == (Phase.RUNNING, Phase.SYNCING)


def test_detail_objects_are_immutable_values() -> None:
    ref = WorkerRef(name="w")
    with pytest.raises(ValueError, match="frozen"):
        ref.name = "other"  # type: ignore[misc]
    assert ref.name == "w"


# --- duplicates ----------------------------------------------------------------------------

FIRST = {"type": "Ready", "status": "True", "reason": "OK", "message": "first"}
SECOND = {"type": "Ready", "status": "False", "reason": "Later", "message": "second"}
OTHER = {"type": "Validated", "status": "True", "reason": "OK", "message": ""}


def test_lenient_parse_keeps_the_first_duplicate_and_reports_the_rest() -> None:
    status = GitTargetStatus.from_k8s({"conditions": [FIRST, OTHER, SECOND]})
    assert [c.to_k8s() for c in status.conditions] == [FIRST, OTHER]
    assert status.dropped_on_parse == (("conditions[2]", SECOND),)
    assert GitTargetStatus.from_k8s({"conditions": [FIRST]}).dropped_on_parse == ()


def test_equality_is_about_content_not_parse_history() -> None:
    deduplicated = GitTargetStatus.from_k8s({"conditions": [FIRST, OTHER, SECOND]})
    clean = GitTargetStatus.from_k8s({"conditions": [FIRST, OTHER]})
    assert deduplicated.dropped_on_parse != clean.dropped_on_parse
    assert deduplicated == clean
    assert deduplicated != GitTargetStatus.from_k8s({"conditions": [FIRST]})
    assert deduplicated != GitTargetStatus.from_k8s({"conditions": [FIRST, OTHER], "x": 1})
    assert Condition.from_k8s(FIRST) == Condition(**FIRST)
    assert hash(Condition.from_k8s(FIRST)) == hash(Condition(**FIRST))


def test_strict_parse_and_python_construction_reject_duplicates() -> None:
    assert error_paths({"conditions": [FIRST, OTHER, SECOND]}, strict=True) == ("conditions",)
    with pytest.raises(StatusValidationError) as caught:
        GitTargetStatus(conditions=[FIRST, SECOND])
    assert caught.value.paths == ("conditions",)


@given(gs.condition_lists(min_size=1, max_size=4), st.data())
def test_lenient_parse_of_any_duplicated_list_keeps_the_first_of_each_type(
    conditions: list[Condition], data: st.DataObject
) -> None:
    extra = data.draw(st.lists(st.sampled_from(conditions), min_size=1, max_size=4))
    document = [c.to_k8s() for c in conditions] + [c.to_k8s() for c in extra]
    status = GitTargetStatus.from_k8s({"conditions": document})
    assert status.conditions == conditions
    assert [path for path, _ in status.dropped_on_parse] == [
        f"conditions[{len(conditions) + i}]" for i in range(len(extra))
    ]


# --- invalid input -------------------------------------------------------------------------


@given(gs.condition_lists(max_size=3), gs.invalid_conditions(), st.data())
def test_an_invalid_condition_is_reported_at_its_json_path(
    valid: list[Condition], case: tuple[dict[str, Any], str], data: st.DataObject
) -> None:
    raw, field = case
    index = data.draw(st.integers(0, len(valid)))
    document = [c.to_k8s() for c in valid]
    document.insert(index, raw)
    assert error_paths({"conditions": document}) == (f"conditions[{index}].{field}",)


INVALID_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"observedGeneration": -1}, "observedGeneration"),
    ({"observedGeneration": 2**63}, "observedGeneration"),
    ({"observedGeneration": True}, "observedGeneration"),
    ({"observedGeneration": "1"}, "observedGeneration"),
    ({"observedGeneration": 1.0}, "observedGeneration"),
    ({"conditions": {}}, "conditions"),
    ({"conditions": "Ready"}, "conditions"),
    ({"conditions": [None]}, "conditions[0]"),
    ({"conditions": ["Ready"]}, "conditions[0]"),
    ({"lastReconcileTime": "2026-11-26"}, "lastReconcileTime"),
    ({"lastReconcileTime": 0}, "lastReconcileTime"),
    ({"workerRef": "w"}, "workerRef"),
    ({"workerRef": {}}, "workerRef.name"),
    ({"workerRef": {"name": 5}}, "workerRef.name"),
    ({"workerRef": {"name": "w", "uid": 5}}, "workerRef.uid"),
    ({"encryption": {"mode": 1}}, "encryption.mode"),
    ({"encryption": {"secretRef": {}}}, "encryption.secretRef.name"),
    ({"encryption": {"recipientsHash": ["a"]}}, "encryption.recipientsHash"),
    ({"encryption": {"lastValidatedTime": "2026-11-26T09:42:16"}}, "encryption.lastValidatedTime"),
    ({"bootstrap": {"targetPath": 5}}, "bootstrap.targetPath"),
    ({"bootstrap": {"commit": False}}, "bootstrap.commit"),
    ({"bootstrap": {"lastAppliedTime": 1.5}}, "bootstrap.lastAppliedTime"),
    ({"snapshot": {"lastCompletedTime": "yesterday"}}, "snapshot.lastCompletedTime"),
    ({"snapshot": {"lastCommit": 1}}, "snapshot.lastCommit"),
    ({"snapshot": {"stats": []}}, "snapshot.stats"),
    ({"snapshot": {"stats": {"created": -1}}}, "snapshot.stats.created"),
    ({"snapshot": {"stats": {"updated": 1.5}}}, "snapshot.stats.updated"),
    ({"snapshot": {"stats": {"deleted": True}}}, "snapshot.stats.deleted"),
    ({"snapshot": {"stats": {"created": "3"}}}, "snapshot.stats.created"),
    ({"snapshot": {"stats": {"created": 2**63}}}, "snapshot.stats.created"),
    ({"stream": {"status": 1}}, "stream.status"),
    ({"stream": {"registeredTime": "2026-11-26T09:42:16"}}, "stream.registeredTime"),
    ({"stream": {"lastEventTime": 1.0}}, "stream.lastEventTime"),
]


@pytest.mark.parametrize(("raw", "path"), INVALID_FIELDS, ids=[p for _, p in INVALID_FIELDS])
def test_every_invalid_status_field_is_reported_at_its_json_path(
    raw: dict[str, Any], path: str
) -> None:
    assert error_paths({**FULL, **raw}) == (path,)


def test_errors_in_several_fields_are_all_reported() -> None:
    raw = {"observedGeneration": -1, "phase": "x", "snapshot": {"stats": {"created": -1}}}
    assert set(error_paths(raw)) == {"observedGeneration", "snapshot.stats.created"}
    assert set(error_paths(raw, strict=True)) == {
        "observedGeneration",
        "phase",
        "snapshot.stats.created",
    }


@pytest.mark.parametrize("phase", ["Running", "", 1, "UPGRADING"])
def test_an_unknown_phase_is_dropped_leniently_and_rejected_strictly(phase: object) -> None:
    status = GitTargetStatus.from_k8s({**FULL, "phase": phase})
    assert status.phase is None
    assert status.dropped_on_parse == (("phase", phase),)
    assert error_paths({**FULL, "phase": phase}, strict=True) == ("phase",)
    with pytest.raises(StatusValidationError):
        GitTargetStatus(phase=phase)


@pytest.mark.parametrize("raw", [None, [], "status", 5, b"{}", [("phase", "RUNNING")]])
def test_non_object_input_is_rejected(raw: object) -> None:
    assert error_paths(raw) == ("",)


def test_condition_objects_in_read_json_are_taken_as_built() -> None:
    """A status dict mixing Condition objects and JSON (a caller's own merge): only the
    JSON entries are kept as read; the objects are written canonically."""
    built = Condition(type="Ready", status=True, reason="OK", last_transition_time=T0)
    raw = {"type": "Other", "status": "False", "reason": "No", "message": "",
           "lastTransitionTime": "2026-11-26T09:42:16Z", "severity": "Info"}  # fmt: skip
    status = GitTargetStatus.from_k8s({"conditions": [built, raw]})
    assert status.conditions[0] == built
    assert status.conditions[0].stored_json is None
    assert status.conditions[1].stored_json == raw
    assert status.to_k8s()["conditions"] == [built.to_k8s(), raw]


class _Note(KubeModel):
    text: str = ""


class _WithExcluded(StatusModel):
    """Fields a user keeps in memory only: ``Field(exclude=True)`` leaves the dump."""

    cache: list[_Note] = Field(default_factory=list, exclude=True)
    scratch: _Note | None = Field(default=None, exclude=True)
    kept: list[_Note] = Field(default_factory=list)


def test_fields_excluded_from_the_dump_stay_out_of_the_api_json() -> None:
    status = _WithExcluded(cache=[_Note(text="a")], scratch=_Note(text="b"), kept=[_Note(text="c")])
    assert status.to_k8s() == {"kept": [{"text": "c"}]}
    set_condition(status, Condition(type="Ready", status=True, reason="Done"), now=DEMO_EPOCH)
    body = status.to_k8s()
    assert sorted(body) == ["conditions", "kept"]
    assert status.cache == [_Note(text="a")]  # still there in memory


def _running_json() -> dict[str, Any]:
    world = FakeGitTargetWorld()
    outcome = reconcile_gittarget(demo_spec(), None, world, generation=1, now=DEMO_EPOCH)
    return outcome.status.to_k8s()


def test_fully_given_frozen_models_share_one_fields_set_and_copies_own_theirs() -> None:
    """Memory: one frozen fields set per class for every fully given frozen model (what the
    API server stores), not one each; copies get a mutable one of their own."""
    first = GitTargetStatus.from_k8s(_running_json())
    second = GitTargetStatus.from_k8s(_running_json())
    for a, b in [
        (first.encryption, second.encryption),
        (first.worker_ref, second.worker_ref),
        (first.bootstrap, second.bootstrap),
        (first.conditions[0], second.conditions[0]),
    ]:
        assert a is not None and b is not None
        assert a.model_fields_set is b.model_fields_set
        assert a.model_fields_set == set(type(a).model_fields)
    assert first.conditions[0].model_fields_set is first.conditions[1].model_fields_set
    assert type(first.model_fields_set) is set  # the mutable root keeps its own

    ref = first.worker_ref
    assert ref is not None
    for copied in (ref.model_copy(), copy.copy(ref), copy.deepcopy(ref)):
        assert type(copied.model_fields_set) is set and copied == ref
    renamed = ref.model_copy(update={"name": "other"})
    assert renamed.name == "other" and "name" in renamed.model_fields_set
    assert second.worker_ref is not None and second.worker_ref.name == ref.name  # untouched

    partial = WorkerRef(name="w")  # not every field given: its own set, as pydantic makes it
    assert partial.model_fields_set == {"name"} and type(partial.model_fields_set) is set


def test_unknown_fields_accepted_on_read_stay_accepted_through_copies_and_assignment() -> None:
    """What a lenient parse kept is not new input: a copy, a deep copy, a status copy, an
    assignment or a new status built from the parsed parts keeps it; a dict with an
    unknown field, nested in new input, is still refused."""
    status = GitTargetStatus.from_k8s(WITH_UNKNOWN)
    stream = status.stream
    assert stream is not None
    for again in (copy.copy(stream), copy.deepcopy(stream), stream.model_copy()):
        rebuilt = GitTargetStatus(stream=again, conditions=list(status.conditions))
        assert rebuilt.to_k8s()["stream"] == WITH_UNKNOWN["stream"]
    for duplicate in (status.__copy__(), copy.deepcopy(status)):
        duplicate.phase = Phase.RUNNING  # validates the status again, unknown fields and all
        duplicate.stream = stream
        assert duplicate.to_k8s()["futureField"] == WITH_UNKNOWN["futureField"]
    with pytest.raises(StatusValidationError, match="unknown field"):
        status.stream = {"status": "Live", "typo": 1}  # type: ignore[assignment]
    with pytest.raises(StatusValidationError, match="unknown field"):
        GitTargetStatus(stream={"status": "Live", "typo": 1})
    with pytest.raises(StatusValidationError, match="unknown field"):
        GitTargetStatus.from_k8s(WITH_UNKNOWN, strict=True)
    # Unknown fields that no parse accepted (pydantic's unvalidated model_construct) are
    # new input wherever they are validated.
    constructed = StreamStatus.model_construct(status="Live", typo=1)
    with pytest.raises(StatusValidationError, match="unknown field"):
        GitTargetStatus(stream=constructed)
