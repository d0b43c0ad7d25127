"""Status writes: merge patches, server-side apply with two writers, the 3-way merge,
the kopf ``patch.fns`` route and client conversions."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from gittarget_status import (
    Condition,
    GitTargetStatus,
    StatusValidationError,
    reconcile_gittarget,
)
from gittarget_status._base import KubeModel
from gittarget_status.patch import (
    apply_status_body,
    condition_from_client,
    condition_to_client,
    conditions_from_object,
    json_merge_patch,
    kopf_status_fn,
    merge_conditions,
    status_from_object,
    status_patch,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

from ._apiserver_merge import apply_merge_patch
from ._walks import Step, lifecycle_walks

T0 = datetime(2026, 1, 1, tzinfo=UTC)
GITTARGET_TYPES = (
    "Ready",
    "Validated",
    "EncryptionConfigured",
    "Bootstrapped",
    "SnapshotSynced",
    "EventStreamLive",
    "Reconciling",
    "Stalled",
)
AUDIT = "audit.example.com/Compliant"


def _c(type_: str, status: bool | str = True, reason: str = "OK", **kw: Any) -> Condition:
    kw.setdefault("last_transition_time", T0)
    return Condition(type=type_, status=status, reason=reason, **kw)


# ------------------------------------------------------------------ merge patches


def test_no_patch_when_nothing_changed() -> None:
    status = reconcile_gittarget(
        demo_spec(), None, FakeGitTargetWorld(), generation=1, now=DEMO_EPOCH
    ).status
    assert status_patch(status, status) is None
    assert status_patch(status.to_k8s(), GitTargetStatus.from_k8s(status.to_k8s())) is None
    assert status_patch(None, None) is None


def test_patch_body_shape() -> None:
    old = GitTargetStatus(observed_generation=1, conditions=[_c("Ready", False, "Blocked")])
    new = GitTargetStatus(observed_generation=2, conditions=[_c("Ready")])
    body = status_patch(old, new, resource_version="42")
    assert body == {
        "metadata": {"resourceVersion": "42"},
        "status": {"observedGeneration": 2, "conditions": [_c("Ready").to_k8s()]},
    }
    removed = status_patch({"phase": "RUNNING", "x": {"a": 1, "b": 2}}, {"x": {"a": 1}})
    assert removed == {"status": {"phase": None, "x": {"b": None}}}


@settings(max_examples=60, deadline=None)
@given(walk=lifecycle_walks())
def test_patches_reproduce_every_pipeline_write_and_vanish_at_steady_state(
    walk: list[Step],
) -> None:
    served: dict[str, Any] = {}
    for step in walk:
        new = step.outcome.status.to_k8s()
        body = status_patch(served, new)
        if not step.outcome.changed and served:
            assert body is None  # zero writes at steady state
        if body is not None:
            served = apply_merge_patch(served, body["status"])
        assert served == new


@given(
    old=st.dictionaries(st.sampled_from("abc"), st.integers() | st.lists(st.integers())),
    new=st.dictionaries(st.sampled_from("abc"), st.integers() | st.lists(st.integers())),
)
def test_json_merge_patch_is_rfc7386(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert apply_merge_patch(old, json_merge_patch(old, new)) == new


@pytest.mark.parametrize(
    ("old", "new", "patch"),
    [
        ([1, 2], [3], [3]),  # lists are replaced whole
        ({"a": 1}, 5, 5),  # an object replaced by a scalar
        (5, {"a": {"b": 1}}, {"a": {"b": 1}}),  # a scalar replaced by an object
        (None, None, None),
    ],
)
def test_json_merge_patch_of_a_non_object_is_the_new_value(old: Any, new: Any, patch: Any) -> None:
    result = json_merge_patch(old, new)
    assert result == patch
    if isinstance(new, dict):
        assert result is not new  # a copy: editing the patch leaves ``new`` alone
        result["a"]["b"] = 2
        assert new == {"a": {"b": 1}}


class Counter(KubeModel):
    """A status without conditions; counts its serializations."""

    count: int = 0
    _serialized: list[int] = PrivateAttr(default_factory=list)

    def to_k8s(self) -> dict[str, Any]:
        self._serialized.append(self.count)
        return super().to_k8s()


def test_equal_models_without_conditions_skip_the_diff() -> None:
    old, new = Counter(count=1), Counter(count=1)
    assert status_patch(old, new) is None
    assert (old._serialized, new._serialized) == ([], [])  # neither serialized
    assert status_patch(old, Counter(count=2)) == {"status": {"count": 2}}
    assert old._serialized == [1]


class PlainStatus(BaseModel):
    """A pydantic model that is not a KubeModel: dumped by alias, None left out."""

    model_config = ConfigDict(populate_by_name=True)

    ready_replicas: int | None = Field(default=None, alias="readyReplicas")
    endpoint: str | None = None


def test_a_plain_pydantic_status_is_dumped_by_alias_without_nones() -> None:
    new = PlainStatus(ready_replicas=2)
    assert status_patch(None, new) == {"status": {"readyReplicas": 2}}
    assert status_patch({"readyReplicas": 2, "endpoint": "x"}, new) == {
        "status": {"endpoint": None}
    }
    assert status_patch(new, PlainStatus(ready_replicas=2)) is None


@pytest.mark.parametrize(
    ("old", "new", "name"),
    [(None, 5, "int"), ("ready", {}, "str"), ({}, [{"type": "Ready"}], "list")],
)
def test_a_status_that_is_neither_model_nor_object_is_a_type_error(
    old: Any, new: Any, name: str
) -> None:
    with pytest.raises(TypeError) as raised:
        status_patch(old, new)
    assert str(raised.value) == f"expected a status model or a JSON object, got {name}"


# ------------------------------------------------------------ server-side apply
# (two appliers, a manager dropping a type, the stale-patch precondition: on the real
# server, in test_real_managers.py)


def test_apply_body_names_only_owned_types_and_fields() -> None:
    status = GitTargetStatus(
        observed_generation=3, phase="RUNNING", conditions=[_c("Ready"), _c(AUDIT)]
    )
    body = apply_status_body(
        status,
        api_version="configbutler.ai/v1alpha1",
        kind="GitTarget",
        name="prod",
        namespace="default",
        owned_conditions=["Ready"],
        owned_fields=["observedGeneration"],
    )
    assert body == {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": {"name": "prod", "namespace": "default"},
        "status": {"observedGeneration": 3, "conditions": [_c("Ready").to_k8s()]},
    }


def test_apply_body_without_owned_types_sends_no_condition_list() -> None:
    status = GitTargetStatus(observed_generation=3, conditions=[_c("Ready")])
    names = {"api_version": "configbutler.ai/v1alpha1", "kind": "GitTarget", "name": "prod"}
    fields_only = apply_status_body(
        status, **names, owned_conditions=(), owned_fields=["observedGeneration"]
    )
    assert fields_only["status"] == {"observedGeneration": 3}  # no list: nothing claimed
    assert fields_only["metadata"] == {"name": "prod"}
    # Owning a type that is absent sends an empty list: the server drops our old entries.
    dropped = apply_status_body(
        status, **names, owned_conditions=["Stalled"], owned_fields=["observedGeneration"]
    )
    assert dropped["status"] == {"observedGeneration": 3, "conditions": []}


# ------------------------------------------------------------- three-way merge


def test_merge_reapplies_our_changes_on_top_of_theirs() -> None:
    before = [_c("Ready", False, "Blocked"), _c("Validated")]
    after = [_c("Ready"), _c("SnapshotSynced")]  # changed Ready, added one, removed Validated
    latest = [_c("Ready", False, "Blocked"), _c("Validated"), _c(AUDIT)]
    merged = merge_conditions(before, after, latest, GITTARGET_TYPES)
    assert merged.ok
    assert [(c.type, c.status.value) for c in merged.conditions] == [
        ("Ready", "True"),
        (AUDIT, "True"),
        ("SnapshotSynced", "True"),
    ]


def test_merge_conflict_only_when_both_changed_the_same_owned_type() -> None:
    before = [_c("Ready", False, "Blocked")]
    ours = [_c("Ready")]
    theirs = [_c("Ready", False, "SomethingElse")]
    merged = merge_conditions(before, ours, theirs, ["Ready"])
    assert not merged.ok
    (conflict,) = merged.conflicts
    assert (conflict.type, conflict.ours, conflict.theirs) == ("Ready", ours[0], theirs[0])
    assert merged.conditions == theirs  # theirs kept; the caller retries
    same = merge_conditions(before, ours, ours, ["Ready"])
    assert same.ok
    assert same.conditions == ours
    not_owned = merge_conditions(before, ours, theirs, ["Validated"])
    assert not_owned.ok
    assert not_owned.conditions == theirs


def test_merge_with_nothing_read_before_or_latest() -> None:
    first = merge_conditions(None, [_c("Ready")], None, ["Ready"])
    assert (first.ok, first.changed, first.conditions) == (True, True, [_c("Ready")])
    idle = merge_conditions(None, None, None, ["Ready"])
    assert (idle.ok, idle.changed, idle.conditions) == (True, False, [])


def test_merge_onto_a_latest_read_that_dropped_a_duplicate_rewrites_it() -> None:
    ready = _c("Ready").to_k8s()
    latest = GitTargetStatus.from_k8s({"conditions": [ready, {**ready, "reason": "Again"}]})
    assert latest.dropped_on_parse  # the second Ready: kept on the server until rewritten
    merged = merge_conditions(latest, latest, latest, ["Ready"])
    assert merged.ok
    assert merged.conditions == [_c("Ready")]
    assert merged.conditions[0] is latest.conditions[0]  # the very entry read
    assert merged.changed  # same list, but writing it removes the duplicate
    clean = GitTargetStatus.from_k8s({"conditions": [ready]})
    assert not merge_conditions(clean, clean, clean, ["Ready"]).changed


conditions_lists = st.lists(
    st.builds(
        _c,
        st.sampled_from(["Ready", "Validated", AUDIT, "other.io/X"]),
        st.booleans(),
        st.sampled_from(["OK", "Blocked"]),
    ),
    max_size=4,
    unique_by=lambda c: c.type,
)


@settings(max_examples=150, deadline=None)
@given(before=conditions_lists, after=conditions_lists, latest=conditions_lists)
def test_merge_properties(
    before: list[Condition], after: list[Condition], latest: list[Condition]
) -> None:
    owned = {"Ready", "Validated"}
    merged = merge_conditions(before, after, latest, owned)
    types = [c.type for c in merged.conditions]
    assert len(types) == len(set(types))
    by_type = {c.type: c for c in merged.conditions}
    b, a, t = ({c.type: c for c in x} for x in (before, after, latest))
    conflicted = {c.type for c in merged.conflicts}
    for type_ in owned | set(b) | set(a) | set(t):
        if type_ not in owned or type_ in conflicted or a.get(type_) == b.get(type_):
            assert by_type.get(type_) == t.get(type_)  # theirs
        else:
            assert by_type.get(type_) == a.get(type_)  # ours
    for conflict in merged.conflicts:
        assert conflict.ours != conflict.before
        assert conflict.theirs != conflict.before
        assert conflict.ours != conflict.theirs
    if merged.ok:  # re-merging on top of the result changes nothing
        again = merge_conditions(before, after, merged.conditions, owned)
        assert again.conditions == merged.conditions


# ------------------------------------------------------------------ kopf route


def test_kopf_fn_is_idempotent_and_keeps_foreign_conditions() -> None:
    computed = GitTargetStatus(
        observed_generation=2, phase="RUNNING", conditions=[_c("Ready"), _c("Validated")]
    )
    fn = kopf_status_fn(
        computed,
        owned_conditions=GITTARGET_TYPES,
        owned_fields=["observedGeneration", "phase", "lastReconcileTime"],
    )
    earlier = T0 - timedelta(days=1)
    body: dict[str, Any] = {
        "metadata": {"name": "prod"},
        "status": {
            "lastReconcileTime": "2025-01-01T00:00:00Z",
            "conditions": [
                _c("Ready", last_transition_time=earlier).to_k8s(),
                _c(AUDIT).to_k8s(),
                _c("Stalled", True, "TerminalFailure").to_k8s(),
            ],
        },
    }
    fn(body)
    once = copy.deepcopy(body)
    fn(body)
    assert body == once
    status = GitTargetStatus.from_k8s(body["status"])
    assert [c.type for c in status.conditions] == ["Ready", AUDIT, "Validated"]
    ready = status.condition("Ready")
    assert ready is not None
    assert ready.last_transition_time == earlier  # status unchanged: LTT kept
    assert status.phase == "RUNNING"
    assert status.observed_generation == 2
    assert status.last_reconcile_time is None  # owned and absent from computed: removed
    empty: dict[str, Any] = {}
    fn(empty)
    assert [c["type"] for c in empty["status"]["conditions"]] == ["Ready", "Validated"]


def test_kopf_fn_removes_duplicates_of_an_owned_type_keeping_the_first() -> None:
    earlier = T0 - timedelta(days=1)
    fn = kopf_status_fn(GitTargetStatus(conditions=[_c("Ready")]), owned_conditions=["Ready"])
    foreign = _c(AUDIT).to_k8s()
    first = _c("Ready", last_transition_time=earlier).to_k8s()
    body: dict[str, Any] = {
        "status": {
            "conditions": [
                first,
                foreign,
                _c("Ready", False, "Stale").to_k8s(),
                _c("Ready", False, "Staler").to_k8s(),
            ]
        }
    }
    fn(body)
    conditions = body["status"]["conditions"]
    assert conditions == [first, foreign]
    assert conditions[0]["lastTransitionTime"] == "2025-12-31T00:00:00Z"  # status unchanged
    assert conditions[1] is foreign
    once = copy.deepcopy(body)
    fn(body)
    assert body == once


# ---------------------------------------------------------------- conversions


@dataclass
class V1Condition:  # shaped like kubernetes.client.V1Condition
    type: str | None = None
    status: str | None = None
    reason: str | None = None
    message: str | None = None
    last_transition_time: datetime | None = None
    observed_generation: int | None = None


@dataclass
class LightkubeCondition:  # shaped like lightkube.models.meta_v1.Condition
    lastTransitionTime: datetime
    message: str
    reason: str
    status: str
    type: str
    observedGeneration: int | None = None


def test_official_client_round_trip() -> None:
    condition = _c("Ready", observed_generation=4, message="all good")
    client = condition_to_client(condition, V1Condition)
    assert client == V1Condition("Ready", "True", "OK", "all good", T0, 4)
    assert condition_from_client(client) == condition
    snake = condition_to_client(condition)
    assert snake["last_transition_time"] == T0
    assert condition_from_client(snake) == condition


def test_lightkube_and_plain_dicts() -> None:
    condition = _c("Ready", False, "Blocked", message="m")
    light = condition_to_client(condition, LightkubeCondition, naming="camel")
    assert isinstance(light, LightkubeCondition)
    assert light.lastTransitionTime == T0
    assert condition_from_client(light) == condition
    as_strings = condition_to_client(condition, naming="camel", datetimes=False)
    assert as_strings["lastTransitionTime"] == "2026-01-01T00:00:00Z"
    assert condition_from_client(as_strings) == condition
    assert condition_from_client(condition.to_k8s() | {"severity": "Info"}).extra_fields == {
        "severity": "Info"
    }


class Kr8sLike:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw


class ClientObject:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return self._data


def test_reading_status_from_any_client_object() -> None:
    status = GitTargetStatus(observed_generation=2, conditions=[_c("Ready"), _c(AUDIT)])
    body = {"metadata": {"name": "prod"}, "status": status.to_k8s()}
    snake = {
        "metadata": {"name": "prod"},
        "status": {
            "observed_generation": 2,
            "conditions": [condition_to_client(c) for c in status.conditions],
        },
    }
    for obj in (body, Kr8sLike(body), ClientObject(snake)):
        assert status_from_object(GitTargetStatus, obj) == status
        assert conditions_from_object(obj) == status.conditions
    assert status_from_object(GitTargetStatus, {"metadata": {}}) == GitTargetStatus()
    duplicated = {"status": {"conditions": [_c("Ready").to_k8s(), _c("Ready", False).to_k8s()]}}
    assert conditions_from_object(duplicated) == [_c("Ready")]


def test_a_condition_is_its_own_client_form() -> None:
    condition = _c("Ready")
    assert condition_from_client(condition) is condition


@pytest.mark.parametrize("value", [object(), V1Condition(), 5], ids=type)
def test_an_object_without_condition_fields_is_refused(value: object) -> None:
    with pytest.raises(StatusValidationError) as caught:
        condition_from_client(value)
    assert caught.value.model == "Condition"
    assert caught.value.paths == ("",)
    assert caught.value.errors[0].message == (
        f"cannot read a condition from {type(value).__name__}"
    )


class Attributes:
    """An object read by attributes only (no mapping, no usable ``raw`` or ``to_dict``)."""

    def __init__(self, **attributes: Any) -> None:
        vars(self).update(attributes)


class StatusObject(ClientObject):
    """An official-client status model: ``to_dict()`` gives its snake_case JSON."""


READY_JSON = {
    "type": "Ready",
    "status": "True",
    "reason": "OK",
    "lastTransitionTime": "2026-01-01T00:00:00Z",
}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        # to_dict() that is not a mapping: the object's ``status`` attribute is read instead
        (Attributes(to_dict=lambda: ["not", "a", "dict"], status={"conditions": [READY_JSON]}),
         [_c("Ready")]),
        # a status object converted by its own to_dict() (the official client's V1...Status)
        (Attributes(status=StatusObject({"conditions": [READY_JSON]})), [_c("Ready")]),
        # a status whose to_dict() does not give a mapping: no status
        (Attributes(status=Attributes(to_dict=lambda: None)), []),
        # no status, an empty one, or one without conditions
        (Attributes(status=None), []),
        ({"status": {}}, []),
        ({"status": {"conditions": []}}, []),
        ({"status": {"observedGeneration": 1}}, []),
    ],
    ids=["to-dict-list", "status-to-dict", "status-to-dict-none", "none", "empty",
         "empty-list", "no-conditions"],
)  # fmt: skip
def test_conditions_of_unusual_client_objects(obj: object, expected: list[Condition]) -> None:
    assert conditions_from_object(obj) == expected


def test_a_status_that_is_neither_a_mapping_nor_convertible_is_refused() -> None:
    """The object's status is observed data: a typed error naming the field."""
    for call in (
        lambda: conditions_from_object(Attributes(status="Ready")),
        lambda: status_from_object(GitTargetStatus, {"status": "Ready"}),
    ):
        with pytest.raises(StatusValidationError) as caught:
            call()
        assert [(e.path, e.message) for e in caught.value.errors] == [
            ("status", "expected a JSON object, got str")
        ]


def test_with_the_real_client_classes_when_installed() -> None:
    """Optional: the official client's and lightkube's own condition classes."""
    client = pytest.importorskip("kubernetes.client", reason="kubernetes client not installed")
    condition = _c("Ready", observed_generation=2, message="m")
    v1 = condition_to_client(condition, client.V1Condition)
    assert condition_from_client(v1) == condition
    assert condition_from_client(v1.to_dict()) == condition
    meta_v1 = pytest.importorskip("lightkube.models.meta_v1", reason="lightkube not installed")
    light = condition_to_client(condition, meta_v1.Condition, naming="camel")
    assert condition_from_client(light) == condition
    assert condition_from_client(light.to_dict()) == condition
