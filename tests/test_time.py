"""Timestamps behave like metav1.Time: UTC, whole seconds, ``YYYY-MM-DDTHH:MM:SSZ``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, reject, strategies as st

from gittarget_status import (
    Condition,
    GitTargetStatus,
    StatusValidationError,
    format_kube_time,
    parse_kube_time,
)
from gittarget_status.conditions._time import as_stored_time
from gittarget_status.testing import strategies as gs

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WIRE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def expected_utc_seconds(moment: datetime) -> datetime | None:
    """The same instant in UTC, floored to the second; None if UTC cannot represent it."""
    try:
        return EPOCH + timedelta(seconds=(moment - EPOCH) // timedelta(seconds=1))
    except OverflowError:
        return None


def stamped(value: object) -> Condition:
    return Condition(type="Ready", status="True", reason="OK", lastTransitionTime=value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T09:42:16Z", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        ("2026-11-26T09:42:16+00:00", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        ("2026-11-26T10:42:16+01:00", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        ("2026-11-26T04:12:16.5-05:30", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        ("2026-11-26T09:42:16.999999Z", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        # Go's RFC3339Nano, as other writers (and metav1.MicroTime) produce it
        ("2026-11-26T09:42:16.123456789Z", datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC)),
        ("2026-11-27T00:30:00+14:00", datetime(2026, 11, 26, 10, 30, tzinfo=UTC)),
        ("2026-01-01T00:00:00-12:00", datetime(2026, 1, 1, 12, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31T23:59:59.9Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_rfc3339_is_normalised_to_utc_whole_seconds(text: str, expected: datetime) -> None:
    parsed = parse_kube_time(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC
    assert parsed.microsecond == 0
    assert stamped(text).last_transition_time == expected


def test_fractions_are_truncated_not_rounded() -> None:
    """metav1.Time drops the fraction when it serializes; rounding up would differ."""
    moment = datetime(2026, 11, 26, 9, 42, 16, 999_999, tzinfo=timezone(timedelta(hours=2)))
    assert parse_kube_time(moment) == datetime(2026, 11, 26, 7, 42, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 11, 26, 9, 42, 16),  # naive
        date(2026, 11, 26),
        "2026-11-26",  # date only
        "2026-11-26T09:42:16",  # no offset
        "",
        "yesterday",
        "2026-11-26T09:42:16+25:00",
        "2026-13-01T00:00:00Z",
        " 2026-11-26T09:42:16Z",
        "2026-11-26T09:42:16Z\n",
        0,
        1_700_000_000,
        1.5,
        True,
        False,
        b"2026-11-26T09:42:16Z",
    ],
)
def test_non_timestamps_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match=r"\w") as caught:
        parse_kube_time(value)
    assert not isinstance(caught.value, OverflowError)
    with pytest.raises(StatusValidationError) as caught_model:
        stamped(value)
    assert caught_model.value.paths == ("lastTransitionTime",)


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:59:59+01:00",
        "9999-12-31T23:59:59-00:01",
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),
    ],
)
def test_out_of_range_instants_raise_validation_errors_not_overflow(value: object) -> None:
    with pytest.raises(StatusValidationError) as caught:
        stamped(value)
    assert caught.value.paths == ("lastTransitionTime",)
    with pytest.raises(StatusValidationError) as caught_status:
        GitTargetStatus.from_k8s({"lastReconcileTime": value})
    assert caught_status.value.paths == ("lastReconcileTime",)


@pytest.mark.parametrize(
    ("moment", "wire"),
    [
        (datetime(2026, 11, 26, 9, 42, 16, tzinfo=UTC), "2026-11-26T09:42:16Z"),
        (datetime(5, 1, 2, 3, 4, 5, tzinfo=UTC), "0005-01-02T03:04:05Z"),
        (datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC), "0999-12-31T23:59:59Z"),
        (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T00:00:00Z"),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), "9999-12-31T23:59:59Z"),
    ],
)
def test_serialization_is_exactly_the_metav1_form(moment: datetime, wire: str) -> None:
    assert format_kube_time(moment) == wire
    assert stamped(moment).to_k8s()["lastTransitionTime"] == wire
    assert GitTargetStatus(last_reconcile_time=moment).to_k8s() == {"lastReconcileTime": wire}


def test_serialization_converts_other_offsets_to_utc() -> None:
    moment = datetime(2026, 11, 26, 10, 42, 16, 500, tzinfo=timezone(timedelta(hours=1)))
    assert format_kube_time(moment) == "2026-11-26T09:42:16Z"


@given(gs.kube_times())
def test_wire_form_round_trips(moment: datetime) -> None:
    wire = format_kube_time(moment)
    assert WIRE_FORMAT.fullmatch(wire)
    assert parse_kube_time(wire) == moment
    built = stamped(moment)
    assert Condition.from_k8s(built.to_k8s()) == built


_OFFSETS = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
)


@given(st.datetimes(timezones=st.builds(timezone, _OFFSETS)))
def test_any_aware_datetime_is_normalised_or_rejected(moment: datetime) -> None:
    expected = expected_utc_seconds(moment)
    if expected is None:
        with pytest.raises(StatusValidationError):
            stamped(moment)
        return
    normalised = stamped(moment).last_transition_time
    assert normalised == expected
    assert normalised is not None
    assert normalised.utcoffset() == timedelta(0)
    assert stamped(format_kube_time(normalised)).last_transition_time == expected


@given(gs.kube_times(), st.integers(-23 * 60 - 59, 23 * 60 + 59))
def test_offset_strings_name_the_same_instant(moment: datetime, minutes: int) -> None:
    try:
        local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    except OverflowError:
        reject()  # that wall-clock time would fall outside years 1..9999
    assert parse_kube_time(local.isoformat()) == moment


@given(st.text(alphabet="0123456789-:TZWtzw .+,_\uff12\u0660", min_size=20, max_size=20))
def test_only_the_canonical_form_counts_as_stored(text: str) -> None:
    """The stored form is the one string ``format_kube_time`` writes back: anything else of
    the same length (an ISO week date, non-ASCII digits) is read as normalised, not kept."""
    moment = as_stored_time(text)
    if moment is not None:
        assert format_kube_time(moment) == text


def test_an_iso_week_date_is_not_the_stored_form() -> None:
    assert as_stored_time("2026-W01-1T12:00:00Z") is None
    status = GitTargetStatus.from_k8s({"lastReconcileTime": "2026-W01-1T12:00:00Z"})
    assert status.needs_repair  # the write changes the stored string


def test_no_single_character_change_is_mistaken_for_the_stored_form() -> None:
    """Every character up to U+3000 at every position of a canonical timestamp: what
    counts as stored is exactly what is written back."""
    canonical = "2026-01-01T12:00:00Z"
    for position in range(len(canonical)):
        for code in range(0x3000):
            text = canonical[:position] + chr(code) + canonical[position + 1 :]
            moment = as_stored_time(text)
            assert moment is None or format_kube_time(moment) == text, text
