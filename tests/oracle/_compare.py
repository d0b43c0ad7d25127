"""Named differences: the only ways our answers may differ from the oracle's.

A property compares our answer with the oracle's for every generated case. A case that a
named difference recognises is excluded (and counted under that name, for hypothesis'
statistics and the session summary); every other case must agree exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from hypothesis import event

from ._oracle import TALLY

__all__ = ["EXAMPLES", "Difference", "compare"]

Case = TypeVar("Case")

#: Examples per differential property: a thousand in the thorough CI profile (each costs a
#: round trip through the oracle process, about 15 ms with the drawing), 150 otherwise.
EXAMPLES: Final = 1000 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 150


@dataclass(frozen=True)
class Difference(Generic[Case]):
    """A deliberate difference (listed in docs/kubernetes.md) and how to recognise it.

    ``applies(case, ours, theirs)`` recognises the case, from what was asked and, where
    the difference is an answer only one side gives (a refusal), from the answers.
    """

    name: str
    applies: Callable[[Case, Mapping[str, Any], Mapping[str, Any]], bool]


def compare(
    prop: str,
    differences: tuple[Difference[Case], ...],
    case: Case,
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
) -> str | None:
    """Assert ``ours == theirs`` unless a named difference recognises ``case``.

    Returns the name of the difference that excluded the case, or None if compared.
    """
    for difference in differences:
        if difference.applies(case, ours, theirs):
            TALLY.exclude(prop, difference.name)
            event(f"excluded: {difference.name}")
            return difference.name
    if ours != theirs:
        TALLY.disagreed[prop] += 1
    else:
        TALLY.agreed[prop] += 1
        event("compared: equal" if "error" not in ours else "compared: both refuse")
    assert ours == theirs, f"{prop}: we answered {ours!r}, the oracle {theirs!r} for {case!r}"
    return None
