"""Status-contract invariants your tests call on every status your controller writes.

Importable without hypothesis. Each rule has a stable id (``GTS001``...) and a kebab-case name;
select or ignore rules by either. The rules cover the Flux status checker (fluxcd/pkg
``runtime/conditions/check``, ids in [`Rule.source`][gittarget_status.testing.Rule.source]), the
metav1 rules the API server enforces, and this library's own contract (Ready from the required
gates, phase from the conditions, observedGeneration after a pass, nothing foreign dropped)::

    from gittarget_status.testing import assert_status_contract

    outcome = reconcile_gittarget(spec, old, ports, generation=3, now=now)
    assert_status_contract(outcome.status, generation=3, previous=old)

A status is checked as JSON (``status.to_k8s()``, a status dict, or a whole object with
``metadata.generation`` and ``status``), so duplicates and invalid conditions that a parse
would hide are seen too.
"""

from gittarget_status.testing.invariants._check import (
    RULES,
    assert_status_contract,
    check_status,
)
from gittarget_status.testing.invariants._contract import GITTARGET_CONTRACT, StatusContract
from gittarget_status.testing.invariants._report import Violation, format_violations
from gittarget_status.testing.invariants._rule import Rule

__all__ = [
    "GITTARGET_CONTRACT",
    "RULES",
    "Rule",
    "StatusContract",
    "Violation",
    "assert_status_contract",
    "check_status",
    "format_violations",
]
