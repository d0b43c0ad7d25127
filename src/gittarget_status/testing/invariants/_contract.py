"""What a controller promises about its status: the input every rule is checked against.

Kept apart from the rules so that a contract for your own pipeline can be built (and the
GitTarget one read) without the rule machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from gittarget_status.conditions._common import READY, RECONCILING, STALLED, SUSPENDED
from gittarget_status.conditions._model import Condition
from gittarget_status.gates._pipeline import GatePipeline
from gittarget_status.gittarget._lifecycle import gittarget_pipeline

__all__ = ["GITTARGET_CONTRACT", "StatusContract"]


class _FromPipeline(Enum):
    """``for_pipeline``'s default: take the value from the pipeline (None is an override)."""

    FROM_PIPELINE = "from the pipeline"


_FROM_PIPELINE: Final = _FromPipeline.FROM_PIPELINE


@dataclass(frozen=True, slots=True)
class StatusContract:
    """What a controller promises about its status; the rules are checked against it.

    ``gates`` in evaluation order (each ``(type, required, blocking)``), ``ready_reasons``
    maps a gate to Ready's reason when it is the first failing required gate, ``phase`` is
    the pure phase function (None: no phase rule), ``terminal_reasons`` are gate reasons
    that stall progress, ``kstatus`` says whether Reconciling/Stalled are maintained,
    ``ready_type`` is the summary condition's type (owned): the lifecycle rules
    (GTS016-GTS025) read it; Flux's rules read ``Ready``, as Flux does, so a secondary
    controller with a summary of its own ignores those. ``suspended_type`` is the
    condition a suspended pass writes (owned; None: the controller cannot be suspended):
    while it is True for the current generation, the generation rules accept the older
    verdict kept beside it.
    Build one for your own pipeline with
    [`for_pipeline`][gittarget_status.testing.StatusContract.for_pipeline].
    """

    gates: tuple[tuple[str, bool, bool], ...]
    ready_reasons: Mapping[str, str] = field(default_factory=dict)
    phase: Callable[[Sequence[Condition]], Any] | None = None
    terminal_reasons: frozenset[str] = frozenset()
    kstatus: bool = True
    ready_type: str = READY
    suspended_type: str | None = SUSPENDED

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
        if self.suspended_type is not None:
            summary.add(self.suspended_type)
        return frozenset(self.gate_types) | summary

    @classmethod
    def for_pipeline(
        cls,
        pipeline: GatePipeline[Any],
        *,
        phase: Callable[[Sequence[Condition]], Any] | _FromPipeline | None = _FROM_PIPELINE,
        terminal_reasons: Iterable[str] | None = None,
    ) -> StatusContract:
        """The contract of a [`GatePipeline`][gittarget_status.GatePipeline], from the
        pipeline alone.

        The phase function (GTS018) is the pipeline's ``phase_function``; the terminal
        reasons (GTS021 checks Stalled against them) are those its gates declare. Pass
        ``phase`` (None: no phase rule) or ``terminal_reasons`` to override, for example
        the reasons of gates that still flag ``terminal=True`` on their results.
        """
        if terminal_reasons is None:
            terminal_reasons = frozenset().union(*(g.terminal_reasons for g in pipeline.gates))
        return cls(
            gates=tuple((g.type, g.required, g.blocking) for g in pipeline.gates),
            ready_reasons={g.type: g.ready_reason for g in pipeline.gates},
            phase=pipeline.phase_function if isinstance(phase, _FromPipeline) else phase,
            terminal_reasons=frozenset(terminal_reasons),
            kstatus=RECONCILING in pipeline.owned_types,
            ready_type=pipeline.ready_type,
            suspended_type=pipeline.suspended_type,
        )


#: The GitTarget lifecycle's contract (five required, blocking gates; ``derive_phase``).
GITTARGET_CONTRACT: Final = StatusContract.for_pipeline(gittarget_pipeline())
