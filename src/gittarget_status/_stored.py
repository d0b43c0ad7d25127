"""Models read in the form the API server stores them, built without pydantic's field calls.

What the API server hands back is, nearly always, what a writer like this library put
there: camelCase keys, canonical timestamps, exact strings. For such input, validation
can change nothing and note nothing, so ``as_stored`` builds the model directly (the
instance dict and pydantic's slots, as pydantic would set them), at a fraction of the
cost. The recipe for each model class is derived once from its fields:

* a field whose ``Annotated`` metadata holds a ``Stored(read)`` marker is read with
  ``read``, which stands for the metadata before it (the type alias's own validators:
  ``KubeTime``, counts, the condition list); anything after it, or any other validator
  or constraint on the field, leaves the class without one;
* a nested pydantic model is read with its own recipe, made the same way;
* plain or strict ``str``, ``int`` and ``bool`` take exactly that type, within the
  bounds and lengths their ``Field(...)`` gives; a ``str`` enum takes one of its values.

Any input outside that (an unknown or snake_case key, a ``null``, a value in another
form, a missing required field) returns None, and the caller takes the full validation
with its errors, lenient readings and notes. A model with its own validators, a
``model_post_init`` of its own or value-changing settings is never given a recipe.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import WithJsonSchema
from pydantic.types import Strict
from pydantic_core import PydanticUndefined

__all__ = [
    "NO_EXTRAS",
    "Snapshot",
    "Stored",
    "as_stored",
    "exact_str",
    "renders_as_read",
    "shared_fields_set",
    "snapshot",
]

Read = Callable[[Any], Any]
_R = TypeVar("_R", bound=Read)


class Stored:
    """``Annotated`` metadata: how a stored JSON value of this type is read when canonical.

    ``from_k8s`` builds a model without pydantic when every value is in the form the API
    server stores (see docs/custom-gates.md). A field with a validator of your own opts in
    by putting ``Stored(read)`` after it: ``read(value)`` returns exactly what the
    metadata before it would return for ``value``, or None for any value that is not in
    the stored form or that they would refuse, change or note (that value then takes
    pydantic's full validation, with its error). A ``read`` that accepts more than the
    validators do lets unvalidated values in.
    """

    __slots__ = ("read",)

    def __init__(self, read: Read) -> None:
        self.read = read

    def __repr__(self) -> str:
        return f"Stored({getattr(self.read, '__name__', self.read)!r})"


def shared_fields_set(model: type[BaseModel]) -> frozenset[str] | None:
    """A frozen model's field names: the fields set its fully given instances share."""
    every: frozenset[str] | None = _EVERY_FIELD.get(model, _UNSEEN)
    if every is _UNSEEN:
        every = frozenset(model.model_fields) if model.model_config.get("frozen") else None
        _EVERY_FIELD[model] = every
    return every


#: ``shared_fields_set`` per class, filled on first use (a dict lookup: every parse passes here).
_EVERY_FIELD: dict[type, frozenset[str] | None] = {}


class _NoExtras(dict[str, Any]):
    """The unknown fields of a frozen model read without any: one empty dict for all of
    them (pydantic gives each model its own, 64 bytes), which refuses to change."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("the unknown fields of a frozen model cannot change")

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = setdefault = pop = popitem = clear = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}  # a copy is the copied model's own (model_copy may add to it)

    def __deepcopy__(self, memo: object) -> dict[str, Any]:
        return {}


#: The shared extras of frozen models built from the stored form.
NO_EXTRAS: dict[str, Any] = _NoExtras()


#: Readers whose value's JSON is the very value read (``renders_as_read``).
_AS_READ: set[Read] = set()


def renders_as_read(read: _R) -> _R:
    """Mark ``read`` as giving values that serialize back to exactly the JSON read, so a
    status of such values need not keep that JSON (see ``snapshot``)."""
    _AS_READ.add(read)
    return read


@renders_as_read
def exact_str(value: object) -> str | None:
    return value if type(value) is str else None


@renders_as_read
def _exact_int(value: object) -> int | None:
    return value if type(value) is int else None


@renders_as_read
def _exact_bool(value: object) -> bool | None:
    return value if type(value) is bool else None


_EXACT: dict[object, Read] = {str: exact_str, int: _exact_int, bool: _exact_bool}
#: Metadata that changes nothing about a value already of the exact type.
_HARMLESS = (WithJsonSchema,)
#: Model settings under which a str or int in the stored form may still be changed.
_VALUE_SETTINGS = (
    "str_strip_whitespace",
    "str_to_lower",
    "str_to_upper",
    "str_min_length",
    "str_max_length",
    "coerce_numbers_to_str",
    "use_enum_values",
    "strict",
)
#: The model validators a recipe stands for: KubeModel's unknown-field rule (stored input
#: has no unknown fields) and its shared fields set, which the recipe sets itself.
_KNOWN_VALIDATORS = frozenset({"_reject_unknown_fields"})


class _Recipe:
    """How one model class is built from stored JSON: its fields, in declaration order."""

    __slots__ = (
        "as_read",
        "fields",
        "frozen_every",
        "keeps_extra",
        "model",
        "nested",
        "private",
        "shown_defaults",
    )

    def __init__(
        self,
        model: type[BaseModel],
        fields: tuple[tuple[str, str, Read, object], ...],
        private: dict[str, Any] | None,
    ) -> None:
        self.model = model
        #: (name, key, read, default) per field; default ``_REQUIRED`` or a factory marker.
        self.fields = fields
        self.private = private
        #: pydantic keeps an (empty) extras dict only where unknown fields are allowed.
        self.keeps_extra = model.model_config.get("extra") == "allow"
        self.frozen_every = shared_fields_set(model)
        #: Whether every value read serializes back to the JSON read (``renders_as_read``).
        self.as_read = all(read in _AS_READ for _, _, read, _ in fields)
        #: Fields whose default the write shows (not None, not an empty list): a status
        #: renders as read only if they were read.
        self.shown_defaults = frozenset(
            name for name, _, _, default in fields if not _omitted(default)
        )
        #: Fields holding a nested model (each must render as read too).
        self.nested = tuple(name for name, _, read, _ in fields if read in _NESTED)

    def no_extras(self) -> dict[str, Any] | None:
        """What pydantic sets for a model given no unknown fields (shared if frozen)."""
        if not self.keeps_extra:
            return None
        return NO_EXTRAS if self.frozen_every is not None else {}


_REQUIRED: Any = object()
_NO_RECIPE: Any = object()
_UNSEEN: Any = object()
_RECIPES: dict[type, _Recipe | None] = {}
_NEW = object.__new__
_SET: Any = object.__setattr__
_SET_FIELDS_SET: Any = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA: Any = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE: Any = BaseModel.__dict__["__pydantic_private__"].__set__


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def _omitted(default: object) -> bool:
    """Whether a field left at ``default`` is left out of the write (``to_k8s``)."""
    return default is None or (type(default) is _Factory and default.make is list)


def as_stored(model: type[BaseModel], data: object) -> Any:
    """``data`` as a ``model`` if every value is in the API server's stored form, else None."""
    recipe = _RECIPES.get(model, _UNSEEN)
    if recipe is _UNSEEN:
        recipe = _recipe_of(model)
    if recipe is None or type(data) is not dict:
        return None
    return _build(recipe, data)


def _build(recipe: _Recipe, data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    given = 0
    for name, key, read, default in recipe.fields:
        value = data.get(key, _UNSEEN)
        if value is _UNSEEN:
            if default is _REQUIRED:
                return None
            values[name] = default.make() if type(default) is _Factory else default
            continue
        value = read(value)
        if value is None:
            return None
        values[name] = value
        given += 1
    if given != len(data):
        return None  # a key that is no field's alias: an unknown or snake_case field
    built = _NEW(recipe.model)
    _SET(built, "__dict__", values)
    every = recipe.frozen_every
    if every is not None and given == len(every):
        _SET_FIELDS_SET(built, every)  # shared, as KubeModel's validator shares it
    else:
        _SET_FIELDS_SET(built, {name for name, key, _, _ in recipe.fields if key in data})
    _SET_EXTRA(built, recipe.no_extras())
    _SET_PRIVATE(built, None if recipe.private is None else dict(recipe.private))
    return built


def renders_as_read_tree(model: BaseModel) -> bool:
    """Whether ``model`` (built by ``as_stored``) serializes back to exactly the JSON read."""
    recipe = _RECIPES.get(type(model))
    if recipe is None or not recipe.as_read or model.__pydantic_extra__:
        return False
    if recipe.shown_defaults and not recipe.shown_defaults <= model.__pydantic_fields_set__:
        return False
    values = model.__dict__
    for name in recipe.nested:
        child = values[name]
        if child is not None and not renders_as_read_tree(child):
            return False
    return True


class Snapshot:
    """What a status built by ``as_stored`` held when read: its field values (lists as
    tuples), from which its stored JSON is rendered again, instead of that JSON.

    The values are immutable (frozen models, strings, numbers), so the snapshot is what
    was read even after the status itself is edited.
    """

    __slots__ = ("model", "values")

    def __init__(self, model: BaseModel) -> None:
        self.model = type(model)
        self.values = tuple(
            tuple(value) if type(value) is list else value for value in model.__dict__.values()
        )

    def render(self) -> dict[str, Any]:
        recipe = _RECIPES[self.model]
        assert recipe is not None
        names = [name for name, _, _, _ in recipe.fields]
        values = {
            name: list(value) if type(value) is tuple else value
            for name, value in zip(names, self.values, strict=True)
        }
        again: Any = _NEW(self.model)  # a KubeModel: to_k8s is the write's JSON
        _SET(again, "__dict__", values)
        _SET_FIELDS_SET(again, set())
        _SET_EXTRA(again, recipe.no_extras())
        _SET_PRIVATE(again, None if recipe.private is None else dict(recipe.private))
        rendered: dict[str, Any] = again.to_k8s()
        return rendered


def snapshot(model: BaseModel) -> Snapshot | None:
    """A ``Snapshot`` of ``model`` if it renders as read, else None (keep the JSON)."""
    return Snapshot(model) if renders_as_read_tree(model) else None


def _recipe_of(model: type[BaseModel]) -> _Recipe | None:
    _RECIPES[model] = None  # a model nesting itself is without a recipe while its recipe is made
    recipe = _make_recipe(model)
    _RECIPES[model] = recipe
    return recipe


def _make_recipe(model: type[BaseModel]) -> _Recipe | None:
    decorators = model.__pydantic_decorators__
    config = model.model_config
    if (
        getattr(model, "__pydantic_root_model__", False)
        or not set(decorators.model_validators) <= _KNOWN_VALIDATORS
        or decorators.field_validators
        or decorators.validators
        or decorators.root_validators
        or any(config.get(setting) for setting in _VALUE_SETTINGS)
        or not _post_init_is_pydantics(model)
    ):
        return None
    fields = []
    for name, field in model.model_fields.items():
        read = _reader(field)
        default = _default_of(field)
        if read is None or default is _NO_RECIPE:
            return None
        key = field.validation_alias or field.alias or name
        if type(key) is not str:
            return None  # AliasChoices or AliasPath: several keys or a path, not one key
        fields.append((name, key, read, default))
    private = None
    if model.__private_attributes__:
        private = {}
        for name, attribute in model.__private_attributes__.items():
            if attribute.default_factory is not None:
                return None  # made per model by pydantic (from the validated data, maybe)
            value = attribute.get_default()
            if value is not PydanticUndefined:
                if not _immutable(value):
                    return None
                private[name] = value
    return _Recipe(model, tuple(fields), private)


def _post_init_is_pydantics(model: type[BaseModel]) -> bool:
    if model.__pydantic_post_init__ is None:
        return True
    # pydantic's own, which only sets the private attributes' defaults (done by the recipe).
    return getattr(model.model_post_init, "__module__", "").startswith("pydantic.")


def _default_of(field: FieldInfo) -> object:
    """The default a missing key takes: ``_REQUIRED``, a ``_Factory``, a value, or
    ``_NO_RECIPE``."""
    if field.default_factory is not None:
        if field.default_factory_takes_validated_data:
            return _NO_RECIPE
        return _Factory(field.default_factory)  # type: ignore[arg-type]
    if field.default is PydanticUndefined:
        return _REQUIRED
    if field.validate_default or not _immutable(field.default):
        return _NO_RECIPE  # pydantic would validate or copy it: leave that to pydantic
    return field.default


def _immutable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | Enum | frozenset)


def _reader(field: FieldInfo) -> Read | None:
    """How the field's stored JSON value is read, or None if the recipe cannot stand for it."""
    inner, optional_meta = _without_none(field.annotation)
    return _read_of(inner, [*field.metadata, *optional_meta])


def _without_none(annotation: object) -> tuple[object, list[object]]:
    """``X | None`` as ``X`` (a stored ``null`` is never given a recipe), with X's own metadata."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) != 1:
            return None, []
        annotation = rest[0]
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return inner, metadata
    return annotation, []


def _read_of(inner: object, metadata: list[object]) -> Read | None:
    read: Read | None = None
    strict = False
    pending: list[object] = []  # metadata no Stored marker stands for yet
    for item in _flat(metadata):
        if isinstance(item, Stored):
            read, pending = item.read, []
        elif isinstance(item, Strict):
            strict = strict or item.strict
        elif not isinstance(item, _HARMLESS):
            pending.append(item)
    if read is not None:
        return None if pending else read
    if inner in _EXACT:  # strict or lax, a value of the exact type is kept as it is
        return _bounded(_EXACT[inner], pending) if pending else _EXACT[inner]
    if pending:
        return None
    if isinstance(inner, type) and issubclass(inner, Enum):
        return None if strict else _enum_reader(inner)  # strict refuses the plain value
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return _nested_reader(inner)
    return None


#: The constraints a recipe checks itself, on a value of the exact type (``Field(ge=0)``,
#: ``Field(max_length=64)``): each holds or the value is left to pydantic and its error.
_BOUNDS: dict[type, Callable[[Any, Any], bool]] = {
    annotated_types.Ge: lambda value, item: value >= item.ge,
    annotated_types.Gt: lambda value, item: value > item.gt,
    annotated_types.Le: lambda value, item: value <= item.le,
    annotated_types.Lt: lambda value, item: value < item.lt,
    annotated_types.MinLen: lambda value, item: len(value) >= item.min_length,
    annotated_types.MaxLen: lambda value, item: len(value) <= item.max_length,
}


def _bounded(read: Read, constraints: list[object]) -> Read | None:
    checks = [(_BOUNDS.get(type(item)), item) for item in constraints]
    if any(check is None for check, _ in checks):
        return None  # a pattern, a multiple of, a predicate...: left to pydantic

    def read_bounded(value: object) -> Any:
        exact = read(value)
        if exact is None:
            return None
        for check, item in checks:
            if not check(exact, item):  # type: ignore[misc]
                return None
        return exact

    return renders_as_read(read_bounded) if read in _AS_READ else read_bounded


def _flat(metadata: list[object]) -> list[object]:
    """Metadata with nested ``Field(...)`` objects opened (``Annotated[str, Field(...)]``)."""
    out: list[object] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.extend(_flat(list(item.metadata)))
        else:
            out.append(item)
    return out


def _enum_reader(enum: type[Enum]) -> Read | None:
    members = enum._value2member_map_
    if not all(type(value) is str for value in members):
        return None

    def read(value: object) -> Enum | None:
        return members.get(value) if type(value) is str else None

    return renders_as_read(read)


def _nested_reader(model: type[BaseModel]) -> Read:
    def read(value: object) -> Any:
        return as_stored(model, value)

    _NESTED.add(read)
    return renders_as_read(read)  # if the nested model does (``renders_as_read_tree``)


_NESTED: set[Read] = set()
