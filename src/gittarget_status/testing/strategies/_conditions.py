"""Strategies for ``metav1.Condition`` and its fields, all within the API server's rules.

Types, reasons, messages (up to the byte limit), timestamps, generations, statuses, and
whole conditions and condition lists; the building blocks the other strategies draw from.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Final, TypeAlias

from hypothesis import strategies as st

from gittarget_status import (
    BootstrappedReason,
    CommonReason,
    Condition,
    ConditionStatus,
    ConditionType,
    EncryptionConfiguredReason,
    EventStreamLiveReason,
    ReadyReason,
    SnapshotSyncedReason,
    ValidatedReason,
)
from gittarget_status.conditions import MAX_MESSAGE_BYTES
from gittarget_status.testing.strategies._names import ALNUM, UNICODE, qualified_names

__all__ = [
    "FOREIGN_TYPES",
    "MAX_GENERATION",
    "OWN_TYPES",
    "REASON_ENUMS",
    "Fixed",
    "condition_lists",
    "condition_statuses",
    "condition_types",
    "conditions",
    "generations",
    "kube_times",
    "messages",
    "oversized_messages",
    "reasons",
]

#: Every reason enum the library ships, for self-tests and realistic values.
REASON_ENUMS: tuple[type[StrEnum], ...] = (
    ValidatedReason,
    EncryptionConfiguredReason,
    BootstrappedReason,
    SnapshotSyncedReason,
    EventStreamLiveReason,
    ReadyReason,
    CommonReason,
)

#: The condition types the GitTarget lifecycle writes.
OWN_TYPES: Final = [member.value for member in ConditionType]
#: Other controllers' condition types, CamelCase and prefixed.
FOREIGN_TYPES: Final = ["Available", "Progressing", "example.com/Foo", "x.io/Degraded"]

MAX_GENERATION: Final = 2**63 - 1

#: A fixed value or a strategy for it.
Fixed: TypeAlias = str | st.SearchStrategy[str] | None


@cache
def condition_types() -> st.SearchStrategy[str]:
    """Condition types: the library's own, other controllers' CamelCase and prefixed ones."""
    return st.one_of(
        st.sampled_from(OWN_TYPES),
        st.sampled_from(FOREIGN_TYPES),
        qualified_names(),
    )


@cache
def reasons() -> st.SearchStrategy[str]:
    """Reasons matching the metav1 pattern, 1..1024 characters (the enums' values included)."""
    shipped = [member.value for enum in REASON_ENUMS for member in enum]
    first = st.text(string.ascii_letters, min_size=1, max_size=1)
    middle = st.text(ALNUM + "_,:", max_size=60) | st.text(ALNUM + "_,:", max_size=1022)
    last = st.text(ALNUM + "_", min_size=1, max_size=1)
    return st.sampled_from(shipped) | first | st.tuples(first, middle, last).map("".join)


@cache
def _message_units() -> st.SearchStrategy[str]:
    """A short run of Unicode that long messages repeat."""
    return st.text(UNICODE, min_size=1, max_size=8)


@cache
def messages() -> st.SearchStrategy[str]:
    """Messages the API server accepts: any Unicode (no lone surrogates), sometimes long.

    Long ones repeat a drawn unit up to the 32768-byte limit, so multi-byte text near the
    limit is exercised without hypothesis having to draw 32 KiB character by character.
    """
    long = _message_units().flatmap(
        lambda u: st.integers(1, MAX_MESSAGE_BYTES // len(u.encode())).map(lambda n: u * n)
    )
    return st.just("") | st.text(UNICODE, max_size=200) | long


@cache
def oversized_messages() -> st.SearchStrategy[str]:
    """Messages over the 32768-byte limit (ASCII and multi-byte): the model truncates them."""
    return st.tuples(_message_units(), st.integers(1, 3)).map(
        lambda pair: pair[0] * (MAX_MESSAGE_BYTES // len(pair[0].encode()) + pair[1])
    )


@cache
def kube_times() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes in whole seconds, years 1..9999 (what metav1.Time round-trips)."""
    moments = st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
    )
    return moments.map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))


@cache
def generations() -> st.SearchStrategy[int]:
    """``metadata.generation`` values: int64, non-negative, small ones most often."""
    return st.integers(0, 10) | st.integers(0, MAX_GENERATION)


@cache
def condition_statuses() -> st.SearchStrategy[ConditionStatus]:
    """``True``, ``False`` or ``Unknown``."""
    return st.sampled_from(ConditionStatus)


def fixed(value: Fixed, default: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``default`` when ``value`` is None, else ``value`` (a strategy) or just ``value``."""
    if value is None:
        return default
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


@cache
def conditions(
    type: Fixed = None,  # the metav1 field name, shadowing the builtin on purpose
    status: ConditionStatus | st.SearchStrategy[ConditionStatus] | None = None,
    *,
    timestamped: bool = True,
) -> st.SearchStrategy[Condition]:
    """Valid conditions; ``type``/``status`` fix a value or narrow it with a strategy.

    ``timestamped=False`` leaves ``last_transition_time`` unset (as a controller builds a
    condition before [`set_condition`][gittarget_status.set_condition] stamps it); the API server
    requires it, so the default sets it.
    """
    return st.builds(
        Condition,
        type=fixed(type, condition_types()),
        status=fixed(status, condition_statuses()),
        reason=reasons(),
        message=messages(),
        observed_generation=st.none() | generations(),
        last_transition_time=kube_times() if timestamped else st.none(),
    )


@cache
def condition_lists(
    min_size: int = 0, max_size: int = 6, *, timestamped: bool = True
) -> st.SearchStrategy[list[Condition]]:
    """Condition lists without duplicate types (a list-map keyed by ``type``)."""
    return st.lists(
        conditions(timestamped=timestamped),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda condition: condition.type,
    )
