"""Strategies for any status model, derived from its fields.

[`status_models`][gittarget_status.testing.strategies.status_models] reads a
[`StatusModel`][gittarget_status.StatusModel] subclass (or any model built on the library's base)
and draws whole instances: conditions from
[`condition_lists`][gittarget_status.testing.strategies.condition_lists], timestamps as metav1.Time
round-trips them, integers within their ``ge``/``le`` bounds and int64, strings within their lengths
and patterns, nested models recursively, optional fields sometimes left unset. The hypothesis plugin
registers it for every StatusModel subclass, so ``st.from_type(MyStatus)`` works for a model defined
in your own test module.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel

from gittarget_status._stored._readers import flat_metadata
from gittarget_status.conditions import Condition
from gittarget_status.testing.strategies._conditions import condition_lists, kube_times
from gittarget_status.testing.strategies._names import UNICODE

__all__ = ["status_models"]

M = TypeVar("M", bound=BaseModel)

_INT64 = (-(2**63), 2**63 - 1)
_MAX_TEXT = 40
_MAX_ITEMS = 3


def status_models(model: type[M], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[M]:
    """Instances of ``model`` with every field drawn from its annotation and constraints.

    ``fields`` replaces the strategy of a field by its Python name
    (``status_models(CertificateStatus, not_after=st.none())``); such a field is always
    drawn. Other fields with a default are
    sometimes left out, so the defaults are exercised too. Values a model's own
    validators refuse are discarded, not reported: a validator stricter than its
    annotation narrows the values drawn.
    """
    unknown = sorted(set(fields) - set(model.model_fields))
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {unknown}")
    if not fields:
        return _cached(model)
    return _build(model, fields)


@cache
def _cached(model: type[M]) -> st.SearchStrategy[M]:
    return _build(model, {})


def _build(model: type[M], overrides: Mapping[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[M]:
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        strategy = overrides.get(name)
        if strategy is not None:  # asked for: always drawn
            required[name] = strategy
            continue
        strategy = _annotation(info.annotation, flat_metadata(info.metadata))
        (required if info.is_required() else optional)[name] = strategy
    drawn = st.fixed_dictionaries(required, optional=optional)
    built = drawn.map(lambda values: _construct(model, values)).filter(_is_model)
    return cast("st.SearchStrategy[M]", built)  # the filter drops the None


def _construct(model: type[M], values: dict[str, Any]) -> M | None:
    """The instance, or None where the model's own validators (stricter than its
    annotations) refuse the values."""
    try:
        return model(**values)
    except ValueError:  # StatusValidationError and pydantic's errors are ValueErrors
        return None


def _is_model(value: object) -> bool:
    return value is not None


def _bounds(metadata: list[Any], low: Any, high: Any, *, integral: bool) -> tuple[Any, Any]:
    """The ``ge``/``gt``/``le``/``lt`` constraints narrowing ``[low, high]``.

    An exclusive bound moves by one for an integer field; for a float field (where ``gt=0``
    is an int too) it stays, and the model's own check drops the bound itself.
    """
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = max(low, item.ge)
        elif isinstance(item, annotated_types.Gt):
            low = max(low, item.gt + 1 if integral and isinstance(item.gt, int) else item.gt)
        elif isinstance(item, annotated_types.Le):
            high = min(high, item.le)
        elif isinstance(item, annotated_types.Lt):
            high = min(high, item.lt - 1 if integral and isinstance(item.lt, int) else item.lt)
    return low, high


def _lengths(metadata: list[Any], default_max: int) -> tuple[int, int]:
    low, high = 0, default_max
    for item in metadata:
        if isinstance(item, annotated_types.MinLen):
            low = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            high = item.max_length
    return low, max(low, min(high, max(default_max, low)))


def _pattern(metadata: list[Any]) -> str | None:
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            return pattern
    return None


def _annotation(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    """A strategy for one annotation under its (flattened) constraints."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        return _annotation(inner, metadata + flat_metadata(extra))
    if origin is Union or origin is types.UnionType:
        return st.one_of([_annotation(arm, metadata) for arm in get_args(annotation)])
    if annotation is type(None):
        return st.none()
    if origin is Literal:
        return st.sampled_from(get_args(annotation))
    if origin in (list, tuple, set, frozenset) or origin is Mapping or origin is dict:
        return _container(annotation, origin, metadata)
    if annotation is Any or annotation is object:
        return _json_scalars()
    if isinstance(annotation, type):
        return _scalar(annotation, metadata)
    return st.from_type(annotation)


def _container(annotation: Any, origin: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    args = get_args(annotation)
    low, high = _lengths(metadata, _MAX_ITEMS)
    if origin is list and args == (Condition,):
        return condition_lists(min_size=low, max_size=max(high, 6))
    if origin in (dict, Mapping):
        values = _annotation(args[1], []) if len(args) == 2 else _json_scalars()
        keys = st.text(UNICODE, max_size=_MAX_TEXT)
        return st.dictionaries(keys, values, min_size=low, max_size=high)
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return st.tuples(*(_annotation(arg, []) for arg in args))
    items = _annotation(args[0], []) if args else _json_scalars()
    drawn = st.lists(items, min_size=low, max_size=high)
    if origin is list:
        return drawn
    return drawn.map(origin)


def _scalar(annotation: type, metadata: list[Any]) -> st.SearchStrategy[Any]:
    if issubclass(annotation, BaseModel):
        model: type[BaseModel] = annotation
        return st.deferred(lambda: status_models(model))  # deferred: models may nest

    if issubclass(annotation, enum.Enum):
        return st.sampled_from(annotation)
    if annotation is bool:
        return st.booleans()
    if issubclass(annotation, int):
        low, high = _bounds(metadata, *_INT64, integral=True)
        return st.integers(int(low), int(high))
    if annotation is float:
        low, high = _bounds(metadata, -1e300, 1e300, integral=False)
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if annotation is str:
        pattern = _pattern(metadata)
        low, high = _lengths(metadata, _MAX_TEXT)
        if pattern is not None:
            return st.from_regex(pattern, fullmatch=True).filter(lambda s: low <= len(s) <= high)
        return st.text(UNICODE, min_size=low, max_size=high)
    if annotation is datetime:
        return kube_times()
    return st.from_type(annotation)


@cache
def _json_scalars() -> st.SearchStrategy[Any]:
    return st.none() | st.booleans() | st.integers(*_INT64) | st.text(UNICODE, max_size=_MAX_TEXT)
