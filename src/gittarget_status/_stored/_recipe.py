"""A recipe per model class, derived once from its fields, and the build from stored JSON."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from gittarget_status._slots import NEW, SET_ATTR, SET_EXTRA, SET_FIELDS_SET, SET_PRIVATE
from gittarget_status._stored._marker import (
    AS_READ,
    NO_EXTRAS,
    Read,
    renders_as_read,
    shared_fields_set,
)
from gittarget_status._stored._readers import field_reader

__all__ = ["as_stored", "recipe_for"]

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
        self.as_read = all(read in AS_READ for _, _, read, _ in fields)
        #: Fields whose default the write shows (not None, not an empty list): a status
        #: renders as read only if they were read.
        self.shown_defaults = frozenset(
            name for name, _, _, default in fields if not _omitted(default)
        )
        #: Fields holding a nested model (each must render as read too).
        self.nested = tuple(name for name, _, read, _ in fields if read in _NESTED)

    def instance(self, values: dict[str, Any], fields_set: set[str] | frozenset[str]) -> Any:
        """A model of ``values`` (every field, in declaration order) with pydantic's slots
        set as pydantic sets them for input without unknown fields."""
        built = NEW(self.model)
        SET_ATTR(built, "__dict__", values)
        SET_FIELDS_SET(built, fields_set)
        if not self.keeps_extra:
            SET_EXTRA(built, None)
        else:  # one shared empty dict for frozen models (pydantic gives each its own)
            SET_EXTRA(built, NO_EXTRAS if self.frozen_every is not None else {})
        SET_PRIVATE(built, None if self.private is None else dict(self.private))
        return built


_REQUIRED: Any = object()
_NO_RECIPE: Any = object()
_UNSEEN: Any = object()
_RECIPES: dict[type, _Recipe | None] = {}


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
    every = recipe.frozen_every
    if every is not None and given == len(every):
        return recipe.instance(values, every)  # shared, as KubeModel's validator shares it
    return recipe.instance(values, {name for name, key, _, _ in recipe.fields if key in data})


def recipe_for(model: type[BaseModel]) -> _Recipe | None:
    """The recipe ``as_stored`` made for ``model``, or None (none made, or none possible)."""
    return _RECIPES.get(model)


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
        read = field_reader(field, _nested_reader)
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


def _nested_reader(model: type[BaseModel]) -> Read:
    def read(value: object) -> Any:
        return as_stored(model, value)

    _NESTED.add(read)
    return renders_as_read(read)  # if the nested model does (``renders_as_read_tree``)


_NESTED: set[Read] = set()
