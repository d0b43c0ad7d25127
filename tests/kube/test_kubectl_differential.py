"""Differential test: the offline port against the real kubectl, both versions, real server.

Each example stores a handful of objects (case variants of types and statuses,
duplicated types, stale observedGenerations, missing and mistyped fields, non-object
entries, a status that is not an object) as ``Probe`` objects on the real API server
(see ``_probe``: a CRD whose status keeps any JSON) and asks ``kubectl wait --timeout=0``
of every kubectl version about all of them in one call each (kubectl goes on past objects
that fail and reports each one). ``condition_met``, given the object as the server serves
it, must give the same verdict for every object: met, not met, an error, or (for the
whole call) an expression kubectl refuses.

One version difference is known and excluded by name, for v1.32 only: it panics when
its scan of ``status.conditions`` reaches an entry that is not an object (v1.36 and the
port skip the entry); :func:`test_v1_32_panics_on_a_non_object_condition_entry` shows
it, and the property test counts every object it keeps from v1.32 for that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from gittarget_status.kubectl import (
    WaitEvaluationError,
    WaitExpressionError,
    condition_met,
    equal_fold,
)
from gittarget_status.testing.control_plane import ControlPlane

from ._kubectl import Kubectl, Verdict, run_concurrently, verdicts
from ._probe import GENERATIONS, PROBE_CRD, ProbePool, probe_crd

#: At most this many objects per kubectl call: kubectl makes two GETs per object, from two
#: clients with a client-side rate limiter each (burst 10, then 5 per second); measured on
#: the real server, both versions: 10 objects take 0.06-0.08 s, 11 take 0.24-0.26 s.
MAX_OBJECTS = 10

#: Each example costs a few writes and one call per kubectl version (0.1 to 0.3 s, up to 10
#: objects each): 10 in the default profile (the README's quick run; the fixed
#: JSONPATH_FEATURES cases below cover every feature on every run), a quarter of the
#: profile's examples in a thorough one (100 in ci: up to 1,000 objects a kubectl version).
EXAMPLES = 10 if settings().max_examples <= 100 else settings().max_examples // 4

#: The named version difference: kubectl v1.32 crashes (``panic: interface conversion``)
#: when ``condition=`` reaches a ``status.conditions`` entry that is not an object.
PANICS_ON_NON_OBJECT_CONDITION = frozenset({"1.32"})

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

#: Every JSONPath feature the port supports (see ``gittarget_status.kubectl``), by name;
#: each is asked of every object in :data:`FEATURE_OBJECTS`.
JSONPATH_FEATURES: dict[str, str] = {
    # the four relaxed spellings of a path
    "braces-dot": "{.status.phase}=RUNNING",
    "braces-no-dot": "{status.phase}=RUNNING",
    "bare-dot": ".status.phase=RUNNING",
    "bare": "status.phase=RUNNING",
    # fields, indexes, wildcards
    "field-chain": "{.spec.nested.a.b}=deep",
    "bracket-field-single": "{.status['phase']}=RUNNING",
    "bracket-field-double": '{.status["phase"]}=RUNNING',
    "index": "{.status.conditions[0].type}=Ready",
    "index-negative": "{.status.conditions[-1].type}=Validated",
    "index-out-of-bounds": "{.status.conditions[5].type}=Ready",
    "index-on-non-list": "{.status.phase[0]}=R",
    "wildcard-brackets": "{.status.conditions[*].type}=Ready",
    "wildcard-dot": "{.status.*}=RUNNING",
    "wildcard-map-single": "{.spec.nested.*.b}=deep",
    "wildcard-brackets-on-map": "{.spec.nested[*]}",
    "wildcard-brackets-on-null": "{.spec.none[*]}",
    "wildcard-dot-on-string": "{.spec.name.*}",
    "wildcard-dot-on-letter": "{.spec.letter.*}=120",
    "wildcard-dot-on-number": "{.spec.count.*}",
    "wildcard-then-filter": '{.status.*[?(@.type=="Ready")].reason}=OK',
    "list-element": "{.spec.list[1]}=two",
    # filters: existence, each operator, each literal
    "filter-exists": "{.status.conditions[?(@.reason)].type}=Ready",
    "filter-eq-double-quoted": '{.status.conditions[?(@.type=="Ready")].status}=True',
    "filter-eq-single-quoted": "{.status.conditions[?(@.type=='Ready')].reason}=OK",
    "filter-ne": '{.status.conditions[?(@.status!="True")].type}=SnapshotSynced',
    "filter-lt-int": "{.status.conditions[?(@.observedGeneration<2)].type}=SnapshotSynced",
    "filter-gt-int": "{.status.conditions[?(@.observedGeneration>1)].type}=Ready",
    "filter-le-int": "{.status.conditions[?(@.observedGeneration<=1)].type}=SnapshotSynced",
    "filter-ge-int": "{.status.conditions[?(@.observedGeneration>=2)].type}=Ready",
    "filter-eq-int": "{.status.conditions[?(@.observedGeneration==2)].type}=Ready",
    "filter-negative-int": "{.status.conditions[?(@.observedGeneration>-1)].type}",
    "filter-float": "{.status.conditions[?(@.weight<1.5)].type}=Validated",
    "filter-float-ge": "{.status.conditions[?(@.weight>=1.5)].type}=Ready",
    "filter-bool-true": "{.status.conditions[?(@.enabled==true)].type}=Ready",
    "filter-bool-false": "{.status.conditions[?(@.enabled==false)].type}=Validated",
    "filter-bool-ordered": "{.status.conditions[?(@.enabled<true)].type}=Ready",
    "filter-string-ordered": '{.status.conditions[?(@.type<"S")].type}=Ready',
    "filter-path-vs-path": "{.status.conditions[?(@.reason==@.type)].type}=Echo",
    "filter-mixed-types": '{.status.conditions[?(@.observedGeneration=="2")].type}=Ready',
    "filter-int-vs-float": "{.status.conditions[?(@.observedGeneration==2.0)].type}=Ready",
    "filter-then-field": '{.status.conditions[?(@.type=="Ready")].reason}=OK',
    "filter-on-non-list": '{.status[?(@.type=="Ready")]}=x',
    # values: none, %v of each scalar type, quotes and spaces
    "no-value": "{.status.phase}",
    "no-value-missing": "{.status.missing}",
    "value-int": "{.metadata.generation}=2",
    "value-int-quoted-spaces": "{.status.observedGeneration}=' 2'",
    "value-double-quoted": '{.status.phase}="RUNNING"',
    "value-case": "{.status.phase}=running",
    "value-bool": "spec.on=true",
    "value-bool-false": "{.spec.off}=false",
    "value-float": "{.spec.ratio}=1.5",
    "value-float-exponent": "{.spec.big}=1e+21",
    "value-float-large": "{.spec.million}=1.0000005e+06",
    "value-negative": "{.spec.negative}=-2",
    "value-null": "{.spec.none}=<nil>",
    "value-null-exists": "{.spec.none}",
    "value-empty-string": "{.spec.empty}=x",
    "value-nested-object": "{.status.conditions}=x",
    "value-nested-list": "{.spec.list}=x",
    "value-several-matches": "{.status.conditions[*].type}=Ready",
}

#: Statuses for the feature cases (each probe also has ``_probe.PROBE_SPEC`` and
#: generation 2): the interesting one first, then the shapes that make paths fail.
FEATURE_OBJECTS: list[dict[str, Any]] = [
    {
        "status": {
            "phase": "RUNNING",
            "observedGeneration": 2,
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "reason": "OK",
                    "observedGeneration": 2,
                    "weight": 2.5,
                    "enabled": True,
                },
                {"type": "SnapshotSynced", "status": "False", "observedGeneration": 1},
                {"type": "Echo", "status": "True", "reason": "Echo"},
                {"type": "Validated", "status": "True", "weight": 0.5, "enabled": False},
            ],
        }
    },
    {"status": {"phase": "RUNNING", "conditions": [{"type": "Ready", "status": "True"}]}},
    {"status": {"phase": "SYNCING", "conditions": [], "observedGeneration": "2"}},
    {"status": {"conditions": "nope", "phase": ["RUNNING"]}},
    {"status": "nope"},
    {},
]

generations = st.one_of(st.integers(0, 4), st.sampled_from(["2", 2.5, None, True]))
non_objects = st.sampled_from(["x", 7, None, [], ["Ready"], True])


@st.composite
def conditions(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 11)) == 0:
        return draw(non_objects)
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
def objects(draw: st.DrawFn) -> tuple[int, dict[str, Any]]:
    """(metadata.generation, the object's status part): the server owns the metadata."""
    generation = draw(st.sampled_from(GENERATIONS))
    shape = draw(st.integers(0, 13))
    if shape == 0:
        return generation, {}  # no status at all
    if shape == 1:
        return generation, {"status": None}  # the server drops it: no status
    if shape == 2:
        return generation, {"status": draw(st.sampled_from(["nope", 3, ["x"], True]))}
    if shape == 3:
        return generation, {
            "status": {"conditions": draw(st.sampled_from(["nope", None, {"type": "Ready"}]))}
        }
    status: dict[str, Any] = {}
    if draw(st.booleans()):
        status["observedGeneration"] = draw(generations)
    if draw(st.booleans()):
        status["phase"] = draw(st.sampled_from(["RUNNING", "SYNCING", "running", 3, None]))
    entries = draw(st.lists(conditions(), max_size=4))
    keep_empty: bool = draw(st.booleans())
    if entries or keep_empty:
        status["conditions"] = entries
    return generation, {"status": status}


# A generated JSONPath: a start, a few steps, then maybe a value, in one of the spellings.
_STARTS = [".status", ".status.conditions", ".spec", ".metadata", ".status.phase"]
_FIELDS = [".type", ".status", ".reason", ".observedGeneration", ".phase", ".conditions", ".x"]
_SUBPATHS = [".type", ".status", ".reason", ".observedGeneration", ".missing"]
_LITERALS = ['"Ready"', "'True'", '"OK"', "1", "2", "-1", "0", "1.5", "true", "false"]
_LITERALS_ALL = [*_LITERALS, "@.observedGeneration", "@.reason"]
_VALUES = ["True", "Ready", "RUNNING", "1", "2", "true", "<nil>", "OK", "'True'", '"2"', " 2 "]


@st.composite
def jsonpaths(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(_STARTS))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            path += draw(st.sampled_from(_FIELDS))
        elif kind == 1:
            path += draw(st.sampled_from(["[0]", "[1]", "[-1]", "[-2]", "[4]"]))
        elif kind == 2:
            path += draw(st.sampled_from(["[*]", ".*", "['type']", '["phase"]']))
        elif kind == 3:
            path += f"[?(@{draw(st.sampled_from(_SUBPATHS))})]"
        else:
            operator = draw(st.sampled_from(["==", "!=", "<", ">", "<=", ">="]))
            literal = draw(st.sampled_from(_LITERALS_ALL))
            path += f"[?(@{draw(st.sampled_from(_SUBPATHS))}{operator}{literal})]"
    spelling = draw(st.integers(0, 3))
    text = [f"{{{path}}}", f"{{{path[1:]}}}", path, path[1:]][spelling]
    if draw(st.integers(0, 3)) == 0:
        return text
    return f"{text}={draw(st.sampled_from(_VALUES))}"


@st.composite
def expressions(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return "jsonpath=" + draw(st.sampled_from(sorted(JSONPATH_FEATURES.values())))
    if kind == 1:
        return "jsonpath=" + draw(jsonpaths())
    name = draw(st.sampled_from(NAME_VARIANTS))
    if kind == 2:
        return f"condition={name}"
    return f"condition={name}={draw(st.sampled_from(VALUE_VARIANTS))}"


def _ours(obj: Mapping[str, Any], expression: str) -> Verdict:
    try:
        return "met" if condition_met(obj, expression) else "not met"
    except WaitExpressionError:
        return "refused"
    except WaitEvaluationError:
        return "error"


def _reaches_a_non_object(obj: Mapping[str, Any], expression: str) -> bool:
    """Would kubectl's ``condition=`` scan get to a non-object entry before deciding?"""
    if not expression.startswith("condition="):
        return False
    name = expression.removeprefix("condition=").partition("=")[0]
    status = obj.get("status")
    entries = status.get("conditions") if isinstance(status, Mapping) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            return True
        type_, value = entry.get("type"), entry.get("status")
        if isinstance(type_, str) and equal_fold(type_, name) and isinstance(value, str):
            return False
    return False


def _compare(
    kubectls: Mapping[str, Kubectl],
    namespace: str,
    stored: Mapping[str, Mapping[str, Any]],
    expressions: list[str],
) -> tuple[list[tuple[str, str, str, Any, Verdict, Verdict]], int]:
    """Every expression, every version, every stored object: the disagreements with the
    port (version, expression, name, status, kubectl's verdict, ours) and how many
    objects were kept from a version for a named difference.

    Every kubectl call (one expression, at most MAX_OBJECTS objects) runs concurrently.
    """
    calls: dict[tuple[str, str, int], tuple[Kubectl, list[str]]] = {}
    chunks: dict[tuple[str, str, int], list[str]] = {}
    skipped = 0
    for expression in expressions:
        for version, ctl in kubectls.items():
            names = [
                name
                for name, obj in stored.items()
                if version not in PANICS_ON_NON_OBJECT_CONDITION
                or not _reaches_a_non_object(obj, expression)
            ]
            skipped += len(stored) - len(names)
            for start in range(0, len(names), MAX_OBJECTS):
                chunk = names[start : start + MAX_OBJECTS]
                args = ["wait", f"--for={expression}", "--timeout=0", "-v=6"]
                calls[version, expression, start] = (
                    ctl.in_namespace(namespace),
                    [*args, *(f"probe/{name}" for name in chunk)],
                )
                chunks[version, expression, start] = chunk
    wrong: list[tuple[str, str, str, Any, Verdict, Verdict]] = []
    for (version, expression, start), result in run_concurrently(calls).items():
        for name, theirs in verdicts(result, chunks[version, expression, start]).items():
            ours = _ours(stored[name], expression)
            if theirs != ours:
                wrong.append((version, expression, name, stored[name].get("status"), theirs, ours))
    return wrong, skipped


@pytest.fixture(scope="module")
def pool(gts_control_plane: ControlPlane) -> ProbePool:
    client = gts_control_plane.client
    client.apply(probe_crd())
    client.wait_established(PROBE_CRD)
    return ProbePool(client, client.create_namespace(), per_generation=3)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(objects(), min_size=1, max_size=MAX_OBJECTS), expression=expressions())
def test_condition_met_agrees_with_kubectl(
    pool: ProbePool,
    every_kubectl: dict[str, Kubectl],
    batch: list[tuple[int, dict[str, Any]]],
    expression: str,
) -> None:
    stored = pool.store(batch)
    wrong, skipped = _compare(every_kubectl, pool.namespace, stored, [expression])
    assert not wrong, wrong
    for obj in stored.values():
        event(f"ours: {_ours(obj, expression)}")
    if skipped:
        event("kept from v1.32: its scan reaches a non-object condition entry (it panics)")


@pytest.fixture(scope="module")
def feature_objects(gts_control_plane: ControlPlane, pool: ProbePool) -> dict[str, dict[str, Any]]:
    """FEATURE_OBJECTS stored once, on probes of their own (generation 2)."""
    client = gts_control_plane.client
    own = ProbePool(client, client.create_namespace(), len(FEATURE_OBJECTS), generations=(2,))
    return own.store((2, obj) for obj in FEATURE_OBJECTS)


def test_jsonpath_features_match_kubectl(
    feature_objects: dict[str, dict[str, Any]], every_kubectl: dict[str, Kubectl]
) -> None:
    """Every feature of JSONPATH_FEATURES on every feature object, every kubectl version."""
    namespace = next(iter(feature_objects.values()))["metadata"]["namespace"]
    expressions = {f"jsonpath={expression}": f for f, expression in JSONPATH_FEATURES.items()}
    wrong, skipped = _compare(every_kubectl, namespace, feature_objects, list(expressions))
    assert skipped == 0
    assert not wrong, [(expressions[w[1]], *w) for w in wrong]


def test_the_feature_cases_are_not_all_alike(feature_objects: dict[str, dict[str, Any]]) -> None:
    """The feature list reaches every verdict on its objects (else it would prove little)."""
    seen = {
        _ours(obj, "jsonpath=" + expression)
        for expression in JSONPATH_FEATURES.values()
        for obj in feature_objects.values()
    }
    assert seen == {"met", "not met", "error", "refused"}
    first = next(iter(feature_objects.values()))
    met = {f for f, e in JSONPATH_FEATURES.items() if _ours(first, "jsonpath=" + e) == "met"}
    assert len(met) >= len(JSONPATH_FEATURES) // 2, sorted(set(JSONPATH_FEATURES) - met)


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


def test_unicode_simple_folding_matches_kubectl(
    pool: ProbePool, every_kubectl: dict[str, Kubectl]
) -> None:
    """Every case's expression against every case's object (one call per expression)."""
    stored = pool.store(
        (1, {"status": {"conditions": [{"type": type_, "status": status}]}})
        for type_, status, _ in UNICODE_CASES
    )
    expressions = [expression for _, _, expression in UNICODE_CASES]
    assert _compare(every_kubectl, pool.namespace, stored, expressions) == ([], 0)
    met = sum(_ours(obj, e) == "met" for e in expressions for obj in stored.values())
    assert met >= 4


def test_v1_32_panics_on_a_non_object_condition_entry(
    pool: ProbePool, every_kubectl: dict[str, Kubectl]
) -> None:
    """The named difference, shown: v1.32 crashes once its scan reaches such an entry.

    An entry it never reaches (a matching condition comes first) does not crash it.
    v1.36, like the port, skips the entry and goes on to the next condition.
    """
    cases: list[tuple[list[Any], Verdict]] = [
        ([{"type": "Other", "status": "True"}, "x"], "not met"),
        (["x", {"type": "Ready", "status": "True"}], "met"),
        ([7, None, {"type": "Ready", "status": "False"}], "not met"),
        ([{"type": "Ready", "status": "True"}, "x"], "met"),  # never reached
    ]
    stored = pool.store((1, {"status": {"conditions": entries}}) for entries, _ in cases)
    expected = dict(zip(stored, (verdict for _, verdict in cases), strict=True))
    reaching = [n for n, obj in stored.items() if _reaches_a_non_object(obj, "condition=Ready")]
    assert len(reaching) == 3
    for name, obj in stored.items():
        assert _ours(obj, "condition=Ready") == expected[name], name
    for version, ctl in every_kubectl.items():
        scoped = ctl.in_namespace(pool.namespace)
        for name in stored:
            result = scoped.run(
                "wait", "--for=condition=Ready", "--timeout=0", "-v=6", f"probe/{name}"
            )
            if version in PANICS_ON_NON_OBJECT_CONDITION and name in reaching:
                assert result.returncode == 2, (version, name, result.stderr)
                assert "panic: interface conversion" in result.stderr, (version, name)
            else:
                assert verdicts(result, [name]) == {name: expected[name]}, (version, name)
