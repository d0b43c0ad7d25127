"""What a controller promises about its status: the input every rule is checked against.

Kept apart from the rules so that a contract for your own pipeline can be built (and the
GitTarget one read) without the rule machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from gittarget_status.conditions._common import READY, RECONCILING, STALLED
from gittarget_status.conditions._model import Condition
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._lifecycle import gittarget_pipeline
from gittarget_status.gittarget._phase import derive_phase
from gittarget_status.gittarget._reasons import TERMINAL_REASONS

__all__ = ["GITTARGET_CONTRACT", "StatusContract"]


@dataclass(frozen=True, slots=True)
class StatusContract:
    """What a controller promises about its status; the rules are checked against it.

    ``gates`` in evaluation order (each ``(type, required, blocking)``), ``ready_reasons``
    maps a gate to Ready's reason when it is the first failing required gate, ``phase`` is
    the pure phase function (None: no phase rule), ``terminal_reasons`` are gate reasons
    that stall progress, ``kstatus`` says whether Reconciling/Stalled are maintained,
    ``ready_type`` is the summary condition's type (owned; the Ready rules themselves
    read ``Ready``, so a secondary controller with its own summary selects the others).
    Build one for your own pipeline with
    [`for_pipeline`][gittarget_status.testing.StatusContract.for_pipeline].
    """

    gates: tuple[tuple[str, bool, bool], ...]
    ready_reasons: Mapping[str, str] = field(default_factory=dict)
    phase: Callable[[Sequence[Condition]], Any] | None = None
    terminal_reasons: frozenset[str] = frozenset()
    kstatus: bool = True
    ready_type: str = READY

    @property
    def gate_types(self) -> tuple[str, ...]:
        return tuple(type_ for type_, _, _ in self.gates)

    @property
    def required_gates(self) -> tuple[str, ...]:
        return tuple(type_ for type_, required, _ in self.gates if required)

    @property
    def owned_types(self) -> frozenset[str]:
        """Every type the controller writes; all others are foreign and must survive."""
        summary = {self.ready_type, RECONCILING, STALLED} if self.kstatus else {self.ready_type}
        return frozenset(self.gate_types) | summary

    @classmethod
    def for_pipeline(
        cls,
        pipeline: GatePipeline[Any],
        *,
        phase: Callable[[Sequence[Condition]], Any] | None = None,
        terminal_reasons: Iterable[str] = (),
    ) -> StatusContract:
        """The contract of a [`GatePipeline`][gittarget_status.GatePipeline].

        Pass the pipeline's ``phase`` function (for GTS018) and the reasons your gates
        fail with ``terminal=True`` (GTS021 checks Stalled against them).
        """
        return cls(
            gates=tuple((g.type, g.required, g.blocking) for g in pipeline.gates),
            ready_reasons={g.type: g.ready_reason for g in pipeline.gates},
            phase=phase,
            terminal_reasons=frozenset(terminal_reasons),
            kstatus=RECONCILING in pipeline.owned_types,
            ready_type=pipeline.ready_type,
        )


#: The GitTarget lifecycle's contract (five required, blocking gates; ``derive_phase``).
GITTARGET_CONTRACT: Final = StatusContract.for_pipeline(
    gittarget_pipeline(), phase=derive_phase, terminal_reasons=TERMINAL_REASONS
)
