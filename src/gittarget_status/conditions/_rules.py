"""metav1.Condition's validation rules, at two levels.

* **Server level** (what we read): the CRD schema markers on metav1.Condition (patterns,
  character lengths, enum). Anything the API server stores for our CRD is readable, so
  another controller's valid data never wedges a pass (``check_server_type``,
  ``check_server_message``).
* **Strict level** (what we build and write): additionally the Go-side
  ``ValidateConditions`` used for built-in types (qualified-name type, byte lengths), so
  whatever this library emits is accepted by every API server and every Go reader.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

__all__ = [
    "MAX_MESSAGE_BYTES",
    "MAX_MESSAGE_LENGTH",
    "MAX_OBSERVED_GENERATION",
    "MAX_REASON_LENGTH",
    "MAX_TYPE_LENGTH",
    "REASON_PATTERN",
    "TRUNCATION_MARKER",
    "TYPE_PATTERN",
    "check_reason",
    "check_server_message",
    "check_server_type",
    "check_type",
    "fit_message",
    "message_fits",
]

#: CRD schema pattern for ``type`` (a qualified name, optional DNS-subdomain prefix).
TYPE_PATTERN: Final = (
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
)
MAX_TYPE_LENGTH: Final = 316
_NAME_MAX: Final = 63
_PREFIX_MAX: Final = 253
_NAME_RE: Final = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_SERVER_TYPE_RE: Final = re.compile(TYPE_PATTERN[1:-1])
_DNS1123_SUBDOMAIN_RE: Final = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
)

#: CRD schema pattern for ``reason`` (CamelCase, may join reasons with ``,`` or ``:``).
REASON_PATTERN: Final = r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"
_REASON_RE: Final = re.compile(r"[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?")
MAX_REASON_LENGTH: Final = 1024

#: Both the CRD (characters) and Go (bytes) cap the message at 32 KiB; bytes bind first.
MAX_MESSAGE_BYTES: Final = 32 * 1024
#: The CRD's ``maxLength`` for ``message``, in characters (what the server checks).
MAX_MESSAGE_LENGTH: Final = 32 * 1024
TRUNCATION_MARKER: Final = " ...[truncated]"

#: metav1 stores observedGeneration as int64.
MAX_OBSERVED_GENERATION: Final = 2**63 - 1


def as_plain_str(value: object, what: str) -> str:
    """Accept ``str`` (and str enums, as their value); refuse anything else by name.

    The one "enum or str to str" of the library: types, reasons and messages go through it.
    """
    if type(value) is str:
        return value
    if isinstance(value, Enum) and isinstance(value.value, str):
        return value.value
    if isinstance(value, str):
        return str(value)
    raise ValueError(f"{what} must be a string, got {type(value).__name__}")


def check_type(value: str) -> str:
    """Qualified name: ``[prefix/]name``, name <= 63, DNS-1123 prefix <= 253."""
    if not value:
        raise ValueError("condition type must not be empty")
    if len(value.encode()) > MAX_TYPE_LENGTH:
        raise ValueError(f"condition type is longer than {MAX_TYPE_LENGTH} bytes")
    prefix, slash, name = value.rpartition("/")
    bad_prefix = not prefix or len(prefix) > _PREFIX_MAX
    if slash and (bad_prefix or not _DNS1123_SUBDOMAIN_RE.fullmatch(prefix)):
        raise ValueError(
            f"condition type prefix {prefix!r} must be a lowercase DNS-1123 subdomain "
            f"of at most {_PREFIX_MAX} characters"
        )
    if not name or len(name) > _NAME_MAX or not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"condition type {value!r} must be a qualified name: at most {_NAME_MAX} "
            "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric "
            "(e.g. 'Ready' or 'example.com/Ready')"
        )
    return value


def check_server_type(value: str) -> str:
    """What the CRD accepts: the type pattern and at most 316 characters (read side).

    Looser than ``check_type``: a name part longer than 63 characters or a long
    prefix is stored by the API server, so it must be readable (and written back as is).
    """
    if len(value) > MAX_TYPE_LENGTH:
        raise ValueError(f"condition type is longer than {MAX_TYPE_LENGTH} characters")
    if not _SERVER_TYPE_RE.fullmatch(value):
        raise ValueError(f"condition type {value[:80]!r} does not match {TYPE_PATTERN}")
    return value


def check_server_message(value: str) -> str:
    """What the CRD accepts: at most 32768 characters, whatever their UTF-8 size (read side)."""
    if len(value) > MAX_MESSAGE_LENGTH:
        raise ValueError(f"message is longer than {MAX_MESSAGE_LENGTH} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("message is not valid Unicode (lone surrogate)") from None
    return value


def message_fits(value: str) -> bool:
    """Whether ``value`` is within the strict (byte) limit: written as is, not truncated."""
    if len(value) <= MAX_MESSAGE_BYTES and value.isascii():
        return True
    try:
        return len(value.encode("utf-8")) <= MAX_MESSAGE_BYTES
    except UnicodeEncodeError:
        return False


def check_reason(value: str) -> str:
    """CamelCase identifier, 1..1024 characters, matching the metav1 reason pattern."""
    if not value:
        raise ValueError("reason must not be empty")
    if len(value) > MAX_REASON_LENGTH:
        raise ValueError(f"reason is longer than {MAX_REASON_LENGTH} characters")
    if not _REASON_RE.fullmatch(value):
        raise ValueError(
            f"reason {value[:80]!r} must start with a letter, contain only letters, digits, "
            "'_', ',' or ':', and end with a letter, digit or '_' (e.g. 'ProviderNotFound')"
        )
    return value


def fit_message(value: str, limit: int = MAX_MESSAGE_BYTES) -> str:
    """Truncate (never reject) an over-long message on a character boundary.

    A status write the API server refuses is a lost update, so a long error text is
    shortened to fit both the 32768-character and the 32768-byte limit, with a marker.
    ``limit`` (bytes) serves other fields with the same rule (an Event's 1024-byte note).
    """
    try:
        encoded = value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("message is not valid Unicode (lone surrogate)") from None
    if len(encoded) <= limit:
        return value
    budget = limit - len(TRUNCATION_MARKER.encode("utf-8"))
    head = encoded[:budget].decode("utf-8", errors="ignore")
    return head + TRUNCATION_MARKER
