"""Strategies for another controller's data: everything the API server stores, oddities first.

What a second writer may legitimately put beside our conditions, as the raw JSON the server
hands back: condition types longer than Go's qualified-name rules allow (a 64-character or
longer name part, a long prefix, up to the CRD's 316-character limit), multi-byte messages
up to the CRD's 32768 *characters* (far over 32768 bytes), reasons up to 1024 characters,
fractional-second and offset ``lastTransitionTime`` strings, observedGeneration 0 or
int64-large or absent, keys in any order. A library reading them must accept them and
write them back byte for byte.

Only server-valid values: the CRD's structural schema prunes unknown keys inside a condition, so
none are generated here (unknown keys are
[`damaged_statuses`][gittarget_status.testing.strategies.damaged_statuses]' job).
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any, Final

from hypothesis import strategies as st

from gittarget_status.conditions import MAX_REASON_LENGTH, MAX_TYPE_LENGTH, SUSPENDED
from gittarget_status.conditions._rules import MAX_MESSAGE_LENGTH
from gittarget_status.testing.strategies._conditions import (
    FOREIGN_TYPES,
    MAX_GENERATION,
    OWN_TYPES,
    condition_statuses,
    reasons,
)
from gittarget_status.testing.strategies._names import ALNUM, UNICODE, dns_label, qualified_names

__all__ = [
    "ODD_FOREIGN_CONDITIONS",
    "foreign_condition_lists",
    "foreign_conditions",
    "foreign_messages",
    "foreign_reasons",
    "foreign_times",
    "foreign_types",
]

_NAME_CHARS: Final = ALNUM + "-_."


def _name(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """A type's name part: alphanumeric at both ends, ``-_.`` allowed inside."""
    edge = st.sampled_from(ALNUM)
    inner = st.text(_NAME_CHARS, min_size=max(0, min_size - 2), max_size=max(0, max_size - 2))
    return st.tuples(edge, inner, edge).map("".join)


@st.composite
def _long_prefix(draw: st.DrawFn, min_size: int, max_size: int) -> str:
    """A lowercase DNS-subdomain-shaped prefix of ``min_size..max_size`` characters."""
    size = draw(st.integers(min_size, max_size))
    labels: list[str] = []
    while sum(len(label) + 1 for label in labels) < size:
        labels.append(draw(dns_label()))
    prefix = ".".join(labels)[:size].strip(".-")
    return prefix or "a"


@cache
def foreign_types() -> st.SearchStrategy[str]:
    """Condition types the CRD accepts (pattern, <= 316 characters), Go's rules or not.

    A 64..316-character name part, a long name behind a prefix, a prefix longer than
    253 characters, and the ordinary ones (CamelCase, ``example.com/Foo``).
    """
    long_name = _name(64, MAX_TYPE_LENGTH)
    prefixed_long = st.tuples(dns_label(), _name(64, 200)).map(lambda pair: "/".join(pair))
    long_prefix = st.tuples(_long_prefix(254, 300), _name(1, 10)).map(lambda p: "/".join(p))
    ordinary = st.sampled_from(FOREIGN_TYPES) | qualified_names()
    return (long_name | prefixed_long | long_prefix | ordinary).filter(
        lambda t: len(t) <= MAX_TYPE_LENGTH and t not in OWN_TYPES and t != SUSPENDED
    )


@cache
def foreign_reasons() -> st.SearchStrategy[str]:
    """Reasons of any valid length, 1024 characters included."""
    longest = st.tuples(
        st.sampled_from(string.ascii_letters),
        st.text(ALNUM + "_,:", min_size=MAX_REASON_LENGTH - 2, max_size=MAX_REASON_LENGTH - 2),
        st.sampled_from(ALNUM + "_"),
    ).map("".join)
    return reasons() | longest


@cache
def foreign_messages() -> st.SearchStrategy[str]:
    """Messages the CRD accepts: up to 32768 characters, multi-byte ones far over 32 KiB."""
    wide = st.sampled_from(["é", "ß", "€", "語", "😀", "\u00a0", "a"])
    unit = st.lists(wide, min_size=1, max_size=4).map("".join)
    repeated = st.tuples(unit, st.integers(1, MAX_MESSAGE_LENGTH)).map(
        lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]]
    )
    exact = unit.map(lambda u: (u * MAX_MESSAGE_LENGTH)[:MAX_MESSAGE_LENGTH])
    return st.just("") | st.text(UNICODE, max_size=100) | repeated | exact


_MOMENTS: Final = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
_ZONES: Final = st.just("Z") | st.tuples(
    st.sampled_from("+-"), st.integers(0, 14), st.sampled_from([0, 15, 30, 45])
).map(lambda z: f"{z[0]}{z[1]:02d}:{z[2]:02d}")


@st.composite
def foreign_times(draw: st.DrawFn) -> str:
    """RFC 3339 timestamp strings as other writers send them: fractions, offsets, ``Z``."""
    moment = draw(_MOMENTS).replace(tzinfo=UTC)
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 9))
    fraction = draw(st.text(string.digits, min_size=digits, max_size=digits))
    zone = draw(_ZONES)
    return base + ("." + fraction if fraction else "") + zone


#: A composite strategy is a new object on every call: one, for the draws below.
_FOREIGN_TIMES: Final = foreign_times()

_KEYS: Final = ("type", "status", "observedGeneration", "lastTransitionTime", "reason", "message")


@st.composite
def foreign_conditions(
    draw: st.DrawFn, types: st.SearchStrategy[str] | None = None
) -> dict[str, Any]:
    """One server-valid condition as raw JSON, keys in a drawn order, oddities likely."""
    values: dict[str, Any] = {
        "type": draw(types if types is not None else foreign_types()),
        "status": draw(condition_statuses()).value,
        "lastTransitionTime": draw(_FOREIGN_TIMES),
        "reason": draw(foreign_reasons()),
        "message": draw(foreign_messages()),
    }
    generation = draw(_GENERATIONS)
    if generation is not None:
        values["observedGeneration"] = generation
    order = draw(_orders(tuple(key for key in _KEYS if key in values)))
    return {key: values[key] for key in order}


_GENERATIONS: Final = st.none() | st.sampled_from([0, 1, MAX_GENERATION]) | st.integers(0, 2**40)


@cache
def _orders(keys: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.permutations(keys)


@cache
def foreign_condition_lists(
    max_size: int = 4, *, exclude: Iterable[str] = ()
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of foreign conditions with distinct types, none in ``exclude`` (your own)."""
    excluded = frozenset(exclude)
    types = foreign_types().filter(lambda t: t not in excluded)
    return st.lists(
        foreign_conditions(types), max_size=max_size, unique_by=lambda c: str(c["type"])
    )


def _odd(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": "example.com/Foreign",
        "status": "True",
        "lastTransitionTime": "2026-04-01T10:00:00Z",
        "reason": "Theirs",
        "message": "",
    }
    return {**base, **fields}


#: One hand-written condition per oddity, named: fixtures for tests on a real server.
ODD_FOREIGN_CONDITIONS: Final[dict[str, dict[str, Any]]] = {
    "name-part-64": _odd(type="x" * 64),
    "name-part-316": _odd(type="N" * MAX_TYPE_LENGTH),
    "long-prefix": _odd(type=("p" * 60 + ".") * 4 + "example.com/Long"),
    "multibyte-message-20000": _odd(type="example.com/Wide", message="語" * 20_000),
    "message-32768-characters": _odd(type="example.com/Full", message="é" * MAX_MESSAGE_LENGTH),
    "reason-1024": _odd(type="example.com/Reason", reason="R" * MAX_REASON_LENGTH),
    "fractional-time": _odd(
        type="example.com/Fraction", lastTransitionTime="2026-04-01T10:00:00.123456Z"
    ),
    "offset-time": _odd(type="example.com/Offset", lastTransitionTime="2026-04-01T10:00:00+02:00"),
    "generation-0": _odd(type="example.com/Zero", observedGeneration=0),
    "generation-int64-max": _odd(type="example.com/Max", observedGeneration=MAX_GENERATION),
    "keys-reversed": dict(reversed(list(_odd(type="example.com/Reversed").items()))),
}
