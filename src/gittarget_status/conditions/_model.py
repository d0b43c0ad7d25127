"""The condition model: a typed, immutable mirror of ``metav1.Condition``."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
)

from gittarget_status._base import CONTEXT_KEY, KubeModel, ParseOptions, lenient_context
from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._rules import (
    MAX_MESSAGE_BYTES,
    MAX_OBSERVED_GENERATION,
    as_plain_str,
    check_reason,
    check_type,
    fit_message,
)
from gittarget_status.conditions._time import KubeTime

__all__ = ["Condition", "ConditionList", "ConditionStatus"]


class ConditionStatus(StrEnum):
    """The three values the API server accepts for ``status``."""

    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"

    @classmethod
    def coerce(cls, value: object) -> ConditionStatus:
        """A member from itself, its exact string, or a bool."""
        if isinstance(value, bool):
            return cls.TRUE if value else cls.FALSE
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
        raise ValueError(
            f"status must be one of 'True', 'False', 'Unknown' or a bool, got {value!r}"
        )


# Types and reasons come from small vocabularies: each distinct value is checked once.
_checked_type = lru_cache(maxsize=4096)(check_type)
_checked_reason = lru_cache(maxsize=4096)(check_reason)


def _type(value: object) -> str:
    return _checked_type(value if type(value) is str else as_plain_str(value, "type"))


def _reason(value: object) -> str:
    return _checked_reason(value if type(value) is str else as_plain_str(value, "reason"))


def _message(value: object) -> str:
    if type(value) is str and len(value) <= MAX_MESSAGE_BYTES and value.isascii():
        return value  # ASCII: one byte a character, no surrogates, fits as it is
    return fit_message(as_plain_str(value, "message"))


def _generation(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"observedGeneration must be an integer, got {type(value).__name__}")
    if not 0 <= value <= MAX_OBSERVED_GENERATION:
        raise ValueError("observedGeneration must be between 0 and 2^63-1")
    return value


ConditionTypeName = Annotated[str, BeforeValidator(_type)]
ReasonName = Annotated[str, BeforeValidator(_reason)]
Message = Annotated[str, BeforeValidator(_message)]
Generation = Annotated[int | None, BeforeValidator(_generation)]
StatusValue = Annotated[ConditionStatus, BeforeValidator(ConditionStatus.coerce)]


class Condition(KubeModel):
    """One aspect of an object's state, keyed by ``type`` within a status.

    Immutable: change a condition with [`set_condition`][gittarget_status.set_condition], which owns
    the lastTransitionTime rule. ``last_transition_time`` is None only until it is set.
    """

    model_config = ConfigDict(frozen=True)

    type: ConditionTypeName
    status: StatusValue
    observed_generation: Generation = None
    last_transition_time: KubeTime | None = None
    reason: ReasonName
    message: Message = ""

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields outside metav1.Condition that a lenient parse kept (e.g. ``severity``)."""
        return dict(self.model_extra or {})

    def is_status(self, status: ConditionStatus | str | bool) -> bool:
        return self.status is ConditionStatus.coerce(status)

    def with_changes(self, **changes: Any) -> Condition:
        """A validated copy with ``changes`` applied (the model itself is immutable)."""
        data = self.model_dump(exclude_none=False)
        aliases = {field.alias: name for name, field in type(self).model_fields.items()}
        data.update({aliases.get(key, key): value for key, value in changes.items()})
        try:
            return type(self).model_validate(data, context=_keep_extras())
        except ValidationError as exc:
            raise StatusValidationError.from_pydantic(exc) from None

    def __repr__(self) -> str:
        parts = [f"{self.type}={self.status.value}", f"reason={self.reason}"]
        if self.message:
            parts.append(f"message={self.message[:40]!r}")
        if self.observed_generation is not None:
            parts.append(f"gen={self.observed_generation}")
        if self.last_transition_time is not None:
            parts.append(f"ltt={self.last_transition_time.isoformat()}")
        return f"Condition({', '.join(parts)})"


def _keep_extras() -> dict[str, Any]:
    return {CONTEXT_KEY: ParseOptions(strict=False)}


def _unique_types(conditions: list[Condition], info: ValidationInfo) -> list[Condition]:
    """A status holds at most one condition per type (the list is a map)."""
    seen: set[str] = set()
    kept: list[Condition] = []
    options = lenient_context(info)
    for index, condition in enumerate(conditions):
        if condition.type not in seen:
            seen.add(condition.type)
            kept.append(condition)
        elif options is not None and not options.strict:
            options.dropped.append((f"conditions[{index}]", condition.to_k8s()))
        else:
            raise ValueError(f"duplicate condition type {condition.type!r} at index {index}")
    return kept


#: A status's ``conditions`` field: a list keyed by type. Lenient parses keep the first
#: of a duplicated type (what kubectl reads); everything else rejects duplicates.
def _null_is_empty(value: object) -> object:
    """``conditions: null`` is what Go writes for a nil slice: read it as no conditions."""
    return [] if value is None else value


ConditionList = Annotated[
    list[Condition], BeforeValidator(_null_is_empty), AfterValidator(_unique_types)
]
