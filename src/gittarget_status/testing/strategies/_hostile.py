"""Strategies for hostile input: any JSON, and valid statuses mutated or damaged.

For totality and hardening: parsing what
[`mutated_statuses`][gittarget_status.testing.strategies.mutated_statuses] draws succeeds or raises
[`StatusValidationError`][gittarget_status.StatusValidationError]; a reconcile pass over what
[`damaged_statuses`][gittarget_status.testing.strategies.damaged_statuses] draws repairs what it
owns and keeps the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Final, cast

from hypothesis import strategies as st

from gittarget_status import Condition, Phase
from gittarget_status.conditions import MAX_MESSAGE_BYTES, format_kube_time
from gittarget_status.testing.strategies._conditions import (
    FOREIGN_TYPES,
    OWN_TYPES,
    conditions,
    kube_times,
)
from gittarget_status.testing.strategies._names import qualified_names
from gittarget_status.testing.strategies._status import gittarget_statuses

__all__ = ["damaged_statuses", "json_values", "mutated_statuses"]

_JSON_KEYS = st.sampled_from(
    [
        "type", "status", "reason", "message", "observedGeneration", "lastTransitionTime",
        "conditions", "phase", "lastReconcileTime", "workerRef", "encryption", "bootstrap",
        "snapshot", "stream", "name", "uid", "stats", "created", "providerRef", "branch",
        "path", "secretRef", "generateWhenMissing", "provider", "severity",
    ]
) | st.text(max_size=12)  # fmt: skip


@cache
def json_values(max_leaves: int = 30, *, finite: bool = False) -> st.SearchStrategy[Any]:
    """Any JSON value (what ``json.loads`` returns), keys biased toward status field names.

    Floats include NaN and the infinities (Python's ``json`` module reads them, the API
    server never sends them) unless ``finite=True``.
    """
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.integers(-(2**64), 2**64)
        | st.floats(allow_nan=not finite, allow_infinity=not finite)
        | st.text(max_size=40)
        | st.sampled_from(["True", "False", "Unknown", "2026-01-01T00:00:00Z", "RUNNING", ""])
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_JSON_KEYS, inner, max_size=6),
        max_leaves=max_leaves,
    )


#: Unknown fields another writer leaves in a condition, and in the status.
_CONDITION_EXTRAS: Final = st.sampled_from(["severity", "x-owner", "lastHeartbeatTime"])
_PHASES: Final = st.sampled_from(Phase)
_STATUS_EXTRAS: Final = st.sampled_from(["history", "x-other-controller", "lastError"])

#: What ``mutated_statuses`` does at the path it picked.
_MUTATIONS: Final = ("replace", "remove", "duplicate", "add-field")
_MUTATION_PICKS: Final = st.sampled_from(_MUTATIONS)


@st.composite
def mutated_statuses(draw: st.DrawFn) -> dict[str, Any]:
    """Valid status JSON with one value anywhere replaced, removed, or duplicated.

    For totality properties: parsing the result either succeeds or raises
    [`StatusValidationError`][gittarget_status.StatusValidationError], never anything else.
    """
    raw: dict[str, Any] = draw(gittarget_statuses()).to_k8s()
    node: Any = raw
    path: list[str | int] = []
    while isinstance(node, dict | list) and node and (not path or draw(st.booleans())):
        key: str | int = (
            draw(st.sampled_from(sorted(node)))
            if isinstance(node, dict)
            else draw(st.integers(0, len(node) - 1))
        )
        path.append(key)
        node = cast(Any, node)[key]
    if not path:
        raw[draw(_JSON_KEYS)] = draw(json_values(max_leaves=8))
        return raw
    return _mutate(draw, raw, path, draw(_MUTATION_PICKS))


def _mutate(
    draw: Callable[[st.SearchStrategy[Any]], Any],
    raw: dict[str, Any],
    path: list[str | int],
    action: str,
) -> dict[str, Any]:
    """``raw`` with ``action`` applied at ``path`` (non-empty): the value replaced by any JSON
    or a near-miss, removed, duplicated in its list, or its object given one more field.
    A duplicate outside a list, or a field added to a non-object, is a replacement."""
    parent: Any = raw
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    node = parent[last]
    if action == "remove":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(cast(int, last), parent[cast(int, last)])
    elif action == "add-field" and isinstance(node, dict):
        node[draw(_JSON_KEYS)] = draw(json_values(max_leaves=4))
    else:
        parent[last] = draw(_REPLACEMENTS)
    return raw


#: What replaces a value: any JSON, or a near-miss of a status value.
_REPLACEMENTS: Final = json_values(max_leaves=8) | st.sampled_from(
    [
        "2026-11-26T09:42:16",
        "2026-11-26",
        "0001-01-01T00:00:00+01:00",
        "x" * (MAX_MESSAGE_BYTES + 1),
        "é" * (MAX_MESSAGE_BYTES // 2 + 1),
        -1,
        2**63,
    ]
)


def _not_ours(type_: str) -> bool:
    return type_ not in OWN_TYPES


@cache
def _damaged_parts(
    max_generation: int,
) -> st.SearchStrategy[tuple[list[Condition], list[Condition]]]:
    """Owned conditions (any verdict, generations up to ``max_generation``) and foreign ones."""
    owned = st.lists(
        conditions(type=st.sampled_from(OWN_TYPES)).map(
            lambda c: c.with_changes(
                observed_generation=None
                if c.observed_generation is None
                else c.observed_generation % (max_generation + 1)
            )
        ),
        max_size=len(OWN_TYPES),
        unique_by=lambda c: c.type,
    )
    foreign = st.lists(
        conditions(type=st.sampled_from(FOREIGN_TYPES) | qualified_names().filter(_not_ours)),
        max_size=3,
        unique_by=lambda c: c.type,
    )
    return st.tuples(owned, foreign)


@st.composite
def damaged_statuses(draw: st.DrawFn, *, max_generation: int = 10) -> dict[str, Any]:
    """Status JSON a lenient parse accepts, but full of damage a controller must survive.

    Duplicated types (left by a non-list-map writer), foreign conditions with unknown
    fields, unknown status fields, owned gates with stale verdicts and wrong
    observedGenerations (up to ``max_generation``), Ready/phase/kstatus that contradict
    the gates, over-long messages. The pipeline must repair what it owns and keep the rest.
    """
    owned, foreign = draw(_damaged_parts(max_generation))
    listed: list[dict[str, Any]] = [c.to_k8s() for c in draw(st.permutations(owned + foreign))]
    for raw in listed:
        if draw(st.integers(0, 4)) == 0:
            raw[draw(_CONDITION_EXTRAS)] = draw(json_values(3, finite=True))
        if draw(st.integers(0, 9)) == 0:
            raw["message"] = "m" * (MAX_MESSAGE_BYTES + draw(st.integers(1, 100)))
    if draw(st.booleans()) and listed:
        for _ in range(draw(st.integers(1, 3))):
            original = draw(st.sampled_from(listed))
            copy = {**draw(conditions()).to_k8s(), "type": original["type"]}  # its twin
            listed.insert(draw(st.integers(listed.index(original) + 1, len(listed))), copy)
    raw_status: dict[str, Any] = {"conditions": listed}
    if draw(st.booleans()):
        raw_status["observedGeneration"] = draw(st.integers(0, max_generation))
    if draw(st.booleans()):
        raw_status["phase"] = draw(_PHASES).value
    if draw(st.booleans()):
        raw_status["lastReconcileTime"] = format_kube_time(draw(kube_times()))
    if draw(st.booleans()):
        raw_status[draw(_STATUS_EXTRAS)] = draw(json_values(6, finite=True))
    return raw_status
