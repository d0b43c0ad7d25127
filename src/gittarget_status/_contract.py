"""The GitTarget status contract as documentation, generated from the code.

The tables and the lifecycle diagram in ``docs/generated/`` come from here: the condition types and
[`GATE_ORDER`][gittarget_status.GATE_ORDER], the reason enums,
[`TERMINAL_REASONS`][gittarget_status.TERMINAL_REASONS], each gate's Ready reason as wired in
[`gittarget_pipeline`][gittarget_status.gittarget_pipeline], and
[`derive_phase`][gittarget_status.derive_phase] itself (the phase table is computed by calling it).
The prose meanings live next to the enums they describe below, and ``tests/test_contract_docs.py``
checks that they cover every member, that the lifecycle emits exactly the documented (type, status,
reason) triples, and that the committed pages are what this module renders.

Regenerate the committed pages::

    python -m gittarget_status._contract docs/generated
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Final

from gittarget_status.conditions._common import CommonReason
from gittarget_status.conditions._model import Condition, ConditionStatus
from gittarget_status.gittarget._gates import TERMINAL_REASONS
from gittarget_status.gittarget._lifecycle import gittarget_pipeline
from gittarget_status.gittarget._phase import Phase, derive_phase
from gittarget_status.gittarget._reasons import (
    BootstrappedReason,
    EncryptionConfiguredReason,
    EventStreamLiveReason,
    ReadyReason,
    SnapshotSyncedReason,
    ValidatedReason,
)
from gittarget_status.gittarget._types import GATE_ORDER, ConditionType

__all__ = [
    "COMMON_REASONS",
    "CONDITION_MEANINGS",
    "GATE_REASON_ENUMS",
    "REGENERATE",
    "ConditionMeaning",
    "ReasonDoc",
    "ReasonRow",
    "main",
    "reason_rows",
    "render_all",
]

#: The command that rewrites the committed pages (shown when they drift).
REGENERATE: Final = "python -m gittarget_status._contract docs/generated"

T, F, U = ConditionStatus.TRUE, ConditionStatus.FALSE, ConditionStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class ConditionMeaning:
    """What each status of one condition type tells a reader."""

    true: str
    false: str
    unknown: str


@dataclass(frozen=True, slots=True)
class ReasonDoc:
    """The status a reason is emitted with, and what it means (for alert authors)."""

    status: ConditionStatus
    meaning: str
    #: Only emitted with ``kstatus_present=True`` (Reconciling/Stalled kept as False).
    kstatus_present_only: bool = False


@dataclass(frozen=True, slots=True)
class ReasonRow:
    """One row of the reason table."""

    type: str
    reason: str
    status: ConditionStatus
    terminal: bool
    meaning: str


CONDITION_MEANINGS: Final[Mapping[ConditionType, ConditionMeaning]] = {
    ConditionType.READY: ConditionMeaning(
        true="Every required gate is True: the target is fully operational.",
        false="Some required gate is not True; the reason names the first one "
        "and the message quotes it (NotChecked while that gate was never evaluated).",
        unknown="Never written by the pipeline (a new object gets Ready=False).",
    ),
    ConditionType.VALIDATED: ConditionMeaning(
        true="The GitProvider exists, the branch is allowed and no other GitTarget "
        "writes the same branch and path.",
        false="Provider missing (retried), branch not allowed or target conflict "
        "(terminal until the spec changes).",
        unknown="Not evaluated yet (new object) or its evaluator raised.",
    ),
    ConditionType.ENCRYPTION_CONFIGURED: ConditionMeaning(
        true="The SOPS secret exists with valid recipients, or encryption is disabled "
        "(reason NotRequired).",
        false="The secret is missing (and may not be created) or its recipients are invalid.",
        unknown="Blocked by Validated, not evaluated yet, or its evaluator raised.",
    ),
    ConditionType.BOOTSTRAPPED: ConditionMeaning(
        true="A worker is bound for (provider, branch) and the target path is bootstrapped "
        "(or needed no bootstrap).",
        false="No worker could be bound, or applying the bootstrap failed.",
        unknown="Blocked by an earlier gate, not evaluated yet, or its evaluator raised.",
    ),
    ConditionType.SNAPSHOT_SYNCED: ConditionMeaning(
        true="The initial whole-folder snapshot completed; `status.snapshot` records it.",
        false="The snapshot is still running (reason Running) or failed.",
        unknown="Blocked by an earlier gate, not evaluated yet, or its evaluator raised.",
    ),
    ConditionType.EVENT_STREAM_LIVE: ConditionMeaning(
        true="The event stream is registered and connected.",
        false="Registration failed, or the registered stream is disconnected.",
        unknown="Blocked by an earlier gate, not evaluated yet, or its evaluator raised.",
    ),
    ConditionType.RECONCILING: ConditionMeaning(
        true="kstatus: the controller is still progressing toward Ready.",
        false="Only with `kstatus_present=True`: Ready, or stalled.",
        unknown="Never written; absent (the default) when Ready or Stalled.",
    ),
    ConditionType.STALLED: ConditionMeaning(
        true="kstatus: a terminal failure stops progress until the spec changes; the "
        "reason is the failing gate's.",
        false="Only with `kstatus_present=True`: not stalled.",
        unknown="Never written; absent (the default) when not stalled.",
    ),
}

#: The reason enum of each condition type the GitTarget lifecycle writes itself.
GATE_REASON_ENUMS: Final[Mapping[ConditionType, type[StrEnum]]] = {
    ConditionType.VALIDATED: ValidatedReason,
    ConditionType.ENCRYPTION_CONFIGURED: EncryptionConfiguredReason,
    ConditionType.BOOTSTRAPPED: BootstrappedReason,
    ConditionType.SNAPSHOT_SYNCED: SnapshotSyncedReason,
    ConditionType.EVENT_STREAM_LIVE: EventStreamLiveReason,
    ConditionType.READY: ReadyReason,
}

_REASONS: Final[Mapping[tuple[ConditionType, str], ReasonDoc]] = {
    (ConditionType.VALIDATED, ValidatedReason.OK): ReasonDoc(T, "Spec validated."),
    (ConditionType.VALIDATED, ValidatedReason.PROVIDER_NOT_FOUND): ReasonDoc(
        F, "The referenced GitProvider does not exist (retried every 30 s)."
    ),
    (ConditionType.VALIDATED, ValidatedReason.BRANCH_NOT_ALLOWED): ReasonDoc(
        F, "The provider's policy does not allow this branch."
    ),
    (ConditionType.VALIDATED, ValidatedReason.TARGET_CONFLICT): ReasonDoc(
        F, "Another GitTarget already writes this branch and path."
    ),
    (ConditionType.ENCRYPTION_CONFIGURED, EncryptionConfiguredReason.OK): ReasonDoc(
        T, "The SOPS secret exists and its recipients are valid."
    ),
    (ConditionType.ENCRYPTION_CONFIGURED, EncryptionConfiguredReason.NOT_REQUIRED): ReasonDoc(
        T, "Encryption is disabled in the spec."
    ),
    (ConditionType.ENCRYPTION_CONFIGURED, EncryptionConfiguredReason.MISSING_SECRET): ReasonDoc(
        F, "The secret does not exist and `generateWhenMissing` is false."
    ),
    (
        ConditionType.ENCRYPTION_CONFIGURED,
        EncryptionConfiguredReason.INVALID_RECIPIENTS,
    ): ReasonDoc(F, "The secret's recipients are empty or malformed."),
    (
        ConditionType.ENCRYPTION_CONFIGURED,
        EncryptionConfiguredReason.SECRET_CREATE_DISABLED,
    ): ReasonDoc(F, "The secret is missing and this controller may not create secrets."),
    (ConditionType.BOOTSTRAPPED, BootstrappedReason.BOOTSTRAP_APPLIED): ReasonDoc(
        T, "The bootstrap commit exists on the branch (`status.bootstrap.commit`)."
    ),
    (ConditionType.BOOTSTRAPPED, BootstrappedReason.BOOTSTRAP_NOT_NEEDED): ReasonDoc(
        T, "The target path needed no bootstrap commit."
    ),
    (ConditionType.BOOTSTRAPPED, BootstrappedReason.WORKER_NOT_FOUND): ReasonDoc(
        F, "No worker could be bound for (provider, branch)."
    ),
    (ConditionType.BOOTSTRAPPED, BootstrappedReason.BOOTSTRAP_FAILED): ReasonDoc(
        F, "Applying the bootstrap failed; the message carries the error."
    ),
    (ConditionType.SNAPSHOT_SYNCED, SnapshotSyncedReason.COMPLETED): ReasonDoc(
        T, "The initial snapshot completed (`status.snapshot`)."
    ),
    (ConditionType.SNAPSHOT_SYNCED, SnapshotSyncedReason.RUNNING): ReasonDoc(
        F, "The initial snapshot is in progress (requeue in 10 s)."
    ),
    (ConditionType.SNAPSHOT_SYNCED, SnapshotSyncedReason.SNAPSHOT_FAILED): ReasonDoc(
        F, "The initial snapshot failed; the message carries the error."
    ),
    (ConditionType.EVENT_STREAM_LIVE, EventStreamLiveReason.REGISTERED): ReasonDoc(
        T, "The event stream is registered and connected."
    ),
    (ConditionType.EVENT_STREAM_LIVE, EventStreamLiveReason.REGISTRATION_FAILED): ReasonDoc(
        F, "Registering the event stream failed."
    ),
    (ConditionType.EVENT_STREAM_LIVE, EventStreamLiveReason.DISCONNECTED): ReasonDoc(
        F, "The stream was registered but is disconnected now (phase DEGRADED)."
    ),
    (ConditionType.READY, ReadyReason.OK): ReasonDoc(T, "Every required gate is True."),
    (ConditionType.READY, ReadyReason.VALIDATION_FAILED): ReasonDoc(
        F, "Validated is the first gate that is not True."
    ),
    (ConditionType.READY, ReadyReason.ENCRYPTION_NOT_CONFIGURED): ReasonDoc(
        F, "EncryptionConfigured is the first gate that is not True."
    ),
    (ConditionType.READY, ReadyReason.BOOTSTRAP_NOT_COMPLETE): ReasonDoc(
        F, "Bootstrapped is the first gate that is not True."
    ),
    (ConditionType.READY, ReadyReason.INITIAL_SYNC_IN_PROGRESS): ReasonDoc(
        F, "SnapshotSynced is the first gate that is not True."
    ),
    (ConditionType.READY, ReadyReason.STREAM_NOT_LIVE): ReasonDoc(
        F, "EventStreamLive is the first gate that is not True."
    ),
}

#: Ready on a new object, before the first evaluation: False, but nothing has failed.
_READY_NOT_CHECKED: Final = ReasonDoc(
    F, "New object: the first gate has not been evaluated yet (nothing failed; alert-safe)."
)

#: Reasons any gate can carry when it has no verdict of its own.
COMMON_REASONS: Final[Mapping[CommonReason, ReasonDoc | None]] = {
    CommonReason.NOT_CHECKED: ReasonDoc(U, "New object: this gate has never been evaluated."),
    CommonReason.BLOCKED: ReasonDoc(
        U, "An earlier blocking gate is not True; the message names it."
    ),
    CommonReason.EVALUATION_FAILED: ReasonDoc(
        U, "The gate's evaluator raised; the message carries the error (retried)."
    ),
    # Reserved for custom gates; the GitTarget lifecycle never emits it.
    CommonReason.NOT_STARTED: None,
    # kstatus reasons, documented under Reconciling and Stalled below.
    CommonReason.PROGRESSING: None,
    CommonReason.TERMINAL_FAILURE: None,
    CommonReason.SUCCEEDED: None,
}

_KSTATUS_REASONS: Final[Mapping[tuple[ConditionType, str], ReasonDoc]] = {
    (ConditionType.RECONCILING, CommonReason.PROGRESSING): ReasonDoc(
        T, "Progressing toward Ready; the message points at the first gate that is not True."
    ),
    (ConditionType.RECONCILING, CommonReason.TERMINAL_FAILURE): ReasonDoc(
        F, "Not reconciling because a gate failed terminally.", kstatus_present_only=True
    ),
    (ConditionType.RECONCILING, CommonReason.SUCCEEDED): ReasonDoc(
        F, "Not reconciling because Ready=True.", kstatus_present_only=True
    ),
    (ConditionType.STALLED, CommonReason.PROGRESSING): ReasonDoc(
        F, "Not stalled: still progressing.", kstatus_present_only=True
    ),
    (ConditionType.STALLED, CommonReason.SUCCEEDED): ReasonDoc(
        F, "Not stalled because Ready=True.", kstatus_present_only=True
    ),
}


def _blockable(type_: ConditionType) -> bool:
    """Whether some blocking gate runs before ``type_`` (so it can be ``Blocked``)."""
    gates = gittarget_pipeline().gates
    position = [gate.type for gate in gates].index(type_)
    return any(gate.blocking for gate in gates[:position])


def _gate_of_terminal(reason: str) -> ConditionType:
    for gate in GATE_ORDER:
        if reason in set(GATE_REASON_ENUMS[gate]):
            return gate
    raise ValueError(f"terminal reason {reason!r} belongs to no gate")  # pragma: no cover


def reason_rows() -> list[ReasonRow]:
    """Every (condition type, reason) the GitTarget lifecycle can emit, in gate order."""
    rows: list[ReasonRow] = []
    for type_ in (*GATE_ORDER, ConditionType.READY):
        for member in GATE_REASON_ENUMS[type_]:
            doc = _REASONS[(type_, member)]
            is_terminal = doc.status is F and member in TERMINAL_REASONS and type_ in GATE_ORDER
            rows.append(ReasonRow(type_, member, doc.status, is_terminal, doc.meaning))
        if type_ is ConditionType.READY:
            rows.append(
                ReasonRow(type_, CommonReason.NOT_CHECKED, F, False, _READY_NOT_CHECKED.meaning)
            )
            continue
        for common, doc_or_none in COMMON_REASONS.items():
            if doc_or_none is None or (common is CommonReason.BLOCKED and not _blockable(type_)):
                continue
            rows.append(ReasonRow(type_, common, doc_or_none.status, False, doc_or_none.meaning))
    for (type_, reason), doc in _KSTATUS_REASONS.items():
        meaning = doc.meaning + (
            " Only with `kstatus_present=True`." if doc.kstatus_present_only else ""
        )
        rows.append(ReasonRow(type_, reason, doc.status, False, meaning))
        if (type_, reason) == (ConditionType.RECONCILING, CommonReason.SUCCEEDED):
            for terminal in sorted(TERMINAL_REASONS, key=_terminal_order):
                gate = _gate_of_terminal(terminal)
                rows.append(
                    ReasonRow(
                        ConditionType.STALLED,
                        terminal,
                        T,
                        False,
                        f"{gate} failed terminally with {terminal}; fix the spec.",
                    )
                )
    return rows


def _terminal_order(reason: str) -> tuple[int, int]:
    gate = _gate_of_terminal(reason)
    members = list(GATE_REASON_ENUMS[gate])
    return GATE_ORDER.index(gate), members.index(GATE_REASON_ENUMS[gate](reason))


def undocumented() -> list[str]:
    """Enum members without documentation (the contract test requires none)."""
    missing = [f"meaning of {t}" for t in ConditionType if t not in CONDITION_MEANINGS]
    for type_, enum in GATE_REASON_ENUMS.items():
        missing += [f"{type_}/{m.value}" for m in enum if (type_, m) not in _REASONS]
    missing += [f"CommonReason.{m.name}" for m in CommonReason if m not in COMMON_REASONS]
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
    return next(m for m in GATE_REASON_ENUMS[type_] if _REASONS[(type_, m)].status is status)


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
        for member in GATE_REASON_ENUMS[gate]:
            if _REASONS[(gate, member)].status is F:
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
        for member in GATE_REASON_ENUMS[gate]:
            if _REASONS[(gate, member)].status is not F:
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
