"""The condition model: a typed, immutable mirror of ``metav1.Condition``.

Its fields' validators live in ``_fields``. The keeping of each entry's stored JSON
(``keep_raw``, ``raw_json``, ``built_as_stored``) stays beside the model, hence about 360
lines: it reads and sets the model's two private slots, and the model's methods call it,
so apart the two modules would import each other.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Self

from pydantic import ConfigDict, ValidationError

from gittarget_status import _base
from gittarget_status._base import (
    CONTEXT_KEY,
    KubeModel,
    ParseOptions,
    copy_json,
    shared_fields_set,
)
from gittarget_status._errors import StatusValidationError
from gittarget_status._slots import NEW, SET_ATTR, SET_EXTRA, SET_FIELDS_SET, SET_PRIVATE
from gittarget_status._stored import NO_EXTRAS
from gittarget_status.conditions._fields import (
    ConditionStatus,
    ConditionTypeName,
    Generation,
    Message,
    ReasonName,
    StatusValue,
    checked_reason,
    checked_type,
)
from gittarget_status.conditions._rules import (
    MAX_MESSAGE_BYTES,
    MAX_OBSERVED_GENERATION,
    message_fits,
)
from gittarget_status.conditions._time import KubeTime, as_stored_time, format_kube_time

__all__ = [
    "Condition",
    "ConditionStatus",
    "built_as_stored",
    "keep_raw",
    "raw_json",
    "stored_keys",
]


class Condition(KubeModel):
    """One aspect of an object's state, keyed by ``type`` within a status.

    Immutable: change a condition with [`set_condition`][gittarget_status.set_condition], which owns
    the lastTransitionTime rule. ``last_transition_time`` is None only until it is set.
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

    @classmethod
    def from_k8s(cls, data: object, *, strict: bool = False) -> Self:
        """Parse one condition's API JSON (see ``KubeModel.from_k8s``), keeping it as read."""
        if cls is Condition and type(data) is dict:
            built = built_as_stored(data, dict(data))
            if built is not None:
                return built  # type: ignore[return-value]
        model = super().from_k8s(data, strict=strict)
        if type(data) is dict:
            keep_raw(model, data)
        return model

    @property
    def stored_json(self) -> dict[str, Any] | None:
        """The JSON this condition was read from by ``from_k8s`` (None if built here).

        ``to_k8s`` writes exactly this back (same keys, key order and timestamp string),
        so a condition read from another controller and not changed is never rewritten.
        """
        raw = raw_json(self)
        return None if raw is None else copy_json(raw)

    @property
    def strict_problem(self) -> str | None:
        """The write rule this condition breaks as stored, or None.

        Only a condition read from the API server can break one: a type that is not a
        Go qualified name, a message over 32768 UTF-8 bytes, a lastTransitionTime not in
        whole-second UTC (``...Z``). The server accepts these; this library never writes
        them for a condition it owns, and repairs an owned one that has them.
        """
        try:
            found: str | None = _PROBLEM_SLOT.__get__(self)
        except AttributeError:
            found = _UNCHECKED
        if found is _UNCHECKED:
            found = _problem_of(self)
            _PROBLEM_SLOT.__set__(self, found)
        return found

    def canonical(self) -> Condition:
        """This condition as this library writes it (strict rules; read JSON forgotten).

        Fields outside metav1.Condition go too: the CRD declares none, so a merge patch
        would see them pruned and server-side apply refuses them.
        """
        extra = self.model_extra
        if raw_json(self) is None and not extra:
            return self
        if not extra:
            return self.with_changes()
        data = {k: v for k, v in self.model_dump(exclude_none=False).items() if k not in extra}
        try:
            return type(self).model_validate(data)
        except ValidationError as exc:
            raise StatusValidationError.from_pydantic(exc) from None

    def to_k8s(self) -> dict[str, Any]:
        """The API JSON: exactly as read if read by ``from_k8s``, else canonical."""
        raw = raw_json(self)
        if raw is not None:
            return copy_json(raw)
        return super().to_k8s()

    def __copy__(self) -> Self:
        """A shallow copy that is no longer "as read": ``model_copy`` changes go through it."""
        copied = super().__copy__()
        _RAW_SLOT.__set__(copied, None)
        _PROBLEM_SLOT.__set__(copied, None)
        return copied

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


_RAW_SLOT: Any = Condition.__dict__["_gts_raw"]
_PROBLEM_SLOT: Any = Condition.__dict__["_gts_problem"]
_SET_RAW = _RAW_SLOT.__set__
_SET_PROBLEM = _PROBLEM_SLOT.__set__
#: ``_gts_problem`` before the check ran (None means checked and clean).
_UNCHECKED: Any = "unchecked"


def raw_json(condition: object) -> dict[str, Any] | None:
    """The JSON ``condition`` was read from, or None (built, changed, or not a Condition)."""
    if not isinstance(condition, Condition):
        return None
    try:
        raw: dict[str, Any] | tuple[str, ...] | None = _RAW_SLOT.__get__(condition)
    except AttributeError:  # built in Python (or a deepcopy): not read from the API
        return None
    if type(raw) is tuple:
        return _as_read(condition, raw)
    return raw  # type: ignore[return-value]


def stored_keys(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The keys of a condition in the stored form, in their order, or None (a key that
    is no metav1 field's): one shared tuple per order (a dozen at most), kept instead of
    the JSON, which they render again."""
    keys = tuple(data)
    order = _KEY_ORDERS.get(keys)
    if order is None and data.keys() <= _STORED_KEYS:
        order = _KEY_ORDERS.setdefault(keys, keys)  # bounded: orders of the six metav1 keys
    return order


_KEY_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _as_read(condition: Condition, keys: tuple[str, ...]) -> dict[str, Any]:
    """The stored JSON of a condition ``built_as_stored`` read: its values in their JSON
    form (exact, since only the canonical form is built so), under ``keys`` in order."""
    values = condition.__dict__
    moment = values["last_transition_time"]
    rendered = {
        "type": values["type"],
        "status": values["status"].value,
        "observedGeneration": values["observed_generation"],
        "lastTransitionTime": None if moment is None else format_kube_time(moment),
        "reason": values["reason"],
        "message": values["message"],
    }
    return {key: rendered[key] for key in keys}


_base.raw_json = raw_json


def _keep_extras() -> dict[str, Any]:
    return {CONTEXT_KEY: ParseOptions(strict=False)}


_CANONICAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _problem_of(condition: Condition) -> str | None:
    raw = raw_json(condition)
    if raw is None:
        return None
    try:
        checked_type(condition.type)
    except ValueError as exc:
        return f"type: {exc}"
    if not message_fits(condition.message):
        return f"message: longer than {MAX_MESSAGE_BYTES} UTF-8 bytes"
    if condition.model_extra:
        return f"{sorted(condition.model_extra)}: not fields of metav1.Condition"
    ltt = raw.get("lastTransitionTime")
    # Parsed already, so the shape alone tells whether it is the canonical form.
    if ltt is not None and not (type(ltt) is str and _CANONICAL_TIME.fullmatch(ltt)):
        return f"lastTransitionTime: {ltt!r} is not whole-second UTC"
    if "lastTransitionTime" not in raw:
        return "lastTransitionTime: missing"
    return None


def keep_raw(model: Condition, data: dict[str, Any], *, shared: bool = False) -> bool | None:
    """Remember the JSON ``model`` was read from.

    True if kept, False if ``data`` is not in the API's own form (snake_case keys,
    datetimes: nothing to write back as is), None if the read had to change a value.
    ``shared``: ``data`` is an entry of a status's list that the status keeps as its
    ``stored_json`` already, so the condition refers to that very dict instead of a copy
    (both are read-only views of what was read).
    """
    if "last_transition_time" in data or "observed_generation" in data:
        return False
    ltt = data.get("lastTransitionTime")
    if type(data.get("status")) is not str or (ltt is not None and type(ltt) is not str):
        return False
    stored = data.get("message", model.message)
    if model.message is not stored and model.message != stored:
        return None  # truncated on read (beyond any server's limit): written back changed
    extra = model.__pydantic_extra__
    if shared:
        raw = data
    else:
        raw = dict(data)
        if extra:
            for key, value in extra.items():
                if isinstance(value, dict | list):
                    raw[key] = copy.deepcopy(value)
    _SET_RAW(model, raw)
    _SET_PROBLEM(model, _UNCHECKED)
    return True


#: What the API server writes for a condition: these keys, each in its JSON form.
_STORED_KEYS = frozenset(field.alias or name for name, field in Condition.model_fields.items())
_EVERY_FIELD: frozenset[str] = shared_fields_set(Condition) or frozenset()
_STATUSES = ConditionStatus._value2member_map_


def built_as_stored(
    data: object, raw: dict[str, Any] | tuple[str, ...] | None = None
) -> Condition | None:
    """``data`` as a Condition if it is in the form the API server writes, else None.

    Every field passes the strict rules (so validation would change nothing and note
    nothing), and the model is built without pydantic's per-field Python calls: about a
    quarter of the cost. Anything else returns None and takes the full validation, with
    its errors, lenient readings and notes. ``raw``: the JSON to keep as read (see
    ``keep_raw``, whose checks such input passes by construction), or its ``stored_keys``
    (the JSON is then rendered again from the fields when asked for; the keys are
    those of the stored form, as ``stored_keys`` returns them).
    """
    if type(data) is not dict or (type(raw) is not tuple and not data.keys() <= _STORED_KEYS):
        return None
    try:
        type_ = data["type"]
        status = _STATUSES[data["status"]]
        reason = data["reason"]
    except (KeyError, TypeError):  # a required field missing, or a status no enum value is
        return None
    message = data.get("message", "")
    generation = data.get("observedGeneration")
    ltt = data.get("lastTransitionTime")
    if (
        type(type_) is not str
        or type(reason) is not str
        or type(message) is not str
        or len(message) > MAX_MESSAGE_BYTES
        or not message.isascii()
        or (
            generation is not None
            and (type(generation) is not int or not 0 <= generation <= MAX_OBSERVED_GENERATION)
        )
    ):
        return None
    if ltt is not None:
        ltt = as_stored_time(ltt)
        if ltt is None:
            return None
    try:
        checked_type(type_)
        checked_reason(reason)
    except ValueError:
        return None
    model = NEW(Condition)
    SET_ATTR(
        model,
        "__dict__",
        {
            "type": type_,
            "status": status,
            "observed_generation": generation,
            "last_transition_time": ltt,
            "reason": reason,
            "message": message,
        },
    )
    # What pydantic records: the fields given (shared when all are, as KubeModel does).
    if len(data) == len(_EVERY_FIELD):
        SET_FIELDS_SET(model, _EVERY_FIELD)
    else:
        SET_FIELDS_SET(model, {_FIELD_OF[key] for key in data})
    SET_EXTRA(model, NO_EXTRAS)  # frozen: the one shared empty dict
    SET_PRIVATE(model, None)
    if raw is not None:
        _SET_RAW(model, raw)  # ``_gts_problem`` left unset: not checked yet
    return model


_FIELD_OF = {field.alias or name: name for name, field in Condition.model_fields.items()}
