"""gittarget_status.metrics: the controller's counters and histogram, read back through
prometheus_client's text exposition as a Prometheus server would scrape them."""

from __future__ import annotations

import importlib
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from gittarget_status import (
    Gate,
    GatePipeline,
    GateResult,
    StatusModel,
    UsageError,
    reconcile_gittarget,
)
from gittarget_status.metrics import DEFAULT_BUCKETS, ReconcileMetrics
from gittarget_status.testing import FakeGitTargetWorld, demo_spec

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _scrape(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, keyed by (name, sorted labels)."""
    text = generate_latest(registry).decode("utf-8")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(scraped: dict[Any, float], name: str, **labels: str) -> float:
    return scraped[(name, tuple(sorted(labels.items())))]


def _raising(context: object) -> GateResult:
    raise RuntimeError("the issuer is unreachable")


ERRORING = GatePipeline([Gate("Issued", _raising, ready_reason="NotIssued")])


def test_passes_writes_skips_errors_conflicts_and_durations_per_kind() -> None:
    registry = CollectorRegistry()
    metrics = ReconcileMetrics(registry)
    world = FakeGitTargetWorld(snapshot_state="running")
    first = reconcile_gittarget(demo_spec(), None, world, generation=1, now=NOW)
    again = reconcile_gittarget(demo_spec(), first.status, world, generation=1, now=NOW)
    assert first.changed and not again.changed
    failed = ERRORING.evaluate(StatusModel(), None, generation=1, now=NOW)
    assert failed.error is not None

    metrics.observe(first, kind="GitTarget", duration=0.02)
    metrics.observe(again, kind="GitTarget", duration=timedelta(milliseconds=3))
    metrics.observe(failed, kind="Certificate", duration=1.5)
    metrics.conflict(kind="GitTarget")
    metrics.conflict(kind="GitTarget")

    got = _scrape(registry)
    gt, cert = {"kind": "GitTarget"}, {"kind": "Certificate"}
    assert _value(got, "gittarget_status_reconcile_passes_total", **gt) == 2
    assert _value(got, "gittarget_status_status_writes_total", **gt) == 1
    assert _value(got, "gittarget_status_status_writes_skipped_total", **gt) == 1
    assert _value(got, "gittarget_status_status_conflicts_total", **gt) == 2
    assert ("gittarget_status_evaluator_errors_total", (("kind", "GitTarget"),)) not in got
    assert _value(got, "gittarget_status_evaluator_errors_total", **cert) == 1
    assert _value(got, "gittarget_status_status_writes_total", **cert) == 1  # EvaluationFailed
    # The histogram holds exactly the durations handed in: no clock of its own.
    assert _value(got, "gittarget_status_reconcile_duration_seconds_count", **gt) == 2
    assert _value(got, "gittarget_status_reconcile_duration_seconds_sum", **gt) == pytest.approx(
        0.023
    )
    bucket = "gittarget_status_reconcile_duration_seconds_bucket"
    assert _value(got, bucket, le="0.005", **gt) == 1
    assert _value(got, bucket, le="0.025", **gt) == 2
    assert _value(got, bucket, le="1.0", **cert) == 0
    assert _value(got, bucket, le="2.5", **cert) == 1
    assert _value(got, bucket, le="+Inf", **cert) == 1
    bounds = {dict(labels)["le"] for name, labels in got if name == bucket}
    assert bounds == {*(str(float(b)) for b in DEFAULT_BUCKETS), "+Inf"}


def test_a_reconciled_names_its_own_kind() -> None:
    registry = CollectorRegistry()
    metrics = ReconcileMetrics(registry, prefix="certs")
    pipeline = GatePipeline([Gate("Issued", lambda c: GateResult.passed("Done"), ready_reason="X")])
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Certificate",
        "metadata": {"name": "web", "namespace": "a", "generation": 3},
    }
    metrics.observe(pipeline.reconcile(obj, None, now=NOW), duration=0.5)
    got = _scrape(registry)
    assert _value(got, "certs_reconcile_passes_total", kind="Certificate") == 1
    assert _value(got, "certs_status_writes_total", kind="Certificate") == 1


def test_declared_kinds_start_at_zero_and_nothing_goes_to_the_global_registry() -> None:
    before = set(REGISTRY._names_to_collectors)
    registry = CollectorRegistry()
    ReconcileMetrics(registry, kinds=["GitTarget"])
    got = _scrape(registry)
    for name in ("reconcile_passes", "evaluator_errors", "status_conflicts", "status_writes"):
        assert _value(got, f"gittarget_status_{name}_total", kind="GitTarget") == 0
    assert _value(got, "gittarget_status_reconcile_duration_seconds_count", kind="GitTarget") == 0
    assert set(REGISTRY._names_to_collectors) == before
    with pytest.raises(ValueError, match="Duplicated"):
        ReconcileMetrics(registry)  # same names, same registry: prometheus_client refuses


OUTCOME = GatePipeline([Gate("A", lambda c: GateResult.passed("Ok"), ready_reason="X")]).evaluate(
    StatusModel(), None, generation=1, now=NOW
)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"duration": -0.1, "kind": "GitTarget"}, "duration"),
        ({"duration": float("nan"), "kind": "GitTarget"}, "duration"),
        ({"duration": True, "kind": "GitTarget"}, "duration"),
        ({"duration": "1s", "kind": "GitTarget"}, "duration"),
        ({"duration": timedelta(seconds=-1), "kind": "GitTarget"}, "duration"),
        ({"duration": 0.1}, "kind"),  # a bare outcome does not know its kind
        ({"duration": 0.1, "kind": ""}, "kind"),
    ],
)
def test_bad_input_is_a_usage_error_naming_it(kwargs: dict[str, Any], field: str) -> None:
    registry = CollectorRegistry()
    metrics = ReconcileMetrics(registry)
    with pytest.raises(UsageError, match=f"^{field}:"):
        metrics.observe(OUTCOME, **kwargs)
    assert [key for key in _scrape(registry) if key[1]] == []  # nothing half-recorded


def test_a_registry_and_a_result_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(UsageError, match=r"^registry:"):
        ReconcileMetrics(REGISTRY._names_to_collectors)  # type: ignore[arg-type]
    metrics = ReconcileMetrics(CollectorRegistry())
    with pytest.raises(UsageError, match=r"^result:"):
        metrics.observe(OUTCOME.status, kind="GitTarget", duration=0.1)  # type: ignore[arg-type]


def test_without_prometheus_client_the_import_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    monkeypatch.delitem(sys.modules, "gittarget_status.metrics")
    with pytest.raises(ImportError, match=r"gittarget-status\[metrics\]"):
        importlib.import_module("gittarget_status.metrics")
