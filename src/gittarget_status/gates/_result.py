"""A gate's verdict: what one evaluator observed, before it becomes a condition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum, StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final

from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._model import ConditionStatus
from gittarget_status.conditions._rules import as_plain_str, check_reason

__all__ = ["GateResult"]

_NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class GateResult:
    """Immutable verdict of one gate.

    ``terminal`` marks a failure that retrying cannot fix until the spec changes (the
    pipeline then reports Stalled). A gate that declares its terminal reasons
    (``Gate(..., terminal=...)``) needs no flag: the pipeline sets it from the
    declaration. ``details`` are status fields the gate observed (for example
    ``{"worker_ref": WorkerRef(...)}``); the pipeline, the only writer, assigns them to
    the new status.
    """

    status: ConditionStatus
    reason: str
    message: str = ""
    terminal: bool = False
    requeue_after: timedelta | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            if type(self.status) is not ConditionStatus:
                object.__setattr__(self, "status", ConditionStatus.coerce(self.status))
            if not isinstance(self.reason, str):
                object.__setattr__(self, "reason", as_plain_str(self.reason, "reason"))
            _valid_reason(self.reason)
            if type(self.message) is not str:
                object.__setattr__(self, "message", as_plain_str(self.message, "message"))
        except ValueError as exc:
            raise StatusValidationError.single("GateResult", str(exc)) from None
        if self.terminal and self.status is not ConditionStatus.FALSE:
            raise StatusValidationError.single("GateResult.terminal", "only a failure is terminal")
        if self.requeue_after is not None and self.requeue_after < timedelta(0):
            raise StatusValidationError.single("GateResult.requeue_after", "must not be negative")
        if self.details:
            object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        else:
            object.__setattr__(self, "details", _NO_DETAILS)

    @classmethod
    def passed(
        cls, reason: str | Enum, message: str = "", *, details: Mapping[str, Any] | None = None
    ) -> GateResult:
        """The gate holds: its condition is True."""
        return _made(cls, _TRUE, reason, message, False, None, details)

    @classmethod
    def failed(
        cls,
        reason: str | Enum,
        message: str = "",
        *,
        terminal: bool = False,
        requeue_after: timedelta | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> GateResult:
        """The gate does not hold: False. ``terminal`` if only a spec change can fix it."""
        return _made(cls, _FALSE, reason, message, terminal, requeue_after, details)

    @classmethod
    def in_progress(
        cls,
        reason: str | Enum,
        message: str = "",
        *,
        requeue_after: timedelta | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> GateResult:
        """Work toward the gate is under way: False, never terminal, usually with a requeue."""
        return cls.failed(reason, message, requeue_after=requeue_after, details=details)

    @classmethod
    def unknown(cls, reason: str | Enum, message: str = "") -> GateResult:
        """The gate could not be judged: Unknown."""
        return _made(cls, _UNKNOWN, reason, message, False, None, None)

    @property
    def ok(self) -> bool:
        return self.status is ConditionStatus.TRUE


_TRUE: Final = ConditionStatus.TRUE
_FALSE: Final = ConditionStatus.FALSE
_UNKNOWN: Final = ConditionStatus.UNKNOWN
_ZERO: Final = timedelta(0)
_MAX_KNOWN: Final = 4096
#: Reasons (plain ``str`` or ``StrEnum`` members, as given) whose checked text is known:
#: the constructors above then build the result without ``__post_init__``'s checks, which
#: could only reach the same answer. Looked up only with a ``str`` or an enum member
#: (hashable, unlike whatever else a caller may pass and the checks must refuse).
_KNOWN: dict[object, str] = {}
_new: Final = object.__new__
#: The slots' own setters (``__setattr__`` refuses on a frozen class, and
#: ``object.__setattr__`` finds each slot by name first: a third slower).
_SET_STATUS, _SET_REASON, _SET_MESSAGE, _SET_TERMINAL, _SET_REQUEUE, _SET_DETAILS = (
    GateResult.__dict__[name].__set__
    for name in ("status", "reason", "message", "terminal", "requeue_after", "details")
)


def _made(
    cls: type[GateResult],
    status: ConditionStatus,
    reason: object,
    message: object,
    terminal: bool,
    requeue_after: timedelta | None,
    details: Mapping[str, Any] | None,
) -> GateResult:
    """The constructors' one path: built directly when every value is known to pass the
    checks (what ``__init__`` and ``__post_init__`` would make), else through them."""
    text = _KNOWN.get(reason) if type(reason) is str or isinstance(reason, Enum) else None
    if (
        text is not None
        and type(message) is str
        and type(terminal) is bool
        and (requeue_after is None or (type(requeue_after) is timedelta and requeue_after >= _ZERO))
        and cls is GateResult
    ):
        result: GateResult = _new(GateResult)
        _SET_STATUS(result, status)
        _SET_REASON(result, text)
        _SET_MESSAGE(result, message)
        _SET_TERMINAL(result, terminal)
        _SET_REQUEUE(result, requeue_after)
        _SET_DETAILS(result, MappingProxyType(dict(details)) if details else _NO_DETAILS)
        return result
    result = cls(
        status,
        as_plain_str(reason, "reason"),
        message,  # type: ignore[arg-type]  # __post_init__ checks it
        terminal=terminal,
        requeue_after=requeue_after,
        details=details or _NO_DETAILS,
    )
    if (type(reason) is str or isinstance(reason, StrEnum)) and len(_KNOWN) < _MAX_KNOWN:
        _KNOWN[reason] = result.reason
    return result


@lru_cache(maxsize=4096)
def _valid_reason(reason: str) -> str:
    """Reasons come from small vocabularies: check each distinct one once."""
    return check_reason(reason)
