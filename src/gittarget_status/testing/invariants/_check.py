"""Running the rules: the rule table, rule selection,
[`check_status`][gittarget_status.testing.check_status] and its assertion.

The rule modules each contribute their group in id order; this module owns the order of
the whole table and how ``select``/``ignore`` pick from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

from pydantic import BaseModel

from gittarget_status._errors import UsageError
from gittarget_status.gittarget._status import GitTargetStatus
from gittarget_status.testing.invariants._contract import GITTARGET_CONTRACT, StatusContract
from gittarget_status.testing.invariants._report import Violation, format_violations
from gittarget_status.testing.invariants._rule import Checked, Rule
from gittarget_status.testing.invariants._rules_flux import FLUX_RULES
from gittarget_status.testing.invariants._rules_lifecycle import LIFECYCLE_RULES
from gittarget_status.testing.invariants._rules_metav1 import METAV1_RULES
from gittarget_status.testing.invariants._view import view_of

__all__ = ["RULES", "assert_status_contract", "check_status"]

#: Every rule, by id. Flux's ids are in ``source`` (``fluxcd/pkg check FAIL0002``).
RULES: Final[Mapping[str, Rule]] = {r.id: r for r in (*METAV1_RULES, *FLUX_RULES, *LIFECYCLE_RULES)}

_BY_NAME: Final = {rule.name: rule for rule in RULES.values()}


def _resolve(names: Iterable[str] | None, what: str) -> set[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    ids = set()
    for name in names:
        rule = RULES.get(name.upper()) or _BY_NAME.get(name)
        if rule is None:
            raise ValueError(f"{what}: unknown rule {name!r} (ids GTS001.., or kebab names)")
        ids.add(rule.id)
    return ids


def check_status(
    obj: object,
    *,
    generation: int | None = None,
    previous: object | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    contract: StatusContract | None = None,
    now: datetime | None = None,
) -> list[Violation]:
    """Every rule ``obj`` breaks (empty when the status keeps the contract).

    ``obj`` is a status model (anything with ``to_k8s()``), a status dict, or a whole
    object dict (``generation`` then defaults to ``metadata.generation``). ``generation``
    enables the observedGeneration rules; ``previous`` (the status before the pass)
    enables the transition rules; with ``now`` (the pass's clock) a condition whose
    status moved must carry exactly that lastTransitionTime. ``select`` runs only the
    named rules (ids or names, default rules or not); ``ignore`` skips some.

    ``contract`` is the pipeline's
    ([`StatusContract.for_pipeline`][gittarget_status.testing.StatusContract.for_pipeline]);
    without it the GitTarget contract applies, and only to a GitTarget's status: another
    status model, or an object of another kind, raises ``UsageError`` rather than being
    reported missing GitTarget's gates.
    """
    contract = _contract_for(obj) if contract is None else contract
    selected = _resolve(select, "select")
    ignored = _resolve(ignore, "ignore") or set()
    view = view_of(obj, generation, "obj")
    before = None if previous is None else view_of(previous, None, "previous")
    checked = Checked(view, before, contract, now)
    violations = []
    for rule in RULES.values():
        wanted = rule.default if selected is None else rule.id in selected
        if not wanted or rule.id in ignored:
            continue
        for message, involved in rule.check(checked):
            violations.append(Violation(rule.id, rule.name, message, tuple(involved)))
    return violations


def _contract_for(obj: object) -> StatusContract:
    """The default contract, GitTarget's, for a GitTarget's status (or plain status JSON)."""
    kind = obj.get("kind") if isinstance(obj, Mapping) else None
    foreign = kind not in (None, "GitTarget")
    if isinstance(obj, BaseModel) and not isinstance(obj, GitTargetStatus):
        foreign, kind = True, type(obj).__name__
    if foreign:
        raise UsageError(
            f"check_status: no contract given for a {kind}; pass "
            "contract=StatusContract.for_pipeline(pipeline) (the default is GitTarget's)"
        )
    return GITTARGET_CONTRACT


def assert_status_contract(
    obj: object,
    *,
    generation: int | None = None,
    previous: object | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    contract: StatusContract | None = None,
    now: datetime | None = None,
) -> None:
    """Raise ``AssertionError`` naming every broken rule (see
    [`check_status`][gittarget_status.testing.check_status])."""
    violations = check_status(
        obj,
        generation=generation,
        previous=previous,
        select=select,
        ignore=ignore,
        contract=contract,
        now=now,
    )
    if violations:
        raise AssertionError(format_violations(violations, obj=obj))
