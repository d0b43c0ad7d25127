"""The condition model: a typed, immutable mirror of ``metav1.Condition``."""

from __future__ import annotations

import copy
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from gittarget_status._base import (
    CONTEXT_KEY,
    KubeModel,
    ParseOptions,
    api_context,
    copy_json,
    lenient_context,
)
from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions._rules import (
    MAX_MESSAGE_BYTES,
    MAX_MESSAGE_LENGTH,
    MAX_OBSERVED_GENERATION,
    as_plain_str,
    check_reason,
    check_server_message,
    check_server_type,
    check_type,
    fit_message,
    message_fits,
)
from gittarget_status.conditions._time import KubeTime, is_canonical_time

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
_checked_server_type = lru_cache(maxsize=4096)(check_server_type)
_checked_reason = lru_cache(maxsize=4096)(check_reason)


def _type(value: object, info: ValidationInfo) -> str:
    """Strict for what we build; the server's looser rule for what ``from_k8s`` reads."""
    text = value if type(value) is str else as_plain_str(value, "type")
    try:
        return _checked_type(text)
    except ValueError:
        if api_context(info) is None:
            raise
    return _checked_server_type(text)


def _reason(value: object) -> str:
    # The server's reason rule and Go's are the same (an ASCII pattern, 1024 characters).
    return _checked_reason(value if type(value) is str else as_plain_str(value, "reason"))


def _message(value: object, info: ValidationInfo) -> str:
    """Built messages are truncated to fit in bytes; read ones are kept as stored."""
    if type(value) is str and len(value) <= MAX_MESSAGE_BYTES and value.isascii():
        return value  # ASCII: one byte a character, no surrogates, fits as it is
    text = as_plain_str(value, "message")
    if api_context(info) is not None and len(text) <= MAX_MESSAGE_LENGTH:
        return check_server_message(text)
    # Built, or read beyond what any server stores: truncated (never a wedge).
    return fit_message(text)


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

    Immutable: change a condition with :func:`set_condition`, which owns the
    lastTransitionTime rule. ``last_transition_time`` is None only until it is set.
    """

    model_config = ConfigDict(frozen=True)
    # The JSON a condition was read from (set by from_k8s only) and, once computed, the
    # strict rule it breaks. Slots, not private attributes: copies (model_copy, which
    # every change goes through) do not carry them, so a changed condition is canonical.
    __slots__ = ("_gts_problem", "_gts_raw")

    type: ConditionTypeName
    status: StatusValue
    observed_generation: Generation = None
    last_transition_time: KubeTime | None = None
    reason: ReasonName
    message: Message = ""

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        options = api_context(info)
        if options is None:
            return handler(data)
        normalised = options.normalised
        model = handler(data)
        # The entry is written back as read: a fractional time in it is not a repair.
        options.normalised = normalised
        if type(data) is not dict or not _is_api_json(data):
            return model
        if model.message is not data.get("message", model.message):
            options.normalised = True  # truncated on read: written back changed
        else:
            raw = dict(data)
            extra = model.__pydantic_extra__
            if extra:
                for key, value in extra.items():
                    if isinstance(value, dict | list):
                        raw[key] = copy.deepcopy(value)
            object.__setattr__(model, "_gts_raw", raw)
        return model

    @property
    def stored_json(self) -> dict[str, Any] | None:
        """The JSON this condition was read from by ``from_k8s`` (None if built here).

        ``to_k8s`` writes exactly this back (same keys, key order and timestamp string),
        so a condition read from another controller and not changed is never rewritten.
        """
        raw: dict[str, Any] | None = getattr(self, "_gts_raw", None)
        return None if raw is None else copy_json(raw)

    @property
    def strict_problem(self) -> str | None:
        """The write rule this condition breaks as stored, or None.

        Only a condition read from the API server can break one: a type that is not a
        Go qualified name, a message over 32768 UTF-8 bytes, a lastTransitionTime not in
        whole-second UTC (``...Z``). The server accepts these; this library never writes
        them for a condition it owns, and repairs an owned one that has them.
        """
        found: str | bool | None = getattr(self, "_gts_problem", False)
        if found is False:
            found = _problem_of(self)
            object.__setattr__(self, "_gts_problem", found)
        return found  # type: ignore[return-value]

    def canonical(self) -> Condition:
        """This condition as this library writes it (strict rules; read JSON forgotten)."""
        if getattr(self, "_gts_raw", None) is None:
            return self
        return self.with_changes()

    def to_k8s(self) -> dict[str, Any]:
        """The API JSON: exactly as read if read by ``from_k8s``, else canonical."""
        raw: dict[str, Any] | None = getattr(self, "_gts_raw", None)
        if raw is not None:
            return copy_json(raw)
        return super().to_k8s()

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


#: Keys Python spellings (``to_dict()``) use: such a dict is not API JSON to write back.
_SNAKE_KEYS = frozenset({"last_transition_time", "observed_generation"})


def _is_api_json(data: dict[str, Any]) -> bool:
    """Whether ``data`` is in the API's own form (it can be written back unchanged)."""
    if not _SNAKE_KEYS.isdisjoint(data):
        return False
    ltt = data.get("lastTransitionTime")
    status = data.get("status")
    return type(status) is str and (ltt is None or type(ltt) is str)


def _problem_of(condition: Condition) -> str | None:
    raw: dict[str, Any] | None = getattr(condition, "_gts_raw", None)
    if raw is None:
        return None
    try:
        _checked_type(condition.type)
    except ValueError as exc:
        return f"type: {exc}"
    if not message_fits(condition.message):
        return f"message: longer than {MAX_MESSAGE_BYTES} UTF-8 bytes"
    ltt = raw.get("lastTransitionTime")
    if ltt is not None and not is_canonical_time(ltt):
        return f"lastTransitionTime: {ltt!r} is not whole-second UTC"
    if "lastTransitionTime" not in raw:
        return "lastTransitionTime: missing"
    return None


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
