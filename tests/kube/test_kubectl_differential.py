"""Differential test: the offline port against the real kubectl, on generated objects.

Each example stores a handful of objects (case variants of types and statuses,
duplicated types, stale observedGenerations, missing and mistyped fields) on the fake
endpoint and asks ``kubectl wait --timeout=0`` about all of them in one call (kubectl
continues past objects that fail and reports each one). ``condition_met`` must give the
same verdict for every object: met, not met, or an error.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gittarget_status.kubectl import WaitEvaluationError, WaitExpressionError, condition_met

from ._fakeapi import GROUP, KIND, NAMESPACE, VERSION, FakeAPIServer
from ._kubectl import Kubectl

Verdict = Literal["met", "not met", "error"]

#: At most this many objects per kubectl call: kubectl's client-side rate limiter
#: (burst 10) would otherwise slow every further request to 5 per second.
MAX_OBJECTS = 8

_names = itertools.count()

TYPE_VARIANTS = [
    "Ready",
    "ready",
    "READY",
    "rEADY",
    "Ready ",  # trailing space: a different type
    "Re\u0430dy",  # Cyrillic a: a different type
    "SnapshotSynced",
    "snapshotsynced",
    "Kelvin",
    "\u212aelvin",  # KELVIN SIGN folds to k
    "\u017ftream",  # LONG S folds to s
    "Stream",
    "Straße",
    "STRASSE",  # ß does not simple-fold to ss
    "İndex",  # dotted capital I has no simple folding to i
    "index",
    "\u0131NDEX",  # dotless i does not fold to I
]
STATUS_VARIANTS: list[Any] = [
    "True",
    "true",
    "TRUE",
    "tRuE",
    "False",
    "false",
    "Unknown",
    "unknown",
    "",
    "yes",
    True,
    1,
    None,
]
NAME_VARIANTS = ["Ready", "ready", "READY", "SnapshotSynced", "kelvin", "Stream", "straße", "index"]
VALUE_VARIANTS = ["true", "True", "TRUE", "false", "False", "unknown", "Unknown", "yes"]
JSONPATHS = [
    "{.status.phase}=RUNNING",
    "{.status.phase}=running",
    "{.status.phase}",
    ".status.observedGeneration=2",
    '{.status.conditions[?(@.type=="Ready")].status}=True',
    "{.status.conditions[?(@.type=='Ready')].reason}=OK",
    "{.status.conditions[0].type}=Ready",
    "{.metadata.generation}=2",
]

generations = st.one_of(st.integers(0, 4), st.sampled_from(["2", 2.5, None, True]))


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    condition: dict[str, Any] = {}
    condition["type"] = draw(st.sampled_from([*TYPE_VARIANTS, 7]))
    if draw(st.integers(0, 9)) > 0:
        condition["status"] = draw(st.sampled_from(STATUS_VARIANTS))
    if draw(st.booleans()):
        condition["observedGeneration"] = draw(generations)
    if draw(st.booleans()):
        condition["reason"] = draw(st.sampled_from(["OK", "Blocked", "Running"]))
    if draw(st.integers(0, 3)) == 0:
        condition.pop("type")
    return condition


@st.composite
def objects(draw: st.DrawFn) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if draw(st.integers(0, 4)) > 0:
        metadata["generation"] = draw(generations)
    obj: dict[str, Any] = {"metadata": metadata}
    shape = draw(st.integers(0, 12))
    if shape == 0:
        return obj  # no status at all
    if shape == 1:
        obj["status"] = None
        return obj
    if shape == 2:
        obj["status"] = {"conditions": draw(st.sampled_from(["nope", None, {"type": "Ready"}]))}
        return obj
    status: dict[str, Any] = {}
    if draw(st.booleans()):
        status["observedGeneration"] = draw(generations)
    if draw(st.booleans()):
        status["phase"] = draw(st.sampled_from(["RUNNING", "SYNCING", "running", 3, None]))
    entries = draw(st.lists(conditions(), max_size=4))
    keep_empty: bool = draw(st.booleans())
    if entries or keep_empty:
        status["conditions"] = entries
    obj["status"] = status
    return obj


@st.composite
def expressions(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)) == 0:
        return "jsonpath=" + draw(st.sampled_from(JSONPATHS))
    name = draw(st.sampled_from(NAME_VARIANTS))
    if draw(st.integers(0, 3)) == 0:
        return f"condition={name}"
    return f"condition={name}={draw(st.sampled_from(VALUE_VARIANTS))}"


def _ours(obj: Mapping[str, Any], expression: str) -> Verdict:
    try:
        return "met" if condition_met(obj, expression) else "not met"
    except (WaitEvaluationError, WaitExpressionError):
        return "error"


def _kubectls(kubectl: Kubectl, names: list[str], expression: str) -> dict[str, Verdict]:
    result = kubectl.run(
        "wait", f"--for={expression}", "--timeout=0", *(f"gittarget/{n}" for n in names)
    )
    met = set(re.findall(r"^gittarget\.configbutler\.ai/(\S+) condition met$", result.stdout, re.M))
    not_met = set(re.findall(r"condition not met for gittargets/(\S+)$", result.stderr, re.M))
    assert result.returncode == (0 if len(met) == len(names) else 1), result.stderr
    verdicts: dict[str, Verdict] = {}
    for name in names:
        verdicts[name] = "met" if name in met else "not met" if name in not_met else "error"
    assert sum(v == "error" for v in verdicts.values()) == len(
        [line for line in result.stderr.splitlines() if "condition not met" not in line and line]
    ), result.stderr
    return verdicts


def _store(api: FakeAPIServer, obj: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    name = f"d{next(_names)}"
    stored = dict(obj)
    stored["apiVersion"] = f"{GROUP}/{VERSION}"
    stored["kind"] = KIND
    stored["metadata"] = {**obj["metadata"], "name": name, "namespace": NAMESPACE}
    api.put_raw(name, stored)
    return name, api.get(name)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(objects(), min_size=1, max_size=MAX_OBJECTS), expression=expressions())
def test_condition_met_agrees_with_kubectl(
    shared_api: FakeAPIServer,
    shared_kubectl: Kubectl,
    batch: list[dict[str, Any]],
    expression: str,
) -> None:
    stored = dict(_store(shared_api, obj) for obj in batch)
    theirs = _kubectls(shared_kubectl, list(stored), expression)
    ours = {name: _ours(obj, expression) for name, obj in stored.items()}
    for verdict in theirs.values():
        event(f"kubectl: {verdict}")
    assert ours == theirs, {name: stored[name] for name in stored if ours[name] != theirs[name]}


UNICODE_CASES: list[tuple[str, str, str]] = [
    # (condition type on the object, status on the object, --for expression)
    ("\u212aelvin", "True", "condition=kelvin"),
    ("\u017ftream", "True", "condition=STREAM"),
    ("Straße", "True", "condition=STRASSE"),
    ("STRAẞE", "True", "condition=straße"),  # capital sharp s simple-folds to ß
    ("İndex", "True", "condition=index"),
    ("\u0131NDEX", "True", "condition=INDEX"),
    ("ΣΊΣΥΦΟΣ", "True", "condition=σίσυφος"),
    ("Ready", "ᴛrue", "condition=Ready"),
    ("Ready", "\u212aNOWN", "condition=Ready=known"),
]


@pytest.mark.parametrize(("type_", "status", "expression"), UNICODE_CASES)
def test_unicode_simple_folding_matches_kubectl(
    shared_api: FakeAPIServer, shared_kubectl: Kubectl, type_: str, status: str, expression: str
) -> None:
    name, obj = _store(
        shared_api, {"metadata": {}, "status": {"conditions": [{"type": type_, "status": status}]}}
    )
    assert _kubectls(shared_kubectl, [name], expression) == {name: _ours(obj, expression)}


def test_a_non_object_condition_entry(shared_api: FakeAPIServer, shared_kubectl: Kubectl) -> None:
    """kubectl v1.32 panics on it; current kubectl (and this port) say "not met"."""
    name, obj = _store(shared_api, {"metadata": {}, "status": {"conditions": ["x"]}})
    assert _ours(obj, "condition=Ready") == "not met"
    result = shared_kubectl.run("wait", "--for=condition=Ready", "--timeout=0", f"gittarget/{name}")
    assert result.returncode != 0
    assert "panic: interface conversion" in result.stderr or "condition not met" in result.stderr


JSONPATH_OBJECT: dict[str, Any] = {
    "metadata": {"generation": 2},
    "spec": {"on": True, "ratio": 1.5, "big": 1e21, "million": 1000000.5, "none": None},
    "status": {
        "phase": "RUNNING",
        "observedGeneration": 2,
        "conditions": [
            {"type": "Ready", "status": "True", "reason": "OK"},
            {"type": "Validated", "status": "True"},
        ],
    },
}


@pytest.mark.parametrize(
    "expression",
    [
        "jsonpath=spec.on=true",
        "jsonpath={.spec.ratio}=1.5",
        "jsonpath={.spec.big}=1e+21",
        "jsonpath={.spec.million}=1.0000005e+06",
        "jsonpath={.spec.none}=<nil>",
        "jsonpath={.spec.none}",
        "jsonpath={.status.conditions[-1].type}=Validated",
        "jsonpath={.status.conditions[?(@.reason)].type}=Ready",
        "jsonpath={.status.conditions[*].type}=Ready",
        "jsonpath={.status.conditions[5].type}=Ready",
        "jsonpath={.status.conditions}=x",
        "jsonpath={.status.observedGeneration}=' 2'",
        'jsonpath={.status.conditions[?(@.status!="True")].type}=Ready',
        "jsonpath={.metadata.generation}=2",
        "jsonpath={.status.*}=RUNNING",
    ],
)
def test_jsonpath_details_match_kubectl(
    shared_api: FakeAPIServer, shared_kubectl: Kubectl, expression: str
) -> None:
    name, obj = _store(shared_api, JSONPATH_OBJECT)
    assert _kubectls(shared_kubectl, [name], expression) == {name: _ours(obj, expression)}
