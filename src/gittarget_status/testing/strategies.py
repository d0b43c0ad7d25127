"""Hypothesis strategies for the GitTarget status contract (the ``testing`` extra).

Everything a strategy here generates is something the Kubernetes API server accepts for
``metav1.Condition`` and the GitTarget status: qualified-name types within the 63/253/316
limits, reasons matching the metav1 pattern, messages within 32768 characters *and* UTF-8
bytes, timestamps in UTC whole seconds. Property tests of your own controller can therefore
feed these values straight into a status write. :func:`invalid_conditions` is the mirror
image: raw API-server JSON that breaks exactly one rule, paired with the field it breaks.

Import explicitly: ``from gittarget_status.testing import strategies``.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeAlias

from hypothesis import strategies as st

from gittarget_status import (
    BootstrappedReason,
    BootstrapStatus,
    CommonReason,
    Condition,
    ConditionStatus,
    ConditionType,
    EncryptionConfiguredReason,
    EncryptionStatus,
    EventStreamLiveReason,
    GitTargetStatus,
    Phase,
    ReadyReason,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    SnapshotSyncedReason,
    StreamStatus,
    ValidatedReason,
    WorkerRef,
)
from gittarget_status.conditions import MAX_MESSAGE_BYTES, MAX_REASON_LENGTH, MAX_TYPE_LENGTH

__all__ = [
    "REASON_ENUMS",
    "condition_lists",
    "condition_statuses",
    "condition_types",
    "conditions",
    "generations",
    "gittarget_statuses",
    "invalid_conditions",
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

#: A fixed value or a strategy for it.
_Fixed: TypeAlias = str | st.SearchStrategy[str] | None

_ALNUM = string.ascii_letters + string.digits
_NAME_MAX = 63
_LABEL_MAX = 63
_PREFIX_MAX = 253
_MAX_GENERATION = 2**63 - 1
#: Every character that may appear anywhere in a type or a reason; others break both.
_TYPE_OR_REASON_CHARS = frozenset(_ALNUM + "-_.,:/")
#: Unicode without lone surrogates (which cannot be encoded as UTF-8 JSON).
_UNICODE = st.characters(codec="utf-8")


def _bounded(inner: str, edge: str, max_size: int) -> st.SearchStrategy[str]:
    """``edge``, or ``edge inner* edge``, at most ``max_size`` characters long."""
    one = st.text(edge, min_size=1, max_size=1)
    longer = st.tuples(one, st.text(inner, max_size=max_size - 2), one).map("".join)
    return one | longer if max_size >= 2 else one


def _dns_label() -> st.SearchStrategy[str]:
    edge = string.ascii_lowercase + string.digits
    return _bounded(edge + "-", edge, _LABEL_MAX)


def _dns_prefix() -> st.SearchStrategy[str]:
    """A DNS-1123 subdomain of at most 253 characters (``example.com``)."""
    labels = st.lists(_dns_label(), min_size=1, max_size=4).map(".".join)
    return labels.filter(lambda prefix: len(prefix) <= _PREFIX_MAX)


@st.composite
def _qualified_names(draw: st.DrawFn) -> str:
    prefix = draw(st.none() | _dns_prefix())
    room = _NAME_MAX if prefix is None else min(_NAME_MAX, MAX_TYPE_LENGTH - len(prefix) - 1)
    name = draw(_bounded(_ALNUM + "-_.", _ALNUM, room))
    return name if prefix is None else f"{prefix}/{name}"


def condition_types() -> st.SearchStrategy[str]:
    """Condition types: the library's own, other controllers' CamelCase and prefixed ones."""
    return st.one_of(
        st.sampled_from([member.value for member in ConditionType]),
        st.sampled_from(["Available", "Progressing", "example.com/Foo", "x.io/Degraded"]),
        _qualified_names(),
    )


def reasons() -> st.SearchStrategy[str]:
    """Reasons matching the metav1 pattern, 1..1024 characters (the enums' values included)."""
    shipped = [member.value for enum in REASON_ENUMS for member in enum]
    first = st.text(string.ascii_letters, min_size=1, max_size=1)
    middle = st.text(_ALNUM + "_,:", max_size=60) | st.text(_ALNUM + "_,:", max_size=1022)
    last = st.text(_ALNUM + "_", min_size=1, max_size=1)
    return st.sampled_from(shipped) | first | st.tuples(first, middle, last).map("".join)


def messages() -> st.SearchStrategy[str]:
    """Messages the API server accepts: any Unicode (no lone surrogates), sometimes long.

    Long ones repeat a drawn unit up to the 32768-byte limit, so multi-byte text near the
    limit is exercised without hypothesis having to draw 32 KiB character by character.
    """
    unit = st.text(_UNICODE, min_size=1, max_size=8)
    long = unit.flatmap(
        lambda u: st.integers(1, MAX_MESSAGE_BYTES // len(u.encode())).map(lambda n: u * n)
    )
    return st.just("") | st.text(_UNICODE, max_size=200) | long


def oversized_messages() -> st.SearchStrategy[str]:
    """Messages over the 32768-byte limit (ASCII and multi-byte): the model truncates them."""
    unit = st.text(_UNICODE, min_size=1, max_size=8)
    return st.tuples(unit, st.integers(1, 3)).map(
        lambda pair: pair[0] * (MAX_MESSAGE_BYTES // len(pair[0].encode()) + pair[1])
    )


def kube_times() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes in whole seconds, years 1..9999 (what metav1.Time round-trips)."""
    moments = st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
    )
    return moments.map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))


def generations() -> st.SearchStrategy[int]:
    """``metadata.generation`` values: int64, non-negative, small ones most often."""
    return st.integers(0, 10) | st.integers(0, _MAX_GENERATION)


def condition_statuses() -> st.SearchStrategy[ConditionStatus]:
    """``True``, ``False`` or ``Unknown``."""
    return st.sampled_from(ConditionStatus)


def _fixed(value: _Fixed, default: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if value is None:
        return default
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def conditions(
    type: _Fixed = None,  # the metav1 field name, shadowing the builtin on purpose
    status: ConditionStatus | st.SearchStrategy[ConditionStatus] | None = None,
    *,
    timestamped: bool = True,
) -> st.SearchStrategy[Condition]:
    """Valid conditions; ``type``/``status`` fix a value or narrow it with a strategy.

    ``timestamped=False`` leaves ``last_transition_time`` unset (as a controller builds a
    condition before :func:`~gittarget_status.set_condition` stamps it); the API server
    requires it, so the default sets it.
    """
    return st.builds(
        Condition,
        type=_fixed(type, condition_types()),
        status=_fixed(status, condition_statuses()),
        reason=reasons(),
        message=messages(),
        observed_generation=st.none() | generations(),
        last_transition_time=kube_times() if timestamped else st.none(),
    )


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


def _texts() -> st.SearchStrategy[str]:
    return st.text(_UNICODE, max_size=40)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def gittarget_statuses() -> st.SearchStrategy[GitTargetStatus]:
    """Whole statuses: every field optional, detail objects included, conditions valid."""
    counts = st.integers(0, _MAX_GENERATION)
    return st.builds(
        GitTargetStatus,
        observed_generation=_optional(generations()),
        phase=_optional(st.sampled_from(Phase)),
        conditions=condition_lists(),
        last_reconcile_time=_optional(kube_times()),
        worker_ref=_optional(st.builds(WorkerRef, name=_texts(), uid=_optional(_texts()))),
        encryption=_optional(
            st.builds(
                EncryptionStatus,
                mode=_optional(_texts()),
                secret_ref=_optional(st.builds(SecretRef, name=_texts())),
                recipients_hash=_optional(_texts()),
                last_validated_time=_optional(kube_times()),
            )
        ),
        bootstrap=_optional(
            st.builds(
                BootstrapStatus,
                target_path=_optional(_texts()),
                commit=_optional(_texts()),
                last_applied_time=_optional(kube_times()),
            )
        ),
        snapshot=_optional(
            st.builds(
                SnapshotStatus,
                last_completed_time=_optional(kube_times()),
                last_commit=_optional(_texts()),
                stats=_optional(
                    st.builds(SnapshotStats, created=counts, updated=counts, deleted=counts)
                ),
            )
        ),
        stream=_optional(
            st.builds(
                StreamStatus,
                status=_optional(_texts()),
                registered_time=_optional(kube_times()),
                last_event_time=_optional(kube_times()),
            )
        ),
    )


#: Hand-picked violations per field, each breaking one metav1 rule.
_INVALID_VALUES: dict[str, tuple[object, ...]] = {
    "type": (
        "", "Ready\n", "a/b/c", "/Ready", "example.com/", "-Ready", "Ready.", "has space",
        "Example.com/Ready", "x" * 64, f"{'a' * 253}/{'b' * 63}", f"{'a' * 254}/B", 5, None,
    ),
    "status": ("true", "TRUE", "yes", "", 1, 0, None, 1.0),
    "reason": (
        "", "1Reason", "_Reason", "Reason,", "Reason:", "Has space", "Reason\n", "Grün",
        "R" * (MAX_REASON_LENGTH + 1), 5, None,
    ),
    "message": ("lone \ud800 surrogate", 5, None),
    "observedGeneration": (-1, _MAX_GENERATION + 1, True, False, 1.5, "1"),
    "lastTransitionTime": (
        "2026-11-26", "2026-11-26T09:42:16", "yesterday", "", 0, 1_700_000_000, 1.5, True,
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
    ),
}  # fmt: skip


@st.composite
def _corrupted_names(draw: st.DrawFn, field: str) -> str:
    """A valid type or reason with one character no type or reason may contain."""
    valid = draw(condition_types() if field == "type" else reasons())
    bad = draw(_UNICODE.filter(lambda char: char not in _TYPE_OR_REASON_CHARS))
    at = draw(st.integers(0, len(valid)))
    return valid[:at] + bad + valid[at:]


@st.composite
def invalid_conditions(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """``(raw, field)``: API-server JSON of a condition that breaks exactly one rule.

    ``field`` is the camelCase JSON key of the broken field, so a test can assert that
    the :class:`~gittarget_status.StatusValidationError` names it.
    """
    raw = draw(conditions()).to_k8s()
    field = draw(st.sampled_from(sorted(_INVALID_VALUES)))
    candidates = st.sampled_from(_INVALID_VALUES[field])
    if field in ("type", "reason"):
        candidates = candidates | _corrupted_names(field)
    raw[field] = draw(candidates)
    return raw, field
