"""Shared behaviour of every model that mirrors Kubernetes JSON.

* Python attributes are snake_case; the JSON form uses the API's camelCase names, and
  both spellings are accepted on input.
* Keyword construction in Python rejects unknown fields (a typo must not vanish), while
  ``from_k8s`` keeps them: other controllers and newer versions of this library write
  fields we do not know, and a status write must hand them back untouched.
* Every validation failure surfaces as
  [`StatusValidationError`][gittarget_status.StatusValidationError] naming the field.

It is a little over 300 lines because the parse options (lenient, API, strict levels) and
the models that read them are one mechanism: splitting them would make the options public.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic.alias_generators import to_camel

from gittarget_status._errors import StatusValidationError, UnknownFieldsError
from gittarget_status._slots import SET_EXTRA, SET_FIELDS_SET
from gittarget_status._stored import as_stored, shared_fields_set
from gittarget_status._stored._marker import _EVERY_FIELD

__all__ = [
    "CONTEXT_KEY",
    "MAX_JSON_DEPTH",
    "KeptExtras",
    "KubeModel",
    "ParseOptions",
    "api_context",
    "copy_json",
    "lenient_context",
    "shared_fields_set",
]

#: Key of the pydantic validation context that carries ``ParseOptions``.
CONTEXT_KEY = "gittarget_status"
#: Deepest JSON nesting ``from_k8s`` accepts. pydantic cannot serialise much deeper (about
#: 255 levels), so a status parsed beyond this could never be written back: reject it on
#: parse, naming the path, instead of failing later in ``to_k8s``.
MAX_JSON_DEPTH = 200


class ParseOptions:
    """How forgiving a parse from API-server JSON is (see ``from_k8s``)."""

    __slots__ = ("api", "dropped", "kept_unknown", "normalised", "odd", "strict")

    def __init__(self, *, strict: bool, api: bool = False) -> None:
        self.strict = strict
        #: The input is what the API server stored: values are checked at the server's
        #: level (not the stricter write rules) and each condition keeps its raw JSON.
        self.api = api
        #: Whether any unknown field was kept (only then can the input nest arbitrarily).
        self.kept_unknown = False
        #: Whether a value of a declared field was read in a non-canonical form (a
        #: fractional or offset timestamp): writing the model back changes it.
        self.normalised = False
        #: Entries a lenient parse had to drop (duplicate condition types), by path.
        self.dropped: list[tuple[str, object]] = []
        #: Whether a condition read breaks a strict write rule (only then can an owned
        #: one need a repair; see ``Condition.strict_problem``).
        self.odd = False


def lenient_context(info: ValidationInfo) -> ParseOptions | None:
    """The parse options when validating API-server JSON, else None (Python construction)."""
    context = info.context
    if isinstance(context, Mapping):
        options = context.get(CONTEXT_KEY)
        if isinstance(options, ParseOptions):
            return options
    return None


def api_context(info: ValidationInfo) -> ParseOptions | None:
    """The parse options when the input is API-server JSON (``from_k8s``), else None."""
    context = info.context
    if type(context) is dict:
        options = context.get(CONTEXT_KEY)
        if type(options) is ParseOptions and options.api:
            return options
    return None


class KubeModel(BaseModel):
    """Base of all status models: camelCase JSON, unknown fields preserved, typed errors."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        validate_assignment=True,
        json_schema_mode_override="validation",
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise StatusValidationError.from_pydantic(exc) from None

    # Only translates errors: tell pydantic this is not a custom __init__, so validation
    # of nested models (and the parse context) does not route through it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        name = self._assignable_name(name)
        # pydantic validates the model assigned to again, with its unknown fields in a
        # new plain dict: they are not new input (see ``_reject_unknown_fields``).
        _ASSIGNED.add(id(self))
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            raise StatusValidationError.from_pydantic(exc) from None
        finally:
            _ASSIGNED.discard(id(self))

    def _assignable_name(self, name: str) -> str:
        """The field ``name`` (or its camelCase alias) refers to; unknown names are refused.

        With ``extra="allow"`` pydantic would store a misspelt attribute as an unknown
        field and send it to the API server, and an alias would land beside the real
        field and be dropped on output. Keys a lenient parse kept stay assignable.
        """
        fields = type(self).model_fields
        if name in fields or name.startswith("_") or name in (self.model_extra or {}):
            return name
        for field_name, field in fields.items():
            if field.alias == name:
                return field_name
        raise StatusValidationError.single(
            name, f"unknown field {name!r}", model=type(self).__name__
        )

    @model_validator(mode="after")
    def _reject_unknown_fields(self, info: ValidationInfo) -> Self:
        # After, not wrap: pydantic calls an after validator for a fraction of the cost.
        # An instance passed in again (put into a new status, or assigned to) reaches this
        # too: unknown fields a lenient parse accepted are marked (``KeptExtras``), so
        # they are not refused as new input; dicts nested in an assigned value are.
        cls = type(self)
        every = _EVERY_FIELD.get(cls, _UNSEEN)
        if every is _UNSEEN:
            every = shared_fields_set(cls)
        if every is not None and len(self.__pydantic_fields_set__) == len(every):
            # Frozen and fully given (what the API server stores): one shared set per
            # class instead of one each (about 200 to 700 bytes a model); copies, which
            # pydantic's model_copy updates in place, get their own (``__copy__``).
            SET_FIELDS_SET(self, every)
        extra = self.__pydantic_extra__
        if not extra or type(extra) is KeptExtras:
            return self
        if _ASSIGNED and id(self) in _ASSIGNED:
            SET_EXTRA(self, KeptExtras(extra))  # validated when it was built
            return self
        options = lenient_context(info)
        if options is not None and not options.strict:
            options.kept_unknown = True
            SET_EXTRA(self, KeptExtras(extra))
            return self
        raise UnknownFieldsError(sorted(extra))

    @classmethod
    def from_k8s(cls, data: object, *, strict: bool = False) -> Self:
        """Parse the API server's JSON (a ``dict`` as any Kubernetes client returns it).

        Values are checked at the API server's level, not the stricter rules applied to
        what this library builds: whatever the server stores for the CRD is readable
        (another controller's 64-character condition name, a 32768-character multibyte
        message, a fractional or offset timestamp), and each condition keeps its raw JSON
        so that it is written back byte for byte unless it is changed.

        Lenient by default: unknown fields and condition types are kept for the round
        trip, and a duplicated condition type keeps its first entry (what kubectl and
        apimachinery readers see; see ``StatusModel.dropped_on_parse``). ``strict=True``
        rejects unknown fields and duplicates instead.
        """
        if not isinstance(data, Mapping):
            raise StatusValidationError.single(
                "", f"expected a JSON object, got {type(data).__name__}", model=cls.__name__
            )
        built = as_stored(cls, data)
        if built is not None:  # the stored form: validation would change and note nothing
            built._read_as_stored(data)
            return built  # type: ignore[no-any-return]
        return cls._validated_from_k8s(data, strict=strict)

    @classmethod
    def _validated_from_k8s(cls, data: Mapping[str, Any], *, strict: bool) -> Self:
        """``from_k8s`` through pydantic's validation, whatever the form of ``data``."""
        options = ParseOptions(strict=strict, api=True)
        try:
            # snake_case keys are accepted too: the official client's to_dict() uses them.
            model = cls.model_validate(data, context={CONTEXT_KEY: options})
        except ValidationError as exc:
            raise StatusValidationError.from_pydantic(exc) from None
        if options.kept_unknown and _nesting_exceeds(data, MAX_JSON_DEPTH):
            raise StatusValidationError.single(
                _deepest_path(data, MAX_JSON_DEPTH),
                f"nested deeper than {MAX_JSON_DEPTH} levels (could not be written back)",
                model=cls.__name__,
            )
        model._parsed_from(data, options)
        return model

    def _parsed_from(self, data: Mapping[str, Any], options: ParseOptions) -> None:
        """Hook for status roots: remember what ``from_k8s`` read (see StatusModel)."""

    def _read_as_stored(self, data: Mapping[str, Any]) -> None:
        """The same hook, for a model ``from_k8s`` built directly from the stored form."""

    def __copy__(self) -> Self:
        """pydantic's copy, owning a mutable fields set (``model_copy(update=...)`` adds to
        it; a fully given frozen model shares an immutable one)."""
        copied = super().__copy__()
        SET_FIELDS_SET(copied, set(self.__pydantic_fields_set__))
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        SET_FIELDS_SET(copied, set(self.__pydantic_fields_set__))
        return copied

    def __eq__(self, other: object) -> bool:
        """Equal iff same model, fields and unknown fields.

        Unlike pydantic's default this ignores private attributes: what a lenient parse
        dropped is a diagnostic of how the value was read, not part of the status, so
        two statuses that serialize identically compare equal.
        """
        if type(other) is not type(self):  # one pointer compare decides the common case
            return False if isinstance(other, BaseModel) else NotImplemented
        return (
            self.__dict__ == other.__dict__ and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    # Defining __eq__ would otherwise make instances unhashable; frozen subclasses get
    # pydantic's field-based hash, mutable ones stay unhashable as before.
    __hash__ = BaseModel.__hash__

    def to_k8s(self) -> dict[str, Any]:
        """Exactly the JSON the API server expects: camelCase, RFC 3339, unset omitted.

        Declared fields that are None (or an empty list) are omitted, as the API does;
        unknown fields are written back exactly as read, ``null`` values included.
        """
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        _restore(self, data)
        return data


class KeptExtras(dict[str, Any]):
    """Unknown fields a lenient parse accepted: kept, and never refused as new input."""

    __slots__ = ()


_UNSEEN: Any = object()
#: Models being assigned to (``__setattr__``), by id.
_ASSIGNED: set[int] = set()


def _restore(model: BaseModel, data: dict[str, Any]) -> None:
    """Undo what ``exclude_none`` does beyond the API's rules, in one walk of the tree.

    pydantic's native dump is several times faster than a per-model serializer hook,
    but it also drops ``null`` inside unknown fields and keeps empty lists.
    """
    extra = model.__pydantic_extra__
    if extra:
        for key, value in extra.items():
            if value is None or _has_null(value):
                data[key] = copy.deepcopy(value)
    for name, field in type(model).model_fields.items():
        value = model.__dict__[name]
        key = field.alias or name
        dumped = data.get(key)  # absent for a field the model excludes from its dump
        if isinstance(value, BaseModel):
            if type(dumped) is dict:
                _restore(value, dumped)
        elif isinstance(value, list):
            if not value:
                data.pop(key, None)
                continue
            if type(dumped) is not list:
                continue
            items = dumped
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    raw = raw_json(item)
                    if raw is not None:  # a condition read from the API: written as read
                        items[index] = copy_json(raw)
                    else:
                        _restore(item, items[index])


def _no_raw(model: object) -> dict[str, Any] | None:
    return None


#: The JSON a model was read from, if it keeps it (conditions do: set by their module).
raw_json: Callable[[object], dict[str, Any] | None] = _no_raw


def copy_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a JSON object that owns its nested values (flat ones cost one dict call)."""
    out = dict(raw)
    for key, value in out.items():
        if isinstance(value, dict | list):
            out[key] = copy.deepcopy(value)
    return out


def _has_null(value: object) -> bool:
    if isinstance(value, dict):
        return any(v is None or _has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(v is None or _has_null(v) for v in value)
    return False


def _children(value: object) -> list[tuple[str | int, object]]:
    if isinstance(value, Mapping):
        return [(str(key), item) for key, item in value.items()]
    if isinstance(value, list | tuple):
        return list(enumerate(value))
    return []


def _nesting_exceeds(data: object, limit: int) -> bool:
    """Whether any value sits more than ``limit`` levels deep (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for _, child in _children(value))
    return False


def _deepest_path(data: object, limit: int) -> str:
    """The path (``a.b[0]``) of the first value nested more than ``limit`` levels deep."""
    stack: list[tuple[object, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, path = stack.pop()
        if depth > limit:
            return path
        for key, child in _children(value):
            step = f"[{key}]" if isinstance(key, int) else (f".{key}" if path else key)
            stack.append((child, depth + 1, path + step))
    return ""
