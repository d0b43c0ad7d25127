"""GTS016-GTS025: this library's own contract, beyond what metav1 and Flux check.

Every gate present, Ready summarising the required gates, the phase derived from the
conditions, observedGeneration written after a pass, no stale verdict behind a blocking
gate, kstatus consistent with terminal failures, and (given the status before the pass)
lastTransitionTime moving with status, nothing foreign dropped, foreign conditions kept
byte for byte; owned conditions always in the strict form this library writes.

Ten rules and their table, a little over 300 lines: split, the ids would no longer read
in order in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Final

from gittarget_status.conditions._common import RECONCILING, STALLED, CommonReason
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._time import parse_kube_time
from gittarget_status.gates._summary import not_evaluated
from gittarget_status.gittarget._status import GitTargetStatus
from gittarget_status.gittarget._types import GATE_ORDER
from gittarget_status.testing.invariants._rule import Checked, Finding, Rule, rule
from gittarget_status.testing.invariants._view import (
    TRUE,
    first_per_type,
    hashable,
    observed_generation,
)

__all__ = ["LIFECYCLE_RULES"]

#: The GitTarget status fields: what a plain-JSON status checked against the GitTarget
#: contract declares (a status model declares its own fields).
_GITTARGET_KEYS: Final = frozenset(
    field.alias or name for name, field in GitTargetStatus.model_fields.items()
)


_GITTARGET_GATES: Final = tuple(t.value for t in GATE_ORDER)


def _declared(c: Checked) -> frozenset[str] | None:
    """The status fields the checked model declares; None when that cannot be known."""
    for view in (c.view, c.previous):
        if view is not None and view.declared is not None:
            return view.declared
    return _GITTARGET_KEYS if c.contract.gate_types == _GITTARGET_GATES else None


def _gates_present(c: Checked) -> Iterable[Finding]:
    missing = [t for t in c.contract.gate_types if c.view.first(t) is None]
    if missing and c.view.first(c.contract.ready_type) is not None:
        yield f"gate conditions missing: {', '.join(missing)}", []


def _ready_matches_gates(c: Checked) -> Iterable[Finding]:
    ready = c.view.first(c.contract.ready_type)
    if ready is None:
        return
    failing = [t for t in c.contract.required_gates if not c.view.is_(t, TRUE)]
    involved = [c.view.raw_of(c.contract.ready_type), *(c.view.raw_of(t) for t in failing)]
    if ready.status is ConditionStatus.TRUE and failing:
        yield f"Ready is True but required gates are not: {', '.join(failing)}", involved
    elif ready.status is not ConditionStatus.TRUE and not failing:
        yield (
            f"every required gate is True but Ready is {ready.status.value}",
            [c.view.raw_of(c.contract.ready_type)],
        )
    elif failing and ready.status is ConditionStatus.FALSE:
        expected = c.contract.ready_reasons.get(failing[0])
        if not_evaluated(c.view.first(failing[0])):
            expected = CommonReason.NOT_CHECKED  # a new object: nothing failed yet
        if expected is not None and ready.reason != expected:
            yield (
                f"Ready's reason is {ready.reason!r} but the first failing required gate "
                f"{failing[0]} gives {expected!r}",
                involved[:2],
            )
    elif failing and ready.status is ConditionStatus.UNKNOWN:
        yield "Ready is Unknown; the summary is always True or False", involved[:1]


def _phase_derived(c: Checked) -> Iterable[Finding]:
    phase_of = c.contract.phase
    if phase_of is None or "phase" not in c.view.raw:
        return
    expected = phase_of(c.view.valid())
    expected_value = getattr(expected, "value", expected)
    actual = c.view.raw.get("phase")
    if actual != expected_value:
        yield (
            f"phase is {actual!r} but the conditions give {expected_value!r}",
            [c.view.raw_of(t) for t in (c.contract.ready_type, *c.contract.gate_types)],
        )


def _generation_current(c: Checked) -> Iterable[Finding]:
    generation = c.view.generation
    if generation is None or c.suspended:
        return  # suspended: the verdict kept is an older generation's, and says so
    root = observed_generation(c.view.raw)
    if root != generation:
        yield f"status.observedGeneration is {root}, not the generation {generation}", []
    stale = c.owned_where(lambda observed: observed != generation)
    if stale:
        yield f"owned conditions not written for generation {generation}", stale


def _no_true_after_blocker(c: Checked) -> Iterable[Finding]:
    blocker: str | None = None
    for type_, _, blocking in c.contract.gates:
        found = c.view.first(type_)
        if blocker is not None:
            if found is not None and found.status is not ConditionStatus.UNKNOWN:
                yield (
                    f"{type_} is {found.status.value} although {blocker} blocks it "
                    "(expected Unknown, never a stale verdict)",
                    [c.view.raw_of(blocker), c.view.raw_of(type_)],
                )
            continue
        if blocking and (found is None or found.status is not ConditionStatus.TRUE):
            blocker = type_


def _kstatus_consistent(c: Checked) -> Iterable[Finding]:
    if not c.contract.kstatus or c.view.first(c.contract.ready_type) is None:
        return
    ready = c.view.is_(c.contract.ready_type, TRUE)
    terminal = [
        c.view.raw_of(t)
        for t in c.contract.gate_types
        if (g := c.view.first(t)) is not None
        and g.status is ConditionStatus.FALSE
        and g.reason in c.contract.terminal_reasons
    ]
    stalled = c.view.is_(STALLED, TRUE)
    reconciling = c.view.is_(RECONCILING, TRUE)
    if ready and (stalled or reconciling):
        return  # reported by the Flux rules
    if not ready and terminal and not stalled:
        yield "a gate failed terminally but Stalled is not True", [*terminal]
    if stalled and not terminal:
        yield "Stalled is True but no gate failed terminally", [c.view.raw_of(STALLED)]
    if not ready and not stalled and not reconciling:
        yield (
            "Ready is not True, nothing stalled, yet Reconciling is not True",
            [c.view.raw_of(c.contract.ready_type), c.view.raw_of(RECONCILING)],
        )


def _ltt_iff_status(c: Checked) -> Iterable[Finding]:
    if c.previous is None:
        return
    for now in c.view.valid():
        before = c.previous.first(now.type)
        if before is None:
            continue
        moved = now.last_transition_time != before.last_transition_time
        old_raw, new_raw = c.previous.raw_of(now.type), c.view.raw_of(now.type)
        if now.status is before.status and moved:
            yield (
                f"{now.type}: lastTransitionTime moved but status stayed {now.status.value}",
                [old_raw, new_raw],
            )
        elif now.status is not before.status:
            problem = _transition_time_problem(now, before, c.now)
            if problem:
                yield (
                    f"{now.type}: status moved {before.status.value} -> {now.status.value} "
                    f"but {problem}",
                    [old_raw, new_raw],
                )


def _transition_time_problem(
    now: Condition, before: Condition, clock: datetime | None
) -> str | None:
    moment, previous = now.last_transition_time, before.last_transition_time
    if moment is None:
        return "lastTransitionTime is unset"
    if clock is not None:
        expected = parse_kube_time(clock)
        return (
            None if moment == expected else f"lastTransitionTime is not the pass's now {expected}"
        )
    if previous is not None and moment < previous:
        return "lastTransitionTime went back in time (pass now= if the clock may go back)"
    return None


def _nothing_foreign_dropped(c: Checked) -> Iterable[Finding]:
    if c.previous is None:
        return
    owned = c.contract.owned_types
    for old in first_per_type(c.previous.conditions):
        type_ = old.get("type")
        new = next((raw for raw in c.view.conditions if raw.get("type") == type_), None)
        # An owned condition's unknown fields are not kept: the strict form has none (GTS025).
        if hashable(type_) in owned:
            continue
        if new is None:
            yield f"foreign condition {type_!r} was dropped", [old]
        elif dict(new) != dict(old):
            yield f"foreign condition {type_!r} was changed", [old, new]
    declared = _declared(c)
    if declared is None:  # plain JSON for another resource: its own fields are unknown here
        return
    lost_fields = sorted(
        key
        for key, value in c.previous.raw.items()
        if key not in declared and c.view.raw.get(key) != value
    )
    if lost_fields:
        yield f"unknown status fields {lost_fields} were dropped or changed", []


def _foreign_byte_for_byte(c: Checked) -> Iterable[Finding]:
    if c.previous is None:
        return
    owned = c.contract.owned_types
    # Keyed by hashable(type): a raw type may be a list or a dict (invalid, still compared).
    before = {hashable(raw.get("type")): raw for raw in first_per_type(c.previous.conditions)}
    for new in c.view.conditions:
        type_ = new.get("type")
        old = before.get(hashable(type_))
        if hashable(type_) in owned or old is None:
            continue
        # Same keys, same order, same value types, same timestamp string: same bytes.
        if json.dumps(new, ensure_ascii=False) != json.dumps(old, ensure_ascii=False):
            yield f"foreign condition {type_!r} was not written back byte for byte", [old, new]


def _owned_strict(c: Checked) -> Iterable[Finding]:
    owned = c.contract.owned_types
    for index, raw in enumerate(c.view.conditions):
        if hashable(raw.get("type")) not in owned:
            continue
        try:
            problem = Condition.from_k8s(raw).strict_problem
        except ValueError:
            continue  # GTS002 reports it
        if problem is not None:
            yield f"owned conditions[{index}] is not in the strict form: {problem}", [raw]


#: GTS016-GTS025, in id order.
LIFECYCLE_RULES: tuple[Rule, ...] = (
    rule(
        "GTS016",
        "gates-present",
        "every gate condition is present once Ready is written",
        _gates_present,
    ),
    rule(
        "GTS017",
        "ready-matches-gates",
        "Ready is True iff every required gate is True; else False with the first "
        "failing gate's reason (NotChecked while that gate was never evaluated)",
        _ready_matches_gates,
    ),
    rule(
        "GTS018",
        "phase-derived",
        "status.phase equals the phase function of the conditions",
        _phase_derived,
    ),
    rule(
        "GTS019",
        "observed-generation-current",
        "after a pass, status and every owned condition observed the generation "
        "(unless Suspended=True for it: then the kept verdict is older)",
        _generation_current,
    ),
    rule(
        "GTS020",
        "no-verdict-after-blocker",
        "gates after a blocking gate that is not True are Unknown (never stale)",
        _no_true_after_blocker,
    ),
    rule(
        "GTS021",
        "kstatus-consistent",
        "Stalled iff a gate failed terminally; otherwise Reconciling until Ready",
        _kstatus_consistent,
    ),
    rule(
        "GTS022",
        "ltt-moves-iff-status-moves",
        "lastTransitionTime moves iff status moves (needs previous)",
        _ltt_iff_status,
    ),
    rule(
        "GTS023",
        "nothing-foreign-dropped",
        "foreign conditions and unknown status fields survive unchanged (needs previous)",
        _nothing_foreign_dropped,
    ),
    rule(
        "GTS024",
        "foreign-byte-for-byte",
        "a foreign condition is written back exactly as read: keys, key order, "
        "timestamp string (needs previous)",
        _foreign_byte_for_byte,
    ),
    rule(
        "GTS025",
        "owned-strict",
        "owned conditions obey the strict write rules: Go qualified-name type, message "
        "within 32768 bytes, whole-second UTC lastTransitionTime, only metav1.Condition's "
        "fields",
        _owned_strict,
    ),
)
