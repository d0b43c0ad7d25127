"""What a rule is: an id, a name, where it comes from, and a check over one status pass.

The rule modules (``_rules_*``) define checks against ``Checked``, the one input a
check gets; ``_check`` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias

from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.testing.invariants._contract import StatusContract
from gittarget_status.testing.invariants._view import StatusView, hashable, observed_generation

__all__ = ["Check", "Checked", "Finding", "Rule", "rule"]


@dataclass(frozen=True, slots=True)
class Checked:
    """One check's input: the status, the status before the pass, the contract, the clock."""

    view: StatusView
    previous: StatusView | None
    contract: StatusContract
    now: datetime | None = None

    @property
    def suspended(self) -> bool:
        """The contract's Suspended condition is True for the checked generation (or no
        generation is given): the other owned conditions are a kept, older verdict."""
        type_ = self.contract.suspended_type
        found = None if type_ is None else self.view.first(type_)
        if found is None or found.status is not ConditionStatus.TRUE:
            return False
        generation = self.view.generation
        return generation is None or found.observed_generation == generation

    def owned_where(self, keep: Callable[[int | None], bool]) -> list[Mapping[str, Any]]:
        """The owned conditions whose observedGeneration (None when unset) ``keep`` accepts."""
        owned = self.contract.owned_types
        return [
            raw
            for raw in self.view.conditions
            if hashable(raw.get("type")) in owned and keep(observed_generation(raw))
        ]


#: What a check yields per problem: a message and the raw conditions involved.
Finding: TypeAlias = tuple[str, Sequence[Mapping[str, Any]]]
Check: TypeAlias = Callable[[Checked], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named invariant. ``default`` rules run unless ignored; others only when selected."""

    id: str
    name: str
    summary: str
    source: str
    default: bool
    check: Check = field(repr=False, compare=False)


def rule(
    id: str, name: str, summary: str, check: Check, *, source: str = "", default: bool = True
) -> Rule:
    """A [`Rule`][gittarget_status.testing.Rule]; ``source`` defaults to this library."""
    return Rule(id, name, summary, source or "gittarget-status", default, check)
