"""Prometheus metrics of the controller process (``pip install "gittarget-status[metrics]"``).

kube-state-metrics reports what the objects say
([`metrics_config`][gittarget_status.manifests.metrics_config]); these report what the
controller did: how long its passes took, how many there were, how many wrote a status
and how many found nothing to write, how many evaluators raised, and how many writes the
API server refused with 409 Conflict. Each is labelled with the object's ``kind``.

Nothing is registered globally: the caller hands in the ``CollectorRegistry`` (pass
``prometheus_client.REGISTRY`` to serve them from ``start_http_server``'s default). The
clock stays the caller's too: a pass's duration is measured by the controller, which knows
where the pass began, and handed to
[`ReconcileMetrics.observe`][gittarget_status.metrics.ReconcileMetrics.observe].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, Final

from gittarget_status._errors import UsageError
from gittarget_status.gates import Reconciled, ReconcileOutcome

try:
    from prometheus_client import CollectorRegistry, Counter, Histogram
except ImportError as exc:
    raise ImportError(
        'gittarget_status.metrics needs prometheus_client: pip install "gittarget-status[metrics]"'
    ) from exc

__all__ = ["DEFAULT_BUCKETS", "ReconcileMetrics"]

#: Pass durations in seconds: a pure pass takes milliseconds, one that waits on its ports
#: (a Git push, a Secret read) seconds.
DEFAULT_BUCKETS: Final = (
    0.001,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)


class ReconcileMetrics:
    """A controller's reconcile counters and pass-duration histogram, per kind.

    Metric names start with ``prefix`` (default ``gittarget_status``):
    ``_reconcile_duration_seconds`` (histogram), ``_reconcile_passes_total``,
    ``_status_writes_total`` (passes whose status changed: a write was due),
    ``_status_writes_skipped_total`` (steady state: nothing to write),
    ``_evaluator_errors_total`` (a gate's evaluator raised) and ``_status_conflicts_total``
    (counted by [`conflict`][gittarget_status.metrics.ReconcileMetrics.conflict]).
    ``kinds`` starts each kind's series at zero, so a rate exists before the first pass.
    Registering the same prefix twice on one registry is prometheus_client's ValueError.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        prefix: str = "gittarget_status",
        kinds: Iterable[str] = (),
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> None:
        if not isinstance(registry, CollectorRegistry):
            raise UsageError(
                f"registry: expected a prometheus_client CollectorRegistry, got {registry!r}"
            )
        labels = ("kind",)
        self.duration = Histogram(
            f"{prefix}_reconcile_duration_seconds",
            "How long a reconcile pass took, as the controller measured it.",
            labels,
            registry=registry,
            buckets=tuple(buckets),
        )
        self.passes = Counter(
            f"{prefix}_reconcile_passes", "Reconcile passes.", labels, registry=registry
        )
        self.writes = Counter(
            f"{prefix}_status_writes",
            "Passes whose status changed (a status write was due).",
            labels,
            registry=registry,
        )
        self.skipped_writes = Counter(
            f"{prefix}_status_writes_skipped",
            "Passes at steady state (nothing to write, no write sent).",
            labels,
            registry=registry,
        )
        self.errors = Counter(
            f"{prefix}_evaluator_errors",
            "Passes in which a gate's evaluator raised (recorded as EvaluationFailed).",
            labels,
            registry=registry,
        )
        self.conflicts = Counter(
            f"{prefix}_status_conflicts",
            "Status writes the API server refused with 409 Conflict (a stale read).",
            labels,
            registry=registry,
        )
        every = (self.passes, self.writes, self.skipped_writes, self.errors, self.conflicts)
        for kind in kinds:
            label = _kind(kind)
            self.duration.labels(kind=label)
            for counter in every:
                counter.labels(kind=label)

    def observe(
        self,
        result: ReconcileOutcome[Any] | Reconciled[Any],
        *,
        duration: float | timedelta,
        kind: str | None = None,
    ) -> None:
        """Record one pass: its ``duration`` (seconds, or a timedelta) and its outcome.

        ``kind`` defaults to a [`Reconciled`][gittarget_status.Reconciled]'s own (a bare
        [`ReconcileOutcome`][gittarget_status.ReconcileOutcome] has none: pass it).
        """
        outcome = result.outcome if isinstance(result, Reconciled) else result
        if not isinstance(outcome, ReconcileOutcome):
            raise UsageError(f"result: expected a ReconcileOutcome or Reconciled, got {result!r}")
        if kind is None and isinstance(result, Reconciled):
            kind = result.kind
        if kind is None:
            raise UsageError("kind: required for a ReconcileOutcome (it does not know its kind)")
        label, seconds = _kind(kind), _seconds(duration)  # both checked before anything counts
        self.duration.labels(kind=label).observe(seconds)
        self.passes.labels(kind=label).inc()
        (self.writes if outcome.changed else self.skipped_writes).labels(kind=label).inc()
        if outcome.error is not None:
            self.errors.labels(kind=label).inc()

    def conflict(self, *, kind: str) -> None:
        """Count a status write refused with 409 Conflict (call it where the 409 is caught)."""
        self.conflicts.labels(kind=_kind(kind)).inc()


def _kind(kind: object) -> str:
    if not isinstance(kind, str) or not kind:
        raise UsageError(f"kind: expected a non-empty string such as 'GitTarget', got {kind!r}")
    return kind


def _seconds(duration: object) -> float:
    if isinstance(duration, timedelta):
        seconds = duration.total_seconds()
    elif isinstance(duration, int | float) and not isinstance(duration, bool):
        seconds = float(duration)
    else:
        raise UsageError(f"duration: expected seconds or a timedelta, got {duration!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(f"duration: must be finite and not negative, got {duration!r}")
    return seconds
