"""Whole statuses in the API server's stored form are built without pydantic (``_stored``).

Two kinds of test. A differential one: for any status JSON at or near the stored form,
``from_k8s`` with the direct build gives exactly what pydantic alone gives (every model
of the tree: class, values and their types, fields set, extras, private attributes, and
the root's notes), or the same error. And a table of models, GitTarget's and a user's, for
which a recipe is or is not derived from the fields: anything a recipe cannot stand for
(a validator of the model's own, a constraint, a strict enum, a validator after a
``Stored`` marker) must leave the model to pydantic.
"""

from __future__ import annotations

import copy
import pickle
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any

import pytest
from hypothesis import given, strategies as st
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    field_validator,
)

from _pydantic_only import pydantic_only
from gittarget_status import GitTargetStatus, StatusModel, StatusValidationError, _stored
from gittarget_status._base import KubeModel, shared_fields_set
from gittarget_status._stored import _recipe, as_stored
from gittarget_status.conditions import KubeTime, Stored, _model, parse_kube_time
from gittarget_status.gittarget import WorkerRef
from gittarget_status.testing import (
    assert_stored_build_matches,
    model_tree,
    stored_build_mismatch,
    strategies as gs,
)

_ODD_VALUES: list[Any] = [
    None,
    "",
    "x",
    "ünïcode",
    0,
    -1,
    2**63,
    True,
    1.0,
    "1",
    [],
    {},
    {"a": None},
    "2026-01-01T12:00:00Z",
    "2026-01-01T12:00:00.5Z",
    "2026-01-01T12:00:00+02:00",
    "Running",
    "NotAPhase",
]


def _ascii(status: GitTargetStatus) -> dict[str, Any]:
    """``status`` as stored, with ASCII condition messages (the strategies favour
    multi-byte ones, which the direct build leaves to pydantic)."""
    data = status.to_k8s()
    for entry in data.get("conditions", []):
        entry["message"] = entry["message"].encode("ascii", "ignore").decode()
    return data


_STORED = gs.gittarget_statuses().map(_ascii)


@st.composite
def _near_stored(draw: st.DrawFn) -> dict[str, Any]:
    """Stored status JSON with one value (at any depth) replaced, removed or added."""
    data: dict[str, Any] = draw(_STORED)
    node: Any = data
    while True:
        if isinstance(node, list):
            if not node:
                break
            node = node[draw(st.integers(0, len(node) - 1))]
            continue
        if not isinstance(node, dict) or not node or draw(st.booleans()):
            break
        key = draw(st.sampled_from(sorted(node)))
        if not isinstance(node[key], dict | list) or draw(st.booleans()):
            break
        node = node[key]
    if not isinstance(node, dict):
        return data
    action = draw(st.sampled_from(["replace", "remove", "add", "respell"]))
    if action == "add" or not node:
        node[draw(st.sampled_from(["severity", "observed_generation", "extra"]))] = draw(
            st.sampled_from(_ODD_VALUES)
        )
        return data
    key = draw(st.sampled_from(sorted(node)))
    if action == "replace":
        node[key] = draw(st.sampled_from(_ODD_VALUES))
    elif action == "remove":
        del node[key]
    else:
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
        node[snake] = node.pop(key)
    return data


def _notes(status: StatusModel) -> tuple[object, ...]:
    read = status._read_info()
    assert read is not None
    return (read.stored, read.dropped, read.normalised, read.odd, status.to_k8s())


def _parse(data: dict[str, Any], strict: bool) -> object:
    try:
        return GitTargetStatus.from_k8s(data, strict=strict)
    except StatusValidationError as exc:
        return exc


@given(st.one_of(_STORED, _near_stored()), st.booleans())
def test_a_status_built_directly_is_the_one_pydantic_builds(
    data: dict[str, Any], strict: bool
) -> None:
    fast = _parse(data, strict)
    with pydantic_only():
        slow = _parse(data, strict)
    if isinstance(slow, StatusValidationError):
        assert isinstance(fast, StatusValidationError)
        assert fast.errors == slow.errors
        return
    assert isinstance(fast, GitTargetStatus)
    assert isinstance(slow, GitTargetStatus)
    assert model_tree(fast) == model_tree(slow)
    assert _notes(fast) == _notes(slow)
    assert fast == slow


@given(_STORED)
def test_every_stored_status_takes_the_direct_build(data: dict[str, Any]) -> None:
    """Without this, the differential test above could be comparing pydantic to itself."""
    built = as_stored(GitTargetStatus, data)
    assert isinstance(built, GitTargetStatus)
    assert built.to_k8s() == data


def test_frozen_models_share_one_empty_extras_dict_that_refuses_changes() -> None:
    data = {"name": "w", "uid": "u"}
    first, second = (as_stored(WorkerRef, data) for _ in range(2))
    assert isinstance(first, WorkerRef) and isinstance(second, WorkerRef)
    assert first.__pydantic_extra__ is second.__pydantic_extra__ == {}
    with pytest.raises(TypeError):
        first.__pydantic_extra__["x"] = 1  # type: ignore[index]
    changed = first.model_copy(update={"severity": "high"})  # pydantic adds it in place
    assert changed.model_extra == {"severity": "high"} and first.model_extra == {}
    assert copy.deepcopy(first).__pydantic_extra__ == {}
    assert pickle.loads(pickle.dumps(first)) == first


def test_fully_given_frozen_models_share_one_fields_set_per_class() -> None:
    every = shared_fields_set(WorkerRef)
    assert every is shared_fields_set(WorkerRef) == frozenset(WorkerRef.model_fields)
    built = as_stored(WorkerRef, {"name": "w", "uid": "u"})
    assert built is not None and built.__pydantic_fields_set__ is every
    assert shared_fields_set(GitTargetStatus) is None  # mutable: each its own


def test_the_direct_build_gives_each_status_its_own_mutable_parts() -> None:
    first = as_stored(GitTargetStatus, {})
    second = as_stored(GitTargetStatus, {})
    assert isinstance(first, GitTargetStatus) and isinstance(second, GitTargetStatus)
    assert first.conditions == [] and first.conditions is not second.conditions
    assert first.__pydantic_fields_set__ is not second.__pydantic_fields_set__
    assert first.__pydantic_private__ is not second.__pydantic_private__


class _Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class _Leaf(KubeModel):
    colour: _Colour | None = None
    count: int = 0
    flag: bool | None = None
    seen: KubeTime | None = None


class _Tree(StatusModel):
    """A user's status: their own detail model, a list default, a private attribute."""

    leaf: _Leaf | None = None
    tags_seen: str = ""
    _cache: int | None = PrivateAttr(default=None)


class _Validated(KubeModel):
    name: str

    @field_validator("name")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class _Constrained(KubeModel):
    name: Annotated[str, Field(max_length=3)]
    count: int = Field(default=0, ge=1, lt=10)


class _Pattern(KubeModel):
    name: Annotated[str, Field(pattern="^a")]


class _StrictEnum(KubeModel):
    colour: Annotated[_Colour, Field(strict=True)]


def _not_future(moment: datetime) -> datetime:
    raise ValueError("after the marker: must run")


class _AfterMarker(KubeModel):
    seen: Annotated[KubeTime, AfterValidator(_not_future)]


class _AfterOptionalMarker(KubeModel):
    seen: Annotated[KubeTime | None, AfterValidator(_not_future)] = None


class _Choices(KubeModel):
    name: str = Field(validation_alias=AliasChoices("name", "title"))


class _PostInit(KubeModel):
    name: str = ""

    def model_post_init(self, context: Any, /) -> None:
        object.__setattr__(self, "name", self.name + "!")


class _MutableDefault(KubeModel):
    names: list[str] = Field(default_factory=list)
    other: list[str] = ["shared"]  # noqa: RUF012 (pydantic copies it: left to pydantic)


class _Floats(KubeModel):
    ratio: float = 0.0


class _Stripped(KubeModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = ""


class _ValidatedDefault(KubeModel):
    name: str = Field(default="", validate_default=True)


class _FactoryOfData(KubeModel):
    name: str = ""
    label: str = Field(default_factory=lambda data: data["name"])


class _MutablePrivate(KubeModel):
    name: str = ""
    _seen: list[str] = PrivateAttr(default_factory=list)


class _Either(KubeModel):
    value: int | str = 0


class _Level(IntEnum):
    LOW = 1


class _IntEnum(KubeModel):
    level: _Level = _Level.LOW


class _Root(RootModel[str]):
    pass


class _Closed(KubeModel):
    """No unknown fields allowed: pydantic keeps no extras dict, and neither does the build."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    _note: str = PrivateAttr()  # no default: pydantic leaves it unset


class _ListPrivate(KubeModel):
    _seen: list[str] = PrivateAttr(default=[])  # pydantic copies it per model


class _CheckedColour(KubeModel):
    colour: Annotated[_Colour, AfterValidator(lambda colour: colour)] = _Colour.RED


class _Nested(KubeModel):
    inner: _Validated | None = None


class _Self(KubeModel):
    child: _Self | None = None
    name: str = ""


@pytest.mark.parametrize(
    ("model", "has_recipe"),
    [
        (GitTargetStatus, True),
        (_Tree, True),
        (_Leaf, True),
        (_Self, True),
        (_Validated, False),  # a field validator of its own
        (_Constrained, True),  # bounds and lengths on exact types are checked
        (_Pattern, False),  # a pattern is left to pydantic
        (_StrictEnum, False),  # strict refuses the plain value
        (_AfterMarker, False),  # a validator after KubeTime's marker
        (_AfterOptionalMarker, False),  # the same, outside an optional KubeTime
        (_Choices, False),  # several keys for one field
        (_PostInit, False),  # its own model_post_init
        (_MutableDefault, False),  # a mutable default pydantic copies
        (_Floats, False),  # a float field takes ints too: not one exact type
        (_Nested, True),  # built while its unbuildable child is absent
        (_Stripped, False),  # a setting that changes strings
        (_ValidatedDefault, False),  # pydantic validates the default
        (_FactoryOfData, False),  # a default made from the other fields
        (_MutablePrivate, False),  # a private default pydantic makes per model
        (_Either, False),  # a union of two types
        (_IntEnum, False),  # an enum of ints: JSON gives more than one form
        (_Root, False),  # a root model: no fields by key
        (_Closed, True),
        (_CheckedColour, False),  # an enum with a validator of its own
        (_ListPrivate, False),  # a private default pydantic copies per model
    ],
)
def test_a_recipe_is_derived_only_where_it_stands_for_every_rule(
    model: type[BaseModel], has_recipe: bool
) -> None:
    _recipe._RECIPES.pop(model, None)
    assert (_recipe._recipe_of(model) is not None) is has_recipe


@pytest.mark.parametrize(
    "data",
    [
        {"leaf": {"colour": "red", "count": 3, "flag": True, "seen": "2026-01-01T12:00:00Z"}},
        {"leaf": {}, "tagsSeen": "a,b", "observedGeneration": 2},
        {},
    ],
)
def test_a_users_status_is_built_directly_and_equals_pydantics(data: dict[str, Any]) -> None:
    built = as_stored(_Tree, data)
    assert isinstance(built, _Tree)
    with pydantic_only():
        validated = _Tree.from_k8s(data)
    assert model_tree(built) == model_tree(validated)
    assert built.__pydantic_private__ == {"_read": None, "_cache": None}


@pytest.mark.parametrize(
    "data",
    [
        {"leaf": {"colour": "green"}},  # not a member
        {"leaf": {"count": True}},  # a bool is not an int here
        {"leaf": {"count": 1.0}},
        {"leaf": {"seen": "2026-01-01T12:00:00.5Z"}},  # normalised on read
        {"leaf": None},  # a null: left to pydantic
        {"tags_seen": "a"},  # the Python name, not the JSON one
        {"unknown": 1},
        {"conditions": [{"type": "Ready", "status": "True", "reason": "OK"}]},  # no LTT
    ],
)
def test_anything_outside_the_stored_form_is_left_to_pydantic(data: dict[str, Any]) -> None:
    assert as_stored(_Tree, data) is None


@pytest.mark.parametrize(
    ("data", "built"),
    [
        ({"name": "abc"}, True),
        ({"name": "abcd"}, False),
        ({"name": "", "count": 1}, True),
        ({"name": "a", "count": 0}, False),  # the default is not checked, a value is
        ({"name": "a", "count": 9}, True),
        ({"name": "a", "count": 10}, False),
    ],
)
def test_bounds_and_lengths_are_checked_or_left_to_pydantic(
    data: dict[str, Any], built: bool
) -> None:
    result = as_stored(_Constrained, data)
    assert (result is not None) is built
    if result is not None:
        assert model_tree(result) == model_tree(_Constrained.from_k8s(data))
    else:
        with pytest.raises(StatusValidationError):
            _Constrained.from_k8s(data)


def test_a_closed_model_is_built_as_pydantic_builds_it() -> None:
    built = as_stored(_Closed, {"name": "a"})
    assert isinstance(built, _Closed)
    assert model_tree(built) == model_tree(_Closed.model_validate({"name": "a"}))
    assert built.__pydantic_extra__ is None and built.__pydantic_private__ == {}
    assert as_stored(_Closed, {}) is None  # a required field missing: pydantic's error
    assert as_stored(_Constrained, {"name": "a", "count": "1"}) is None  # not an int


def test_only_a_status_of_values_that_render_as_read_is_snapshotted() -> None:
    assert _stored.snapshot(_Tree()) is None  # not built by a recipe that renders as read
    assert not _stored.renders_as_read_tree(_Validated(name="a"))  # no recipe at all
    leaf = as_stored(_Leaf, {"count": 1})
    assert leaf is not None and _stored.renders_as_read_tree(leaf)


def test_a_marker_names_its_reader() -> None:
    assert repr(Stored(_not_future)) == "Stored('_not_future')"


def test_a_child_without_a_recipe_leaves_its_parent_to_pydantic() -> None:
    assert as_stored(_Nested, {}) == _Nested()
    assert as_stored(_Nested, {"inner": {"name": "a"}}) is None


def test_a_model_nesting_itself_is_built_at_every_depth() -> None:
    built = as_stored(_Self, {"name": "a", "child": {"name": "b", "child": {}}})
    assert isinstance(built, _Self)
    assert built.child is not None and built.child.child == _Self()


def _alphabetical(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its keys sorted at every level, as Go's JSON of a map writes them
    (what a real API server hands back)."""
    return {
        key: _alphabetical(value)
        if isinstance(value, dict)
        else [_alphabetical(item) for item in value]
        if isinstance(value, list)
        else value
        for key, value in sorted(data.items())
    }


@given(_STORED, st.booleans())
def test_a_status_read_as_stored_gives_back_exactly_what_was_read(
    data: dict[str, Any], sort_keys: bool
) -> None:
    """Kept as a snapshot or as the JSON itself, ``stored_json`` is what was read, and each
    condition's JSON is the entry read, key order included, even after the status
    changes."""
    if sort_keys:
        data = _alphabetical(data)
    status = GitTargetStatus.from_k8s(data)
    read = status._read_info()
    assert read is not None
    assert status.stored_json == data
    for condition, entry in zip(status.conditions, data.get("conditions", []), strict=True):
        assert list(condition.to_k8s().items()) == list(entry.items())
    written = status.to_k8s()
    assert written == data
    assert [list(c.items()) for c in written.get("conditions", [])] == [
        list(c.items()) for c in data.get("conditions", [])
    ]
    status.conditions.clear()
    status.phase = None
    assert status.stored_json == data  # the snapshot is of what was read


def test_a_snapshot_stands_in_for_the_json_only_where_the_models_render_it() -> None:
    stored = {
        "observedGeneration": 3,
        "conditions": [
            {
                "lastTransitionTime": "2026-01-01T12:00:00Z",
                "message": "",
                "reason": "OK",
                "status": "True",
                "type": "Ready",
            }
        ],
        "snapshot": {"stats": {"created": 1, "updated": 0, "deleted": 0}},
    }
    for data, snapshot in [
        (stored, True),
        ({**stored, "snapshot": {"stats": {}}}, False),  # the zeros would be written
        ({"stream": {}}, True),
        ({}, True),
        ({"conditions": []}, False),  # the write leaves the empty list out
    ]:
        status = GitTargetStatus.from_k8s(data)
        read = status._read_info()
        assert read is not None
        assert (type(read.source) is _stored.Snapshot) is snapshot, data
        assert read.source is not data
        assert status.stored_json == data
        assert not status.needs_repair


def test_only_key_orders_of_the_stored_form_are_kept() -> None:
    """Key orders are shared across conditions for as long as the process runs: hostile
    keys must not make that table grow."""
    before = len(_model._KEY_ORDERS)
    for index in range(200):
        listed = [
            {
                "type": "Ready",
                "status": "True",
                "reason": "OK",
                "lastTransitionTime": "2026-01-01T12:00:00Z",
                f"junk{index}": 1,
            }
        ]
        GitTargetStatus.from_k8s({"conditions": listed})
    assert len(_model._KEY_ORDERS) == before


def _lower(value: str) -> str:
    if value != value.lower():
        raise ValueError("lower case only")
    return value


def _honest(value: object) -> str | None:
    return value if type(value) is str and value == value.lower() else None


def _lying(value: object) -> str | None:
    return value if type(value) is str else None  # lets upper case in unchecked


class _Honest(StatusModel):
    host: Annotated[str, AfterValidator(_lower), Stored(_honest)] = ""


class _Lying(StatusModel):
    host: Annotated[str, AfterValidator(_lower), Stored(_lying)] = ""


@given(st.text(alphabet="aAb-", max_size=6))
def test_the_toolkit_tells_an_honest_marker_from_a_lying_one(host: str) -> None:
    data = {"host": host, "observedGeneration": 1}
    assert_stored_build_matches(_Honest, data)
    found = stored_build_mismatch(_Lying, data)
    assert (found is not None) is (host != host.lower())
    if found is not None:
        assert "validation refuses it" in found
        with pytest.raises(AssertionError, match="_Lying"):
            assert_stored_build_matches(_Lying, data)


@given(st.one_of(_STORED, _near_stored()))
def test_the_toolkit_finds_nothing_in_gittargets_own_build(data: dict[str, Any]) -> None:
    assert stored_build_mismatch(GitTargetStatus, data) is None


class _Changing(StatusModel):
    host: Annotated[str, AfterValidator(str.lower), Stored(_stored.exact_str)] = ""


def _any_time(value: object) -> datetime | None:
    return parse_kube_time(value) if isinstance(value, str) else None  # fractions too


class _Noted(StatusModel):
    seen: Annotated[KubeTime | None, Stored(_any_time)] = None


def test_the_toolkit_names_a_value_changed_or_noted_by_validation() -> None:
    changed = stored_build_mismatch(_Changing, {"host": "DB"})
    assert changed is not None and "validated as" in changed
    noted = stored_build_mismatch(_Noted, {"seen": "2026-01-01T12:00:00.5Z"})
    assert noted is not None and "notes it" in noted
    assert stored_build_mismatch(_Noted, {"seen": "2026-01-01T12:00:00Z"}) is None
    assert stored_build_mismatch(_Leaf, {"count": 2}) is None  # not a status root
