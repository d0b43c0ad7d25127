"""GTS003-GTS015: the Flux status checker's rules (fluxcd/pkg ``runtime/conditions/check``).

Ready's presence and polarity against Reconciling/Stalled, and observedGeneration against
``metadata.generation``; each rule names its Flux id in ``source``. GTS012 and GTS014 are
off by default (Flux strategies this library does not follow).

"Ready" is the contract's summary type (``StatusContract.ready_type``): Flux's ``Ready``
unless the pipeline summarises in a condition of its own. The summary is held against
Reconciling/Stalled only when they are about it: for ``Ready``, or when the contract
writes kstatus itself (a second controller's summary says nothing about the kstatus pair
of the controller that owns it). While the contract's ``Suspended`` condition is True for
the generation, GTS009-GTS011 accept the kept verdict: a suspended object's status is
behind its spec by design, as a suspended Flux object's is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gittarget_status.conditions._common import READY, RECONCILING, STALLED
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.testing.invariants._rule import Check, Checked, Finding, Rule, rule
from gittarget_status.testing.invariants._view import FALSE, TRUE, observed_generation

__all__ = ["FLUX_RULES"]


def _kstatus_about_summary(c: Checked) -> bool:
    """Whether Reconciling/Stalled describe the contract's summary (see the docstring)."""
    return c.contract.ready_type == READY or c.contract.kstatus


def _ready_present(c: Checked) -> Iterable[Finding]:
    if c.view.first(c.contract.ready_type) is None:
        yield f"{c.contract.ready_type} condition must always be present", list(c.view.conditions)


def _not_ready_while(type_: str) -> Check:
    def check(c: Checked) -> Iterable[Finding]:
        summary = c.contract.ready_type
        ready = c.view.first(summary)
        if not _kstatus_about_summary(c) or ready is None or ready.status.value == FALSE:
            return
        if c.view.is_(type_, TRUE):
            message = f"{summary} must be False while {type_} is True"
            yield message, [c.view.raw_of(summary), c.view.raw_of(type_)]

    return check


def _kstatus_pair(c: Checked) -> list[Mapping[str, Any]]:
    return [c.view.raw_of(RECONCILING), c.view.raw_of(STALLED)]


def _not_both_true(c: Checked) -> Iterable[Finding]:
    if c.view.is_(RECONCILING, TRUE) and c.view.is_(STALLED, TRUE):
        yield "Reconciling and Stalled must never both be True", _kstatus_pair(c)


def _not_both_present(c: Checked) -> Iterable[Finding]:
    if c.view.first(RECONCILING) is not None and c.view.first(STALLED) is not None:
        yield "only one of Reconciling and Stalled may be present at a time", _kstatus_pair(c)


def _not_ahead(c: Checked) -> Iterable[Finding]:
    generation = c.view.generation
    if generation is None:
        return
    root = observed_generation(c.view.raw)
    if root is not None and root > generation:
        yield f"status.observedGeneration {root} is above metadata.generation {generation}", []
    ahead = c.owned_where(lambda observed: (observed or 0) > generation)
    if ahead:
        yield f"conditions observed a generation above metadata.generation {generation}", ahead


def _ready_not_true_when_root_behind(c: Checked) -> Iterable[Finding]:
    generation = c.view.generation
    root = observed_generation(c.view.raw)
    summary = c.contract.ready_type
    if generation is None or not c.view.is_(summary, TRUE) or c.suspended:
        return  # suspended: Flux too leaves the last verdict, behind the generation
    if root is None or root < generation:
        yield (
            f"{summary} is True but status.observedGeneration {root} is behind "
            f"metadata.generation {generation}",
            [c.view.raw_of(summary)],
        )


def _ready_not_true_when_condition_behind(c: Checked) -> Iterable[Finding]:
    generation = c.view.generation
    summary = c.contract.ready_type
    if generation is None or not c.view.is_(summary, TRUE) or c.suspended:
        return
    behind = c.owned_where(lambda observed: (observed or 0) < generation)
    if behind:
        yield f"{summary} is True but conditions are behind generation {generation}", behind


def _conditions_match_root(c: Checked) -> Iterable[Finding]:
    summary = c.contract.ready_type
    if not c.view.is_(summary, TRUE) or c.suspended:
        return
    root = observed_generation(c.view.raw)
    off = c.owned_where(lambda observed: observed != root)
    if off:
        yield f"{summary} is True but conditions' observedGeneration differs from {root}", off


def _reconciling_ahead_of_root(c: Checked) -> Iterable[Finding]:
    reconciling = c.view.first(RECONCILING)
    if reconciling is None or reconciling.status is not ConditionStatus.TRUE:
        return
    root = observed_generation(c.view.raw) or 0
    if root >= (reconciling.observed_generation or 0):
        yield (
            f"Reconciling is True but status.observedGeneration {root} is not below "
            f"its observedGeneration",
            [c.view.raw_of(RECONCILING)],
        )


def _kstatus_absent_when_false(c: Checked) -> Iterable[Finding]:
    for type_ in (RECONCILING, STALLED):
        if c.view.is_(type_, FALSE):
            yield f"{type_} is False; remove it instead", [c.view.raw_of(type_)]


def _owned_have_generation(c: Checked) -> Iterable[Finding]:
    missing = c.owned_where(lambda observed: observed is None)
    if missing:
        yield "conditions without observedGeneration", missing


def _negative_polarity(c: Checked) -> Iterable[Finding]:
    summary = c.contract.ready_type
    if not _kstatus_about_summary(c) or not c.view.is_(summary, TRUE):
        return
    negative = [c.view.raw_of(t) for t in (RECONCILING, STALLED) if c.view.is_(t, TRUE)]
    if negative:
        yield f"negative-polarity conditions are True while {summary} is True", negative


#: GTS003-GTS015, in id order.
FLUX_RULES: tuple[Rule, ...] = (
    rule(
        "GTS003",
        "ready-present",
        "the Ready condition is present",
        _ready_present,
        source="fluxcd/pkg check FAIL0002",
    ),
    rule(
        "GTS004",
        "ready-false-while-reconciling",
        "Ready is False while Reconciling is True",
        _not_ready_while(RECONCILING),
        source="fluxcd/pkg check FAIL0003",
    ),
    rule(
        "GTS005",
        "ready-false-while-stalled",
        "Ready is False while Stalled is True",
        _not_ready_while(STALLED),
        source="fluxcd/pkg check FAIL0004",
    ),
    rule(
        "GTS006",
        "reconciling-stalled-exclusive",
        "Reconciling and Stalled are never both True",
        _not_both_true,
        source="kstatus",
    ),
    rule(
        "GTS007",
        "reconciling-stalled-not-both-present",
        "Reconciling and Stalled are never both present (off with kstatus_present)",
        _not_both_present,
        source="fluxcd/pkg check FAIL0005",
    ),
    rule(
        "GTS008",
        "observed-generation-not-ahead",
        "no observedGeneration (status, owned conditions) above metadata.generation",
        _not_ahead,
        source="fluxcd/pkg check FAIL0006",
    ),
    rule(
        "GTS009",
        "ready-not-true-when-status-behind",
        "Ready is not True while status.observedGeneration is behind",
        _ready_not_true_when_root_behind,
        source="fluxcd/pkg check FAIL0007",
    ),
    rule(
        "GTS010",
        "ready-not-true-when-condition-behind",
        "Ready is not True while an owned condition's observedGeneration is behind",
        _ready_not_true_when_condition_behind,
        source="fluxcd/pkg check FAIL0008",
    ),
    rule(
        "GTS011",
        "conditions-match-status-generation",
        "when Ready is True, owned conditions carry status.observedGeneration",
        _conditions_match_root,
        source="fluxcd/pkg check FAIL0009",
    ),
    rule(
        "GTS012",
        "reconciling-generation-ahead",
        "Reconciling=True has an observedGeneration above status.observedGeneration "
        "(Flux's strategy; off here: this library records observedGeneration after "
        "every pass)",
        _reconciling_ahead_of_root,
        source="fluxcd/pkg check FAIL0010",
        default=False,
    ),
    rule(
        "GTS013",
        "negative-polarity-false-when-ready",
        "no negative-polarity condition (Reconciling, Stalled) is True while Ready is",
        _negative_polarity,
        source="fluxcd/pkg check FAIL0001",
    ),
    rule(
        "GTS014",
        "kstatus-removed-when-false",
        "Reconciling/Stalled are removed rather than False (a warning in Flux)",
        _kstatus_absent_when_false,
        source="fluxcd/pkg check WARN0003/WARN0004",
        default=False,
    ),
    rule(
        "GTS015",
        "owned-conditions-have-generation",
        "every owned condition carries an observedGeneration",
        _owned_have_generation,
        source="fluxcd/pkg check WARN0005",
    ),
)
