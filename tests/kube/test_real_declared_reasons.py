"""Declared reasons on the real API server: what a new object, an undeclared reason and a
declared terminal reason write is stored as computed and keeps the contract read back."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from gittarget_status import (
    GatePipeline,
    GateResult,
    GitTargetContext,
    gittarget_pipeline,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec
from gittarget_status.testing.control_plane import ApiClient, ControlPlane
from gittarget_status.testing.invariants import assert_status_contract

from ._real import WRITE_PATHS, create_gittarget


@pytest.fixture(scope="module")
def client(gittarget_api: ControlPlane) -> ApiClient:
    return gittarget_api.client


def _condition(obj: dict[str, Any], type_: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in obj["status"]["conditions"] if c["type"] == type_]
    assert len(found) == 1, type_
    return found[0]


def _surprising_pipeline() -> GatePipeline[GitTargetContext]:
    """Validated's evaluator maps an observation to a reason its gate does not declare."""
    gates = list(gittarget_pipeline().gates)
    gates[0] = dataclasses.replace(
        gates[0], evaluate=lambda _ctx: GateResult.failed("ProviderGone", "410 from the API")
    )
    return GatePipeline(gates, phase=gittarget_pipeline().phase_function)


@pytest.mark.parametrize("path_kind", sorted(WRITE_PATHS))
def test_a_new_object_is_stored_not_ready_with_not_checked(
    client: ApiClient, gts_namespace: str, path_kind: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    status = initialize_gittarget(None, generation=1, now=DEMO_EPOCH).status
    stored = WRITE_PATHS[path_kind](client, path, status)
    ready = _condition(stored, "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "NotChecked")
    assert stored["status"]["phase"] == "PENDING"
    assert_status_contract(stored)  # generation from the stored metadata


@pytest.mark.parametrize("path_kind", sorted(WRITE_PATHS))
def test_an_undeclared_reason_is_stored_as_evaluation_failed(
    client: ApiClient, gts_namespace: str, path_kind: str
) -> None:
    path, _ = create_gittarget(client, gts_namespace)
    outcome = _surprising_pipeline().evaluate(
        initialize_gittarget(None, generation=1, now=DEMO_EPOCH).status,
        None,  # type: ignore[arg-type]  # the replaced evaluator reads nothing
        generation=1,
        now=DEMO_EPOCH,
    )
    stored = WRITE_PATHS[path_kind](client, path, outcome.status)
    validated = _condition(stored, "Validated")
    assert (validated["status"], validated["reason"]) == ("Unknown", "EvaluationFailed")
    assert "undeclared reason 'ProviderGone'" in validated["message"]
    assert "gate Validated" in validated["message"]
    assert _condition(stored, "Ready")["reason"] == "ValidationFailed"
    assert_status_contract(stored)


@pytest.mark.parametrize("path_kind", sorted(WRITE_PATHS))
def test_a_declared_terminal_reason_is_stored_stalled(
    client: ApiClient, gts_namespace: str, path_kind: str
) -> None:
    spec = demo_spec()
    path, _ = create_gittarget(client, gts_namespace, spec=spec)
    world = FakeGitTargetWorld()
    world.branch_allowed = False
    outcome = reconcile_gittarget(spec, None, world, generation=1, now=DEMO_EPOCH)
    assert outcome.results["Validated"].terminal  # from the declaration, not the step
    stored = WRITE_PATHS[path_kind](client, path, outcome.status)
    stalled = _condition(stored, "Stalled")
    assert (stalled["status"], stalled["reason"]) == ("True", "BranchNotAllowed")
    assert stored["status"]["phase"] == "ERROR"
    assert "Reconciling" not in {c["type"] for c in stored["status"]["conditions"]}
    assert_status_contract(stored)
