"""A ``Certificate`` controller's status on the generic gate framework, with async evaluators.

Nothing here is GitTarget's: the status model, the reasons, the phase, the CRD and the RBAC
are the Certificate's own, built from the library's public generic pieces only.

    Validated -> IssuerReady -> Issued -> SecretWritten  => Ready

``Validated`` is a plain function of the spec; the other three are ``async def`` and talk
to the issuer and the Secret store through two small ports, so the pipeline runs with
``await pipeline.aevaluate(...)``. :class:`FakeIssuer` and :class:`InMemorySecrets` are
in-memory implementations of those ports, enough to run the example and to test it.

:func:`plan_certificate_pass` is one whole controller pass with the I/O left out: the object
as read from the API server in; the ``/status`` merge patch (None: write nothing) and the
events.k8s.io/v1 Events out.

Run it: ``python examples/certificate.py`` prints each pass of a simulated issuance.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Protocol

from pydantic import Field

from gittarget_status import (
    CommonReason,
    Condition,
    Gate,
    GatePipeline,
    GateResult,
    KubeModel,
    ReconcileOutcome,
    StatusModel,
    is_true,
)
from gittarget_status.conditions import KubeTime
from gittarget_status.gates import object_reference
from gittarget_status.manifests import (
    PolicyRule,
    custom_resource_definition,
    rbac_manifests,
    to_yaml,
)
from gittarget_status.patch import status_patch

__all__ = [
    "CERTIFICATE_RBAC_RULES",
    "GROUP",
    "REPORTING_CONTROLLER",
    "TERMINAL_REASONS",
    "CertificateContext",
    "CertificatePass",
    "CertificatePhase",
    "CertificateReadyReason",
    "CertificateSpec",
    "CertificateStatus",
    "FakeIssuer",
    "InMemorySecrets",
    "IssuedReason",
    "IssuerPort",
    "IssuerReadyReason",
    "IssuerState",
    "Order",
    "SecretPort",
    "SecretWrittenReason",
    "ValidatedReason",
    "certificate_crd",
    "certificate_phase",
    "certificate_pipeline",
    "certificate_rbac",
    "plan_certificate_pass",
    "reconcile_certificate",
]

GROUP: Final = "example.com"
REPORTING_CONTROLLER: Final = "example.com/certificate-controller"

# ------------------------------------------------------------------ spec and status


class CertificateSpec(KubeModel):
    """``Certificate.spec``: which names, from which issuer, into which Secret."""

    dns_names: list[str] = Field(default_factory=list)
    issuer_name: str
    secret_name: str


class CertificatePhase(StrEnum):
    PENDING = "Pending"
    ISSUING = "Issuing"
    ISSUED = "Issued"
    FAILED = "Failed"


class CertificateStatus(StatusModel):
    """``Certificate.status``: the conditions and observedGeneration come from StatusModel.

    ``phase`` and ``last_reconcile_time`` are maintained by the pipeline because they are
    declared; ``serial_number`` and ``not_after`` are filled in by the Issued gate.
    """

    phase: CertificatePhase | None = None
    last_reconcile_time: KubeTime | None = None
    serial_number: str | None = Field(default=None, max_length=64)
    not_after: KubeTime | None = None


# ------------------------------------------------------------------------ reasons


class ValidatedReason(StrEnum):
    VALID = "SpecValid"
    NO_DNS_NAMES = "NoDNSNames"
    INVALID_DNS_NAME = "InvalidDNSName"


class IssuerReadyReason(StrEnum):
    READY = "IssuerReady"
    NOT_FOUND = "IssuerNotFound"
    NOT_READY = "IssuerNotReady"


class IssuedReason(StrEnum):
    ISSUED = "CertificateIssued"
    PENDING = "IssuancePending"
    DENIED = "RequestDenied"


class SecretWrittenReason(StrEnum):
    UP_TO_DATE = "SecretUpToDate"
    WRITE_FAILED = "SecretWriteFailed"


class CertificateReadyReason(StrEnum):
    """Ready's reason when the gate named in the comment is the first one failing."""

    SPEC_INVALID = "SpecInvalid"  # Validated
    ISSUER_UNAVAILABLE = "IssuerUnavailable"  # IssuerReady
    NOT_ISSUED = "NotIssued"  # Issued
    SECRET_NOT_WRITTEN = "SecretNotWritten"  # SecretWritten


# ---------------------------------------------------------------- ports and fakes


@dataclass(frozen=True)
class IssuerState:
    ready: bool
    message: str = ""


@dataclass(frozen=True)
class Order:
    """One certificate request at the issuer: ``pending``, ``issued`` or ``denied``."""

    state: str
    serial_number: str = ""
    not_after: datetime | None = None
    certificate: str = ""
    message: str = ""


class IssuerPort(Protocol):
    async def state(self, issuer: str) -> IssuerState | None: ...

    async def order(self, issuer: str, dns_names: tuple[str, ...]) -> Order:
        """The order for these names, placed on the first call (idempotent)."""
        ...


class SecretPort(Protocol):
    async def read(self, name: str) -> Mapping[str, str] | None: ...

    async def write(self, name: str, data: Mapping[str, str]) -> None: ...


@dataclass
class FakeIssuer:
    """An in-memory issuer: orders stay pending until :meth:`issue_pending` (or ``deny``)."""

    issuers: dict[str, IssuerState] = field(default_factory=dict)
    orders: dict[tuple[str, tuple[str, ...]], Order] = field(default_factory=dict)
    denied_names: set[str] = field(default_factory=set)
    epoch: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    issued: int = 0

    async def state(self, issuer: str) -> IssuerState | None:
        await asyncio.sleep(0)  # a real port awaits the network here
        return self.issuers.get(issuer)

    async def order(self, issuer: str, dns_names: tuple[str, ...]) -> Order:
        await asyncio.sleep(0)
        key = (issuer, dns_names)
        if key not in self.orders:
            if self.denied_names.intersection(dns_names):
                denied = sorted(self.denied_names.intersection(dns_names))
                self.orders[key] = Order("denied", message=f"policy forbids {', '.join(denied)}")
            else:
                self.orders[key] = Order("pending")
        return self.orders[key]

    def issue_pending(self) -> int:
        """Issue every pending order; how many were issued."""
        count = 0
        for key, order in self.orders.items():
            if order.state == "pending":
                self.issued += 1
                serial = f"{self.issued:08x}"
                self.orders[key] = Order(
                    "issued",
                    serial_number=serial,
                    not_after=self.epoch + timedelta(days=90),
                    certificate=f"CERT {serial} {' '.join(key[1])}",
                )
                count += 1
        return count


@dataclass
class InMemorySecrets:
    """An in-memory Secret store; ``writable=False`` answers like a 403 on create/update."""

    data: dict[str, dict[str, str]] = field(default_factory=dict)
    writable: bool = True

    async def read(self, name: str) -> Mapping[str, str] | None:
        await asyncio.sleep(0)
        return self.data.get(name)

    async def write(self, name: str, data: Mapping[str, str]) -> None:
        await asyncio.sleep(0)
        if not self.writable:
            raise PermissionError(f"secrets {name!r} is forbidden: cannot create or update")
        self.data[name] = dict(data)


@dataclass(frozen=True)
class CertificateContext:
    """What the evaluators of one pass see: the spec and the two ports."""

    spec: CertificateSpec
    issuer: IssuerPort
    secrets: SecretPort


# --------------------------------------------------------------------- evaluators

#: A DNS-1123 subdomain, optionally a ``*.`` wildcard.
_DNS_NAME: Final = re.compile(
    r"(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
)


def _validated(ctx: CertificateContext) -> GateResult:
    names = ctx.spec.dns_names
    if not names:
        return GateResult.failed(ValidatedReason.NO_DNS_NAMES, "spec.dnsNames is empty")
    bad = [n for n in names if len(n) > 253 or not _DNS_NAME.fullmatch(n)]
    if bad:
        return GateResult.failed(ValidatedReason.INVALID_DNS_NAME, f"not a DNS name: {bad[0]!r}")
    return GateResult.passed(ValidatedReason.VALID)


async def _issuer_ready(ctx: CertificateContext) -> GateResult:
    name = ctx.spec.issuer_name
    state = await ctx.issuer.state(name)
    if state is None:
        return GateResult.failed(
            IssuerReadyReason.NOT_FOUND,
            f"issuer {name!r} not found",
            requeue_after=timedelta(seconds=30),
        )
    if not state.ready:
        return GateResult.in_progress(
            IssuerReadyReason.NOT_READY, state.message, requeue_after=timedelta(seconds=15)
        )
    return GateResult.passed(IssuerReadyReason.READY)


async def _issued(ctx: CertificateContext) -> GateResult:
    order = await ctx.issuer.order(ctx.spec.issuer_name, tuple(ctx.spec.dns_names))
    if order.state == "denied":
        return GateResult.failed(IssuedReason.DENIED, order.message)
    if order.state != "issued":
        return GateResult.in_progress(
            IssuedReason.PENDING, "waiting for the issuer", requeue_after=timedelta(seconds=5)
        )
    return GateResult.passed(
        IssuedReason.ISSUED,
        details={"serial_number": order.serial_number, "not_after": order.not_after},
    )


async def _secret_written(ctx: CertificateContext) -> GateResult:
    order = await ctx.issuer.order(ctx.spec.issuer_name, tuple(ctx.spec.dns_names))
    wanted = {"tls.crt": order.certificate, "serial": order.serial_number}
    name = ctx.spec.secret_name
    if await ctx.secrets.read(name) != wanted:
        try:
            await ctx.secrets.write(name, wanted)
        except PermissionError as exc:
            return GateResult.failed(
                SecretWrittenReason.WRITE_FAILED, str(exc), requeue_after=timedelta(minutes=1)
            )
    # One reason whether or not this pass wrote: the condition must not move on the next.
    return GateResult.passed(SecretWrittenReason.UP_TO_DATE)


# ------------------------------------------------------------ phase and pipeline

_GATE_TYPES: Final = ("Validated", "IssuerReady", "Issued", "SecretWritten")


def certificate_phase(conditions: Sequence[Condition]) -> CertificatePhase:
    """A pure function of the conditions, as the framework requires."""
    if is_true(conditions, "Ready"):
        return CertificatePhase.ISSUED
    if is_true(conditions, "Stalled"):
        return CertificatePhase.FAILED
    if any(c.type in _GATE_TYPES and c.reason != CommonReason.NOT_CHECKED for c in conditions):
        return CertificatePhase.ISSUING
    return CertificatePhase.PENDING


def certificate_pipeline() -> GatePipeline[CertificateContext]:
    """Each gate declares its reasons and the failures only a spec edit can fix (terminal:
    Stalled=True); the evaluators return plain results."""
    ready = CertificateReadyReason
    return GatePipeline(
        [
            Gate(
                "Validated",
                _validated,
                ready_reason=ready.SPEC_INVALID,
                reasons=ValidatedReason,
                terminal={ValidatedReason.NO_DNS_NAMES, ValidatedReason.INVALID_DNS_NAME},
            ),
            Gate(
                "IssuerReady",
                _issuer_ready,
                ready_reason=ready.ISSUER_UNAVAILABLE,
                reasons=IssuerReadyReason,
            ),
            Gate(
                "Issued",
                _issued,
                ready_reason=ready.NOT_ISSUED,
                reasons=IssuedReason,
                terminal={IssuedReason.DENIED},
            ),
            Gate(
                "SecretWritten",
                _secret_written,
                ready_reason=ready.SECRET_NOT_WRITTEN,
                reasons=SecretWrittenReason,
            ),
        ],
        phase=certificate_phase,
    )


_PIPELINE: Final = certificate_pipeline()

#: Failures only a spec edit can fix, as the gates declare them.
TERMINAL_REASONS: Final[frozenset[str]] = frozenset().union(
    *(gate.terminal_reasons for gate in _PIPELINE.gates)
)


async def reconcile_certificate(
    status: CertificateStatus | None,
    ctx: CertificateContext,
    *,
    generation: int,
    now: datetime,
) -> ReconcileOutcome[CertificateStatus]:
    """One pass. Write ``outcome.status`` (with status_patch) only if ``changed``."""
    return await _PIPELINE.aevaluate(
        status or CertificateStatus(), ctx, generation=generation, now=now
    )


@dataclass(frozen=True)
class CertificatePass:
    outcome: ReconcileOutcome[CertificateStatus]
    #: ``PATCH .../status`` body (``application/merge-patch+json``); None: write nothing.
    status_patch: dict[str, Any] | None
    #: events.k8s.io/v1 Event bodies, one per condition transition.
    events: tuple[dict[str, Any], ...]


async def plan_certificate_pass(
    obj: Mapping[str, Any],
    issuer: IssuerPort,
    secrets: SecretPort,
    *,
    now: datetime,
    reporting_instance: str = "certificate-controller-0",
) -> CertificatePass:
    """One pass over a ``Certificate`` as the API server returned it (a dict)."""
    raw = obj.get("status")
    status = CertificateStatus.from_k8s(raw) if raw else None
    meta = obj["metadata"]
    ctx = CertificateContext(CertificateSpec.from_k8s(obj["spec"]), issuer, secrets)
    outcome = await reconcile_certificate(status, ctx, generation=int(meta["generation"]), now=now)
    body = status_patch(raw, outcome.status, resource_version=meta["resourceVersion"])
    events = outcome.events(
        regarding=object_reference(obj),
        reporting_controller=REPORTING_CONTROLLER,
        reporting_instance=reporting_instance,
        now=now,
    )
    return CertificatePass(outcome, body, events)


# ---------------------------------------------------------------------- manifests

#: What the controller's own ports touch beyond the Certificate: it reads and writes the
#: Secret holding the issued certificate.
CERTIFICATE_RBAC_RULES: Final[tuple[PolicyRule, ...]] = (
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create", "update"]},
)


def certificate_crd() -> dict[str, Any]:
    """The CRD for ``certificates.example.com``, from the spec and status models."""
    return custom_resource_definition(
        group=GROUP,
        kind="Certificate",
        status_model=CertificateStatus,
        spec_schema=CertificateSpec,
        short_names=("cert",),
    )


def certificate_rbac(
    namespace: str | None = None, service_account: str | None = None
) -> list[dict[str, Any]]:
    """The controller's (Cluster)Role, with :data:`CERTIFICATE_RBAC_RULES` declared.

    With ``namespace`` a Role there (and the ServiceAccount in it), else a ClusterRole.
    """
    return rbac_manifests(
        name="certificate-controller",
        group=GROUP,
        plural="certificates",
        namespace=namespace,
        service_account=service_account,
        service_account_namespace=namespace or "default",
        rules=CERTIFICATE_RBAC_RULES,
    )


async def _demo() -> None:  # pragma: no cover - a demonstration
    issuer = FakeIssuer(issuers={"letsencrypt": IssuerState(ready=False, message="starting")})
    secrets = InMemorySecrets()
    spec = CertificateSpec(
        dns_names=["shop.example.com"], issuer_name="letsencrypt", secret_name="shop-tls"
    )
    ctx = CertificateContext(spec, issuer, secrets)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    status: CertificateStatus | None = None
    for number in range(1, 6):
        now += timedelta(seconds=30)
        if number == 2:
            issuer.issuers["letsencrypt"] = IssuerState(ready=True)
        if number == 4:
            issuer.issue_pending()
        outcome = await reconcile_certificate(status, ctx, generation=1, now=now)
        write = status_patch(status, outcome.status) is not None
        print(f"pass {number}: phase={outcome.phase} ready={outcome.ready} write={write}")
        status = outcome.status
    print(to_yaml(certificate_crd())[:200], "...")


if __name__ == "__main__":  # pragma: no cover
    asyncio.run(_demo())
