"""What a status read in the stored form keeps instead of its JSON, where it may."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from gittarget_status._stored._recipe import recipe_for

__all__ = ["Snapshot", "renders_as_read_tree", "snapshot"]


def renders_as_read_tree(model: BaseModel) -> bool:
    """Whether ``model`` (built by ``as_stored``) serializes back to exactly the JSON read."""
    recipe = recipe_for(type(model))
    if recipe is None or not recipe.as_read or model.__pydantic_extra__:
        return False
    shown = recipe.shown_defaults
    if shown and not shown <= model.__pydantic_fields_set__:
        return False
    nested = recipe.nested
    if nested:  # read the instance dict only where there are children (a read is 50 ns)
        values = model.__dict__
        for name in nested:
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
        recipe = recipe_for(self.model)
        assert recipe is not None  # a snapshot is only taken of a model built by one
        names = [name for name, _, _, _ in recipe.fields]
        values = {
            name: list(value) if type(value) is tuple else value
            for name, value in zip(names, self.values, strict=True)
        }
        again = recipe.instance(values, set())  # a KubeModel: to_k8s is the write's JSON
        rendered: dict[str, Any] = again.to_k8s()
        return rendered


def snapshot(model: BaseModel) -> Snapshot | None:
    """A ``Snapshot`` of ``model`` if it renders as read, else None (keep the JSON)."""
    return Snapshot(model) if renders_as_read_tree(model) else None
