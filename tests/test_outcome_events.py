"""outcome.events(): events.k8s.io/v1 Event bodies for a pass's transitions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]  # no stubs, no py.typed
import pytest
from hypothesis import given, strategies as st
from kubernetes_validate import utils as kv_utils
from referencing import Registry, Resource

from gittarget_status import (
    ConditionStatus,
    Gate,
    GatePipeline,
    GateResult,
    StatusModel,
    StatusValidationError,
)
from gittarget_status.gates import ReconcileOutcome, object_reference
from gittarget_status.testing.strategies import gate_results

K8S_VERSION = "1.36"
NOW = datetime(2026, 5, 1, 10, 0, 0, 123456, tzinfo=UTC)
T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN
REGARDING = {
    "apiVersion": "example.com/v1",
    "kind": "Certificate",
    "name": "web",
    "namespace": "team-a",
    "uid": "00000000-0000-4000-8000-000000000001",
}
CONTROLLER = "example.com/certificates"
INSTANCE = "pod-1"
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


@cache
def _event_schema() -> Any:
    """kubernetes-validate's strict events.k8s.io/v1 Event schema, loaded once.

    ``kubernetes_validate.validate`` reloads every definition per call (16 ms); the
    property test validates hundreds of bodies, so it builds the same validator once.
    """
    folder = f"kubernetes-json-schema/v{K8S_VERSION}.0-local-strict"
    schema = kv_utils.schema_contents(f"{folder}/event-events-v1.json", K8S_VERSION)
    definitions = kv_utils.schema_contents(f"{folder}/_definitions.json", K8S_VERSION)
    registry: Registry[Any] = Resource.from_contents(schema) @ Registry()
    registry = Resource.from_contents(definitions) @ registry
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_cached_schema_is_the_one_kubernetes_validate_uses() -> None:
    bad = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "note": 5}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)
    assert not _event_schema().is_valid(bad)
    good = _events(_pass(CertificateStatus()))[0]
    kubernetes_validate.validate(good, K8S_VERSION, strict=True)
    assert _event_schema().is_valid(good)
    assert not _event_schema().is_valid({**good, "source": {"component": "x"}, "extra": 1})


class CertificateStatus(StatusModel):
    pass


@dataclass
class World:
    results: dict[str, GateResult] = field(default_factory=dict)

    def verdict(self, type_: str) -> GateResult:
        return self.results.get(type_, GateResult.passed("OK"))


def _gate(type_: str, *, required: bool = True) -> Gate[World]:
    return Gate(
        type_,
        lambda world: world.verdict(type_),
        ready_reason=f"{type_}Failed",
        blocking=False,
        required=required,
    )


PIPELINE = GatePipeline([_gate("Validated"), _gate("Issued"), _gate("Exported", required=False)])


def _events(outcome: ReconcileOutcome[CertificateStatus]) -> tuple[dict[str, Any], ...]:
    return outcome.events(
        regarding=REGARDING, now=NOW, reporting_controller=CONTROLLER, reporting_instance=INSTANCE
    )


def _pass(
    status: CertificateStatus, generation: int = 1, **results: GateResult
) -> ReconcileOutcome[CertificateStatus]:
    return PIPELINE.evaluate(status, World(dict(results)), generation=generation, now=NOW)


def test_first_pass_all_true_is_normal_events_in_gate_order() -> None:
    outcome = _pass(CertificateStatus())
    events = _events(outcome)
    assert [(e["type"], e["reason"]) for e in events] == [
        ("Normal", "OK"),
        ("Normal", "OK"),
        ("Normal", "OK"),
        ("Normal", "OK"),
    ]
    first = events[0]
    assert first["note"] == "Validated: absent -> True"
    assert first["eventTime"] == "2026-05-01T10:00:00.123456Z"
    assert first["regarding"] == REGARDING
    assert first["reportingController"] == "example.com/certificates"
    assert first["reportingInstance"] == "pod-1"
    assert first["action"] == "Reconcile"
    assert first["metadata"]["namespace"] == "team-a"
    assert str(first["metadata"]["name"]).startswith("web.")


def test_no_events_on_a_pass_that_changed_nothing() -> None:
    first = _pass(CertificateStatus())
    again = _pass(first.status)
    assert not again.changed
    assert _events(again) == ()


def test_required_gate_false_is_a_warning_optional_one_is_not() -> None:
    ready = _pass(CertificateStatus()).status
    outcome = _pass(
        ready,
        Issued=GateResult.failed("IssuerDown", "issuer unreachable"),
        Exported=GateResult.failed("ExportFailed"),
    )
    kinds = {e["note"].split(":")[0]: e["type"] for e in _events(outcome)}
    assert kinds == {
        "Issued": "Warning",
        "Exported": "Normal",
        "Ready": "Normal",
        "Reconciling": "Normal",
    }
    issued = next(e for e in _events(outcome) if str(e["note"]).startswith("Issued"))
    assert issued["note"] == "Issued: True -> False: issuer unreachable"
    assert issued["reason"] == "IssuerDown"


def test_stalled_true_is_a_warning_and_removed_conditions_have_no_event() -> None:
    terminal = GateResult.failed("BadSpec", "bad", terminal=True)
    stalled = _pass(CertificateStatus(), Validated=terminal)
    by_type = {str(e["note"]).split(":")[0]: e for e in _events(stalled)}
    assert by_type["Stalled"]["type"] == "Warning"
    assert by_type["Validated"]["type"] == "Warning"
    recovered = _pass(stalled.status, 2)
    notes = [str(e["note"]).split(":")[0] for e in _events(recovered)]
    assert "Stalled" not in notes  # removed: Ready's Normal event tells the recovery
    assert any(t.type == "Stalled" and t.new is None for t in recovered.transitions)


def test_pipeline_tells_the_outcome_its_optional_gates() -> None:
    assert _pass(CertificateStatus()).optional_gates == frozenset({"Exported"})
    only_required = GatePipeline([_gate("Validated")])
    outcome = only_required.evaluate(CertificateStatus(), World(), generation=1, now=NOW)
    assert outcome.optional_gates == frozenset()


def test_generate_name_and_cluster_scoped_objects() -> None:
    regarding = {"apiVersion": "example.com/v1", "kind": "ClusterIssuer", "name": "root"}
    outcome = _pass(CertificateStatus())
    events = outcome.events(
        regarding=regarding,
        now=NOW,
        generate_name=True,
        reporting_controller=CONTROLLER,
        reporting_instance=INSTANCE,
    )
    assert events[0]["metadata"] == {"namespace": "default", "generateName": "root"}


def test_object_reference_from_a_raw_object() -> None:
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Certificate",
        "metadata": {"name": "web", "namespace": "team-a", "uid": "u1", "generation": 3},
        "spec": {},
    }
    assert object_reference(obj) == {
        "apiVersion": "example.com/v1",
        "kind": "Certificate",
        "name": "web",
        "namespace": "team-a",
        "uid": "u1",
    }
    with pytest.raises(ValueError, match="metadata"):
        object_reference({"kind": "Certificate"})


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"regarding": {"kind": "Certificate", "name": "web"}}, "regarding.apiVersion"),
        ({"regarding": {**REGARDING, "metadata": {}}}, "not ObjectReference fields: metadata"),
        ({"regarding": {**REGARDING, "uid": 5}}, "regarding.uid must be a string"),
        ({"reporting_controller": "has spaces"}, "reportingController 'has spaces'"),
        ({"reporting_instance": ""}, "reportingInstance must not be empty"),
        ({"reporting_instance": "x" * 129}, "reportingInstance is longer than 128"),
        ({"action": "a" * 129}, "action is longer than 128"),
    ],
)
def test_bad_arguments_name_the_field(changes: dict[str, object], match: str) -> None:
    outcome = _pass(CertificateStatus())
    arguments: dict[str, object] = {
        "regarding": REGARDING,
        "now": NOW,
        "reporting_controller": CONTROLLER,
        "reporting_instance": INSTANCE,
        **changes,
    }
    with pytest.raises(ValueError, match=re.escape(match)):
        outcome.events(**arguments)  # type: ignore[arg-type]  # deliberately bad values


def test_naive_clock_is_refused() -> None:
    outcome = _pass(CertificateStatus())
    with pytest.raises(StatusValidationError, match="now"):
        outcome.events(
            regarding=REGARDING,
            now=datetime(2026, 5, 1),
            reporting_controller=CONTROLLER,
            reporting_instance=INSTANCE,
        )


def test_event_time_is_utc_with_microseconds() -> None:
    outcome = _pass(CertificateStatus())
    local = datetime(2026, 5, 1, 12, 0, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    events = outcome.events(
        regarding=REGARDING, now=local, reporting_controller=CONTROLLER, reporting_instance=INSTANCE
    )
    assert events[0]["eventTime"] == "2026-05-01T10:00:00.000005Z"


def test_long_notes_and_reasons_fit_the_event_limits() -> None:
    long_reason = "R" * 1024
    outcome = _pass(CertificateStatus(), Issued=GateResult.failed(long_reason, "é" * 5000))
    issued = next(e for e in _events(outcome) if str(e["note"]).startswith("Issued"))
    assert len(str(issued["note"]).encode()) <= 1024
    assert str(issued["note"]).endswith("...[truncated]")
    assert issued["reason"] == "R" * 128
    kubernetes_validate.validate(issued, K8S_VERSION, strict=True)


_NAMES = st.sampled_from(["web", "a", "x" * 253, "a-" * 120 + "b", "db.prod.example"])


@given(
    steps=st.lists(
        st.fixed_dictionaries({t: gate_results() for t in ("Validated", "Issued", "Exported")}),
        min_size=1,
        max_size=4,
    ),
    name=_NAMES,
)
def test_event_rules_hold_on_any_walk(steps: list[dict[str, GateResult]], name: str) -> None:
    """Per pass: no Event iff nothing changed; one per present transition; Warning iff
    Stalled turned True or a required gate turned False; deterministic; schema-valid."""
    regarding = {**REGARDING, "name": name}
    status = CertificateStatus()
    for generation, results in enumerate(steps, start=1):
        outcome = _pass(status, generation, **results)
        events = outcome.events(
            regarding=regarding,
            now=NOW,
            reporting_controller=CONTROLLER,
            reporting_instance=INSTANCE,
        )
        assert events == outcome.events(
            regarding=regarding,
            now=NOW,
            reporting_controller=CONTROLLER,
            reporting_instance=INSTANCE,
        )
        present = [t for t in outcome.transitions if t.new is not None]
        assert len(events) == (len(present) if outcome.changed else 0)
        for transition, event in zip(present, events, strict=True):
            warning = (transition.type == "Stalled" and transition.new is T) or (
                transition.type in ("Validated", "Issued") and transition.new is F
            )
            assert event["type"] == ("Warning" if warning else "Normal")
            assert str(event["note"]).startswith(f"{transition.type}: ")
            event_name = str(event["metadata"]["name"])
            assert len(event_name) <= 253 and _DNS_SUBDOMAIN.fullmatch(event_name)
        assert len({str(e["metadata"]["name"]) for e in events}) == len(events)
        for event in events:
            _event_schema().validate(event)
        status = outcome.status
