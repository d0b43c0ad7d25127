"""Validate an instance against a CRD's structural schema as the API server would.

jsonschema covers the OpenAPI v3 subset (types, required, patterns, lengths, enums,
minimum, date-time format); the Kubernetes extensions it ignores are checked here:
``x-kubernetes-list-type: map`` keys must be unique and present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

__all__ = ["k8s_validate", "structural_problems"]

_FORMATS = jsonschema.Draft7Validator.FORMAT_CHECKER


def _list_maps(instance: Any, schema: Mapping[str, Any], path: str) -> list[str]:
    problems: list[str] = []
    if isinstance(instance, Mapping):
        for key, sub in schema.get("properties", {}).items():
            if key in instance:
                problems += _list_maps(instance[key], sub, f"{path}.{key}")
    elif isinstance(instance, list):
        items = schema.get("items", {})
        if schema.get("x-kubernetes-list-type") == "map":
            keys = schema.get("x-kubernetes-list-map-keys", [])
            seen: set[tuple[Any, ...]] = set()
            for index, entry in enumerate(instance):
                value = tuple(entry.get(k) for k in keys) if isinstance(entry, Mapping) else ()
                if value in seen:
                    problems.append(f"{path}[{index}]: duplicate list-map key {value}")
                seen.add(value)
        for index, entry in enumerate(instance):
            problems += _list_maps(entry, items, f"{path}[{index}]")
    return problems


def k8s_validate(instance: Any, schema: Mapping[str, Any]) -> list[str]:
    """Every problem the API server's schema validation would report (empty: valid)."""
    validator = jsonschema.Draft7Validator(schema, format_checker=_FORMATS)
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]
    return problems + _list_maps(instance, schema, "")


_ALLOWED_WITH_PRESERVE = {"x-kubernetes-preserve-unknown-fields"}


def structural_problems(
    schema: Any, path: str = "", *, allow_preserve: frozenset[str]
) -> list[str]:
    """The structural-schema rules, checked explicitly (apiextensions' definition).

    Every node has a type (or deliberately preserves unknown fields), no ``$ref``, no
    ``additionalProperties`` next to ``properties``, no ``nullable`` from optional fields,
    no combinators, and ``x-kubernetes-preserve-unknown-fields`` only at ``allow_preserve``.
    """
    problems: list[str] = []
    if not isinstance(schema, Mapping):
        return [f"{path}: not an object"]
    for banned in ("$ref", "anyOf", "oneOf", "allOf", "not", "nullable", "definitions", "$defs"):
        if banned in schema:
            problems.append(f"{path}: {banned} is not allowed")
    preserve = schema.get("x-kubernetes-preserve-unknown-fields")
    if preserve and path not in allow_preserve:
        problems.append(f"{path}: x-kubernetes-preserve-unknown-fields where not deliberate")
    if "type" not in schema and not preserve:
        problems.append(f"{path}: no type")
    if "properties" in schema and "additionalProperties" in schema:
        problems.append(f"{path}: additionalProperties together with properties")
    if schema.get("type") == "object" and "items" in schema:
        problems.append(f"{path}: items on an object")
    if schema.get("type") == "array" and "items" not in schema:
        problems.append(f"{path}: array without items")
    for name, sub in schema.get("properties", {}).items():
        problems += structural_problems(sub, f"{path}.{name}", allow_preserve=allow_preserve)
    if "items" in schema:
        problems += structural_problems(schema["items"], f"{path}[]", allow_preserve=allow_preserve)
    if isinstance(schema.get("additionalProperties"), Mapping):
        problems += structural_problems(
            schema["additionalProperties"], f"{path}{{}}", allow_preserve=allow_preserve
        )
    return problems
