"""Strategies for JSON that breaks exactly one rule, paired with where it breaks it.

For error-path tests: a parse of what
[`invalid_conditions`][gittarget_status.testing.strategies.invalid_conditions] or
[`invalid_statuses`][gittarget_status.testing.strategies.invalid_statuses] draws must fail, naming
the field or path drawn with it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from hypothesis import strategies as st

from gittarget_status.conditions import MAX_REASON_LENGTH
from gittarget_status.testing.strategies._conditions import (
    MAX_GENERATION,
    condition_types,
    conditions,
    reasons,
)
from gittarget_status.testing.strategies._names import ALNUM, UNICODE
from gittarget_status.testing.strategies._status import gittarget_statuses

__all__ = ["invalid_conditions", "invalid_statuses"]

#: Every character that may appear anywhere in a type or a reason; others break both.
_TYPE_OR_REASON_CHARS = frozenset(ALNUM + "-_.,:/")

#: Hand-picked violations per field, each breaking one rule of the API server (the CRD's
#: metav1.Condition schema). Values only the stricter write rules refuse (a 64-character
#: name part, a 254-character prefix) are not here: the server stores them, so they parse.
_INVALID_VALUES: dict[str, tuple[object, ...]] = {
    "type": (
        "", "Ready\n", "a/b/c", "/Ready", "example.com/", "-Ready", "Ready.", "has space",
        "Example.com/Ready", f"{'a' * 253}/{'b' * 63}", "x" * 317, 5, None,
    ),
    "status": ("true", "TRUE", "yes", "", 1, 0, None, 1.0),
    "reason": (
        "", "1Reason", "_Reason", "Reason,", "Reason:", "Has space", "Reason\n", "Grün",
        "R" * (MAX_REASON_LENGTH + 1), 5, None,
    ),
    "message": ("lone \ud800 surrogate", 5, None),
    "observedGeneration": (-1, MAX_GENERATION + 1, True, False, 1.5, "1"),
    "lastTransitionTime": (
        "2026-11-26", "2026-11-26T09:42:16", "yesterday", "", 0, 1_700_000_000, 1.5, True,
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
    ),
}  # fmt: skip

#: Hand-picked wrong values per status field (wrong type, range or shape).
_WRONG: dict[str, tuple[object, ...]] = {
    "observedGeneration": (-1, 2**63, "3", 1.5, True, [], {}),
    "conditions": ("Ready", 5, {}, {"type": "Ready"}, True),
    "lastReconcileTime": ("2026-01-01", "2026-01-01T00:00:00", "now", 0, 1.5, [], {}),
    "workerRef": ("worker-0", 5, [], {"uid": "x"}, {"name": 5}),
    "encryption": ("sops", [], {"mode": 5}, {"secretRef": "x"}, {"lastValidatedTime": "x"}),
    "bootstrap": ([], {"commit": 5}, {"lastAppliedTime": "2026-01-01T00:00:00"}),
    "snapshot": (5, {"stats": {"created": -1}}, {"stats": {"created": "1"}}, {"stats": []}),
    "stream": ("Live", {"status": 5}, {"registeredTime": 1_700_000_000}),
}

#: The choices the strategies below draw, built once (not in every draw).
_INVALID_FIELDS: Final = st.sampled_from(sorted(_INVALID_VALUES))
_WRONG_FIELDS: Final = st.sampled_from(sorted(_WRONG))
_WRONG_VALUES: Final = {field: st.sampled_from(values) for field, values in _WRONG.items()}
_BREAKS: Final = st.sampled_from(["condition", "missing", "field"])
_REQUIRED: Final = st.sampled_from(["type", "status", "reason", "workerRef", "secretRef"])
_FORBIDDEN_CHARS: Final = UNICODE.filter(lambda char: char not in _TYPE_OR_REASON_CHARS)


@st.composite
def _corrupted_names(draw: st.DrawFn, field: str) -> str:
    """A valid type or reason with one character no type or reason may contain."""
    valid = draw(condition_types() if field == "type" else reasons())
    bad = draw(_FORBIDDEN_CHARS)
    at = draw(st.integers(0, len(valid)))
    return valid[:at] + bad + valid[at:]


@st.composite
def invalid_conditions(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """``(raw, field)``: API-server JSON of a condition that breaks exactly one rule.

    ``field`` is the camelCase JSON key of the broken field, so a test can assert that
    the [`StatusValidationError`][gittarget_status.StatusValidationError] names it.
    """
    raw = draw(conditions()).to_k8s()
    field = draw(_INVALID_FIELDS)
    raw[field] = draw(_invalid_values(field))
    return raw, field


@cache
def _invalid_values(field: str) -> st.SearchStrategy[Any]:
    """The listed invalid values of ``field``, and corrupted names for a type or reason."""
    candidates = st.sampled_from(_INVALID_VALUES[field])
    if field in ("type", "reason"):
        candidates = candidates | _corrupted_names(field)
    return candidates


#: A composite strategy is a new object on every call: one, for ``invalid_statuses``.
_INVALID_CONDITIONS: Final = invalid_conditions()


@st.composite
def invalid_statuses(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """``(raw, path)``: GitTarget status JSON that breaks one rule, and the path it breaks.

    Every [`StatusValidationError`][gittarget_status.StatusValidationError] from parsing ``raw``
    (lenient or strict) names a path starting with ``path``. (An unknown ``phase`` is not among
    them: a lenient parse drops it for the next pass to repair.)
    """
    raw = draw(gittarget_statuses()).to_k8s()
    kind = draw(_BREAKS)
    if kind == "missing":
        # A required key left out: a condition's type/status/reason, or a ref's name.
        missing = draw(_REQUIRED)
        if missing == "workerRef":
            raw["workerRef"] = {"uid": "x"}
            return raw, "workerRef.name"
        if missing == "secretRef":
            raw["encryption"] = {"mode": "sops", "secretRef": {}}
            return raw, "encryption.secretRef.name"
        condition = draw(conditions()).to_k8s()
        del condition[missing]
        listed = [c for c in raw.get("conditions", []) if c["type"] != condition.get("type")]
        raw["conditions"] = [*listed, condition]
        return raw, f"conditions[{len(listed)}].{missing}"
    if kind == "condition":
        bad, field = draw(_INVALID_CONDITIONS)
        listed = raw.setdefault("conditions", [])
        listed = [c for c in listed if c.get("type") != bad.get("type")]
        index = draw(st.integers(0, len(listed)))
        listed.insert(index, bad)
        raw["conditions"] = listed
        return raw, f"conditions[{index}]"
    field = draw(_WRONG_FIELDS)
    raw[field] = draw(_WRONG_VALUES[field])
    return raw, field
