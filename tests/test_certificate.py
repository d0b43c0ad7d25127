"""The Certificate example (examples/certificate.py) tested with the generic toolkit only.

Async evaluators over the example's in-memory issuer and Secret store; the contract is
derived from the example's pipeline (``StatusContract.for_pipeline``), statuses are drawn
with ``st.from_type`` / ``status_models``, and ``GatePipelineMachine`` drives random
issuer, Secret-store and spec changes through ``aevaluate``, checking every invariant and
idempotence after every pass.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test

from gittarget_status import Gate, GatePipeline, GateResult, ReconcileOutcome
from gittarget_status.testing import (
    DEMO_EPOCH,
    StatusContract,
    assert_status_contract,
    check_status,
)
from gittarget_status.testing.stateful import GatePipelineMachine
from gittarget_status.testing.strategies import status_models
from kube._examples import load_example

cert = load_example("certificate")
PIPELINE = cert.certificate_pipeline()
#: From the pipeline alone: its phase function and the terminal reasons its gates declare.
CONTRACT = StatusContract.for_pipeline(PIPELINE)
ISSUER = "letsencrypt"
_PROFILE = settings.default or settings()


def _spec(*names: str) -> Any:
    return cert.CertificateSpec(dns_names=list(names), issuer_name=ISSUER, secret_name="tls")


def _world(ready: bool = True) -> tuple[Any, Any]:
    issuer = cert.FakeIssuer(issuers={ISSUER: cert.IssuerState(ready=ready, message="booting")})
    return issuer, cert.InMemorySecrets()


def _pass(status: Any, ctx: Any, now: datetime, generation: int = 1) -> ReconcileOutcome[Any]:
    outcome: ReconcileOutcome[Any] = asyncio.run(
        cert.reconcile_certificate(status, ctx, generation=generation, now=now)
    )
    assert_status_contract(
        outcome.status,
        generation=generation,
        previous=status or cert.CertificateStatus(),
        contract=CONTRACT,
        now=now,
    )
    return outcome


def _reason(outcome: ReconcileOutcome[Any], type_: str) -> tuple[str, str]:
    condition = outcome.status.condition(type_)
    assert condition is not None, type_
    return condition.status.value, condition.reason


# ------------------------------------------------------------------ example passes


def test_a_certificate_is_issued_written_then_left_alone() -> None:
    issuer, secrets = _world(ready=False)
    ctx = cert.CertificateContext(_spec("shop.example.com"), issuer, secrets)
    now = DEMO_EPOCH
    first = _pass(None, ctx, now)
    assert first.blocked_by == "IssuerReady" and first.phase == "Issuing"
    assert _reason(first, "Ready") == ("False", "IssuerUnavailable")
    assert _reason(first, "Issued") == ("Unknown", "Blocked")
    issuer.issuers[ISSUER] = cert.IssuerState(ready=True)
    second = _pass(first.status, ctx, now + timedelta(seconds=30))
    assert _reason(second, "Issued") == ("False", "IssuancePending")
    assert second.requeue_after == timedelta(seconds=5)
    assert issuer.issue_pending() == 1
    third = _pass(second.status, ctx, now + timedelta(seconds=60))
    assert third.ready and third.phase == "Issued" and not third.stalled
    assert _reason(third, "SecretWritten") == ("True", "SecretUpToDate")
    assert third.status.serial_number == "00000001"
    assert third.status.not_after == issuer.epoch + timedelta(days=90)
    assert secrets.data["tls"]["serial"] == "00000001"
    for minutes in (5, 10):  # the steady state: nothing moves, nothing is written
        again = _pass(third.status, ctx, now + timedelta(minutes=minutes))
        assert not again.changed and again.status == third.status


def test_terminal_failures_stall_and_only_a_spec_edit_recovers() -> None:
    # Declared on the gates (no terminal=True on any result), and read from them alone.
    assert {"NoDNSNames", "InvalidDNSName", "RequestDenied"} == cert.TERMINAL_REASONS
    assert CONTRACT.terminal_reasons == cert.TERMINAL_REASONS
    assert {g.type: g.declared_reasons for g in PIPELINE.gates}["Issued"] == set(cert.IssuedReason)
    issuer, secrets = _world()
    bad = _pass(None, cert.CertificateContext(_spec("Not_A_Name"), issuer, secrets), DEMO_EPOCH)
    assert bad.stalled and bad.phase == "Failed"
    assert _reason(bad, "Stalled") == ("True", "InvalidDNSName")
    assert _reason(bad, "Ready") == ("False", "SpecInvalid")
    issuer.denied_names.add("bank.example.com")
    denied_ctx = cert.CertificateContext(_spec("bank.example.com"), issuer, secrets)
    denied = _pass(bad.status, denied_ctx, DEMO_EPOCH + timedelta(minutes=1), generation=2)
    assert denied.stalled and _reason(denied, "Issued") == ("False", "RequestDenied")
    good_ctx = cert.CertificateContext(_spec("shop.example.com"), issuer, secrets)
    issuing = _pass(denied.status, good_ctx, DEMO_EPOCH + timedelta(minutes=2), generation=3)
    assert not issuing.stalled and issuing.status.condition("Stalled") is None
    assert issuing.status.condition("Reconciling") is not None


def test_a_forbidden_secret_write_and_a_failing_issuer_are_reported() -> None:
    issuer, secrets = _world()
    issuer.orders[(ISSUER, ("shop.example.com",))] = cert.Order("pending")
    issuer.issue_pending()
    secrets.writable = False
    ctx = cert.CertificateContext(_spec("shop.example.com"), issuer, secrets)
    forbidden = _pass(None, ctx, DEMO_EPOCH)
    assert _reason(forbidden, "SecretWritten") == ("False", "SecretWriteFailed")
    assert _reason(forbidden, "Ready") == ("False", "SecretNotWritten")
    assert not forbidden.stalled  # RBAC can be fixed without a spec edit

    class Down:
        async def state(self, issuer: str) -> Any:
            raise ConnectionError("issuer API unreachable")

    broken = _pass(None, cert.CertificateContext(ctx.spec, Down(), secrets), DEMO_EPOCH)
    assert _reason(broken, "IssuerReady") == ("Unknown", "EvaluationFailed")
    assert isinstance(broken.error, ConnectionError)


def test_events_warn_on_failure_and_stay_silent_at_steady_state() -> None:
    issuer, secrets = _world()
    obj = {
        "apiVersion": "example.com/v1alpha1",
        "kind": "Certificate",
        "metadata": {
            "name": "shop",
            "namespace": "web",
            "uid": "3d7e",
            "generation": 1,
            "resourceVersion": "7",
        },
        "spec": _spec("shop.example.com").to_k8s(),
    }
    first = asyncio.run(cert.plan_certificate_pass(obj, issuer, secrets, now=DEMO_EPOCH))
    assert first.status_patch is not None
    assert first.status_patch["metadata"] == {"resourceVersion": "7"}
    kinds = {e["note"].split(":")[0]: e["type"] for e in first.events}
    assert kinds["Issued"] == "Warning" and kinds["Validated"] == "Normal"
    assert {e["reportingController"] for e in first.events} == {cert.REPORTING_CONTROLLER}
    stored = {**obj, "status": first.outcome.status.to_k8s()}
    later = DEMO_EPOCH + timedelta(minutes=1)
    second = asyncio.run(cert.plan_certificate_pass(stored, issuer, secrets, now=later))
    assert second.status_patch is None and second.events == ()


# ------------------------------------------------------------------------ manifests


def test_the_crd_and_the_rbac_are_the_certificates_own() -> None:
    crd = cert.certificate_crd()
    assert crd["metadata"]["name"] == "certificates.example.com"
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
    assert {"dnsNames", "issuerName", "secretName"} <= set(schema["spec"]["properties"])
    assert {"serialNumber", "notAfter", "phase"} <= set(schema["status"]["properties"])
    (role,) = cert.certificate_rbac()
    assert role["kind"] == "ClusterRole" and role["metadata"]["name"] == "certificate-controller"
    secrets = [r for r in role["rules"] if r["resources"] == ["secrets"]]
    assert secrets == [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create", "update"]}
    ]
    assert "gittargets" not in str(role)


# ------------------------------------------------------------------------ contracts


def test_the_derived_contract_is_the_certificates_own() -> None:
    assert CONTRACT.gate_types == ("Validated", "IssuerReady", "Issued", "SecretWritten")
    assert CONTRACT.ready_reasons["Issued"] == "NotIssued"
    issuer, secrets = _world()
    ctx = cert.CertificateContext(_spec("shop.example.com"), issuer, secrets)
    status = _pass(None, ctx, DEMO_EPOCH).status
    assert check_status(status, generation=1, contract=CONTRACT) == []
    wrong = status.model_copy(update={"phase": cert.CertificatePhase.FAILED})
    found = check_status(wrong, generation=1, contract=CONTRACT)
    assert [v.rule for v in found] == ["GTS018"]  # the phase is not the phase function's


_NAMES = st.sampled_from(["shop.example.com", "*.example.com", "bank.example.com", "Bad_Name"])


def test_gts023_accepts_a_changed_detail_field_of_the_certificate() -> None:
    # GTS023 reads the checked model's own fields: a Certificate detail is not foreign data.
    before = cert.CertificateStatus(serial_number="00000001")
    after = cert.CertificateStatus(serial_number="00000002")
    assert check_status(after, previous=before, select=["GTS023"], contract=CONTRACT) == []
    foreign = cert.CertificateStatus.from_k8s({"vendorNote": {"a": 1}})
    dropped = cert.CertificateStatus()
    found = check_status(dropped, previous=foreign, select=["GTS023"], contract=CONTRACT)
    assert [v.rule for v in found] == ["GTS023"]


@settings(max_examples=max(20, _PROFILE.max_examples // 2), deadline=None)
@given(
    drawn=st.from_type(cert.CertificateStatus),
    names=st.lists(_NAMES, max_size=2, unique=True),
    ready=st.booleans(),
    issued=st.booleans(),
)
def test_any_stored_status_gets_a_contract_keeping_idempotent_pass(
    drawn: Any, names: list[str], ready: bool, issued: bool
) -> None:
    """Whatever was stored (foreign conditions, an unknown field), one pass keeps every
    rule, and a second pass over the same world changes nothing."""
    stored = cert.CertificateStatus.from_k8s({**drawn.to_k8s(), "vendorNote": {"a": None}})
    issuer, secrets = _world(ready)
    issuer.denied_names.add("bank.example.com")
    ctx = cert.CertificateContext(_spec(*names), issuer, secrets)
    # The next generation, capped at int64's maximum (a drawn status may already be there).
    generation = min((stored.observed_generation or 0) + 1, 2**63 - 1)
    outcome = asyncio.run(PIPELINE.aevaluate(stored, ctx, generation=generation, now=DEMO_EPOCH))
    if issued:
        issuer.issue_pending()
        outcome = asyncio.run(
            PIPELINE.aevaluate(stored, ctx, generation=generation, now=DEMO_EPOCH)
        )
    assert_status_contract(
        outcome.status,
        generation=generation,
        previous=stored,
        contract=CONTRACT,
        now=DEMO_EPOCH,
    )
    assert outcome.status.to_k8s()["vendorNote"] == {"a": None}
    later = DEMO_EPOCH + timedelta(minutes=3)
    again = asyncio.run(PIPELINE.aevaluate(outcome.status, ctx, generation=generation, now=later))
    assert not again.changed and again.status == outcome.status


@settings(max_examples=25, deadline=None)
@given(status_models(cert.CertificateStatus, phase=st.none()))
def test_drawn_statuses_round_trip_through_json(drawn: Any) -> None:
    assert drawn.phase is None
    assert cert.CertificateStatus.from_k8s(drawn.to_k8s()) == drawn


# ------------------------------------------------------------------- state machine


class CertificateMachine(GatePipelineMachine):
    """The Certificate's pipeline, with its world changing at random.

    Only the pipeline and the context are given: the machine derives the contract,
    initialises the object, and drives ``aevaluate`` because the gates are async.
    """

    def __init__(self) -> None:
        self.issuer, self.secrets = _world()
        self.issuer.denied_names.add("bank.example.com")
        self.spec = _spec("shop.example.com")
        super().__init__()
        assert self.runs_async

    def make_pipeline(self) -> GatePipeline[Any]:
        return PIPELINE  # type: ignore[no-any-return]

    def make_status(self) -> Any:
        return cert.CertificateStatus()

    def make_context(self) -> Any:
        return cert.CertificateContext(self.spec, self.issuer, self.secrets)

    def check_outcome(self, outcome: ReconcileOutcome[Any], previous: Any) -> None:
        REACHED.update(c.type for c in outcome.status.conditions if c.status.value == "True")
        if outcome.ready:  # Ready means the Secret holds exactly the issued certificate
            order = self.issuer.orders[(ISSUER, tuple(self.spec.dns_names))]
            assert self.secrets.data["tls"] == {
                "tls.crt": order.certificate,
                "serial": order.serial_number,
            }
            assert outcome.status.serial_number == order.serial_number

    def happened(self, then_reconcile: bool) -> None:
        """A watch event after a world change usually triggers a pass at once."""
        if then_reconcile:
            self.reconcile()

    @rule(state=st.sampled_from(["missing", "booting", "ready", "ready"]), then=st.booleans())
    def issuer_changes(self, state: str, then: bool) -> None:
        if state == "missing":
            self.issuer.issuers.pop(ISSUER, None)
        else:
            self.issuer.issuers[ISSUER] = cert.IssuerState(state == "ready", state)
        self.happened(then)

    @rule(then=st.booleans())
    def issuer_issues(self, then: bool) -> None:
        self.issuer.issue_pending()
        self.happened(then)

    @rule(writable=st.sampled_from([True, True, False]), then=st.booleans())
    def secret_permissions(self, writable: bool, then: bool) -> None:
        self.secrets.writable = writable
        self.happened(then)

    @rule(then=st.booleans())
    def secret_edited_by_hand(self, then: bool) -> None:
        if "tls" in self.secrets.data:
            self.secrets.data["tls"] = {"tls.crt": "tampered"}
        self.happened(then)

    @rule(names=st.lists(_NAMES, max_size=2, unique=True), then=st.booleans())
    def spec_edited(self, names: list[str], then: bool) -> None:
        spec = _spec(*names)
        if spec != self.spec:
            self.spec = spec
            self.generation += 1
        self.happened(then)


#: Condition types some run of the machine saw True (the machine must get somewhere).
REACHED: set[str] = set()


TestCertificateMachine = CertificateMachine.TestCase
TestCertificateMachine.settings = settings(
    max_examples=max(10, _PROFILE.max_examples // 4),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_machines_walks_reach_ready_and_a_stall() -> None:
    """The machine gets somewhere: its walks are not all stuck before the issuer."""
    REACHED.clear()
    run_state_machine_as_test(
        CertificateMachine,
        settings=settings(max_examples=25, derandomize=True, database=None, deadline=None),
    )
    assert {"Ready", "SecretWritten", "Stalled"} <= REACHED, REACHED


async def _churning_secret(ctx: Any) -> GateResult:
    """A buggy gate: a different reason on the pass that writes than on the next."""
    wanted = {"tls.crt": "x", "serial": "1"}
    if await ctx.secrets.read("tls") == wanted:
        return GateResult.passed("SecretUpToDate")
    await ctx.secrets.write("tls", wanted)
    return GateResult.passed("SecretCreated")


class ChurningCertificateMachine(CertificateMachine):
    def make_pipeline(self) -> GatePipeline[Any]:
        gates = PIPELINE.gates
        churn = Gate("SecretWritten", _churning_secret, ready_reason="SecretNotWritten")
        return GatePipeline([*gates[:3], churn], phase=cert.certificate_phase)

    def check_outcome(self, outcome: ReconcileOutcome[Any], previous: Any) -> None:
        """This buggy gate writes no real certificate: only the machine's checks apply."""


def test_the_machine_catches_a_churning_async_gate() -> None:
    with pytest.raises(AssertionError, match="a second pass over an unchanged world changed"):
        run_state_machine_as_test(
            ChurningCertificateMachine,
            settings=settings(
                max_examples=200,
                stateful_step_count=40,
                phases=[Phase.generate],  # any failure will do: no shrinking
                database=None,
                deadline=None,
                print_blob=False,
            ),
        )
