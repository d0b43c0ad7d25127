"""Check that a model's direct build from stored JSON is the model validation gives.

``from_k8s`` builds a model without pydantic when every value is in the stored form (see
[`Stored`][gittarget_status.conditions.Stored]). A ``Stored`` marker of your own that
accepts a value its validator would refuse or change lets that value in unchecked: run
your status JSON (or a hypothesis strategy of it) through ``stored_build_mismatch``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from gittarget_status._base import KeptExtras, KubeModel
from gittarget_status._errors import StatusValidationError
from gittarget_status._stored import as_stored
from gittarget_status.conditions._status import StatusModel

__all__ = ["assert_stored_build_matches", "model_tree", "stored_build_mismatch"]


def model_tree(value: object) -> object:
    """Everything observable of a model tree, for comparison: each model's class, its
    values with their exact types, its fields set, unknown fields (and whether they are
    kept as read), and the names of its private attributes."""
    if isinstance(value, list):
        return [model_tree(item) for item in value]
    if not isinstance(value, BaseModel):
        return (type(value), value)
    extra = value.__pydantic_extra__
    private = value.__pydantic_private__
    return (
        type(value),
        [(key, model_tree(item)) for key, item in value.__dict__.items()],
        set(value.__pydantic_fields_set__),
        type(value.__pydantic_fields_set__),  # shared (frozen, fully given) or its own
        None if extra is None else (type(extra) is KeptExtras, dict(extra)),
        None if private is None else sorted(private),
    )


def stored_build_mismatch(model: type[KubeModel], data: Mapping[str, Any]) -> str | None:
    """What differs between ``model`` built directly from ``data`` and validated from it.

    None when they agree, and when ``data`` is not in the stored form (``from_k8s``
    validates it then, so there is nothing to compare).
    """
    built = as_stored(model, data)
    if built is None:
        return None
    try:
        validated = model._validated_from_k8s(data, strict=False)
    except StatusValidationError as exc:
        return f"built directly, but validation refuses it: {exc}"
    if model_tree(built) != model_tree(validated):
        return f"built directly as {built!r}, validated as {validated!r}"
    if isinstance(validated, StatusModel):
        read = validated._read_info()
        if read is not None and (read.dropped or read.normalised or read.odd):
            return f"built directly, but validation notes it: {read.dropped or 'normalised'}"
    return None


def assert_stored_build_matches(model: type[KubeModel], data: Mapping[str, Any]) -> None:
    """Raise AssertionError naming the difference ``stored_build_mismatch`` finds."""
    mismatch = stored_build_mismatch(model, data)
    if mismatch is not None:
        raise AssertionError(f"{model.__name__}: {mismatch}")
