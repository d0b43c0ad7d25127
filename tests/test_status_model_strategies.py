"""status_models and st.from_type for any StatusModel subclass (not only GitTargetStatus)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import pytest
from hypothesis import Phase, find, given, settings, strategies as st
from pydantic import Field, model_validator

from gittarget_status import Condition, GitTargetStatus, StatusModel
from gittarget_status._base import KubeModel
from gittarget_status.conditions import KubeTime
from gittarget_status.testing.strategies import status_models

SERIAL = r"^[0-9a-f]{4,8}$"
#: ``find`` for an existence check: any match will do, so no shrinking (the slow part); up
#: to find()'s own default of 2000 draws to meet it (it stops at the first match).
QUICK = settings(phases=[Phase.generate], database=None, max_examples=2000)


class KeyAlgorithm(StrEnum):
    RSA = "RSA"
    ECDSA = "ECDSA"


class IssuerRef(KubeModel):
    name: Annotated[str, Field(min_length=1, max_length=20)]
    kind: Literal["Issuer", "ClusterIssuer"] = "Issuer"


class CertificateStatus(StatusModel):
    """A status no strategy was written for: everything is derived from the fields."""

    not_after: KubeTime | None = None
    serial: Annotated[str, Field(pattern=SERIAL)] | None = None
    renewals: int = Field(default=0, ge=0, le=5)
    algorithm: KeyAlgorithm | None = None
    issuer: IssuerRef | None = None
    dns_names: list[str] = Field(default_factory=list, max_length=4)
    labels: dict[str, str] = Field(default_factory=dict)
    ratio: float | None = Field(default=None, ge=0, le=1)
    ready: bool = False


@given(st.from_type(CertificateStatus))
def test_from_type_resolves_any_status_model(status: CertificateStatus) -> None:
    assert type(status) is CertificateStatus
    assert 0 <= status.renewals <= 5
    assert status.serial is None or re.fullmatch(SERIAL, status.serial)
    assert len(status.dns_names) <= 4
    assert status.ratio is None or 0 <= status.ratio <= 1
    assert status.issuer is None or 1 <= len(status.issuer.name) <= 20
    assert len({c.type for c in status.conditions}) == len(status.conditions)
    assert all(c.last_transition_time is not None for c in status.conditions)
    assert status.not_after is None or status.not_after.microsecond == 0


@given(status_models(CertificateStatus))
def test_generated_statuses_round_trip_through_json(status: CertificateStatus) -> None:
    assert CertificateStatus.from_k8s(status.to_k8s(), strict=True) == status


VARIED: dict[str, Callable[[Any], bool]] = {
    "conditions": lambda v: len(v) >= 2,
    "observed_generation": lambda v: v is not None and v > 0,
    "not_after": lambda v: isinstance(v, datetime),
    "serial": lambda v: v is not None,
    "renewals": lambda v: v == 5,
    "algorithm": lambda v: v is KeyAlgorithm.ECDSA,
    "issuer": lambda v: v is not None and v.kind == "ClusterIssuer",
    "dns_names": lambda v: len(v) >= 1,
    "labels": lambda v: len(v) >= 1,
    "ratio": lambda v: v is not None and 0 < v < 1,
    "ready": lambda v: v is True,
}


def test_every_field_varies() -> None:
    """The strategy reaches non-default values of every field (it is not a constant).

    Collected over 200 examples rather than with ``find``, which would spend minutes
    shrinking each hit; every property holds for well over 5% of draws.
    """
    unseen = set(VARIED)

    # Derandomized: the same 200 draws every run, so the check cannot flake.
    @settings(max_examples=200, database=None, derandomize=True)
    @given(st.from_type(CertificateStatus))
    def draw(status: CertificateStatus) -> None:
        unseen.difference_update([name for name in unseen if VARIED[name](getattr(status, name))])

    draw()
    assert not unseen


def test_defaults_are_sometimes_left_unset() -> None:
    found = find(
        status_models(CertificateStatus),
        lambda s: "renewals" not in s.model_fields_set,
        settings=QUICK,
    )
    assert found.renewals == 0


@given(status_models(CertificateStatus, renewals=st.just(3), serial=st.none()))
def test_overrides_replace_a_field_strategy(status: CertificateStatus) -> None:
    assert (status.renewals, status.serial) == (3, None)
    assert "renewals" in status.model_fields_set  # an overridden field is always drawn


def test_unknown_override_names_are_refused() -> None:
    with pytest.raises(TypeError, match=r"no fields \['not_a_field'\]"):
        status_models(CertificateStatus, not_a_field=st.none())


def test_a_model_defined_after_the_plugin_loaded_resolves() -> None:
    class Local(StatusModel):
        endpoint: str | None = None
        conditions_seen: Annotated[int, Field(ge=1, le=3)] = 1

    found = find(
        st.from_type(Local),
        lambda s: s.endpoint is not None and s.conditions_seen == 3,
        settings=QUICK,
    )
    assert type(found) is Local


def test_nested_and_self_referencing_models() -> None:
    class Node(KubeModel):
        name: str
        child: Node | None = None

    class TreeStatus(StatusModel):
        root: Node | None = None

    Node.model_rebuild()
    found = find(
        st.from_type(TreeStatus),
        lambda s: s.root is not None and s.root.child is not None,
        settings=QUICK,
    )
    assert isinstance(found.root, Node) and isinstance(found.root.child, Node)


def test_plain_status_model_and_gittarget_keep_their_strategies() -> None:
    plain = find(st.from_type(StatusModel), lambda s: bool(s.conditions), settings=QUICK)
    assert type(plain) is StatusModel and isinstance(plain.conditions[0], Condition)
    # GitTargetStatus keeps its hand-written strategy (registered before the generic one).
    described = repr(st.from_type(GitTargetStatus))
    assert described.startswith("builds(GitTargetStatus") and "fixed_dictionaries" not in described
    assert "fixed_dictionaries" in repr(st.from_type(CertificateStatus))


def test_a_strategy_registered_by_the_user_wins() -> None:
    class Pinned(StatusModel):
        value: int = 0

    st.register_type_strategy(Pinned, st.just(Pinned(value=7)))
    assert find(st.from_type(Pinned), lambda s: True, settings=QUICK).value == 7


class Shapes(StatusModel):
    """One field per annotation shape the certificate model does not have."""

    count: int = Field(default=1, gt=0, lt=10)  # exclusive integer bounds
    share: float = Field(default=0.5, gt=0, lt=1)  # exclusive float bounds
    anything: Any = None  # any JSON scalar
    pair: tuple[int, bool] = (1, False)  # a fixed-length tuple
    numbers: tuple[int, ...] = ()  # a variable-length tuple
    tags: frozenset[str] = frozenset()
    series: Sequence[int] = ()  # not a class: hypothesis's own from_type
    blob: bytes = b""  # a class with no rule here: hypothesis's own from_type

    @model_validator(mode="after")
    def _not_five(self) -> Shapes:
        if self.count == 5:
            raise ValueError("count 5 is refused")  # stricter than the annotation
        return self


SHAPES_SEEN: dict[str, Callable[[Shapes], bool]] = {
    "count at the bounds": lambda s: s.count in (1, 9),
    "share inside": lambda s: 0 < s.share < 1,
    "anything set": lambda s: s.anything is not None,
    "pair drawn": lambda s: "pair" in s.model_fields_set,
    "numbers": lambda s: len(s.numbers) >= 1,
    "tags": lambda s: len(s.tags) >= 1,
    "series": lambda s: len(s.series) >= 1,
    "blob": lambda s: len(s.blob) >= 1,
}


def test_every_annotation_shape_is_drawn_within_its_constraints() -> None:
    unseen = set(SHAPES_SEEN)

    @settings(max_examples=200, database=None, derandomize=True)
    @given(status_models(Shapes))
    def draw(status: Shapes) -> None:
        assert 0 < status.count < 10 and status.count != 5  # the validator's refusal dropped
        assert 0 < status.share < 1
        assert status.anything is None or isinstance(status.anything, bool | int | str)
        assert isinstance(status.pair[0], int) and isinstance(status.pair[1], bool)
        assert isinstance(status.numbers, tuple) and isinstance(status.tags, frozenset)
        assert isinstance(status.blob, bytes)
        unseen.difference_update([k for k in unseen if SHAPES_SEEN[k](status)])

    draw()
    assert not unseen
