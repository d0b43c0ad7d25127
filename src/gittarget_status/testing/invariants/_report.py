"""How a broken rule reads: [`Violation`][gittarget_status.testing.Violation] and the text of a
failed assertion.

One line per raw condition (type, status, reason, generation, time, message, extra keys)
so that a failing property test shows what the controller wrote, not a model's repr.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gittarget_status.testing.invariants._view import CONDITION_KEYS, short_json, view_of

__all__ = ["Violation", "format_violations", "render_condition"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which, why, and the conditions involved (as JSON)."""

    rule: str
    name: str
    message: str
    conditions: tuple[Mapping[str, Any], ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.rule} {self.name}: {self.message}"]
        lines += [f"    {render_condition(raw)}" for raw in self.conditions]
        return "\n".join(lines)


def format_violations(violations: Sequence[Violation], *, obj: object | None = None) -> str:
    """A readable report: each rule broken, the conditions involved, then the conditions."""
    head = f"status contract broken ({len(violations)} violation(s)):"
    body = "\n".join(f"  {violation}".replace("\n", "\n  ") for violation in violations)
    text = f"{head}\n{body}"
    if obj is not None:
        view = view_of(obj, None, "obj")
        listing = "\n".join(f"    {render_condition(raw)}" for raw in view.conditions)
        text += f"\n  all conditions:\n{listing or '    (none)'}"
    return text


def render_condition(raw: Mapping[str, Any]) -> str:
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
    extra = {k: v for k, v in raw.items() if k not in CONDITION_KEYS}
    if extra:
        parts.append(f"extra={short_json(extra)}")
    return " ".join(parts)
