"""Render the GitTarget status contract pages in ``docs/generated/`` from the code.

The pages come from the public names alone: the condition types and
``GATE_ORDER``, the meanings next to them (``CONDITION_MEANINGS``, ``REASON_MEANINGS``,
``COMMON_REASON_MEANINGS``, ``TYPE_REASON_MEANINGS``), the gates of
``gittarget_pipeline()`` (their order, flags, Ready reasons and declared reasons and
terminal reasons) and ``derive_phase`` itself (the phase table is computed by calling it).
``tests/test_contract_docs.py`` checks that the meanings cover every member, that the
lifecycle emits exactly the documented (type, status, reason) triples, and that the
committed pages are what this script renders. It is a development tool, not in the wheel.

Regenerate the committed pages::

    python tools/contract_docs.py docs/generated

One script of about 350 lines: the five pages share the derivations (reason rows, the
statuses the phase table is computed on), and it is a development tool run as a file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Final

from gittarget_status import CommonReason, Condition, ConditionStatus
from gittarget_status.gittarget import (
    COMMON_REASON_MEANINGS,
    CONDITION_MEANINGS,
    GATE_ORDER,
    REASON_MEANINGS,
    TYPE_REASON_MEANINGS,
    ConditionType,
    Phase,
    ReadyReason,
    ReasonMeaning,
    derive_phase,
    gittarget_pipeline,
)

__all__ = [
    "PAGES",
    "REGENERATE",
    "ReasonRow",
    "gate_reason_enums",
    "main",
    "reason_rows",
    "render_all",
    "undocumented",
]

#: The command that rewrites the committed pages (shown when they drift).
REGENERATE: Final = "python tools/contract_docs.py docs/generated"

T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class ReasonRow:
    """One row of the reason table."""

    type: str
    reason: str
    status: ConditionStatus
    terminal: bool
    meaning: str


@cache
def gate_reason_enums() -> Mapping[ConditionType, type[StrEnum]]:
    """The reason enum of each condition type the lifecycle writes itself.

    Derived from the gates' ``reasons=`` declarations (the enum whose members are exactly
    the declared set), and Ready's vocabulary; an undocumented declaration raises.
    """
    enums: dict[ConditionType, type[StrEnum]] = {}
    for gate in gittarget_pipeline().gates:
        (enum,) = (e for e in REASON_MEANINGS if frozenset(e) == gate.declared_reasons)
        enums[ConditionType(gate.type)] = enum
    enums[ConditionType.READY] = ReadyReason
    return enums


def _meaning(type_: ConditionType, reason: str) -> ReasonMeaning:
    return REASON_MEANINGS[gate_reason_enums()[type_]][reason]


def _terminal(type_: ConditionType) -> frozenset[str]:
    """The reasons the gate of ``type_`` declares terminal (none for Ready)."""
    gates = {gate.type: gate for gate in gittarget_pipeline().gates}
    return gates[type_].terminal_reasons if type_ in gates else frozenset()


def _blockable(type_: ConditionType) -> bool:
    """Whether some blocking gate runs before ``type_`` (so it can be ``Blocked``)."""
    gates = gittarget_pipeline().gates
    position = [gate.type for gate in gates].index(type_)
    return any(gate.blocking for gate in gates[:position])


def _row(type_: ConditionType, reason: str, doc: ReasonMeaning, terminal: bool) -> ReasonRow:
    only = " Only with `kstatus_present=True`." if doc.kstatus_present_only else ""
    return ReasonRow(type_, reason, doc.status, terminal, doc.meaning + only)


def reason_rows() -> list[ReasonRow]:
    """Every (condition type, reason) the GitTarget lifecycle can emit, in gate order."""
    rows: list[ReasonRow] = []
    for type_ in (*GATE_ORDER, ConditionType.READY):
        terminal = _terminal(type_)
        for member in gate_reason_enums()[type_]:
            doc = _meaning(type_, member)
            rows.append(_row(type_, member, doc, doc.status is F and member in terminal))
        ready = type_ is ConditionType.READY
        library = TYPE_REASON_MEANINGS[type_] if ready else COMMON_REASON_MEANINGS
        for common, doc_or_none in library.items():
            if doc_or_none is None or (common is CommonReason.BLOCKED and not _blockable(type_)):
                continue
            rows.append(_row(type_, common, doc_or_none, False))
    for common, doc in TYPE_REASON_MEANINGS[ConditionType.RECONCILING].items():
        rows.append(_row(ConditionType.RECONCILING, common, doc, False))
    for gate in GATE_ORDER:  # Stalled=True carries the failing gate's terminal reason
        terminal = _terminal(gate)
        for member in (m for m in gate_reason_enums()[gate] if m in terminal):
            meaning = f"{gate} failed terminally with {member}; fix the spec."
            rows.append(ReasonRow(ConditionType.STALLED, member, T, False, meaning))
    for type_ in (ConditionType.STALLED, ConditionType.SUSPENDED):
        for common, doc in TYPE_REASON_MEANINGS[type_].items():
            rows.append(_row(type_, common, doc, False))
    return rows


def undocumented() -> list[str]:
    """Enum members without documentation (the contract test requires none)."""
    missing = [f"meaning of {t}" for t in ConditionType if t not in CONDITION_MEANINGS]
    for enum, meanings in REASON_MEANINGS.items():
        missing += [f"{enum.__name__}.{m.name}" for m in enum if m not in meanings]
    missing += [f"CommonReason.{m.name}" for m in CommonReason if m not in COMMON_REASON_MEANINGS]
    return missing


# ----------------------------------------------------------------------------- rendering


def _code(text: str) -> str:
    return f"`{text}`"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


_HEADER = "<!-- Generated by `{cmd}`; do not edit. -->\n\n"


def _role(type_: ConditionType) -> str:
    gates = {gate.type: gate for gate in gittarget_pipeline().gates}
    if type_ in gates:
        gate = gates[type_]
        flags = [f for f, on in (("blocking", gate.blocking), ("required", gate.required)) if on]
        return f"gate {GATE_ORDER.index(type_) + 1} of {len(GATE_ORDER)} ({', '.join(flags)})"
    if type_ is ConditionType.READY:
        return "summary"
    if type_ is ConditionType.SUSPENDED:
        return "suspend switch (`spec.suspend`)"
    return "kstatus (optional, on by default)"


def render_conditions() -> str:
    """The condition-type table: role and what True/False/Unknown mean."""
    order = [*GATE_ORDER, *(t for t in ConditionType if t not in GATE_ORDER)]
    rows = [
        [
            _code(t),
            _role(t),
            CONDITION_MEANINGS[t].true,
            CONDITION_MEANINGS[t].false,
            CONDITION_MEANINGS[t].unknown,
        ]
        for t in order
    ]
    return _table(["Type", "Role", "True", "False", "Unknown"], rows)


def render_reasons() -> str:
    """Every reason, per condition type, with its status and whether it is terminal."""
    rows = [
        [
            _code(r.type),
            _code(r.reason),
            _code(r.status.value),
            "**yes**" if r.terminal else "no",
            r.meaning,
        ]
        for r in reason_rows()
    ]
    return _table(["Condition", "Reason", "Status", "Terminal", "Meaning"], rows)


def render_ready() -> str:
    """The Ready rule, from the pipeline's gates and their Ready reasons."""
    gates = gittarget_pipeline().gates
    required = " and ".join(f"`{g.type}=True`" for g in gates if g.required)
    rows = [
        [str(i), _code(g.type), _code(g.ready_reason), "yes" if g.blocking else "no"]
        for i, g in enumerate(gates, start=1)
    ]
    rule = (
        f"`Ready=True` (reason `{ReadyReason.OK.value}`) **iff** {required}. Otherwise "
        "`Ready=False` with the Ready reason of the **first** required gate, in gate "
        "order, that is not True, and a message quoting that gate's status, reason and "
        "message.\n\n"
    )
    table = _table(
        ["#", "Gate", "Ready reason when it is the first non-True gate", "Blocking"], rows
    )
    return rule + table


def _first_reason(type_: ConditionType, status: ConditionStatus) -> str:
    return next(m for m in gate_reason_enums()[type_] if _meaning(type_, m).status is status)


def _conditions_with(
    failing: ConditionType | None, status: ConditionStatus, reason: str
) -> list[Condition]:
    """Gates before ``failing`` True, ``failing`` as given, later ones Blocked."""
    conditions: list[Condition] = []
    blocked = False
    for gate in GATE_ORDER:
        if blocked:
            conditions.append(Condition(type=gate, status=U, reason=CommonReason.BLOCKED))
        elif gate is failing:
            conditions.append(Condition(type=gate, status=status, reason=reason))
            blocked = True
        else:
            conditions.append(Condition(type=gate, status=T, reason=_first_reason(gate, T)))
    return conditions


def _phase_rows() -> list[tuple[str, str, list[Condition]]]:
    rows: list[tuple[str, str, list[Condition]]] = []
    fresh = [Condition(type=g, status=U, reason=CommonReason.NOT_CHECKED) for g in GATE_ORDER]
    rows.append(("new object: every gate `Unknown`/`NotChecked`", "-", fresh))
    for gate in GATE_ORDER:
        for member in gate_reason_enums()[gate]:
            if _meaning(gate, member).status is F:
                rows.append((_code(gate), f"`False`/`{member}`", _conditions_with(gate, F, member)))
        failed = CommonReason.EVALUATION_FAILED
        rows.append((_code(gate), f"`Unknown`/`{failed}`", _conditions_with(gate, U, failed)))
    all_true = _conditions_with(None, T, "")
    rows.append(("none (all gates True), Ready not computed yet", "-", all_true))
    ready = Condition(type=ConditionType.READY, status=T, reason=ReadyReason.OK)
    rows.append(("none (all gates True), `Ready=True`", "-", [*all_true, ready]))
    return rows


def render_phase() -> str:
    """derive_phase's rules (its docstring) and its value on representative statuses."""
    doc = derive_phase.__doc__ or ""
    rules = [line.strip() for line in doc.splitlines() if line.strip()[:2].rstrip(".").isdigit()]
    rows = [
        [first, state, _code(derive_phase(conditions).value)]
        for first, state, conditions in _phase_rows()
    ]
    table = _table(["First gate (in gate order) that is not True", "Its state", "Phase"], rows)
    values = ", ".join(_code(p.value) for p in Phase)
    return (
        f"Phase values: {values}.\n\n"
        + "\n".join(rules)
        + "\n\nComputed by calling `derive_phase` (gates before the failing one True, "
        "later ones `Unknown`/`Blocked`):\n\n" + table
    )


def _home_phase(gate: ConditionType) -> Phase:
    """The phase while ``gate`` is the first non-True gate, failing in an ordinary way."""
    return derive_phase(_conditions_with(gate, U, CommonReason.EVALUATION_FAILED))


def render_lifecycle() -> str:
    """A Mermaid state diagram: phases as composite states holding their gates.

    Laid out to stay legible in a 700 px column: the gate chain's edges say only ``True``
    (the gate is the node they leave), reasons leading to the same phase share one edge,
    and the edges that restart a pass point at the first gate's phase, not into it, so
    they do not cross the chain.
    """
    lines = ["```mermaid", "stateDiagram-v2"]
    homes = {gate: _home_phase(gate) for gate in GATE_ORDER}
    first, last = GATE_ORDER[0], GATE_ORDER[-1]
    lines.append(f"    [*] --> {Phase.PENDING.value} : created (gates NotChecked)")
    lines.append(f"    {Phase.PENDING.value} --> {first} : first pass")
    for phase in Phase:
        members = [g for g in GATE_ORDER if homes[g] is phase]
        if not members:
            continue
        lines.append(f"    state {phase.value} {{")
        lines += [f"        {g}" for g in members]
        lines.append("    }")
    for before, after in pairwise(GATE_ORDER):
        lines.append(f"    {before} --> {after} : True")
    lines.append(f"    {last} --> {Phase.RUNNING.value} : True (Ready=True)")
    for gate in GATE_ORDER:
        moves: dict[Phase, list[str]] = {}
        for member in gate_reason_enums()[gate]:
            if _meaning(gate, member).status is not F:
                continue
            phase = derive_phase(_conditions_with(gate, F, member))
            if phase is not homes[gate]:
                moves.setdefault(phase, []).append(member)
        for phase, reasons_to in moves.items():
            reasons = ", ".join(reasons_to)
            lines.append(f"    {gate} --> {phase.value} : {reasons}")
            if phase is Phase.ERROR:
                continue
            lines.append(f"    {Phase.RUNNING.value} --> {phase.value} : {reasons}")
            lines.append(f"    {phase.value} --> {Phase.RUNNING.value} : True again")
    restart = homes[first].value
    lines.append(f"    {Phase.ERROR.value} --> {restart} : spec edited")
    lines.append(f"    {Phase.RUNNING.value} --> {restart} : spec edited or<br>a gate fails")
    lines.append("```")
    return "\n".join(lines)


PAGES: Final[Mapping[str, Callable[[], str]]] = {
    "conditions.md": render_conditions,
    "reasons.md": render_reasons,
    "ready.md": render_ready,
    "phase.md": render_phase,
    "lifecycle.md": render_lifecycle,
}


def render_all() -> dict[str, str]:
    """File name -> content of every generated page."""
    header = _HEADER.format(cmd=REGENERATE)
    return {name: header + render() + "\n" for name, render in PAGES.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated pages into the directory given (default ``docs/generated``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0] if args else "docs/generated")
    target.mkdir(parents=True, exist_ok=True)
    for name, content in render_all().items():
        (target / name).write_text(content, encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
