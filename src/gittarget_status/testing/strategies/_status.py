"""Strategies for what a controller reads and writes: statuses, specs, gate verdicts, objects.

Whole [`GitTargetStatus`][gittarget_status.GitTargetStatus] values (every detail object), specs,
gate results, and whole GitTarget objects as the API server returns them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any, Final, TypeVar

from hypothesis import strategies as st

from gittarget_status import (
    BootstrapStatus,
    ConditionStatus,
    EncryptionSpec,
    EncryptionStatus,
    GateResult,
    GitTargetSpec,
    GitTargetStatus,
    Phase,
    ProviderRef,
    SecretKeyRef,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    StreamStatus,
    WorkerRef,
)
from gittarget_status.testing.strategies._conditions import (
    MAX_GENERATION,
    condition_lists,
    condition_statuses,
    fixed,
    generations,
    kube_times,
    reasons,
)
from gittarget_status.testing.strategies._names import ALNUM, UNICODE, dns_label, k8s_names

__all__ = ["API_VERSION", "gate_results", "gittarget_specs", "gittarget_statuses", "kube_objects"]

#: ``apiVersion`` of the generated GitTarget objects.
API_VERSION = "configbutler.ai/v1alpha1"

_M = TypeVar("_M")


@cache
def _texts() -> st.SearchStrategy[str]:
    return st.text(UNICODE, max_size=40)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@cache
def gittarget_statuses() -> st.SearchStrategy[GitTargetStatus]:
    """Whole statuses: every field optional, detail objects included, conditions valid."""
    counts = st.integers(0, MAX_GENERATION)
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


_RESULT_MESSAGES: Final = st.just("") | st.text(UNICODE, max_size=80)
_REQUEUES: Final = st.none() | st.integers(0, 3600).map(lambda s: timedelta(seconds=s))


@st.composite
def gate_results(
    draw: st.DrawFn,
    status: ConditionStatus | st.SearchStrategy[ConditionStatus] | None = None,
) -> GateResult:
    """Gate verdicts: any status and valid reason; failures may be terminal or requeued."""
    chosen: ConditionStatus = draw(fixed(status, condition_statuses()))
    reason = draw(reasons())
    message = draw(_RESULT_MESSAGES)
    requeue = draw(_REQUEUES)
    if chosen is ConditionStatus.TRUE:
        return GateResult.passed(reason, message)
    if chosen is ConditionStatus.UNKNOWN:
        return GateResult.unknown(reason, message)
    terminal = draw(st.booleans())
    return GateResult.failed(
        reason, message, terminal=terminal, requeue_after=None if terminal else requeue
    )


def _model(cls: Callable[..., _M], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[_M]:
    """``cls(**drawn)``; unlike ``st.builds`` it does not infer pydantic's aliased names."""
    return st.fixed_dictionaries(fields).map(lambda drawn: cls(**drawn))


@cache
def gittarget_specs(*, encrypted: bool | None = None) -> st.SearchStrategy[GitTargetSpec]:
    """GitTarget specs: provider, branch, path, and (unless ``encrypted=False``) SOPS."""
    encryption = _model(
        EncryptionSpec,
        secret_ref=_model(SecretKeyRef, name=k8s_names()),
        generate_when_missing=st.booleans(),
    )
    branches = st.sampled_from(["main", "release", "env/prod"]) | st.text(
        ALNUM + "-_./", min_size=1, max_size=40
    )
    paths = st.sampled_from(["", "clusters/prod", "apps"]) | st.text(UNICODE, max_size=60)
    chosen = (
        st.none() | encryption if encrypted is None else (encryption if encrypted else st.none())
    )
    return _model(
        GitTargetSpec,
        provider_ref=_model(ProviderRef, name=k8s_names()),
        branch=branches,
        path=paths,
        encryption=chosen,
    )


_OBJECT_GENERATIONS: Final = st.integers(1, 20) | st.integers(1, MAX_GENERATION)


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
    generation = draw(_OBJECT_GENERATIONS)
    raw_status = chosen_status.to_k8s()
    observed = raw_status.get("observedGeneration")
    if observed is not None and observed > generation:
        raw_status["observedGeneration"] = generation
    metadata: dict[str, Any] = {
        "name": draw(k8s_names()),
        "namespace": draw(dns_label()),
        "generation": generation,
        "uid": "00000000-0000-4000-8000-"
        + draw(st.text("0123456789abcdef", min_size=12, max_size=12)),
        "resourceVersion": str(draw(st.integers(1, 10**9))),
    }
    if draw(st.booleans()):
        metadata["labels"] = draw(st.dictionaries(dns_label(), dns_label(), max_size=3))
    return {
        "apiVersion": API_VERSION,
        "kind": "GitTarget",
        "metadata": metadata,
        "spec": chosen_spec.to_k8s(),
        "status": raw_status,
    }
