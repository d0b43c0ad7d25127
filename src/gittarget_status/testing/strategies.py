"""Hypothesis strategies for the GitTarget status contract (the ``testing`` extra).

Everything a strategy here generates is something the Kubernetes API server accepts for
``metav1.Condition`` and the GitTarget status: qualified-name types within the 63/253/316
limits, reasons matching the metav1 pattern, messages within 32768 characters *and* UTF-8
bytes, timestamps in UTC whole seconds. Property tests of your own controller can therefore
feed these values straight into a status write. :func:`invalid_conditions` is the mirror
image: raw API-server JSON that breaks exactly one rule, paired with the field it breaks.

Beyond conditions and statuses: :func:`gate_results`, :func:`gittarget_specs`,
:func:`fake_worlds` and :func:`world_events` (scenarios for the fake world),
:func:`kube_objects` (whole GitTarget objects as JSON), and the hostile side for error
paths and hardening: :func:`json_values` (anything JSON), :func:`invalid_statuses`
(raw status JSON breaking one rule, with its path), :func:`mutated_statuses` (valid JSON
with one value replaced anywhere) and :func:`damaged_statuses` (JSON a lenient parse
accepts but that is full of damage: duplicates, foreign conditions, unknown fields,
stale gates, wrong generations). With the plugin installed, ``st.from_type(Condition)``
and friends use these strategies without importing this module.

Import explicitly: ``from gittarget_status.testing import strategies``.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, TypeAlias, TypeVar, cast

from hypothesis import strategies as st

from gittarget_status import (
    BootstrappedReason,
    BootstrapStatus,
    CommonReason,
    Condition,
    ConditionStatus,
    ConditionType,
    EncryptionConfiguredReason,
    EncryptionSpec,
    EncryptionStatus,
    EventStreamLiveReason,
    GateResult,
    GitTargetSpec,
    GitTargetStatus,
    Phase,
    ProviderRef,
    ReadyReason,
    SecretKeyRef,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    SnapshotSyncedReason,
    StreamStatus,
    ValidatedReason,
    WorkerRef,
)
from gittarget_status.conditions import (
    MAX_MESSAGE_BYTES,
    MAX_REASON_LENGTH,
    MAX_TYPE_LENGTH,
    format_kube_time,
)
from gittarget_status.testing._clock import FakeClock
from gittarget_status.testing._events import PORT_METHODS, WORLD_EVENTS
from gittarget_status.testing._world import VALID_RECIPIENT, FakeGitTargetWorld

__all__ = [
    "API_VERSION",
    "REASON_ENUMS",
    "condition_lists",
    "condition_statuses",
    "condition_types",
    "conditions",
    "damaged_statuses",
    "fake_clocks",
    "fake_worlds",
    "gate_results",
    "generations",
    "gittarget_specs",
    "gittarget_statuses",
    "invalid_conditions",
    "invalid_statuses",
    "json_values",
    "kube_objects",
    "kube_times",
    "messages",
    "mutated_statuses",
    "oversized_messages",
    "reasons",
    "world_event_sequences",
    "world_events",
]

#: ``apiVersion`` of the generated GitTarget objects.
API_VERSION = "configbutler.ai/v1alpha1"

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


@cache
def _dns_label() -> st.SearchStrategy[str]:
    edge = string.ascii_lowercase + string.digits
    return _bounded(edge + "-", edge, _LABEL_MAX)


@cache
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


@cache
def condition_types() -> st.SearchStrategy[str]:
    """Condition types: the library's own, other controllers' CamelCase and prefixed ones."""
    return st.one_of(
        st.sampled_from([member.value for member in ConditionType]),
        st.sampled_from(["Available", "Progressing", "example.com/Foo", "x.io/Degraded"]),
        _qualified_names(),
    )


@cache
def reasons() -> st.SearchStrategy[str]:
    """Reasons matching the metav1 pattern, 1..1024 characters (the enums' values included)."""
    shipped = [member.value for enum in REASON_ENUMS for member in enum]
    first = st.text(string.ascii_letters, min_size=1, max_size=1)
    middle = st.text(_ALNUM + "_,:", max_size=60) | st.text(_ALNUM + "_,:", max_size=1022)
    last = st.text(_ALNUM + "_", min_size=1, max_size=1)
    return st.sampled_from(shipped) | first | st.tuples(first, middle, last).map("".join)


@cache
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


@cache
def oversized_messages() -> st.SearchStrategy[str]:
    """Messages over the 32768-byte limit (ASCII and multi-byte): the model truncates them."""
    unit = st.text(_UNICODE, min_size=1, max_size=8)
    return st.tuples(unit, st.integers(1, 3)).map(
        lambda pair: pair[0] * (MAX_MESSAGE_BYTES // len(pair[0].encode()) + pair[1])
    )


@cache
def kube_times() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes in whole seconds, years 1..9999 (what metav1.Time round-trips)."""
    moments = st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
    )
    return moments.map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))


@cache
def generations() -> st.SearchStrategy[int]:
    """``metadata.generation`` values: int64, non-negative, small ones most often."""
    return st.integers(0, 10) | st.integers(0, _MAX_GENERATION)


@cache
def condition_statuses() -> st.SearchStrategy[ConditionStatus]:
    """``True``, ``False`` or ``Unknown``."""
    return st.sampled_from(ConditionStatus)


def _fixed(value: _Fixed, default: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if value is None:
        return default
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


@cache
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


@cache
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


@cache
def _texts() -> st.SearchStrategy[str]:
    return st.text(_UNICODE, max_size=40)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@cache
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


# --- gates, specs, worlds ------------------------------------------------------------


@st.composite
def gate_results(
    draw: st.DrawFn,
    status: ConditionStatus | st.SearchStrategy[ConditionStatus] | None = None,
) -> GateResult:
    """Gate verdicts: any status and valid reason; failures may be terminal or requeued."""
    chosen: ConditionStatus = draw(_fixed(status, condition_statuses()))
    reason = draw(reasons())
    message = draw(st.just("") | st.text(_UNICODE, max_size=80))
    requeue = draw(st.none() | st.integers(0, 3600).map(lambda s: timedelta(seconds=s)))
    if chosen is ConditionStatus.TRUE:
        return GateResult.passed(reason, message)
    if chosen is ConditionStatus.UNKNOWN:
        return GateResult.unknown(reason, message)
    terminal = draw(st.booleans())
    return GateResult.failed(
        reason, message, terminal=terminal, requeue_after=None if terminal else requeue
    )


_M = TypeVar("_M")


def _model(cls: Callable[..., _M], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[_M]:
    """``cls(**drawn)``; unlike ``st.builds`` it does not infer pydantic's aliased names."""
    return st.fixed_dictionaries(fields).map(lambda drawn: cls(**drawn))


@cache
def _k8s_names() -> st.SearchStrategy[str]:
    """DNS-1123 subdomains, the shape of ``metadata.name`` and of object references."""
    return st.lists(_dns_label(), min_size=1, max_size=3).map(".".join)


@cache
def gittarget_specs(*, encrypted: bool | None = None) -> st.SearchStrategy[GitTargetSpec]:
    """GitTarget specs: provider, branch, path, and (unless ``encrypted=False``) SOPS."""
    encryption = _model(
        EncryptionSpec,
        secret_ref=_model(SecretKeyRef, name=_k8s_names()),
        generate_when_missing=st.booleans(),
    )
    branches = st.sampled_from(["main", "release", "env/prod"]) | st.text(
        _ALNUM + "-_./", min_size=1, max_size=40
    )
    paths = st.sampled_from(["", "clusters/prod", "apps"]) | st.text(_UNICODE, max_size=60)
    chosen = (
        st.none() | encryption if encrypted is None else (encryption if encrypted else st.none())
    )
    return _model(
        GitTargetSpec,
        provider_ref=_model(ProviderRef, name=_k8s_names()),
        branch=branches,
        path=paths,
        encryption=chosen,
    )


@cache
def fake_worlds(*, raising: bool = True) -> st.SearchStrategy[FakeGitTargetWorld]:
    """Fake worlds with every attribute drawn: any mix of missing, failing and working.

    ``raising=False`` never injects a port exception (``raise_in``).
    """
    return st.builds(
        FakeGitTargetWorld,
        provider_exists=st.booleans(),
        branch_allowed=st.booleans(),
        conflicting_target=st.none() | st.sampled_from(["team-a/mirror", "other"]),
        secret_exists=st.booleans(),
        secret_creation_allowed=st.booleans(),
        recipients_valid=st.booleans(),
        worker_available=st.booleans(),
        bootstrap_fails=st.booleans(),
        snapshot_state=st.sampled_from(["running", "completed", "failed"]),
        snapshot_stats=st.tuples(*[st.integers(0, 10_000)] * 3),
        stream_registration_fails=st.booleans(),
        stream_connected=st.booleans(),
        bootstrap_commit=st.none() | st.text(string.hexdigits.lower(), min_size=7, max_size=40),
        snapshot_commit=st.text(string.hexdigits.lower(), min_size=7, max_size=40),
        last_event_time=st.none() | kube_times(),
        recipients=st.lists(st.just(VALID_RECIPIENT), min_size=1, max_size=3).map(tuple),
        raise_in=st.none() | st.sampled_from(PORT_METHODS) if raising else st.none(),
    )


@cache
def world_events() -> st.SearchStrategy[str]:
    """Names of :data:`~gittarget_status.testing.WORLD_EVENTS` (apply with
    :func:`~gittarget_status.testing.apply_world_event`); port outages a quarter of the time.
    """
    outages = sorted(name for name in WORLD_EVENTS if name.startswith("outage-in-"))
    regular = sorted(set(WORLD_EVENTS) - set(outages))
    return st.integers(0, 3).flatmap(
        lambda pick: st.sampled_from(outages if pick == 0 else regular)
    )


@cache
def world_event_sequences(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[list[str]]:
    """Scripts of world events, one per reconcile pass."""
    return st.lists(world_events(), min_size=min_size, max_size=max_size)


@cache
def fake_clocks() -> st.SearchStrategy[FakeClock]:
    """Clocks starting anywhere metav1.Time can go, with a year of room to advance."""
    starts = kube_times().filter(lambda moment: moment.year < 9999)
    return st.builds(FakeClock, starts)


# --- whole objects ----------------------------------------------------------------------


@st.composite
def kube_objects(
    draw: st.DrawFn,
    *,
    spec: st.SearchStrategy[GitTargetSpec] | None = None,
    status: st.SearchStrategy[GitTargetStatus] | None = None,
) -> dict[str, Any]:
    """A whole GitTarget as the API server returns it: ``metadata.generation`` + status.

    The status's observedGeneration never exceeds ``metadata.generation`` (the API server
    cannot produce that), and the JSON is exactly what ``to_k8s`` writes.
    """
    chosen_spec = draw(spec if spec is not None else gittarget_specs())
    chosen_status = draw(status if status is not None else gittarget_statuses())
    generation = draw(st.integers(1, 20) | st.integers(1, _MAX_GENERATION))
    raw_status = chosen_status.to_k8s()
    observed = raw_status.get("observedGeneration")
    if observed is not None and observed > generation:
        raw_status["observedGeneration"] = generation
    metadata: dict[str, Any] = {
        "name": draw(_k8s_names()),
        "namespace": draw(_dns_label()),
        "generation": generation,
        "uid": "00000000-0000-4000-8000-"
        + draw(st.text("0123456789abcdef", min_size=12, max_size=12)),
        "resourceVersion": str(draw(st.integers(1, 10**9))),
    }
    if draw(st.booleans()):
        metadata["labels"] = draw(st.dictionaries(_dns_label(), _dns_label(), max_size=3))
    return {
        "apiVersion": API_VERSION,
        "kind": "GitTarget",
        "metadata": metadata,
        "spec": chosen_spec.to_k8s(),
        "status": raw_status,
    }


# --- hostile input ------------------------------------------------------------------------

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


@st.composite
def invalid_statuses(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """``(raw, path)``: GitTarget status JSON that breaks one rule, and the path it breaks.

    Every :class:`~gittarget_status.StatusValidationError` from parsing ``raw`` (lenient or
    strict) names a path starting with ``path``. (An unknown ``phase`` is not among them:
    a lenient parse drops it for the next pass to repair.)
    """
    raw = draw(gittarget_statuses()).to_k8s()
    kind = draw(st.sampled_from(["condition", "missing", "field"]))
    if kind == "missing":
        # A required key left out: a condition's type/status/reason, or a ref's name.
        missing = draw(st.sampled_from(["type", "status", "reason", "workerRef", "secretRef"]))
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
        bad, field = draw(invalid_conditions())
        listed = raw.setdefault("conditions", [])
        listed = [c for c in listed if c.get("type") != bad.get("type")]
        index = draw(st.integers(0, len(listed)))
        listed.insert(index, bad)
        raw["conditions"] = listed
        return raw, f"conditions[{index}]"
    field = draw(st.sampled_from(sorted(_WRONG)))
    raw[field] = draw(st.sampled_from(_WRONG[field]))
    return raw, field


@st.composite
def mutated_statuses(draw: st.DrawFn) -> dict[str, Any]:
    """Valid status JSON with one value anywhere replaced, removed, or duplicated.

    For totality properties: parsing the result either succeeds or raises
    :class:`~gittarget_status.StatusValidationError`, never anything else.
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
    parent: Any = raw
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "remove", "duplicate", "add-field"]))
    if action == "remove":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(cast(int, last), parent[cast(int, last)])
    elif action == "add-field" and isinstance(node, dict):
        node[draw(_JSON_KEYS)] = draw(json_values(max_leaves=4))
    else:
        parent[last] = draw(
            json_values(max_leaves=8)
            | st.sampled_from(
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
        )
    return raw


_GITTARGET_TYPES = [member.value for member in ConditionType]


_FOREIGN_TYPES = st.sampled_from(["Available", "Progressing", "example.com/Foo", "x.io/Degraded"])


def _not_ours(type_: str) -> bool:
    return type_ not in _GITTARGET_TYPES


@cache
def _damaged_parts(
    max_generation: int,
) -> st.SearchStrategy[tuple[list[Condition], list[Condition]]]:
    """Owned conditions (any verdict, generations up to ``max_generation``) and foreign ones."""
    owned = st.lists(
        conditions(type=st.sampled_from(_GITTARGET_TYPES)).map(
            lambda c: c.with_changes(
                observed_generation=None
                if c.observed_generation is None
                else c.observed_generation % (max_generation + 1)
            )
        ),
        max_size=len(_GITTARGET_TYPES),
        unique_by=lambda c: c.type,
    )
    foreign = st.lists(
        conditions(type=_FOREIGN_TYPES | _qualified_names().filter(_not_ours)),
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
            raw[draw(st.sampled_from(["severity", "x-owner", "lastHeartbeatTime"]))] = draw(
                json_values(3, finite=True)
            )
        if draw(st.integers(0, 9)) == 0:
            raw["message"] = "m" * (MAX_MESSAGE_BYTES + draw(st.integers(1, 100)))
    if draw(st.booleans()) and listed:
        for _ in range(draw(st.integers(1, 3))):
            original = draw(st.sampled_from(listed))
            copy = draw(conditions(type=str(original["type"]))).to_k8s()
            listed.insert(draw(st.integers(listed.index(original) + 1, len(listed))), copy)
    raw_status: dict[str, Any] = {"conditions": listed}
    if draw(st.booleans()):
        raw_status["observedGeneration"] = draw(st.integers(0, max_generation))
    if draw(st.booleans()):
        raw_status["phase"] = draw(st.sampled_from(Phase)).value
    if draw(st.booleans()):
        raw_status["lastReconcileTime"] = format_kube_time(draw(kube_times()))
    if draw(st.booleans()):
        raw_status[draw(st.sampled_from(["history", "x-other-controller", "lastError"]))] = draw(
            json_values(6, finite=True)
        )
    return raw_status
