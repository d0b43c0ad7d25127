"""Structural OpenAPI v3 schemas from pydantic models, as the API server requires them.

pydantic's JSON schema is not structural (``$ref``, ``anyOf`` for optionals, titles, defaults); this
turns it into one where every node is typed and nothing is left for the server to reject, and swaps
any condition list for [`CONDITIONS_SCHEMA`][gittarget_status.manifests.CONDITIONS_SCHEMA].
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any, Final, get_args, get_origin

from pydantic import BaseModel

from gittarget_status.conditions import Condition
from gittarget_status.manifests._condition import CONDITIONS_SCHEMA

__all__ = ["structural_schema"]

_DROP_KEYS: Final = frozenset({"title", "default", "examples", "$defs", "definitions"})
_INT64_MAX: Final = 2**63 - 1
#: Constraint names pydantic leaves untranslated in some annotated types.
_KEYWORDS: Final = {"ge": "minimum", "le": "maximum"}


def _is_condition_list(annotation: Any) -> bool:
    """True for ``list[Condition]`` (possibly Annotated or Optional)."""
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation) or (None,)
        return isinstance(item, type) and issubclass(item, Condition)
    return any(_is_condition_list(arg) for arg in get_args(annotation))


def _condition_fields(model: type[BaseModel]) -> set[str]:
    """JSON names of the fields of ``model`` holding a condition list."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if _is_condition_list(annotation) or any(
            _is_condition_list(m) for m in field.metadata if isinstance(m, type)
        ):
            names.add(field.alias or name)
    return names


def _resolve(node: Any, defs: Mapping[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, defs, stack) for item in node]
    if not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name in stack:
            raise ValueError(f"recursive model {name!r} cannot be a structural schema")
        merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return _resolve(merged, defs, (*stack, name))
    for combinator in ("anyOf", "oneOf"):
        if combinator in node:
            options = [o for o in node[combinator] if o != {"type": "null"}]
            if len(options) != 1:
                raise ValueError(
                    f"{combinator} with several non-null options cannot be made structural: "
                    f"{json.dumps(node[combinator])[:200]}"
                )
            rest = {k: v for k, v in node.items() if k != combinator}
            return _resolve({**options[0], **rest}, defs, stack)
    if "allOf" in node and len(node["allOf"]) == 1:
        rest = {k: v for k, v in node.items() if k != "allOf"}
        return _resolve({**node["allOf"][0], **rest}, defs, stack)
    out: dict[str, Any] = {}
    for raw_key, value in node.items():
        if raw_key in _DROP_KEYS:
            continue
        key = _KEYWORDS.get(str(raw_key), str(raw_key))
        if key == "properties":
            out[key] = {name: _resolve(sub, defs, stack) for name, sub in value.items()}
        elif key == "additionalProperties":
            if isinstance(value, Mapping):
                out[key] = _resolve(value, defs, stack)
            # True/False: extra="allow" models; the CRD lists every field (pruning applies)
        else:
            out[key] = _resolve(value, defs, stack)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "enum" in out and "type" not in out:
        out["type"] = "string" if all(isinstance(v, str) for v in out["enum"]) else "integer"
    if out.get("type") == "integer":
        out.setdefault("format", "int64")
        if out.get("maximum") == _INT64_MAX:
            del out["maximum"]
    return out


def _check_structural(node: Any, path: str) -> None:
    if not isinstance(node, Mapping):
        # A JSON schema may give ``items`` as an array (one schema per position): the API
        # server refuses that ("items must be a schema object and not an array").
        raise ValueError(f"{path}: a schema node must be an object, not {type(node).__name__}")
    if "type" not in node and not node.get("x-kubernetes-preserve-unknown-fields"):
        raise ValueError(f"{path}: every schema node needs a type")
    for name, sub in node.get("properties", {}).items():
        _check_structural(sub, f"{path}.{name}")
    if "items" in node:
        _check_structural(node["items"], f"{path}[]")


def structural_schema(
    model: type[BaseModel],
    *,
    description: str | None = None,
    preserve_unknown_fields: bool = False,
) -> dict[str, Any]:
    """A structural OpenAPI v3 schema for ``model``'s JSON (by alias).

    Any field typed as a list of [`Condition`][gittarget_status.Condition] becomes
    [`CONDITIONS_SCHEMA`][gittarget_status.manifests.CONDITIONS_SCHEMA].
    ``preserve_unknown_fields=True`` marks the top object with
    ``x-kubernetes-preserve-unknown-fields`` (the API server then keeps fields the schema does not
    list, at that level and below where no schema is given): deliberate, off by default. Raises
    ValueError for a model that cannot be expressed structurally.
    """
    raw = model.model_json_schema(by_alias=True, mode="validation")
    defs = raw.get("$defs", {})
    schema: dict[str, Any] = _resolve(raw, defs, ())
    schema["type"] = "object"
    schema.pop("additionalProperties", None)
    for name in _condition_fields(model):
        schema.setdefault("properties", {})[name] = copy.deepcopy(dict(CONDITIONS_SCHEMA))
    if description is not None:
        schema["description"] = description
    if preserve_unknown_fields:
        schema["x-kubernetes-preserve-unknown-fields"] = True
    _check_structural(schema, model.__name__)
    return schema
