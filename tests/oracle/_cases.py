"""Generated inputs for the oracle: raw condition JSON as any writer may have left it.

Half the cases are what the API server accepts (compared, not excluded); each of the
others breaks one thing only Go accepts (empty reasons, odd statuses, unknown keys, Go's
zero time, duplicate types, missing times, over-long messages), so every named
difference is exercised and counted on its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from functools import cache
from typing import Any, Final, TypeVar

from dateutil.parser import isoparse
from hypothesis import strategies as st

from gittarget_status import Condition, StatusValidationError
from gittarget_status.conditions import MAX_MESSAGE_BYTES
from gittarget_status.testing import strategies as gts

__all__ = [
    "DAMAGE",
    "GO_ZERO",
    "METAV1_KEYS",
    "Damage",
    "as_metav1",
    "go_zero",
    "parsed",
    "raw_condition_lists",
    "raw_conditions",
    "rfc3339",
]

T = TypeVar("T")

#: Go's zero ``time.Time``, which ``metav1.Time`` treats as unset (and writes as null).
GO_ZERO: Final = datetime(1, 1, 1, tzinfo=UTC)
METAV1_KEYS: Final = frozenset(
    {"type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"}
)

#: A few types, so that lists and the condition set on them often share one.
_COMMON_TYPES: Final = ["Ready", "Reconciling", "Stalled", "example.com/Foo"]


def rfc3339(moment: datetime) -> str:
    """RFC 3339 with the offset and fraction ``moment`` carries (``isoformat``)."""
    return moment.isoformat()


@cache
def _offsets() -> st.SearchStrategy[timezone]:
    return st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
    )


@cache
def times(*, zero: bool = True) -> st.SearchStrategy[datetime]:
    """Aware times: canonical UTC seconds, with fractions and offsets, and Go's zero."""
    fine = st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=_offsets()
    )
    # kube_times' lower bound is Go's zero instant: one second later unless wanted.
    canonical = gts.kube_times().map(lambda t: t if t != GO_ZERO else t + timedelta(seconds=1))
    return st.one_of(canonical, fine, st.just(GO_ZERO)) if zero else canonical | fine


class Damage(StrEnum):
    """What one generated case may break (at most one thing, so each is seen on its own)."""

    NONE = "none"
    INVALID = "invalid"  # values only Go accepts: empty reason, odd status or type, ...
    ZERO_TIME = "zero-time"  # Go's zero instant as a time
    UNKNOWN_FIELDS = "unknown-fields"
    OVERSIZED = "oversized"  # messages over the 32768-byte limit
    UNSTAMPED = "unstamped"  # existing conditions without lastTransitionTime
    DUPLICATES = "duplicates"  # one type twice in a list


#: Half the cases are clean; the rest break one thing each.
DAMAGE: Final[st.SearchStrategy[Damage]] = st.sampled_from(
    [Damage.NONE] * (len(Damage) - 1) + [d for d in Damage if d is not Damage.NONE]
)


def _or(valid: st.SearchStrategy[T], odd: st.SearchStrategy[T], on: bool) -> st.SearchStrategy[T]:
    return valid | odd if on else valid


@cache
def _transition_times(damage: Damage) -> st.SearchStrategy[object]:
    valid = times(zero=False).map(rfc3339)  # canonical, fractions and offsets
    if damage is Damage.ZERO_TIME:
        return valid | st.sampled_from([rfc3339(GO_ZERO), "0001-01-01T00:00:00Z"])
    return _or(valid, st.just("2026-01-01"), damage is Damage.INVALID)  # both refuse it


@cache
def _types(damage: Damage) -> st.SearchStrategy[str]:
    if damage is Damage.DUPLICATES:
        return st.sampled_from(_COMMON_TYPES)
    valid = st.sampled_from(_COMMON_TYPES) | gts.condition_types()
    return _or(valid, st.sampled_from(["", "has space", "-leading"]), damage is Damage.INVALID)


@cache
def _statuses(damage: Damage) -> st.SearchStrategy[str]:
    valid = st.sampled_from(["True", "False", "Unknown"])
    return _or(valid, st.sampled_from(["true", "", "Maybe"]), damage is Damage.INVALID)


@cache
def _reasons(damage: Damage) -> st.SearchStrategy[str]:
    valid = gts.reasons() | st.sampled_from(["Progressing", "Failed"])
    return _or(valid, st.sampled_from(["", "1digit", "a b"]), damage is Damage.INVALID)


@cache
def _messages(damage: Damage) -> st.SearchStrategy[str]:
    short = st.sampled_from(["", "m", "waiting for the stream"]) | st.text(max_size=30)
    return _or(short | short | gts.messages(), gts.oversized_messages(), damage is Damage.OVERSIZED)


@cache
def _generations(damage: Damage) -> st.SearchStrategy[int]:
    valid = st.sampled_from([0, 1, 2]) | gts.generations()
    return _or(valid, st.just(-1), damage is Damage.INVALID)


@cache
def raw_conditions(damage: Damage, *, stamped: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """One condition as JSON, valid for the API server but for the ``damage`` drawn.

    ``stamped=False`` often leaves lastTransitionTime out (as a controller builds a
    condition); stamped conditions lack one only with ``Damage.UNSTAMPED``.
    """
    stamp = _transition_times(damage).map(lambda moment: {"lastTransitionTime": moment})
    unstamped: st.SearchStrategy[dict[str, Any]] = st.just({}) | st.just(
        {"lastTransitionTime": None}
    )
    if stamped:
        ltt = _or(stamp, unstamped, damage is Damage.UNSTAMPED)
    else:
        ltt = unstamped | unstamped | stamp
    extras = _or(st.just({}), st.just({"severity": "Info"}), damage is Damage.UNKNOWN_FIELDS)
    fields = st.fixed_dictionaries(
        {"type": _types(damage), "status": _statuses(damage), "reason": _reasons(damage)},
        optional={"message": _messages(damage), "observedGeneration": _generations(damage)},
    )
    return st.tuples(fields, ltt, extras).map(lambda p: {**p[0], **p[1], **p[2]})


@cache
def raw_condition_lists(damage: Damage) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Up to 6 conditions; a type twice only with ``Damage.DUPLICATES``."""
    if damage is Damage.DUPLICATES:
        return st.lists(raw_conditions(damage), min_size=2, max_size=6)
    return st.lists(raw_conditions(damage), max_size=6, unique_by=lambda c: c["type"])


def parsed(raw: dict[str, Any]) -> Condition | None:
    """Our lenient parse of ``raw``, or None where our validation refuses it."""
    try:
        return Condition.from_k8s(raw)
    except StatusValidationError:
        return None


def as_metav1(condition: Condition) -> dict[str, Any]:
    """Our condition as Go's encoding writes a metav1.Condition.

    ``observedGeneration`` 0 and unset are the same int64 to Go and it omits both; an unset
    time is ``null``. Unknown fields are kept: Go drops them, and that is a named
    difference, not something this encoding hides.
    """
    data = condition.to_k8s()
    encoded = {
        "type": data["type"],
        "status": data["status"],
        "lastTransitionTime": data.get("lastTransitionTime"),
        "reason": data["reason"],
        "message": data.get("message", ""),
    }
    if data.get("observedGeneration"):
        encoded["observedGeneration"] = data["observedGeneration"]
    encoded.update({k: v for k, v in data.items() if k not in METAV1_KEYS})
    return encoded


def go_zero(value: object) -> bool:
    """True iff ``value`` is an RFC 3339 time (or datetime) at Go's zero instant."""
    if isinstance(value, datetime):
        return value == GO_ZERO
    if not isinstance(value, str):
        return False
    try:
        return isoparse(value) == GO_ZERO
    except (ValueError, OverflowError):
        return False


def oversized(raw: dict[str, Any]) -> bool:
    message = raw.get("message")
    return isinstance(message, str) and len(message.encode()) > MAX_MESSAGE_BYTES
