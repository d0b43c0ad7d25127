"""The fields of a condition: the status enum and each field's validator.

Strict for what this library builds; the API server's looser rules for what
``from_k8s`` reads (noted as ``odd`` on the parse, so a pass knows an owned condition
needs repairing).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import BeforeValidator, ValidationInfo

from gittarget_status._base import api_context
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

__all__ = [
    "ConditionStatus",
    "ConditionTypeName",
    "Generation",
    "Message",
    "ReasonName",
    "StatusValue",
    "checked_reason",
    "checked_type",
]


class ConditionStatus(StrEnum):
    """The three values the API server accepts for ``status``."""

    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"

    @classmethod
    def coerce(cls, value: object) -> ConditionStatus:
        """A member from itself, its exact string, or a bool."""
        if isinstance(value, str):
            # A dict lookup, not the enum's (much slower) call: every parsed condition comes here.
            member = cls._value2member_map_.get(value)
            if member is not None:
                return member  # type: ignore[return-value]
        elif isinstance(value, bool):
            return cls.TRUE if value else cls.FALSE
        raise ValueError(
            f"status must be one of 'True', 'False', 'Unknown' or a bool, got {value!r}"
        )


# Types and reasons come from small vocabularies: each distinct value is checked once.
checked_type = lru_cache(maxsize=4096)(check_type)
_checked_server_type = lru_cache(maxsize=4096)(check_server_type)
checked_reason = lru_cache(maxsize=4096)(check_reason)


def _type(value: object, info: ValidationInfo) -> str:
    """Strict for what we build; the server's looser rule for what ``from_k8s`` reads."""
    text = value if type(value) is str else as_plain_str(value, "type")
    try:
        return checked_type(text)
    except ValueError:
        options = api_context(info)
        if options is None:
            raise
    checked = _checked_server_type(text)
    options.odd = True  # readable, but not what the strict rules would write
    return checked


def _reason(value: object) -> str:
    # The server's reason rule and Go's are the same (an ASCII pattern, 1024 characters).
    return checked_reason(value if type(value) is str else as_plain_str(value, "reason"))


def _message(value: object, info: ValidationInfo) -> str:
    """Built messages are truncated to fit in bytes; read ones are kept as stored."""
    if type(value) is str and len(value) <= MAX_MESSAGE_BYTES and value.isascii():
        return value  # ASCII: one byte a character, no surrogates, fits as it is
    text = as_plain_str(value, "message")
    options = api_context(info)
    if options is not None and len(text) <= MAX_MESSAGE_LENGTH:
        if not message_fits(check_server_message(text)):
            options.odd = True
        return text
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
