"""gittarget_status.kstatus.compute against cli-utils' kstatus ``Compute``.

Whole objects are generated: GitTargets as the library writes them and arbitrary custom
resources with Ready/Reconciling/Stalled in every status and order, generation lag,
deletionTimestamp, missing or null status, and a share of malformed values kstatus
refuses. The verdict and message must be equal, and a refusal must be a refusal on both
sides, unless a named difference (docs/kubernetes.md) recognises the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from hypothesis import event, given, settings, strategies as st

from gittarget_status import kstatus as kstatus_module
from gittarget_status.kstatus import KStatusError, compute
from gittarget_status.testing import strategies as gts

from ._compare import EXAMPLES, Difference, compare
from ._oracle import Oracle

Answer = Mapping[str, Any]

#: GroupKinds that have their own rules in cli-utils (``legacyTypes``, core group bare): the
#: library's one table of them, so the exclusion below and the port cannot drift apart.
LEGACY_KINDS: Final = kstatus_module._LEGACY_KINDS


def go_group_kind(obj: Mapping[str, Any]) -> str:
    """The GroupKind as apimachinery parses it (``ParseGroupVersion``; errors -> empty)."""
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    version = api_version if isinstance(api_version, str) else ""
    group = ""
    if version.count("/") == 1:
        group = version.split("/")[0]
    elif version.count("/") > 1:
        return ""  # ParseGroupVersion fails: the whole GroupVersionKind is empty
    kind_name = kind if isinstance(kind, str) else ""
    return f"{group}/{kind_name}" if group else kind_name


def _not_ported(obj: dict[str, Any], ours: Answer, theirs: Answer) -> bool:
    return go_group_kind(obj) in LEGACY_KINDS and "error" in ours


DIFFERENCES: tuple[Difference[dict[str, Any]], ...] = (
    Difference("built-in-kind-rules-not-ported", _not_ported),
)


def ours(obj: dict[str, Any]) -> dict[str, Any]:
    try:
        result = compute(obj)
    except KStatusError:
        return {"error": True}
    return {"status": result.status.value, "message": result.message}


def check(oracle: Oracle, obj: dict[str, Any]) -> str | None:
    theirs = oracle.ask(obj)
    alike = {"error": True} if "error" in theirs else theirs  # wording is each side's own
    event(f"kstatus says {alike.get('status', 'error')}")
    return compare("kstatus", DIFFERENCES, obj, ours(obj), alike)


_HOSTILE = st.sampled_from([False, False, False, False, True])
_ODD: Final[st.SearchStrategy[object]] = st.sampled_from([None, 5, 1.5, "x", True, [], {}])

_TYPES = st.sampled_from(["Ready", "Reconciling", "Stalled"])
_STATUSES = st.sampled_from(["True", "False", "Unknown"])


@st.composite
def kube_conditions(draw: st.DrawFn, hostile: bool) -> object:
    if hostile and draw(st.integers(0, 9)) == 0:
        return draw(_ODD)
    # kstatus' own types and statuses mostly: a Stalled=True must come up often.
    types = st.one_of(
        _TYPES, _TYPES, _TYPES, st.sampled_from(["ready", "Available", "x.io/Stalled"])
    )
    statuses = st.one_of(_STATUSES, _STATUSES, _STATUSES, st.sampled_from(["true", "", "Maybe"]))
    condition: dict[str, Any] = {"type": draw(types), "status": draw(statuses)}
    for key in ("reason", "message"):
        if draw(st.booleans()):
            condition[key] = draw(
                st.sampled_from(["", "Waiting", "stream not live"]) | st.text(max_size=20)
            )
    if draw(st.booleans()):
        condition["lastTransitionTime"] = "2026-01-01T00:00:00Z"
    if hostile:
        key = draw(
            st.sampled_from(
                ["type", "status", "reason", "message", "lastTransitionTime", "observedGeneration"]
            )
        )
        condition[key] = draw(_ODD)
    return condition


@st.composite
def generations(draw: st.DrawFn, hostile: bool) -> object:
    small = st.integers(0, 5)
    if hostile:
        return draw(small | st.sampled_from([-1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]) | _ODD)
    return draw(small | gts.generations())


@st.composite
def kube_objects(draw: st.DrawFn) -> dict[str, Any]:
    """A custom resource (sometimes a built-in kind) with any kstatus-relevant state."""
    hostile = draw(_HOSTILE)
    obj: dict[str, Any] = {}
    api_versions = st.sampled_from(
        [gts.API_VERSION, "example.com/v1", "v1", "apps/v1", "batch/v1", "a/b/c", "/", ""]
    )
    kinds = st.sampled_from(["GitTarget", "Widget", "Deployment", "Pod", "Job", "Secret", ""])
    common = st.sampled_from([(gts.API_VERSION, "GitTarget"), ("example.com/v1", "Widget")])
    api_version, kind = draw(common | st.tuples(api_versions, kinds))
    if draw(st.integers(0, 9)):
        obj["apiVersion"] = api_version
    if draw(st.integers(0, 9)):
        obj["kind"] = kind
    if hostile and draw(st.booleans()):
        obj[draw(st.sampled_from(["apiVersion", "kind"]))] = draw(_ODD)

    generation = draw(generations(hostile))
    metadata: dict[str, Any] = {"name": "x"}
    if draw(st.integers(0, 4)):
        metadata["generation"] = generation
    if not draw(st.integers(0, 4)):
        metadata["deletionTimestamp"] = draw(
            st.sampled_from(["2026-01-01T00:00:00Z", ""]) | (_ODD if hostile else st.nothing())
        )
    obj["metadata"] = draw(_ODD) if hostile and not draw(st.integers(0, 4)) else metadata

    status: dict[str, Any] = {}
    observed: object
    if draw(st.integers(0, 4)):
        lag = st.sampled_from([0, 0, -1, 1])
        if isinstance(generation, int) and not isinstance(generation, bool):
            observed = generation + draw(lag)
        else:
            observed = draw(generations(hostile))
        status["observedGeneration"] = (
            draw(generations(True)) if hostile and draw(st.booleans()) else observed
        )
    if draw(st.integers(0, 9)):
        conditions = draw(st.lists(kube_conditions(hostile), max_size=5))
        if draw(st.booleans()):  # a True kstatus condition somewhere (Failed is rare else)
            decisive = {"type": draw(st.sampled_from(["Stalled", "Reconciling"])), "status": "True"}
            conditions.insert(draw(st.integers(0, len(conditions))), decisive)
        status["conditions"] = conditions
    elif hostile:
        status["conditions"] = draw(_ODD)
    choice = draw(st.integers(0, 9))
    if choice == 0:
        pass  # no status at all
    elif choice == 1:
        obj["status"] = None if not hostile else draw(_ODD)
    else:
        obj["status"] = status
    return obj


@settings(max_examples=EXAMPLES)
@given(obj=kube_objects())
def test_compute_agrees_with_kstatus(kstatus_oracle: Oracle, obj: dict[str, Any]) -> None:
    check(kstatus_oracle, obj)


@settings(max_examples=max(EXAMPLES // 4, 50))
@given(obj=gts.kube_objects(), deleting=st.booleans(), lag=st.sampled_from([0, 0, 1, -1]))
def test_gittargets_the_library_writes_agree_with_kstatus(
    kstatus_oracle: Oracle, obj: dict[str, Any], deleting: bool, lag: int
) -> None:
    metadata = dict(obj["metadata"])
    if deleting:
        metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    metadata["generation"] = max(1, metadata["generation"] + lag)
    check(kstatus_oracle, {**obj, "metadata": metadata})
