"""Status-contract invariants your tests call on every status your controller writes.

Importable without hypothesis. Each rule has a stable id (``GTS001``...) and a kebab-case
name; select or ignore rules by either. The rules cover the Flux status checker
(fluxcd/pkg ``runtime/conditions/check``, ids in :attr:`Rule.source`), the metav1 rules the
API server enforces, and this library's own contract (Ready from the required gates, phase
from the conditions, observedGeneration after a pass, nothing foreign dropped)::

    from gittarget_status.testing import assert_status_contract

    outcome = reconcile_gittarget(spec, old, ports, generation=3, now=now)
    assert_status_contract(outcome.status, generation=3, previous=old)

A status is checked as JSON (``status.to_k8s()``, a status dict, or a whole object with
``metadata.generation`` and ``status``), so duplicates and invalid conditions that a parse
would hide are seen too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from pydantic import BaseModel

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._common import READY, RECONCILING, STALLED
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.conditions._time import parse_kube_time
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._lifecycle import gittarget_pipeline
from gittarget_status.gittarget._phase import derive_phase
from gittarget_status.gittarget._reasons import TERMINAL_REASONS

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

_TRUE = ConditionStatus.TRUE.value
_FALSE = ConditionStatus.FALSE.value


@dataclass(frozen=True, slots=True)
class StatusContract:
    """What a controller promises about its status; the rules are checked against it.

    ``gates`` in evaluation order (each ``(type, required, blocking)``), ``ready_reasons``
    maps a gate to Ready's reason when it is the first failing required gate, ``phase`` is
    the pure phase function (None: no phase rule), ``terminal_reasons`` are gate reasons
    that stall progress, ``kstatus`` says whether Reconciling/Stalled are maintained.
    Build one for your own pipeline with :meth:`for_pipeline`.
    """

    gates: tuple[tuple[str, bool, bool], ...]
    ready_reasons: Mapping[str, str] = field(default_factory=dict)
    phase: Callable[[Sequence[Condition]], Any] | None = None
    terminal_reasons: frozenset[str] = frozenset()
    kstatus: bool = True

    @property
    def gate_types(self) -> tuple[str, ...]:
        return tuple(type_ for type_, _, _ in self.gates)

    @property
    def required_gates(self) -> tuple[str, ...]:
        return tuple(type_ for type_, required, _ in self.gates if required)

    @property
    def owned_types(self) -> frozenset[str]:
        """Every type the controller writes; all others are foreign and must survive."""
        summary = {READY, RECONCILING, STALLED} if self.kstatus else {READY}
        return frozenset(self.gate_types) | summary

    @classmethod
    def for_pipeline(
        cls,
        pipeline: GatePipeline[Any],
        *,
        phase: Callable[[Sequence[Condition]], Any] | None = None,
        terminal_reasons: Iterable[str] = (),
    ) -> StatusContract:
        """The contract of a :class:`~gittarget_status.GatePipeline`.

        Pass the pipeline's ``phase`` function (for GTS018) and the reasons your gates
        fail with ``terminal=True`` (GTS021 checks Stalled against them).
        """
        return cls(
            gates=tuple((g.type, g.required, g.blocking) for g in pipeline.gates),
            ready_reasons={g.type: g.ready_reason for g in pipeline.gates},
            phase=phase,
            terminal_reasons=frozenset(terminal_reasons),
            kstatus=RECONCILING in pipeline.owned_types,
        )


#: The GitTarget lifecycle's contract (five required, blocking gates; ``derive_phase``).
GITTARGET_CONTRACT: Final = StatusContract.for_pipeline(
    gittarget_pipeline(), phase=derive_phase, terminal_reasons=TERMINAL_REASONS
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which, why, and the conditions involved (as JSON)."""

    rule: str
    name: str
    message: str
    conditions: tuple[Mapping[str, Any], ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.rule} {self.name}: {self.message}"]
        lines += [f"    {_render(raw)}" for raw in self.conditions]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _View:
    """The status as JSON, plus each condition parsed (None where it is invalid)."""

    raw: Mapping[str, Any]
    conditions: tuple[Mapping[str, Any], ...]
    parsed: tuple[Condition | None, ...]
    generation: int | None

    def first(self, type_: str) -> Condition | None:
        return next((c for c in self.parsed if c is not None and c.type == type_), None)

    def raw_of(self, type_: str) -> Mapping[str, Any]:
        return next((c for c in self.conditions if c.get("type") == type_), {"type": type_})

    def valid(self) -> list[Condition]:
        seen: set[str] = set()
        kept = []
        for condition in self.parsed:
            if condition is not None and condition.type not in seen:
                seen.add(condition.type)
                kept.append(condition)
        return kept

    def is_(self, type_: str, status: str) -> bool:
        found = self.first(type_)
        return found is not None and found.status.value == status


@dataclass(frozen=True, slots=True)
class _Checked:
    view: _View
    previous: _View | None
    contract: StatusContract
    now: datetime | None = None


_Check = Callable[[_Checked], Iterable[tuple[str, Sequence[Mapping[str, Any]]]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named invariant. ``default`` rules run unless ignored; others only when selected."""

    id: str
    name: str
    summary: str
    source: str
    default: bool
    check: _Check = field(repr=False, compare=False)


def _og(raw: Mapping[str, Any]) -> int | None:
    value = raw.get("observedGeneration")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- the rules -----------------------------------------------------------------------


def _unique_types(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    by_type: dict[object, list[Mapping[str, Any]]] = {}
    for raw in c.view.conditions:
        by_type.setdefault(_hashable(raw.get("type")), []).append(raw)
    for type_, entries in by_type.items():
        if len(entries) > 1:
            yield f"{len(entries)} conditions of type {type_!r} (the list is a map)", entries


def _metav1_valid(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    for index, raw in enumerate(c.view.conditions):
        try:
            Condition.from_k8s(raw)
        except StatusValidationError as exc:
            problems = "; ".join(str(error) for error in exc.errors)
            yield f"conditions[{index}] is not a valid metav1.Condition: {problems}", [raw]
            continue
        if raw.get("lastTransitionTime") is None:
            yield f"conditions[{index}] has no lastTransitionTime (the API requires it)", [raw]


def _ready_present(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    if c.view.first(READY) is None:
        yield "Ready condition must always be present", list(c.view.conditions)


def _not_ready_while(type_: str) -> _Check:
    def check(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
        ready = c.view.first(READY)
        if c.view.is_(type_, _TRUE) and ready is not None and ready.status.value != _FALSE:
            message = f"Ready must be False while {type_} is True"
            yield message, [c.view.raw_of(READY), c.view.raw_of(type_)]

    return check


def _not_both_true(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    if c.view.is_(RECONCILING, _TRUE) and c.view.is_(STALLED, _TRUE):
        yield (
            "Reconciling and Stalled must never both be True",
            [
                c.view.raw_of(RECONCILING),
                c.view.raw_of(STALLED),
            ],
        )


def _not_both_present(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    if c.view.first(RECONCILING) is not None and c.view.first(STALLED) is not None:
        yield (
            "only one of Reconciling and Stalled may be present at a time",
            [
                c.view.raw_of(RECONCILING),
                c.view.raw_of(STALLED),
            ],
        )


def _not_ahead(c: _Checked) -> Iterable[tuple[str, Sequence[Mapping[str, Any]]]]:
    generation = c.view.generation
    if generation is None:
        return
    root = _og(c.view.raw)
    if root is not None and root > generation:
        yield f"status.observedGeneration {root} is above metadata.generation {generation}", []
    owned = c.contract.owned_types
    ahead = [
        raw
        for raw in c.view.conditions
        if raw.get("type") in owned and (_og(raw) or 0) > generation
    ]
    if ahead:
        yield f"conditions observed a generation above metadata.generation {generation}", ahead


def _ready_not_true_when_root_behind(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    generation = c.view.generation
    root = _og(c.view.raw)
    if generation is None or not c.view.is_(READY, _TRUE):
        return
    if root is None or root < generation:
        yield (
            f"Ready is True but status.observedGeneration {root} is behind "
            f"metadata.generation {generation}",
            [c.view.raw_of(READY)],
        )


def _ready_not_true_when_condition_behind(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    generation = c.view.generation
    if generation is None or not c.view.is_(READY, _TRUE):
        return
    owned = c.contract.owned_types
    behind = [
        raw
        for raw in c.view.conditions
        if raw.get("type") in owned and (_og(raw) or 0) < generation
    ]
    if behind:
        yield f"Ready is True but conditions are behind generation {generation}", behind


def _conditions_match_root(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    if not c.view.is_(READY, _TRUE):
        return
    root = _og(c.view.raw)
    owned = c.contract.owned_types
    off = [raw for raw in c.view.conditions if raw.get("type") in owned and _og(raw) != root]
    if off:
        yield f"Ready is True but conditions' observedGeneration differs from {root}", off


def _reconciling_ahead_of_root(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    reconciling = c.view.first(RECONCILING)
    if reconciling is None or reconciling.status is not ConditionStatus.TRUE:
        return
    root = _og(c.view.raw) or 0
    if root >= (reconciling.observed_generation or 0):
        yield (
            f"Reconciling is True but status.observedGeneration {root} is not below "
            f"its observedGeneration",
            [c.view.raw_of(RECONCILING)],
        )


def _kstatus_absent_when_false(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    for type_ in (RECONCILING, STALLED):
        if c.view.is_(type_, _FALSE):
            yield f"{type_} is False; remove it instead", [c.view.raw_of(type_)]


def _owned_have_generation(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    owned = c.contract.owned_types
    missing = [raw for raw in c.view.conditions if raw.get("type") in owned and _og(raw) is None]
    if missing:
        yield "conditions without observedGeneration", missing


def _negative_polarity(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    if not c.view.is_(READY, _TRUE):
        return
    negative = [c.view.raw_of(t) for t in (RECONCILING, STALLED) if c.view.is_(t, _TRUE)]
    if negative:
        yield "negative-polarity conditions are True while Ready is True", negative


def _gates_present(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    missing = [t for t in c.contract.gate_types if c.view.first(t) is None]
    if missing and c.view.first(READY) is not None:
        yield f"gate conditions missing: {', '.join(missing)}", []


def _ready_matches_gates(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    ready = c.view.first(READY)
    if ready is None:
        return
    failing = [t for t in c.contract.required_gates if not c.view.is_(t, _TRUE)]
    involved = [c.view.raw_of(READY), *(c.view.raw_of(t) for t in failing)]
    if ready.status is ConditionStatus.TRUE and failing:
        yield f"Ready is True but required gates are not: {', '.join(failing)}", involved
    elif ready.status is not ConditionStatus.TRUE and not failing:
        yield (
            f"every required gate is True but Ready is {ready.status.value}",
            [c.view.raw_of(READY)],
        )
    elif failing and ready.status is ConditionStatus.FALSE:
        expected = c.contract.ready_reasons.get(failing[0])
        if expected is not None and ready.reason != expected:
            yield (
                f"Ready's reason is {ready.reason!r} but the first failing required gate "
                f"{failing[0]} gives {expected!r}",
                involved[:2],
            )
    elif failing and ready.status is ConditionStatus.UNKNOWN:
        yield "Ready is Unknown; the summary is always True or False", involved[:1]


def _phase_derived(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    phase_of = c.contract.phase
    if phase_of is None or "phase" not in c.view.raw:
        return
    expected = phase_of(c.view.valid())
    expected_value = getattr(expected, "value", expected)
    actual = c.view.raw.get("phase")
    if actual != expected_value:
        yield (
            f"phase is {actual!r} but the conditions give {expected_value!r}",
            [c.view.raw_of(t) for t in (READY, *c.contract.gate_types)],
        )


def _generation_current(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    generation = c.view.generation
    if generation is None:
        return
    root = _og(c.view.raw)
    if root != generation:
        yield f"status.observedGeneration is {root}, not the generation {generation}", []
    owned = c.contract.owned_types
    stale = [
        raw for raw in c.view.conditions if raw.get("type") in owned and _og(raw) != generation
    ]
    if stale:
        yield f"owned conditions not written for generation {generation}", stale


def _no_true_after_blocker(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
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


def _kstatus_consistent(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    if not c.contract.kstatus or c.view.first(READY) is None:
        return
    ready = c.view.is_(READY, _TRUE)
    terminal = [
        c.view.raw_of(t)
        for t in c.contract.gate_types
        if (g := c.view.first(t)) is not None
        and g.status is ConditionStatus.FALSE
        and g.reason in c.contract.terminal_reasons
    ]
    stalled = c.view.is_(STALLED, _TRUE)
    reconciling = c.view.is_(RECONCILING, _TRUE)
    if ready and (stalled or reconciling):
        return  # reported by the Flux rules
    if not ready and terminal and not stalled:
        yield "a gate failed terminally but Stalled is not True", [*terminal]
    if stalled and not terminal:
        yield "Stalled is True but no gate failed terminally", [c.view.raw_of(STALLED)]
    if not ready and not stalled and not reconciling:
        yield (
            "Ready is not True, nothing stalled, yet Reconciling is not True",
            [
                c.view.raw_of(READY),
                c.view.raw_of(RECONCILING),
            ],
        )


def _ltt_iff_status(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
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


def _nothing_foreign_dropped(c: _Checked) -> Iterable[tuple[str, Sequence[Any]]]:
    if c.previous is None:
        return
    owned = c.contract.owned_types
    for old in _first_per_type(c.previous.conditions):
        type_ = old.get("type")
        new = next((raw for raw in c.view.conditions if raw.get("type") == type_), None)
        if type_ not in owned:
            if new is None:
                yield f"foreign condition {type_!r} was dropped", [old]
            elif dict(new) != dict(old):
                yield f"foreign condition {type_!r} was changed", [old, new]
            continue
        if new is None:
            continue
        lost = {k: v for k, v in old.items() if k not in _CONDITION_KEYS and new.get(k) != v}
        if lost:
            yield f"{type_}: unknown fields {sorted(lost)} were dropped or changed", [old, new]
    known = _STATUS_KEYS
    lost_fields = sorted(
        key
        for key, value in c.previous.raw.items()
        if key not in known and c.view.raw.get(key) != value
    )
    if lost_fields:
        yield f"unknown status fields {lost_fields} were dropped or changed", []


_CONDITION_KEYS = frozenset(
    {"type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"}
)
_STATUS_KEYS = frozenset(
    {
        "observedGeneration",
        "phase",
        "conditions",
        "lastReconcileTime",
        "workerRef",
        "encryption",
        "bootstrap",
        "snapshot",
        "stream",
    }
)


def _first_per_type(conditions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: set[object] = set()
    kept = []
    for raw in conditions:
        key = _hashable(raw.get("type"))
        if key not in seen:
            seen.add(key)
            kept.append(raw)
    return kept


def _rule(
    id: str, name: str, summary: str, check: _Check, *, source: str = "", default: bool = True
) -> Rule:
    return Rule(id, name, summary, source or "gittarget-status", default, check)


#: Every rule, by id. Flux's ids are in ``source`` (``fluxcd/pkg check FAIL0002``).
RULES: Final[Mapping[str, Rule]] = {
    r.id: r
    for r in (
        _rule("GTS001", "unique-types", "no two conditions share a type", _unique_types),
        _rule(
            "GTS002",
            "metav1-valid",
            "every condition is a valid metav1.Condition with a lastTransitionTime",
            _metav1_valid,
        ),
        _rule(
            "GTS003",
            "ready-present",
            "the Ready condition is present",
            _ready_present,
            source="fluxcd/pkg check FAIL0002",
        ),
        _rule(
            "GTS004",
            "ready-false-while-reconciling",
            "Ready is False while Reconciling is True",
            _not_ready_while(RECONCILING),
            source="fluxcd/pkg check FAIL0003",
        ),
        _rule(
            "GTS005",
            "ready-false-while-stalled",
            "Ready is False while Stalled is True",
            _not_ready_while(STALLED),
            source="fluxcd/pkg check FAIL0004",
        ),
        _rule(
            "GTS006",
            "reconciling-stalled-exclusive",
            "Reconciling and Stalled are never both True",
            _not_both_true,
            source="kstatus",
        ),
        _rule(
            "GTS007",
            "reconciling-stalled-not-both-present",
            "Reconciling and Stalled are never both present (off with kstatus_present)",
            _not_both_present,
            source="fluxcd/pkg check FAIL0005",
        ),
        _rule(
            "GTS008",
            "observed-generation-not-ahead",
            "no observedGeneration (status, owned conditions) above metadata.generation",
            _not_ahead,
            source="fluxcd/pkg check FAIL0006",
        ),
        _rule(
            "GTS009",
            "ready-not-true-when-status-behind",
            "Ready is not True while status.observedGeneration is behind",
            _ready_not_true_when_root_behind,
            source="fluxcd/pkg check FAIL0007",
        ),
        _rule(
            "GTS010",
            "ready-not-true-when-condition-behind",
            "Ready is not True while an owned condition's observedGeneration is behind",
            _ready_not_true_when_condition_behind,
            source="fluxcd/pkg check FAIL0008",
        ),
        _rule(
            "GTS011",
            "conditions-match-status-generation",
            "when Ready is True, owned conditions carry status.observedGeneration",
            _conditions_match_root,
            source="fluxcd/pkg check FAIL0009",
        ),
        _rule(
            "GTS012",
            "reconciling-generation-ahead",
            "Reconciling=True has an observedGeneration above status.observedGeneration "
            "(Flux's strategy; off here: this library records observedGeneration after "
            "every pass)",
            _reconciling_ahead_of_root,
            source="fluxcd/pkg check FAIL0010",
            default=False,
        ),
        _rule(
            "GTS013",
            "negative-polarity-false-when-ready",
            "no negative-polarity condition (Reconciling, Stalled) is True while Ready is",
            _negative_polarity,
            source="fluxcd/pkg check FAIL0001",
        ),
        _rule(
            "GTS014",
            "kstatus-removed-when-false",
            "Reconciling/Stalled are removed rather than False (a warning in Flux)",
            _kstatus_absent_when_false,
            source="fluxcd/pkg check WARN0003/WARN0004",
            default=False,
        ),
        _rule(
            "GTS015",
            "owned-conditions-have-generation",
            "every owned condition carries an observedGeneration",
            _owned_have_generation,
            source="fluxcd/pkg check WARN0005",
        ),
        _rule(
            "GTS016",
            "gates-present",
            "every gate condition is present once Ready is written",
            _gates_present,
        ),
        _rule(
            "GTS017",
            "ready-matches-gates",
            "Ready is True iff every required gate is True; else False with the first "
            "failing gate's reason",
            _ready_matches_gates,
        ),
        _rule(
            "GTS018",
            "phase-derived",
            "status.phase equals the phase function of the conditions",
            _phase_derived,
        ),
        _rule(
            "GTS019",
            "observed-generation-current",
            "after a pass, status and every owned condition observed the generation",
            _generation_current,
        ),
        _rule(
            "GTS020",
            "no-verdict-after-blocker",
            "gates after a blocking gate that is not True are Unknown (never stale)",
            _no_true_after_blocker,
        ),
        _rule(
            "GTS021",
            "kstatus-consistent",
            "Stalled iff a gate failed terminally; otherwise Reconciling until Ready",
            _kstatus_consistent,
        ),
        _rule(
            "GTS022",
            "ltt-moves-iff-status-moves",
            "lastTransitionTime moves iff status moves (needs previous)",
            _ltt_iff_status,
        ),
        _rule(
            "GTS023",
            "nothing-foreign-dropped",
            "foreign conditions and unknown fields survive unchanged (needs previous)",
            _nothing_foreign_dropped,
        ),
    )
}

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


_CAMEL: Final = {"observed_generation": "observedGeneration"}


def _view(obj: object, generation: int | None, what: str) -> _View:
    raw: Mapping[str, Any]
    to_k8s = getattr(obj, "to_k8s", None)
    if callable(to_k8s):
        raw = to_k8s()
    elif isinstance(obj, BaseModel):  # your own status model: JSON names, unset omitted
        raw = obj.model_dump(mode="json", by_alias=True, exclude_none=True)
        raw = {_CAMEL.get(key, key): value for key, value in raw.items()}
    elif isinstance(obj, Mapping):
        raw = obj
        if "status" in obj and ("metadata" in obj or "kind" in obj):
            metadata = obj.get("metadata")
            if generation is None and isinstance(metadata, Mapping):
                found = metadata.get("generation")
                generation = found if isinstance(found, int) else None
            status = obj.get("status")
            raw = status if isinstance(status, Mapping) else {}
    else:
        raise TypeError(
            f"{what}: expected a status model, a status dict or an object dict, "
            f"got {type(obj).__name__}"
        )
    listed = raw.get("conditions")
    conditions = tuple(
        c if isinstance(c, Mapping) else {"type": None, "value": c}
        for c in (listed if isinstance(listed, list) else [])
    )
    parsed = tuple(_parse(c) for c in conditions)
    return _View(raw, conditions, parsed, generation)


def _parse(raw: Mapping[str, Any]) -> Condition | None:
    try:
        return Condition.from_k8s(raw)
    except StatusValidationError:
        return None


def check_status(
    obj: object,
    *,
    generation: int | None = None,
    previous: object | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    contract: StatusContract = GITTARGET_CONTRACT,
    now: datetime | None = None,
) -> list[Violation]:
    """Every rule ``obj`` breaks (empty when the status keeps the contract).

    ``obj`` is a status model (anything with ``to_k8s()``), a status dict, or a whole
    object dict (``generation`` then defaults to ``metadata.generation``). ``generation``
    enables the observedGeneration rules; ``previous`` (the status before the pass)
    enables the transition rules; with ``now`` (the pass's clock) a condition whose
    status moved must carry exactly that lastTransitionTime. ``select`` runs only the
    named rules (ids or names, default rules or not); ``ignore`` skips some.
    """
    selected = _resolve(select, "select")
    ignored = _resolve(ignore, "ignore") or set()
    view = _view(obj, generation, "obj")
    before = None if previous is None else _view(previous, None, "previous")
    checked = _Checked(view, before, contract, now)
    violations = []
    for rule in RULES.values():
        wanted = rule.default if selected is None else rule.id in selected
        if not wanted or rule.id in ignored:
            continue
        for message, involved in rule.check(checked):
            violations.append(Violation(rule.id, rule.name, message, tuple(involved)))
    return violations


def format_violations(violations: Sequence[Violation], *, obj: object | None = None) -> str:
    """A readable report: each rule broken, the conditions involved, then the conditions."""
    head = f"status contract broken ({len(violations)} violation(s)):"
    body = "\n".join(f"  {violation}".replace("\n", "\n  ") for violation in violations)
    text = f"{head}\n{body}"
    if obj is not None:
        view = _view(obj, None, "obj")
        listing = "\n".join(f"    {_render(raw)}" for raw in view.conditions) or "    (none)"
        text += f"\n  all conditions:\n{listing}"
    return text


def assert_status_contract(
    obj: object,
    *,
    generation: int | None = None,
    previous: object | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    contract: StatusContract = GITTARGET_CONTRACT,
    now: datetime | None = None,
) -> None:
    """Raise ``AssertionError`` naming every broken rule (see :func:`check_status`)."""
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


def _render(raw: Mapping[str, Any]) -> str:
    """``Ready=False reason=X gen=3 ltt=... message='...'`` for one raw condition."""
    if set(raw) == {"type"}:
        return f"{raw['type']}: (absent)"
    status = raw.get("status")
    parts = [f"{raw.get('type')}={status}", f"reason={raw.get('reason')}"]
    if "observedGeneration" in raw:
        parts.append(f"gen={raw['observedGeneration']}")
    if "lastTransitionTime" in raw:
        parts.append(f"ltt={raw['lastTransitionTime']}")
    message = raw.get("message")
    if message:
        text = str(message)
        parts.append(f"message={text[:60]!r}" + ("..." if len(text) > 60 else ""))
    extra = {k: v for k, v in raw.items() if k not in _CONDITION_KEYS}
    if extra:
        parts.append(f"extra={_short_json(extra)}")
    return " ".join(parts)


def _short_json(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return _short_json(value)
    return value
