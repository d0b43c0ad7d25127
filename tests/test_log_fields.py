"""Logs: the library is silent unless configured, and ``log_fields()`` is what a controller
logs for a pass, through stdlib logging, structlog and kopf's per-object logger alike."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import kopf
import pytest

from gittarget_status import (
    Gate,
    GatePipeline,
    GateResult,
    ReconcileOutcome,
    StatusModel,
    reconcile_gittarget,
)
from gittarget_status.testing import FakeGitTargetWorld, demo_spec

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEYS = [
    "generation",
    "phase",
    "ready",
    "blocked_by",
    "transitions",
    "changed",
    "error",
    "stalled",
    "suspended",
    "requeue_after",
]
OBJ: dict[str, Any] = {
    "apiVersion": "example.com/v1",
    "kind": "Certificate",
    "metadata": {"name": "web", "namespace": "team-a", "uid": "u-1", "generation": 4},
}


def _flaky(attempt: object) -> GateResult:
    if attempt == "raise":
        raise RuntimeError("issuer unreachable")
    return GateResult.in_progress("Pending", "order placed", requeue_after=timedelta(seconds=30))


PIPELINE = GatePipeline([Gate("Issued", _flaky, ready_reason="NotIssued")])


def _gittarget_pass() -> ReconcileOutcome[Any]:
    world = FakeGitTargetWorld(snapshot_state="running")
    return reconcile_gittarget(demo_spec(), None, world, generation=3, now=NOW)


def test_the_library_logs_nothing_unless_the_application_configures_logging() -> None:
    handlers = logging.getLogger("gittarget_status").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)
    warn = "import logging; logging.getLogger('gittarget_status.gates').warning('loud')"
    quiet = subprocess.run(
        [sys.executable, "-c", f"import gittarget_status; {warn}"], capture_output=True, text=True
    )
    # Without the package's NullHandler, logging's last resort prints the record.
    loud = subprocess.run([sys.executable, "-c", warn], capture_output=True, text=True)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert "loud" in loud.stderr


def test_a_suspended_pass_says_so_and_keeps_the_verdict() -> None:
    first = PIPELINE.evaluate(StatusModel(), "ok", generation=1, now=NOW)
    held = PIPELINE.evaluate(first.status, "raise", generation=2, now=NOW, suspended=True)
    fields, before = held.log_fields(), first.log_fields()
    assert (fields["suspended"], before["suspended"]) == (True, False)
    # Nothing was evaluated: the evaluator would have raised, so no error is logged.
    assert (fields["error"], fields["ready"]) == (None, before["ready"])
    assert [t["type"] for t in fields["transitions"]] == ["Suspended"]


def test_outcome_fields_are_json_and_deterministic() -> None:
    outcome = _gittarget_pass()
    fields = outcome.log_fields()
    assert list(fields) == KEYS
    assert fields == _gittarget_pass().log_fields()
    assert json.loads(json.dumps(fields)) == fields
    assert fields["generation"] == 3
    assert fields["phase"] == "SYNCING" and fields["phase"] == outcome.phase
    assert (fields["ready"], fields["changed"], fields["error"]) == (False, True, None)
    assert fields["blocked_by"] == outcome.blocked_by
    assert fields["transitions"] == [
        {"type": t.type, "old": None, "new": str(t.new)} for t in outcome.transitions
    ]
    assert fields["requeue_after"] == outcome.requeue_after.total_seconds()  # type: ignore[union-attr]


def test_a_steady_pass_has_no_transitions_and_an_error_is_text() -> None:
    first = PIPELINE.evaluate(StatusModel(), "wait", generation=1, now=NOW)
    steady = PIPELINE.evaluate(first.status, "wait", generation=1, now=NOW)
    assert steady.log_fields()["transitions"] == [] and not steady.log_fields()["changed"]
    assert steady.log_fields()["requeue_after"] == 30.0
    failed = PIPELINE.evaluate(first.status, "raise", generation=1, now=NOW).log_fields()
    assert failed["error"] == "RuntimeError: issuer unreachable"
    assert {"type": "Issued", "old": "False", "new": "Unknown"} in failed["transitions"]
    assert failed["phase"] is None  # the model has no phase


def test_reconciled_puts_the_object_first() -> None:
    done = PIPELINE.reconcile(OBJ, "wait", now=NOW)
    fields = done.log_fields()
    assert list(fields) == ["object", *KEYS]
    assert fields["object"] == {
        "apiVersion": "example.com/v1",
        "kind": "Certificate",
        "namespace": "team-a",
        "name": "web",
        "uid": "u-1",
    }
    assert fields["generation"] == 4
    # An official-client list item has no apiVersion/kind: logging it must not fail the pass.
    bare = PIPELINE.reconcile({"metadata": {"name": "web", "generation": 1}}, "wait", now=NOW)
    assert bare.log_fields()["object"] == {"name": "web"}


def test_stdlib_logging_takes_the_fields_as_extra(caplog: pytest.LogCaptureFixture) -> None:
    fields = PIPELINE.reconcile(OBJ, "wait", now=NOW).log_fields()
    logger = logging.getLogger("certificate-controller")
    with caplog.at_level(logging.INFO, logger="certificate-controller"):
        logger.info("reconciled", extra=fields)  # a LogRecord attribute clash would raise
    (record,) = caplog.records
    assert {key: getattr(record, key) for key in fields} == fields
    assert json.loads(json.dumps({key: vars(record)[key] for key in fields})) == fields


def test_structlog_takes_the_fields_as_keywords() -> None:
    structlog = pytest.importorskip("structlog")
    fields = PIPELINE.reconcile(OBJ, "wait", now=NOW).log_fields()
    with structlog.testing.capture_logs() as captured:
        structlog.get_logger().info("reconciled", **fields)
    (entry,) = captured
    assert entry == {"event": "reconciled", "log_level": "info", **fields}
    rendered = structlog.processors.JSONRenderer(sort_keys=True)(None, "info", dict(entry))
    assert json.loads(rendered) == entry


def test_kopfs_object_logger_carries_the_fields(caplog: pytest.LogCaptureFixture) -> None:
    """kopf hands handlers a per-object logger; ``extra`` merges with its object reference,
    and kopf's JSON log format (``kopf run --log-format=json``) prints the fields."""
    settings = kopf.OperatorSettings()
    settings.posting.enabled = False  # no Kubernetes Events from a test
    raw: Any = dict(OBJ)  # a RawBody: what the API server sent
    body = kopf.Body(raw)
    fields = PIPELINE.reconcile(body, "wait", now=NOW).log_fields()
    logger = kopf.ObjectLogger(body=body, settings=settings)
    with caplog.at_level(logging.INFO, logger="kopf.objects"):
        logger.info("reconciled", extra=fields)
    (record,) = [r for r in caplog.records if r.name == "kopf.objects"]
    assert {key: getattr(record, key) for key in fields} == fields
    reference = vars(record)["k8s_ref"]
    assert reference["name"] == "web"

    # kopf.configure installs its formatter on the root logger (and quiets asyncio's):
    # take the formatter, then put both loggers back as they were.
    root, quieted = logging.getLogger(), logging.getLogger("asyncio")
    saved = (root.handlers[:], root.level, quieted.handlers[:], quieted.propagate)
    try:
        kopf.configure(log_format=kopf.LogFormat.JSON)
        (handler,) = [h for h in root.handlers if h not in saved[0]]
        assert handler.formatter is not None
        line = json.loads(handler.formatter.format(record))
    finally:
        root.handlers[:], quieted.handlers[:], quieted.propagate = saved[0], saved[2], saved[3]
        root.setLevel(saved[1])
    assert line["message"] == "reconciled"
    assert {key: line[key] for key in fields} == fields
    # kopf's JSON format writes its object reference under "object" too: the same object.
    assert line["object"] == reference == fields["object"]
