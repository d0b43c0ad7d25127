"""metav1.Condition's rules: what the API server accepts, the model accepts, and vice versa.

The oracles below are written from apimachinery's own sources (the kubebuilder markers on
``metav1.Condition`` and ``ValidateConditions``), independently of ``_rules.py``.
"""

from __future__ import annotations

import re
import string
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import (
    Condition,
    ConditionStatus,
    ConditionType,
    StatusValidationError,
)
from gittarget_status.conditions import REASON_PATTERN, TRUNCATION_MARKER, TYPE_PATTERN
from gittarget_status.testing import strategies as gs

# --- oracles: apimachinery facts, Go regexp semantics ($ is end of text) ---------------

#: +kubebuilder:validation:Pattern on metav1.Condition.Type (MaxLength=316).
CRD_TYPE_PATTERN = (
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
)
#: +kubebuilder:validation:Pattern on metav1.Condition.Reason (MinLength=1, MaxLength=1024).
CRD_REASON_PATTERN = r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"
QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
DNS1123_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
MESSAGE_LIMIT = 32768
MAX_INT64 = 2**63 - 1


def go_match(pattern: str, value: str) -> bool:
    """``regexp.MatchString`` for an anchored pattern: ``$`` never matches before a newline."""
    return re.fullmatch(pattern.removeprefix("^").removesuffix("$"), value) is not None


def api_accepts_type(value: str) -> bool:
    """CRD schema (pattern, 316) and Go ``IsQualifiedName`` (name <= 63, prefix <= 253)."""
    if not go_match(CRD_TYPE_PATTERN, value) or len(value.encode()) > 316:
        return False
    parts = value.split("/")
    if len(parts) > 2:
        return False
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix or len(prefix) > 253 or not go_match(DNS1123_SUBDOMAIN, prefix):
            return False
    name = parts[-1]
    return 0 < len(name) <= 63 and go_match(QUALIFIED_NAME, name)


def api_accepts_reason(value: str) -> bool:
    return 1 <= len(value.encode()) <= 1024 and go_match(CRD_REASON_PATTERN, value)


def condition(**fields: Any) -> dict[str, Any]:
    """A valid condition's keyword arguments with ``fields`` replaced."""
    base: dict[str, Any] = {"type": "Ready", "status": "True", "reason": "OK"}
    base.update(fields)
    return base


def error_paths(**fields: Any) -> tuple[str, ...]:
    """The error paths of building a condition with ``fields``; ``()`` if it is accepted."""
    try:
        Condition(**condition(**fields))
    except StatusValidationError as error:
        return error.paths
    return ()


def rejected_paths(**fields: Any) -> tuple[str, ...]:
    """The error paths of building a condition with ``fields``; fails if it is accepted."""
    with pytest.raises(StatusValidationError) as caught:
        Condition(**condition(**fields))
    assert isinstance(caught.value, ValueError)
    return caught.value.paths


# --- type --------------------------------------------------------------------------------

VALID_TYPES = [
    "Ready",
    "a",
    "7",
    "A-b_c.d",
    "example.com/Foo",
    "x.io/Degraded",
    "a-b.c-d/E",
    "x" * 63,
    f"{'a' * 252}/{'b' * 63}",  # exactly 316
    f"{'a' * 253}/{'b' * 62}",  # longest prefix, exactly 316
    f"{'a.' * 126}a/B",  # 253-character prefix of many labels
]
INVALID_TYPES = [
    "",
    "Ready\n",  # Python's re `$` would accept this; Go's does not
    "\nReady",
    "a/b/c",
    "/Ready",
    "example.com/",
    "Example.com/Foo",  # prefix must be lowercase
    "example..com/Foo",
    "-example.com/Foo",
    "example-.com/Foo",
    "-Ready",
    "Ready-",
    "Ready.",
    "_Ready",
    "has space",
    "Réady",
    "x" * 64,
    f"{'a' * 252}/{'b' * 64}",  # name too long
    f"{'a' * 253}/{'b' * 63}",  # 317 > 316
    f"{'a' * 254}/B",  # prefix too long
]


@pytest.mark.parametrize("value", VALID_TYPES)
def test_valid_types_are_accepted(value: str) -> None:
    assert api_accepts_type(value)
    assert Condition(**condition(type=value)).type == value


@pytest.mark.parametrize("value", INVALID_TYPES)
def test_invalid_types_are_rejected_naming_type(value: str) -> None:
    assert not api_accepts_type(value)
    assert rejected_paths(type=value) == ("type",)


@pytest.mark.parametrize("value", [5, None, b"Ready", ["Ready"]])
def test_non_string_types_are_rejected(value: object) -> None:
    assert rejected_paths(type=value) == ("type",)


def test_the_library_patterns_are_the_apimachinery_ones() -> None:
    assert TYPE_PATTERN == CRD_TYPE_PATTERN
    assert REASON_PATTERN == CRD_REASON_PATTERN


_TYPE_ALPHABET = st.sampled_from([*"aZ09-_./", "\n", " ", "é", "A", "b"])


@given(st.text(_TYPE_ALPHABET, max_size=12) | gs.condition_types())
def test_type_accepted_iff_the_api_server_accepts_it(value: str) -> None:
    expected = () if api_accepts_type(value) else ("type",)
    assert error_paths(type=value) == expected


@given(gs.condition_types())
def test_generated_types_are_valid(value: str) -> None:
    assert api_accepts_type(value)


# --- reason ------------------------------------------------------------------------------

VALID_REASONS = ["OK", "a", "Z9", "Reason_", "A,B", "A:B", "Multi,Reason:Joined_1", "R" * 1024]
INVALID_REASONS = [
    "",
    "1Reason",
    "_Reason",
    "Reason,",
    "Reason:",
    "Has space",
    "Reason\n",
    "Grün",
    "Kebab-Case",
    "Dotted.Reason",
    "R" * 1025,
]


@pytest.mark.parametrize("value", VALID_REASONS)
def test_valid_reasons_are_accepted(value: str) -> None:
    assert api_accepts_reason(value)
    assert Condition(**condition(reason=value)).reason == value


@pytest.mark.parametrize("value", INVALID_REASONS)
def test_invalid_reasons_are_rejected_naming_reason(value: str) -> None:
    assert not api_accepts_reason(value)
    assert rejected_paths(reason=value) == ("reason",)


@given(st.text(st.sampled_from([*"aZ09_,:", "-", " ", "\n", "ß"]), max_size=10))
def test_reason_accepted_iff_the_api_server_accepts_it(value: str) -> None:
    expected = () if api_accepts_reason(value) else ("reason",)
    assert error_paths(reason=value) == expected


@given(gs.reasons())
def test_generated_reasons_are_valid(value: str) -> None:
    assert api_accepts_reason(value)


# --- self-test: the library's own vocabulary ---------------------------------------------


def _reason_members() -> list[tuple[str, StrEnum]]:
    return [(enum.__name__, member) for enum in gs.REASON_ENUMS for member in enum]


def test_every_shipped_reason_enum_is_checked() -> None:
    names = {enum.__name__ for enum in gs.REASON_ENUMS}
    assert names == {
        "ValidatedReason",
        "EncryptionConfiguredReason",
        "BootstrappedReason",
        "SnapshotSyncedReason",
        "EventStreamLiveReason",
        "ReadyReason",
        "CommonReason",
    }


@pytest.mark.parametrize(("enum_name", "member"), _reason_members())
def test_every_reason_member_matches_the_reason_pattern(enum_name: str, member: StrEnum) -> None:
    assert api_accepts_reason(member.value), f"{enum_name}.{member.name}"
    assert Condition(**condition(reason=member)).reason == member.value


@pytest.mark.parametrize("member", list(ConditionType))
def test_every_condition_type_is_a_valid_type(member: ConditionType) -> None:
    assert api_accepts_type(member.value)
    assert Condition(**condition(type=member)).type == member.value


# --- message -----------------------------------------------------------------------------


def assert_fits_and_is_truncated_from(result: str, original: str) -> None:
    """Within both limits, a character-boundary prefix of ``original`` plus the marker,
    and as long as possible: one more character of ``original`` would not fit."""
    assert len(result) <= MESSAGE_LIMIT
    assert len(result.encode("utf-8")) <= MESSAGE_LIMIT
    assert result.endswith(TRUNCATION_MARKER)
    head = result.removesuffix(TRUNCATION_MARKER)
    assert original.startswith(head)
    longer = original[: len(head) + 1] + TRUNCATION_MARKER
    assert len(longer.encode("utf-8")) > MESSAGE_LIMIT


@pytest.mark.parametrize(
    "original",
    [
        "a" * (MESSAGE_LIMIT + 1),
        "a" * 100_000,
        "é" * 20_000,  # 2 bytes each: fewer characters than the limit, too many bytes
        "€" * 11_000,  # 3 bytes
        "😀" * 8_193,  # 4 bytes, never split
        "x" + "😀" * 9_000,  # odd offset before the multi-byte run
    ],
    ids=["ascii-limit+1", "ascii-long", "2-byte", "3-byte", "4-byte", "4-byte-offset"],
)
def test_long_messages_are_truncated_to_both_limits(original: str) -> None:
    result = Condition(**condition(message=original)).message
    assert_fits_and_is_truncated_from(result, original)


@pytest.mark.parametrize(
    "original", ["", "a" * MESSAGE_LIMIT, "é" * (MESSAGE_LIMIT // 2), "😀" * (MESSAGE_LIMIT // 4)]
)
def test_messages_at_the_limit_are_kept_whole(original: str) -> None:
    assert Condition(**condition(message=original)).message == original


@given(gs.oversized_messages())
def test_any_oversized_message_is_truncated_to_both_limits(original: str) -> None:
    assert_fits_and_is_truncated_from(Condition(**condition(message=original)).message, original)


@given(gs.messages())
def test_messages_within_the_limit_are_unchanged(original: str) -> None:
    assert Condition(**condition(message=original)).message == original


@pytest.mark.parametrize("value", ["lone \ud800 high", "\udfff", 5, None, b"bytes"])
def test_bad_messages_are_rejected_naming_message(value: object) -> None:
    assert rejected_paths(message=value) == ("message",)


def test_message_defaults_to_empty() -> None:
    assert Condition(**condition()).message == ""


# --- observedGeneration and status ---------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, MAX_INT64, None])
def test_valid_generations(value: int | None) -> None:
    assert Condition(**condition(observedGeneration=value)).observed_generation == value


@pytest.mark.parametrize("value", [-1, MAX_INT64 + 1, True, False, 1.0, 1.5, "1"])
def test_invalid_generations_are_rejected(value: object) -> None:
    assert rejected_paths(observedGeneration=value) == ("observedGeneration",)
    assert rejected_paths(observed_generation=value) == ("observed_generation",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ConditionStatus.TRUE, ConditionStatus.TRUE),
        (ConditionStatus.UNKNOWN, ConditionStatus.UNKNOWN),
        ("True", ConditionStatus.TRUE),
        ("False", ConditionStatus.FALSE),
        ("Unknown", ConditionStatus.UNKNOWN),
        (True, ConditionStatus.TRUE),
        (False, ConditionStatus.FALSE),
    ],
)
def test_status_accepts_enum_strings_and_bools(value: object, expected: ConditionStatus) -> None:
    assert Condition(**condition(status=value)).status is expected


@pytest.mark.parametrize("value", ["true", "TRUE", "false", "yes", "", 1, 0, 1.0, None])
def test_other_statuses_are_rejected(value: object) -> None:
    assert rejected_paths(status=value) == ("status",)


# --- spelling, immutability, unknown fields --------------------------------------------------


def test_camel_case_and_snake_case_input_are_equivalent() -> None:
    camel = Condition(**condition(observedGeneration=3, lastTransitionTime="2026-11-26T09:42:16Z"))
    snake = Condition(
        **condition(observed_generation=3, last_transition_time="2026-11-26T09:42:16Z")
    )
    assert camel == snake
    assert Condition.from_k8s(snake.to_k8s()) == camel
    assert set(camel.to_k8s()) >= {"observedGeneration", "lastTransitionTime"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", "Other"), ("status", "False"), ("message", "x"), ("observed_generation", 2)],
)
def test_conditions_are_immutable(field: str, value: object) -> None:
    built = Condition(**condition(observed_generation=1))
    before = built.to_k8s()
    with pytest.raises(ValueError, match="frozen"):
        setattr(built, field, value)
    assert built.to_k8s() == before


def test_with_changes_validates_and_returns_a_new_condition() -> None:
    built = Condition(**condition())
    changed = built.with_changes(reason="Other", observedGeneration=4)
    assert (changed.reason, changed.observed_generation) == ("Other", 4)
    assert built.reason == "OK"
    with pytest.raises(StatusValidationError) as caught:
        built.with_changes(reason="not valid")
    assert caught.value.paths == ("reason",)


def test_unknown_fields_are_rejected_on_python_construction() -> None:
    assert rejected_paths(severity="Info") == ("severity",)
    assert rejected_paths(lastTransitionTme="2026-11-26T09:42:16Z") == ("lastTransitionTme",)


def test_unknown_fields_are_preserved_by_from_k8s() -> None:
    raw = {**condition(message=""), "severity": "Info", "nested": {"a": [1, 2]}}
    parsed = Condition.from_k8s(raw)
    assert parsed.extra_fields == {"severity": "Info", "nested": {"a": [1, 2]}}
    assert parsed.to_k8s() == raw
    with pytest.raises(StatusValidationError) as caught:
        Condition.from_k8s(raw, strict=True)
    assert set(caught.value.paths) == {"severity", "nested"}


def test_errors_collect_every_bad_field() -> None:
    with pytest.raises(StatusValidationError) as caught:
        Condition(type="bad type", status="maybe", reason="", observedGeneration=-1)
    assert set(caught.value.paths) == {"type", "status", "reason", "observedGeneration"}
    assert all(str(error).startswith(error.path) for error in caught.value.errors)


@given(gs.invalid_conditions())
def test_every_single_rule_violation_is_reported_at_its_field(
    case: tuple[dict[str, Any], str],
) -> None:
    raw, field = case
    with pytest.raises(StatusValidationError) as caught:
        Condition.from_k8s(raw)
    assert caught.value.paths == (field,)


@given(gs.conditions())
def test_generated_conditions_round_trip(built: Condition) -> None:
    assert Condition.from_k8s(built.to_k8s()) == built
    assert api_accepts_type(built.type)
    assert api_accepts_reason(built.reason)


def test_required_fields_are_named_when_missing() -> None:
    with pytest.raises(StatusValidationError) as caught:
        Condition.from_k8s({"message": ""})
    assert set(caught.value.paths) == {"type", "status", "reason"}


def test_ascii_letters_only_in_patterns() -> None:
    """Unicode letters and digits must not slip through ``[A-Za-z0-9]``-style checks."""
    for char in ("é", "Ω", "٣", "\uff21"):
        assert char not in string.ascii_letters + string.digits
        assert rejected_paths(reason=f"R{char}") == ("reason",)
        assert rejected_paths(type=f"T{char}") == ("type",)


# --- reading API JSON: what is kept as read, what a strict rule finds ------------------------

LTT = "2026-11-26T09:42:16Z"


def stored(**fields: Any) -> dict[str, Any]:
    """A condition as the API server stores it (every field, canonical timestamp)."""
    return {**condition(message="", lastTransitionTime=LTT, observedGeneration=1), **fields}


class TypeName(str):
    """A plain ``str`` subclass (not an enum): its text is the type."""


def test_a_str_subclass_is_read_as_its_plain_text() -> None:
    built = Condition(**condition(type=TypeName("Ready"), reason=TypeName("OK")))
    assert (built.type, type(built.type), type(built.reason)) == ("Ready", str, str)


def test_only_a_plain_dict_is_kept_as_read() -> None:
    """A read-only mapping parses the same but is not remembered: writing it back is
    the canonical form, not a reference to the caller's object."""
    from types import MappingProxyType

    raw = stored()
    parsed = Condition.from_k8s(MappingProxyType(raw))
    assert parsed == Condition.from_k8s(raw)
    assert parsed.stored_json is None
    assert Condition.from_k8s(raw).stored_json == raw


def test_snake_case_json_is_read_but_not_kept_as_read() -> None:
    """The official client's to_dict() spelling: nothing to write back byte for byte."""
    snake = {**condition(), "last_transition_time": LTT, "observed_generation": 1}
    parsed = Condition.from_k8s(snake)
    assert parsed.stored_json is None
    assert parsed.to_k8s() == stored()
    assert parsed.strict_problem is None


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, None),
        ({"type": "x" * 64}, "type: condition type 'x"),
        ({"message": "é" * 20_000}, "message: longer than 32768 UTF-8 bytes"),
        ({"severity": "Info"}, "['severity']: not fields of metav1.Condition"),
        ({"lastTransitionTime": "2026-11-26T09:42:16.5Z"}, "lastTransitionTime: '2026-11-26"),
    ],
    ids=["clean", "long-name", "message-bytes", "extra-field", "fractional-time"],
)
def test_the_strict_rule_a_read_condition_breaks(
    fields: dict[str, Any], problem: str | None
) -> None:
    found = Condition.from_k8s(stored(**fields)).strict_problem
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem), found


def test_canonical_of_a_read_condition_with_extras_applies_the_strict_rules() -> None:
    read = Condition.from_k8s(stored(type="x" * 64, severity="Info"))
    assert read.type == "x" * 64  # readable: the server stores a 64-character name
    with pytest.raises(StatusValidationError) as caught:
        read.canonical()
    assert caught.value.paths == ("type",)
    assert "must be a qualified name" in caught.value.errors[0].message
    fine = Condition.from_k8s(stored(severity="Info")).canonical()
    assert (fine.extra_fields, fine.stored_json) == ({}, None)
    assert fine.to_k8s() == stored()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "a" * 317}, "condition type is longer than 316 characters"),
        ({"type": "has space"}, "condition type 'has space' does not match ^("),
    ],
    ids=["too-long", "bad-pattern"],
)
def test_types_beyond_what_the_server_stores_are_refused_on_read(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(StatusValidationError) as caught:
        Condition.from_k8s(stored(**fields))
    assert caught.value.paths == ("type",)
    assert caught.value.errors[0].message.startswith(message), caught.value.errors[0].message


@pytest.mark.parametrize(
    ("status", "asked", "expected"),
    [
        ("True", True, True),
        ("True", "True", True),
        ("True", ConditionStatus.TRUE, True),
        ("True", False, False),
        ("Unknown", "Unknown", True),
        ("Unknown", "False", False),
    ],
)
def test_is_status(status: str, asked: ConditionStatus | str | bool, expected: bool) -> None:
    assert Condition(**condition(status=status)).is_status(asked) is expected


def test_is_status_refuses_what_is_not_a_status() -> None:
    with pytest.raises(ValueError, match="status must be one of 'True', 'False', 'Unknown'"):
        Condition(**condition()).is_status("yes")


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({}, "Condition(Ready=True, reason=OK)"),
        ({"message": "m", "observedGeneration": 3}, "Condition(Ready=True, reason=OK, "
         "message='m', gen=3)"),
        ({"lastTransitionTime": LTT}, "Condition(Ready=True, reason=OK, "
         "ltt=2026-11-26T09:42:16+00:00)"),
    ],
    ids=["bare", "message-generation", "time"],
)  # fmt: skip
def test_repr_names_the_fields_that_are_set(fields: dict[str, Any], text: str) -> None:
    assert repr(Condition(**condition(**fields))) == text


def test_raw_json_of_anything_but_a_condition_is_none() -> None:
    from gittarget_status.conditions._model import raw_json

    raw = stored()
    assert raw_json(raw) is None
    assert raw_json(Condition(**condition())) is None
    assert raw_json(Condition.from_k8s(raw)) == raw


# --- the rule functions' own contracts (the model calls them with pre-checked text) ---------


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("m" * MESSAGE_LIMIT, None),
        ("é" * MESSAGE_LIMIT, None),  # characters, not bytes: the server's rule
        ("m" * (MESSAGE_LIMIT + 1), "message is longer than 32768 characters"),
        ("lone \ud800", "message is not valid Unicode (lone surrogate)"),
    ],
    ids=["at-limit", "multibyte-at-limit", "too-long", "surrogate"],
)
def test_check_server_message(value: str, error: str | None) -> None:
    from gittarget_status.conditions._rules import check_server_message

    if error is None:
        assert check_server_message(value) is value
    else:
        with pytest.raises(ValueError, match=re.escape(error)):
            check_server_message(value)


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        ("m" * MESSAGE_LIMIT, True),
        ("m" * (MESSAGE_LIMIT + 1), False),
        ("é" * (MESSAGE_LIMIT // 2), True),  # exactly 32768 bytes
        ("é" * (MESSAGE_LIMIT // 2 + 1), False),
        ("lone \ud800", False),  # cannot be encoded at all: never written as is
    ],
    ids=["ascii-at-limit", "ascii-over", "bytes-at-limit", "bytes-over", "surrogate"],
)
def test_message_fits_counts_utf8_bytes(value: str, fits: bool) -> None:
    from gittarget_status.conditions._rules import message_fits

    assert message_fits(value) is fits


# --- the base model's parse context and JSON-depth helpers -----------------------------------


@pytest.mark.parametrize(
    "context",
    [None, {}, {"gittarget_status": "not parse options"}, {"other": 1}],
    ids=["none", "empty", "not-options", "other-key"],
)
def test_model_validate_without_parse_options_rejects_unknown_fields(context: object) -> None:
    """Only ``from_k8s`` (its ParseOptions in the context) keeps unknown fields."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        Condition.model_validate({**condition(), "severity": "Info"}, context=context)
    assert StatusValidationError.from_pydantic(caught.value).paths == ("severity",)


def test_raw_json_fallback_and_the_conditions_hook() -> None:
    """``_base`` reads stored JSON through a hook the conditions module installs."""
    from gittarget_status import _base
    from gittarget_status.conditions import _model

    assert _base._no_raw(Condition.from_k8s(stored())) is None  # before the hook: nothing
    assert _base.raw_json is _model.raw_json


@pytest.mark.parametrize(
    ("data", "limit", "path"),
    [
        ({"a": {"b": [1]}}, 2, "a.b[0]"),
        ({"a": {"b": [1, {"c": 2}]}}, 3, "a.b[1].c"),
        ({"a": {"b": [1, {"c": 2}]}}, 4, ""),  # nothing deeper than the limit
        ([[["x"]]], 2, "[0][0][0]"),
        ("flat", 0, ""),
    ],
)
def test_deepest_path_names_a_value_beyond_the_limit(data: object, limit: int, path: str) -> None:
    from gittarget_status._base import _deepest_path, _nesting_exceeds

    assert _deepest_path(data, limit) == path
    assert _nesting_exceeds(data, limit) is bool(path)
